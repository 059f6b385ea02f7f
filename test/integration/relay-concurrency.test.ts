import { randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Api } from '../../src/api/route.js';
import { realClock } from '../../src/platform/clock.js';
import { createLogger } from '../../src/platform/logger.js';
import { startRelay, type KmeHandle } from '../../src/kme-compose.js';
import { KeyMaterial } from '../../relay/domain/key-material.js';
import { linkId } from '../../relay/domain/links.js';
import { closeAgents, etsi, fixture, type Fixture } from './relay-support.js';

const LINK = linkId('fibre', 'graz', 'matera');
const PAIRS = [
  ['sae-graz-a', 'sae-matera-a'],
  ['sae-graz-b', 'sae-matera-b'],
  ['sae-matera-a', 'sae-graz-b'],
] as const;

describe('64 concurrent clients draw keys: each key exactly once to its master and once to its bound slave', () => {
  let f: Fixture;
  let relay: KmeHandle;

  beforeAll(async () => {
    f = fixture();
    relay = await startRelay({
      config: f.config,
      logger: createLogger('silent'),
      redis: f.redis,
      clock: realClock(),
      api: new Api(),
    });
  });
  afterAll(async () => {
    closeAgents();
    for (const c of relay.closers) await c.close();
    await f.cleanup();
  });

  it('holds over random interleavings of requests, sizes and pool shortfalls', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.record({
            pair: fc.integer({ min: 0, max: 2 }),
            number: fc.integer({ min: 1, max: 4 }),
            size: fc.constantFrom(64, 128, 256, 512),
            delayMs: fc.integer({ min: 0, max: 5 }),
            slaveDelayMs: fc.integer({ min: 0, max: 5 }),
          }),
          { minLength: 64, maxLength: 64 },
        ),
        fc.integer({ min: 8_192, max: 200_000 }),
        async (clients, poolBits) => {
          const bits = Math.floor(poolBits / 8) * 8;
          const m = KeyMaterial.adopt(new Uint8Array(randomBytes(bits / 8)));
          await relay.store.deposit(LINK, { kind: 'fibre', a: 'graz', b: 'matera' }, m, { source: 'test' });
          m.zeroise();
          const startBits = await relay.store.availableBits([LINK]);
          const results = await Promise.all(
            clients.map(async (c) => {
              const [master, slave] = PAIRS[c.pair]!;
              await new Promise((r) => setTimeout(r, c.delayMs));
              const enc = await etsi(relay.kmePort, master, 'POST', `/api/v1/keys/${slave}/enc_keys`, {
                number: c.number,
                size: c.size,
              });
              if (enc.status === 503) return { served: false as const, c };
              expect(enc.status).toBe(200);
              expect(enc.body.keys).toHaveLength(c.number);
              await new Promise((r) => setTimeout(r, c.slaveDelayMs));
              const ids = enc.body.keys.map((k: { key_ID: string }) => ({ key_ID: k.key_ID }));
              const [dec, again] = await Promise.all([
                etsi(relay.kmePort, slave, 'POST', `/api/v1/keys/${master}/dec_keys`, { key_IDs: ids }),
                etsi(relay.kmePort, slave, 'POST', `/api/v1/keys/${master}/dec_keys`, { key_IDs: ids }),
              ]);
              // Two racing dec_keys for the same IDs: exactly one wins. The other is told 400 (already
              // delivered), or 503 (retry) while the winner's response is not yet settled; its retry
              // then gets 400.
              const [won, lost] = dec.status === 200 ? [dec, again] : [again, dec];
              expect(won.status).toBe(200);
              expect([400, 503]).toContain(lost.status);
              if (lost.status === 503) {
                await new Promise((r) => setTimeout(r, 200));
                expect(
                  (await etsi(relay.kmePort, slave, 'POST', `/api/v1/keys/${master}/dec_keys`, { key_IDs: ids }))
                    .status,
                ).toBe(400);
              }
              const winner = won;
              expect(winner.body.keys).toEqual(enc.body.keys);
              return { served: true as const, c, keys: enc.body.keys as { key_ID: string; key: string }[] };
            }),
          );
          const keys = results.flatMap((r) => (r.served ? r.keys : []));
          expect(new Set(keys.map((k) => k.key_ID)).size).toBe(keys.length);
          expect(new Set(keys.map((k) => k.key)).size).toBe(keys.length);
          const servedBits = results.reduce((s, r) => s + (r.served ? r.c.number * r.c.size : 0), 0);
          // None lost, none duplicated: the pool shrank by exactly what was served.
          expect(await relay.store.availableBits([LINK])).toBe(startBits - servedBits);
          // A refused request only when the pool could not have served it at that moment.
          if (results.some((r) => !r.served)) expect(startBits - servedBits).toBeLessThan(4 * 512 * 64);
          expect(await f.redis.zcard(`${relay.prefix}reservations`)).toBe(0);
        },
      ),
      { numRuns: 6 },
    );
  }, 180_000); // 6 x 64 mTLS clients: minutes when the short soak shares the cores
});
