/**
 * The scheduler's BullMQ workers: passes (time-critical; lockDuration ~10 s so a killed worker's
 * pass is taken over quickly) and plans (re-plans from the cron job scheduler or on new TLEs).
 */
import { Worker, type ConnectionOptions } from 'bullmq';
import { withLogContext } from '../../src/platform/log-context.js';
import { passProcessor, type PassProcessorDeps } from './pass.processor.js';
import { replan, type PlannerDeps } from './planner.service.js';
import { PASS_QUEUE, PLAN_QUEUE, type PassJobData, type PlanJobData } from './queues.js';

export interface SchedulerWorkerDeps {
  connection: ConnectionOptions;
  prefix: string;
  pass: PassProcessorDeps;
  /** When absent, this process runs passes only. */
  planner?: PlannerDeps;
  /** Called when a simulated-clock cron re-plan (see queues.ts) starts, with its cron time, to add the next. */
  onCronPlan?: (cronAtMs: number) => Promise<unknown>;
}

export function startSchedulerWorkers(deps: SchedulerWorkerDeps): { close: () => Promise<void>; workers: Worker[] } {
  const s = deps.pass.settings;
  const runPass = passProcessor(deps.pass);
  // Each job runs in its log context: every line it logs carries its jobId and queue.
  const passes = new Worker<PassJobData>(
    PASS_QUEUE,
    (job) => withLogContext({ jobId: String(job.id), queue: PASS_QUEUE }, () => runPass(job)),
    {
      connection: deps.connection,
      prefix: deps.prefix,
      concurrency: s.concurrency,
      lockDuration: s.lockDurationMs,
      stalledInterval: Math.max(1000, Math.round(s.lockDurationMs / 2)),
      maxStalledCount: 2,
    },
  );
  const workers: Worker[] = [passes];
  if (deps.planner) {
    const planner = deps.planner;
    workers.push(
      new Worker<PlanJobData>(
        PLAN_QUEUE,
        async (job) =>
          withLogContext({ jobId: String(job.id), queue: PLAN_QUEUE }, async () => {
            const { reason: _reason, cronAtMs, ...req } = job.data;
            // Chain first, so a failing plan does not end the simulated cron.
            if (cronAtMs !== undefined) await deps.onCronPlan?.(cronAtMs);
            const stored = await replan(planner, req);
            return { planId: stored.id, booked: stored.booked, superseded: stored.superseded };
          }),
        // Planning is CPU-bound (pass finding, MILP): a long lock so a busy event loop is not taken for a dead worker.
        {
          connection: deps.connection,
          prefix: deps.prefix,
          concurrency: 1,
          lockDuration: 15 * 60_000,
          maxStalledCount: 1,
        },
      ),
    );
  }
  for (const w of workers)
    w.on('failed', (job, err) =>
      deps.pass.logger.warn({ queue: w.name, jobId: job?.id, err: err.message }, 'job failed'),
    );
  return {
    workers,
    close: async () => {
      await Promise.all(workers.map((w) => w.close()));
    },
  };
}
