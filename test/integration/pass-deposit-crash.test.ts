/**
 * A pass job killed at every step (before its deposit, after the deposit but before COMPLETED, after
 * COMPLETED), then taken over by another attempt: exactly one deposit per executed pass, the booking
 * COMPLETED once with that deposit's block, and the pool's bits equal to the audit's balance. The
 * deposit is idempotent under `pass:<bookingId>`, so no separate claim can leave a COMPLETED booking
 * without key (the defect this replaces).
 */
import { randomBytes } from 'node:crypto';
import type { Job } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openRelay, readAudit, type KeyBlockSink } from '../../relay/index.js';
import { linkId } from '../../relay/domain/links.js';
import { BookingStore } from '../../scheduler/index.js';
import { passId } from '../../scheduler/domain/index.js';
import { passProcessor } from '../../scheduler/adapters/pass.processor.js';
import type { PassJobData } from '../../scheduler/adapters/queues.js';
import { simulatedClock } from '../../src/platform/clock.js';
import { createLogger } from '../../src/platform/logger.js';
import { checkLedger } from '../support/key-ledger.js';
import { testSettings } from './scheduler-harness.js';
import { fixture, type Fixture } from './relay-support.js';

class Killed extends Error {}
type Step = 'before-deposit' | 'after-deposit' | 'after-completed';

describe('pass deposit: a worker killed at any step deposits exactly once', () => {
  let f: Fixture;
  let relay: ReturnType<typeof openRelay>;
  let store: BookingStore;
  const clock = simulatedClock(Date.parse('2022-08-10T00:00:00Z'), 600);

  beforeAll(() => {
    f = fixture();
    relay = openRelay({ config: f.config, redis: f.redis });
    store = new BookingStore(f.redis, f.prefix, { stationSlewMs: 0, satelliteRetargetMs: 0 });
  });
  afterAll(async () => {
    await f.cleanup();
  });

  /** One attempt of the pass job; `kill` throws at that step, as a SIGKILL would stop the worker. */
  function attempt(kill?: Step) {
    const sink: KeyBlockSink = {
      deposit: async (...args) => {
        if (kill === 'before-deposit') throw new Killed();
        const r = await relay.sink.deposit(...args);
        if (kill === 'after-deposit') throw new Killed();
        return r;
      },
    };
    const killingStore = Object.create(store) as BookingStore;
    killingStore.transition = async (...args) => {
      const moved = await store.transition(...args);
      if (kill === 'after-completed' && args[1] === 'COMPLETED') throw new Killed();
      return moved;
    };
    return passProcessor({
      store: killingStore,
      clock,
      logger: createLogger('silent'),
      settings: testSettings(),
      runPass: async () => ({ secureBits: 40_000, qber: 0.02, cloudy: false }),
      sink,
    });
  }

  for (const step of ['before-deposit', 'after-deposit', 'after-completed'] as const) {
    it(`killed ${step}: the takeover completes the pass with one deposit`, async () => {
      const startMs = clock.now() + 1000;
      const noradId = 41_000 + ['before-deposit', 'after-deposit', 'after-completed'].indexOf(step);
      const id = passId('graz', noradId, startMs);
      await store.book(
        {
          id,
          stationId: 'graz',
          noradId,
          startMs,
          endMs: startMs + 3000,
          expectedSecureBits: 40_000,
          clearSkyProbability: 1,
        },
        `plan-${randomBytes(4).toString('hex')}`,
        clock.now(),
      );
      const job = { id: `pass_${id}`, data: { bookingId: id } } as Job<PassJobData>;
      await expect(attempt(step)(job)).rejects.toBeInstanceOf(Killed);
      const outcome = await attempt()(job);
      const booking = (await store.get(id))!;
      expect(booking.state).toBe('COMPLETED');
      expect(['completed', 'skipped: COMPLETED']).toContain(outcome.outcome);
      const deposits = [];
      for await (const e of readAudit(f.redis, relay.prefix))
        if (e.type === 'deposit' && e.data.passId === id) deposits.push(e);
      expect(deposits).toHaveLength(1);
      expect(Number(await f.redis.hget(`${relay.prefix}poolbits`, linkId('satellite', 'graz', `sat-${noradId}`)))).toBe(
        40_000,
      );
      expect(await f.redis.hget(`${f.prefix}:sched:booking:${id}`, 'blockId')).toBe(`pass:${id}`);
      expect((await checkLedger(f.redis, relay.prefix)).problems).toEqual([]);
    });
  }
});
