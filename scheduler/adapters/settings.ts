/** The `scheduler` section of the config file (parsed by its owner, here). */
import { z } from 'zod';
import { PRESETS } from '../../src/core/presets/index.js';
import { DemandSchema } from '../domain/candidate.js';
import { ReplanWindowShape } from '../domain/replan-settings.js';
import type { TerminalPresetOf } from '../domain/yield-model.js';

const PresetIdSchema = z.string().refine((id) => PRESETS.some((p) => p.id === id), {
  message: `unknown preset (known: ${PRESETS.map((p) => p.id).join(', ')})`,
});

export const SchedulerSettingsSchema = z.object({
  ...ReplanWindowShape,
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
  preset: PresetIdSchema.default('micius-xinglong'),
  /**
   * Satellites that carry a QKD terminal: NORAD catalog number -> preset. Only these are planned
   * and run. When absent, every catalogued satellite is assumed to carry `preset`'s terminal.
   */
  terminals: z.record(z.string().regex(/^[0-9]{1,9}$/, 'a NORAD catalog number'), PresetIdSchema).optional(),
  demand: DemandSchema.default({ stations: {}, pairs: [] }),
});
export type SchedulerSettings = z.infer<typeof SchedulerSettingsSchema>;

/** The preset of each satellite's QKD terminal under these settings (undefined: none). */
export const terminalPresetOf =
  (settings: SchedulerSettings): TerminalPresetOf =>
  (noradId) =>
    settings.terminals ? settings.terminals[String(noradId)] : settings.preset;

export const gapsOf = (settings: SchedulerSettings) => ({
  stationSlewMs: settings.stationSlewSeconds * 1000,
  satelliteRetargetMs: settings.satelliteRetargetSeconds * 1000,
});
