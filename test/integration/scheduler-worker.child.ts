/**
 * A pass-worker process for the integration tests: runs the scheduler's pass workers on a test
 * prefix with an anchored simulated clock, and a sink that counts deposits per pass in Redis.
 * env: PREFIX, SIM_START, WALL_ANCHOR, SETTINGS (JSON)
 */
import { createRedis } from '../../src/platform/redis.js';
import { anchoredClock, REDIS_URL, testSettings, testScheduler } from './scheduler-harness.js';

const prefix = process.env.PREFIX!;
const redis = createRedis(REDIS_URL, 'command');
const clock = anchoredClock(Number(process.env.SIM_START), Number(process.env.WALL_ANCHOR));
const scheduler = testScheduler({
  redis,
  prefix,
  clock,
  settings: testSettings(JSON.parse(process.env.SETTINGS ?? '{}')),
  candidates: async () => [],
  stationIds: async () => new Set(),
  sink: {
    deposit: async (stationId, noradId, bits, meta) => {
      await redis.incr(`${prefix}:test:deposits:${meta?.passId}`);
      await redis.rpush(`${prefix}:test:log`, `${process.pid} ${meta?.passId} ${bits}`);
      return { blockId: `blk_${meta?.passId}` };
    },
  },
});
const { workers } = scheduler.startWorkers({ planner: false });
// Ready means connected and polling, so the race starts with every worker able to take jobs.
await Promise.all(workers.map((w) => w.waitUntilReady()));
await redis.rpush(`${prefix}:test:ready`, String(process.pid));
const stop = async () => {
  await scheduler.close();
  await redis.quit();
  process.exit(0);
};
process.on('SIGTERM', () => void stop());
