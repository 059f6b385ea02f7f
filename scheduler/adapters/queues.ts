/**
 * BullMQ wiring: queue names and job ids without ':', a prefix carrying a Redis Cluster hash tag,
 * the re-planning job scheduler (cron in UTC, upserted at every boot, so restarts never duplicate
 * it) and the pass jobs (delayed to fire `leadMs` before AOS, delays converted through the clock).
 */
import { Queue, type ConnectionOptions, type JobsOptions } from 'bullmq';
import { CronExpressionParser } from 'cron-parser';
import type { Clock } from '../../src/platform/clock.js';
import type { Booking } from '../domain/booking.js';
import type { Demand } from '../domain/candidate.js';

export const PASS_QUEUE = 'sched_passes';
export const PLAN_QUEUE = 'sched_plans';
const REPLAN_SCHEDULER_ID = 'replan_rolling';

export interface PassJobData {
  bookingId: string;
}
export interface PlanJobData {
  reason: string;
  cronAtMs?: number;
  planId?: string;
  fromMs?: number;
  horizonHours?: number;
  solver?: 'exact' | 'heuristic';
  timeLimitS?: number;
  demand?: Demand;
}

export function createQueues(connection: ConnectionOptions, prefix: string) {
  return {
    passes: new Queue<PassJobData>(PASS_QUEUE, { connection, prefix }),
    plans: new Queue<PlanJobData>(PLAN_QUEUE, { connection, prefix }),
  };
}

/**
 * Retries outlast a Redis outage (~4 min in all: 0.5 s doubling, 10 attempts): the soak found 3 retries
 * 1 s apart all spent inside one 3 s Redis pause, leaving the booking SCHEDULED forever with no
 * reason. A retry after the pass is over marks the booking FAILED as stale, with its reason.
 */
const PASS_JOB: JobsOptions = {
  attempts: 10,
  backoff: { type: 'exponential', delay: 500 },
  removeOnComplete: { age: 7 * 86_400 },
  removeOnFail: { age: 14 * 86_400 },
};

/** Delayed pass job with the booking's deterministic id; adding it twice is a no-op. */
export async function enqueuePass(
  passes: Queue<PassJobData>,
  clock: Clock,
  booking: Pick<Booking, 'id' | 'startMs'>,
  leadMs: number,
): Promise<void> {
  await passes.add(
    'pass',
    { bookingId: booking.id },
    { ...PASS_JOB, jobId: booking.id, delay: Math.round(clock.toRealDelayMs(booking.startMs - leadMs)) },
  );
}

/** Removes a pass job that has not started (superseded or cancelled booking). */
export async function dropPass(passes: Queue<PassJobData>, id: string): Promise<void> {
  const job = await passes.getJob(id);
  if (job && ((await job.isDelayed()) || (await job.isWaiting()))) await job.remove().catch(() => undefined);
}

/**
 * The rolling re-plan; safe at every boot and from any number of processes. On the real clock it is
 * a BullMQ job scheduler (cron in UTC). BullMQ evaluates cron on wall time, which under a simulated
 * clock would re-plan every 6 real hours while the demo runs 60x; so there the next cron time is
 * computed in simulated time and added as one delayed job with a deterministic id, and each such
 * job, when it runs, adds the next (`scheduleNextSimulatedReplan`).
 */
export async function upsertReplanScheduler(
  plans: Queue<PlanJobData>,
  clock: Clock,
  cron: string,
  horizonHours: number,
): Promise<void> {
  if (clock.kind === 'real') {
    await plans.upsertJobScheduler(
      REPLAN_SCHEDULER_ID,
      { pattern: cron, tz: 'UTC' },
      { name: 'replan', data: { reason: 'cron', horizonHours } },
    );
    return;
  }
  await plans.removeJobScheduler(REPLAN_SCHEDULER_ID);
  await scheduleNextSimulatedReplan(plans, clock, cron, horizonHours, clock.now());
}

/** The first cron time strictly after `afterMs` (UTC). */
export const nextCronMs = (cron: string, afterMs: number): number =>
  CronExpressionParser.parse(cron, { currentDate: new Date(afterMs), tz: 'UTC' })
    .next()
    .getTime();

/**
 * Adds the re-plan at the next cron time after `afterMs` in the clock's time (job id
 * `replan_cron_<ms>`: added once).
 */
export async function scheduleNextSimulatedReplan(
  plans: Queue<PlanJobData>,
  clock: Clock,
  cron: string,
  horizonHours: number,
  afterMs: number,
): Promise<number> {
  const at = nextCronMs(cron, afterMs);
  await plans.add(
    'replan',
    { reason: 'cron', cronAtMs: at, horizonHours },
    {
      jobId: `replan_cron_${at}`,
      delay: Math.round(clock.toRealDelayMs(at)),
      removeOnComplete: { age: 86_400 },
      removeOnFail: { age: 86_400 },
    },
  );
  return at;
}

/** Re-plan now because new element sets arrived (deduplicated per TLE epoch batch). */
export async function requestReplan(plans: Queue<PlanJobData>, reason: string, key: string): Promise<void> {
  await plans.add(
    'replan',
    { reason },
    {
      jobId: `replan_${key.replace(/[^A-Za-z0-9_-]/g, '_')}`,
      removeOnComplete: { age: 3600 },
      removeOnFail: { age: 86_400 },
    },
  );
}
