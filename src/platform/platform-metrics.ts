/**
 * Scrape-time platform metrics of the API process:
 *   qkdsat_queue_jobs{queue,state}       BullMQ job counts (waiting, delayed, active, failed,
 *                                        prioritized, waiting-children)
 *   qkdsat_redis_roundtrip_seconds       one PING's round trip, measured at each scrape
 */
import type { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { scrapeGauge } from './metrics.js';

const STATES = ['waiting', 'delayed', 'active', 'failed', 'prioritized', 'waiting-children'] as const;

export function registerPlatformMetrics(redis: Redis, queues: Queue[]): void {
  scrapeGauge('qkdsat_queue_jobs', 'BullMQ jobs per queue and state', ['queue', 'state'], async (g) => {
    const counts = await Promise.all(queues.map((q) => q.getJobCounts(...STATES)));
    g.reset();
    queues.forEach((q, i) => {
      for (const s of STATES) g.set({ queue: q.name, state: s }, counts[i]![s] ?? 0);
    });
  });
  scrapeGauge(
    'qkdsat_redis_roundtrip_seconds',
    'Round trip of one Redis PING from this process, measured at scrape',
    [],
    async (g) => {
      const t = process.hrtime.bigint();
      await redis.ping();
      g.set(Number(process.hrtime.bigint() - t) / 1e9);
    },
  );
}
