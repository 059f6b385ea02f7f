/**
 * The pass processor (thin, idempotent): SCHEDULED -> PREPASS at lead time, PASS at AOS, run the
 * pass at LOS, hand the key to the sink, COMPLETED. A job resumed by another worker after a crash
 * (stalled job) continues from the stored state. The key deposit is idempotent under the pass's
 * own operation ID (`pass:<bookingId>`): a worker killed before it leaves no deposit and the
 * takeover deposits; one killed after it (or a re-sent script) gets the first deposit's result
 * back, so an executed pass deposits exactly once. A job firing long after AOS (downtime) is marked
 * FAILED as stale.
 */
import { UnrecoverableError, type Job } from 'bullmq';
import { ERROR_CATALOGUE, QkdsatError } from '../../src/core/errors.js';
import type { Clock } from '../../src/platform/clock.js';
import type { Logger } from '../../src/platform/logger.js';
import { m as metrics } from '../../src/platform/metrics.js';
import { isStale, TERMINAL } from '../domain/booking.js';
import type { BookingStore } from './booking-store.redis.js';
import { fnv1a } from '../../src/core/keyrate/random.js';
import type { PassKeySink, RunPass } from './ports.js';
import type { PassJobData } from './queues.js';
import type { SchedulerSettings } from './settings.js';

export interface PassProcessorDeps {
  store: BookingStore;
  clock: Clock;
  logger: Logger;
  runPass: RunPass;
  sink: PassKeySink;
  settings: SchedulerSettings;
}

/** A failure BullMQ may retry, or UnrecoverableError when the error catalogue says a retry cannot help. */
export function jobFailureOf(error: unknown): unknown {
  if (error instanceof QkdsatError && !ERROR_CATALOGUE[error.code].retryable)
    return new UnrecoverableError(`${error.code}: ${error.message}`);
  return error;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export function passProcessor(deps: PassProcessorDeps) {
  return async (job: Job<PassJobData>): Promise<{ outcome: string; deliveredBits?: number }> => {
    // jobId comes from the job's log context (workers.ts); bound here it would appear twice.
    const log = deps.logger.child({ bookingId: job.data.bookingId });
    try {
      const r = await runJob(deps, job.data.bookingId, log);
      metrics.passes.inc({ outcome: r.metric });
      return { outcome: r.outcome, ...(r.deliveredBits !== undefined ? { deliveredBits: r.deliveredBits } : {}) };
    } catch (error) {
      throw jobFailureOf(error);
    }
  };
}

type JobResult = { outcome: string; deliveredBits?: number; metric: string };

async function runJob(deps: PassProcessorDeps, id: string, log: Logger): Promise<JobResult> {
  let b = await deps.store.get(id);
  if (!b) return { outcome: 'missing', metric: 'missing' };
  if (TERMINAL.has(b.state)) return { outcome: `skipped: ${b.state}`, metric: 'skipped' };
  if (b.state === 'SCHEDULED') {
    metrics.passLateness.observe((deps.clock.now() - (b.startMs - deps.settings.leadSeconds * 1000)) / 1000);
    if (isStale(b, deps.clock.now(), deps.settings.staleToleranceSeconds * 1000)) {
      await deps.store.transition(
        id,
        'FAILED',
        `stale: fired ${Math.round((deps.clock.now() - b.startMs) / 1000)} s after AOS`,
        deps.clock.now(),
      );
      log.warn('stale pass job marked FAILED');
      return { outcome: 'stale', metric: 'stale' };
    }
    await deps.store.transition(id, 'PREPASS', 'pointing and acquisition', deps.clock.now());
  } else {
    log.info({ state: b.state }, 'resuming an interrupted pass');
  }
  await sleep(deps.clock.toRealDelayMs(b.startMs));
  b = (await deps.store.get(id))!;
  if (b.state === 'PREPASS') await deps.store.transition(id, 'PASS', 'tracking', deps.clock.now());
  else if (b.state !== 'PASS') return { outcome: `skipped: ${b.state}`, metric: 'skipped' };
  await sleep(deps.clock.toRealDelayMs(b.endMs));
  const out = await deps.runPass(b, fnv1a(id));
  let blockId = '';
  if (out.secureBits >= 8) {
    const meta = {
      passId: id,
      source: 'pass',
      depositId: `pass:${id}`,
      ...(out.qber !== undefined ? { qber: out.qber } : {}),
    };
    blockId = (await deps.sink.deposit(b.stationId, b.noradId, Math.floor(out.secureBits), meta)).blockId;
  }
  const reason = out.cloudy
    ? 'completed: clouds, no key'
    : out.secureBits >= 8
      ? 'completed'
      : 'completed: no secure key';
  await deps.store.transition(id, 'COMPLETED', reason, deps.clock.now(), { deliveredBits: out.secureBits, blockId });
  log.info({ deliveredBits: out.secureBits, cloudy: out.cloudy }, 'pass completed');
  metrics.passBits.inc(Math.max(0, Math.floor(out.secureBits)));
  return {
    outcome: 'completed',
    deliveredBits: out.secureBits,
    metric: out.cloudy ? 'clouds' : out.secureBits >= 8 ? 'key' : 'no_key',
  };
}
