import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { createRedis } from '../../src/platform/redis.js';
import { realClock } from '../../src/platform/clock.js';
import type { Scheduler } from '../../scheduler/index.js';
import { conflicts, type Candidate } from '../../scheduler/domain/index.js';
import {
  anchoredClock,
  candidatesAt,
  deletePrefix,
  REDIS_URL,
  sleep,
  testSettings,
  waitFor,
  testScheduler,
} from './scheduler-harness.js';

const here = dirname(fileURLToPath(import.meta.url));
const redis = createRedis(REDIS_URL, 'command');
const children: ChildProcess[] = [];
const schedulers: Scheduler[] = [];
const prefixes: string[] = [];
const SIM_START = Date.UTC(2026, 0, 10, 20);

function setup(settings: Record<string, unknown> = {}) {
  const prefix = `{t${randomBytes(5).toString('hex')}}`;
  prefixes.push(prefix);
  const anchor = Date.now();
  const clock = anchoredClock(SIM_START, anchor);
  let cands: Candidate[] = [];
  const make = () => {
    const s = testScheduler({
      redis,
      prefix,
      clock,
      settings: testSettings(settings),
      candidates: async () => cands,
      stationIds: async () => new Set(['gs0', 'gs1', 'gs2', 'gs3']),
    });
    schedulers.push(s);
    return s;
  };
  const spawnWorker = () => {
    const child = spawn(process.execPath, ['--import', 'tsx', join(here, 'scheduler-worker.child.ts')], {
      env: {
        ...process.env,
        PREFIX: prefix,
        SIM_START: String(SIM_START),
        WALL_ANCHOR: String(anchor),
        SETTINGS: JSON.stringify(settings),
      },
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    children.push(child);
    return child;
  };
  const ready = (n: number) =>
    waitFor(async () => (await redis.llen(`${prefix}:test:ready`)) >= n, 20_000, `${n} workers ready`);
  const deposits = async (id: string) => Number((await redis.get(`${prefix}:test:deposits:${id}`)) ?? 0);
  return {
    prefix,
    clock,
    make,
    spawnWorker,
    ready,
    deposits,
    setCandidates: (c: Candidate[]) => {
      cands = c;
    },
  };
}

afterEach(async () => {
  for (const c of children.splice(0)) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  for (const s of schedulers.splice(0)) await s.close().catch(() => undefined);
  for (const p of prefixes.splice(0)) await deletePrefix(redis, p);
});
afterAll(async () => {
  await redis.quit();
});

describe('scheduler on BullMQ and Redis', () => {
  it('three worker processes racing on one plan execute every booking exactly once', async () => {
    // One pass at a time per worker, so no single worker can swallow the whole plan at once.
    const t = setup({ concurrency: 1 });
    for (let i = 0; i < 3; i += 1) t.spawnWorker();
    await t.ready(3);
    const s = t.make();
    t.setCandidates(candidatesAt(t.clock.now() + 3 * 60_000, 12));
    const plan = await s.replan({ horizonHours: 2 });
    expect(plan.booked).toBeGreaterThanOrEqual(6);
    const ids = plan.plan.bookings.map((b) => b.id);
    await waitFor(
      async () => (await Promise.all(ids.map((id) => s.store.get(id)))).every((b) => b?.state === 'COMPLETED'),
      40_000,
      'all bookings completed',
    );
    for (const id of ids) expect(await t.deposits(id)).toBe(1);
    const log = await redis.lrange(`${t.prefix}:test:log`, 0, -1);
    expect(log).toHaveLength(ids.length);
    expect(new Set(log.map((l) => l.split(' ')[0])).size).toBeGreaterThan(1);
  });

  it('a worker SIGKILLed mid-pass: another takes the pass over and completes it once', async () => {
    const t = setup();
    const first = t.spawnWorker();
    await t.ready(1);
    const s = t.make();
    t.setCandidates(candidatesAt(t.clock.now() + 2 * 60_000, 1, 8 * 60_000));
    const plan = await s.replan({ horizonHours: 2 });
    const id = plan.plan.bookings[0]!.id;
    await waitFor(async () => (await s.store.get(id))?.state === 'PASS', 20_000, 'pass in progress');
    first.kill('SIGKILL');
    t.spawnWorker();
    await waitFor(
      async () => (await s.store.get(id))?.state === 'COMPLETED',
      40_000,
      'pass completed by another worker',
    );
    expect(await t.deposits(id)).toBe(1);
    const log = await redis.lrange(`${t.prefix}:test:log`, 0, -1);
    expect(log).toHaveLength(1);
    expect(log[0]!.split(' ')[0]).not.toBe(String(first.pid));
  });

  it(
    'restarting the planner duplicates neither the job scheduler nor bookings, and racing planners ' +
      'never double-book',
    async () => {
      const t = setup();
      const t0 = t.clock.now() + 60 * 60_000;
      t.setCandidates(candidatesAt(t0, 12));
      const a = t.make();
      await a.boot();
      const p1 = await a.replan({ horizonHours: 4 });
      const b = t.make();
      await b.boot();
      await b.boot();
      const p2 = await b.replan({ horizonHours: 4 });
      expect(p2.booked).toBe(0);
      // Simulated clock: no wall-time job scheduler, one chained delayed re-plan at the next cron time in simulated
      // time.
      expect(await a.queues.plans.getJobSchedulers()).toHaveLength(0);
      expect(
        (await a.queues.plans.getDelayed()).filter((j) => j.id?.startsWith('replan_cron_')).map((j) => j.id),
      ).toHaveLength(1);
      const active = (await a.store.list()).filter((x) => x.state === 'SCHEDULED');
      expect(active.map((x) => x.id).sort()).toEqual(p1.plan.bookings.map((x) => x.id).sort());
      expect(await a.queues.passes.getDelayedCount()).toBe(active.length);
      // Two planners racing on shifted candidate sets: the store never holds conflicting active bookings.
      t.setCandidates([...candidatesAt(t0 + 7_000, 12), ...candidatesAt(t0 + 20_000, 12)]);
      await Promise.all([
        a.replan({ horizonHours: 4, solver: 'heuristic' }),
        b.replan({ horizonHours: 4, solver: 'heuristic' }),
      ]);
      const now = (await a.store.list()).filter((x) => ['SCHEDULED', 'PREPASS', 'PASS'].includes(x.state));
      const gaps = { stationSlewMs: 120_000, satelliteRetargetMs: 60_000 };
      for (const x of now) for (const y of now) expect(conflicts(x, y, gaps)).toBe(false);
      await sleep(10);
    },
  );

  it('on the real clock the re-plan is one BullMQ job scheduler (cron, UTC) however often processes boot', async () => {
    const prefix = `{t${randomBytes(5).toString('hex')}}`;
    prefixes.push(prefix);
    const make = () => {
      const s = testScheduler({
        redis,
        prefix,
        clock: realClock(),
        settings: testSettings({ cron: '0 */6 * * *' }),
        candidates: async () => [],
        stationIds: async () => new Set(['gs0']),
      });
      schedulers.push(s);
      return s;
    };
    const a = make(),
      b = make();
    await a.boot();
    await b.boot();
    await b.boot();
    const js = await a.queues.plans.getJobSchedulers();
    expect(js).toHaveLength(1);
    expect(js[0]).toMatchObject({ pattern: '0 */6 * * *', tz: 'UTC' });
    expect(js[0]!.next! % (6 * 3_600_000)).toBe(0);
  });

  it('under a simulated clock the re-plan cron fires on simulated time and chains itself', async () => {
    // Every simulated minute = every real second at 60x.
    const t = setup({ cron: '* * * * *' });
    t.setCandidates(candidatesAt(t.clock.now() + 3_600_000, 4));
    const s = t.make();
    await s.boot();
    s.startWorkers({ planner: true });
    const cronDone = async () => (await s.queues.plans.getCompleted()).filter((j) => j.id?.startsWith('replan_cron_'));
    await waitFor(async () => (await cronDone()).length >= 2, 20_000, 'two cron re-plans');
    const done = await cronDone();
    for (const j of done) {
      const at = Number(j.id!.slice('replan_cron_'.length));
      expect(at % 60_000).toBe(0);
      // It started at its simulated cron time: not early, and late by at most 5 real s on a loaded machine
      // (300 simulated s at 60x; wall-time cron would be 6 real hours off).
      const simStarted = t.clock.now() - (Date.now() - j.processedOn!) * 60;
      expect(simStarted - at).toBeGreaterThan(-3_000);
      expect(simStarted - at).toBeLessThan(300_000);
    }
    expect(await s.queues.plans.getJobSchedulers()).toHaveLength(0);
  });
});
