/** The `scheduler` section of the config file (parsed by its owner, here). */
import { z } from 'zod';
import { DemandSchema } from '../domain/candidate.js';

export const SchedulerSettingsSchema = z.object({
  /** Re-plan cron, evaluated in UTC. */
  cron: z.string().default('0 */6 * * *'),
  horizonHours: z.number().positive().max(24 * 14).default(72),
  /** Bookings starting within this much of now are frozen (kept as they are). */
  frozenMinutes: z.number().nonnegative().default(30),
  leadSeconds: z.number().nonnegative().default(120),
  stationSlewSeconds: z.number().nonnegative().default(120),
  satelliteRetargetSeconds: z.number().nonnegative().default(60),
  /** A pass job firing later than this after AOS is stale: marked FAILED, not run. */
  staleToleranceSeconds: z.number().nonnegative().default(60),
  solver: z.enum(['exact', 'heuristic']).default('exact'),
  timeLimitSeconds: z.number().positive().max(600).default(10),
  concurrency: z.number().int().positive().default(8),
  lockDurationMs: z.number().int().positive().default(10_000),
  /** Preset for the per-pass yield model (src/core/presets). */
  preset: z.string().default('micius-xinglong'),
  demand: DemandSchema.default({ stations: {}, pairs: [] }),
});
export type SchedulerSettings = z.infer<typeof SchedulerSettingsSchema>;

export const gapsOf = (s: SchedulerSettings) => ({ stationSlewMs: s.stationSlewSeconds * 1000, satelliteRetargetMs: s.satelliteRetargetSeconds * 1000 });
