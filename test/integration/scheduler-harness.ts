/** Shared pieces of the scheduler's integration tests: a clock all processes agree on, settings, candidates. */
import type { Redis } from 'ioredis';
import type { Clock } from '../../src/platform/clock.js';
import { createScheduler, SchedulerSettingsSchema } from '../../scheduler/index.js';
import { createLogger } from '../../src/platform/logger.js';
import { seededPassRunner } from '../support/seeded-pass-runner.js';
import { passId, type Candidate } from '../../scheduler/domain/index.js';

export const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const SPEED = 60;

/** A simulated clock anchored to a wall instant, so parent and child processes read the same time. */
export function anchoredClock(simStartMs: number, wallAnchorMs: number, speed = SPEED): Clock {
  const now = () => simStartMs + (Date.now() - wallAnchorMs) * speed;
  return { kind: 'simulated', speed, now, toRealDelayMs: (at) => Math.max(0, (at - now()) / speed) };
}

export const testSettings = (over: Record<string, unknown> = {}) =>
  SchedulerSettingsSchema.parse({
    leadSeconds: 30,
    frozenMinutes: 0,
    staleToleranceSeconds: 3600,
    lockDurationMs: 2000,
    solver: 'heuristic',
    timeLimitSeconds: 2,
    ...over,
  });

export function candidatesAt(t0: number, n: number, durationMs = 60_000): Candidate[] {
  return Array.from({ length: n }, (_, k) => {
    const stationId = `gs${k % 4}`,
      noradId = 70000 + (k % 3),
      startMs = t0 + k * 40_000;
    return {
      id: passId(stationId, noradId, startMs),
      stationId,
      noradId,
      startMs,
      endMs: startMs + durationMs,
      expectedSecureBits: 100_000 + k * 1000,
      clearSkyProbability: 1,
    };
  });
}

export async function deletePrefix(redis: Redis, prefix: string): Promise<void> {
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
    cursor = next;
    if (keys.length) await redis.del(...keys);
  } while (cursor !== '0');
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function waitFor(check: () => Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    if (await check()) return;
    await sleep(100);
  }
  throw new Error(`timed out waiting for ${what}`);
}

/** A scheduler as the tests build it: the seeded pass runner, REDIS_URL and a silent logger. */
export const testScheduler = (
  deps: Omit<Parameters<typeof createScheduler>[0], 'runPass' | 'redisUrl' | 'logger'>,
): ReturnType<typeof createScheduler> =>
  createScheduler({ runPass: seededPassRunner, redisUrl: REDIS_URL, logger: createLogger('silent'), ...deps });
