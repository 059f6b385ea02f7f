/**
 * The network simulation's config file (`qkdsat network simulate --config FILE`, and the body of
 * `POST /v1/network-simulations`): stations, satellites with their QKD terminal (preset, onboard key
 * buffer, key lifetime), optional Walker-delta what-if constellations, demand as bits per day,
 * re-planning like the service's scheduler, weather persistence and forecast skill, ground key
 * lifetime. File paths are relative to the config file.
 */
import { z } from 'zod';
import { PRESETS } from '../../src/core/presets/index.js';
import { StationSchema } from '../../tle/domain/index.js';
import { ReplanWindowShape } from '../../scheduler/domain/replan-settings.js';

const PresetId = z.string().refine((id) => PRESETS.some((p) => p.id === id), {
  message: `unknown preset (known: ${PRESETS.map((p) => p.id).join(', ')})`,
});

const TerminalSchema = z.object({
  /** Preset of the terminal's payload/protocol for the yield model (src/core/presets). */
  preset: PresetId.default('micius-xinglong'),
  /** Onboard key buffer, bits: key shared with ground stations held between passes. */
  bufferBits: z.number().positive().default(1e9),
  /** Onboard key older than this is discarded (security lifetime of stored key). */
  keyLifetimeHours: z
    .number()
    .positive()
    .default(30 * 24),
});
export type Terminal = z.infer<typeof TerminalSchema>;

const SatelliteRefSchema = TerminalSchema.extend({
  /**
   * A catalogued satellite (from `tleFiles`) or one of the constellation presets (`preset` ids in constellations.ts).
   */
  noradId: z.number().int().positive().optional(),
  constellationPreset: z.string().optional(),
}).refine((s) => (s.noradId === undefined) !== (s.constellationPreset === undefined), {
  message: 'give exactly one of noradId or constellationPreset',
});

const WalkerSchema = TerminalSchema.extend({
  /** Walker-delta pattern `i:t/p/f`: inclination deg, total satellites, planes, phasing. */
  pattern: z.string().regex(/^\d+(\.\d+)?:\d+\/\d+\/\d+$/, 'i:t/p/f, e.g. 53:24/6/1'),
  altitudeKm: z.number().min(200).max(2000),
  /** Synthetic catalog numbers start here (what-if satellites have no NORAD number). */
  firstNoradId: z.number().int().positive().default(900_001),
});

export const NetworkConfigSchema = z
  .object({
    /** Stations: a file (StationListSchema) or inline. */
    stationsFile: z.string().optional(),
    stations: z.array(StationSchema).optional(),
    /** Element sets (TLE/OMM, detected) for `satellites[].noradId`. */
    tleFiles: z.array(z.string()).default([]),
    satellites: z.array(SatelliteRefSchema).default([]),
    walker: z.array(WalkerSchema).default([]),
    /**
     * Monthly clear-night probabilities: 'demo' = network/data/climatology.json (cited), 'stations' = each station's
     * clearSky.
     */
    climatology: z
      .union([z.enum(['demo', 'stations']), z.record(z.string(), z.array(z.number().min(0).max(1)).length(12))])
      .default('demo'),
    scheduler: z
      .object({
        ...ReplanWindowShape,
        stationSlewSeconds: z.number().nonnegative().default(120),
        satelliteRetargetSeconds: z.number().nonnegative().default(60),
        timeLimitSeconds: z.number().positive().max(600).default(2),
      })
      .default({
        cron: '0 */6 * * *',
        horizonHours: 72,
        frozenMinutes: 30,
        stationSlewSeconds: 120,
        satelliteRetargetSeconds: 60,
        timeLimitSeconds: 2,
      }),
    demand: z.object({
      pairs: z.array(z.object({ a: z.string(), b: z.string(), bitsPerDay: z.number().positive() })).default([]),
      stations: z.record(z.string(), z.number().positive()).default({}),
    }),
    weather: z
      .object({
        /** Lag-one (night-to-night) correlation of clear/cloudy at a station, in [0, 1). */
        persistence: z.number().min(0).max(0.99).default(0.35),
        /** Forecast skill at zero lead, in [0, 1]: 1 = the forecast is the realised weather. */
        forecastSkill: z.number().min(0).max(1).default(0.8),
        /** Skill decays as exp(-lead / skillDecayHours). */
        skillDecayHours: z.number().positive().default(48),
      })
      .default({ persistence: 0.35, forecastSkill: 0.8, skillDecayHours: 48 }),
    keys: z
      .object({
        /** Relayed pair key at the ground expires after this. */
        groundLifetimeHours: z
          .number()
          .positive()
          .default(7 * 24),
        /** Relay tops a pair's ground pool up to this many days of its demand. */
        targetDays: z.number().positive().default(7),
      })
      .default({ groundLifetimeHours: 168, targetDays: 7 }),
    robust: z
      .object({
        /** Weather scenarios per re-plan for `--planning robust`. */
        scenarios: z.number().int().min(2).max(64).default(8),
        /** CVaR level: the plan is chosen by the mean worst-pair fraction over this worst share of scenarios. */
        cvarFraction: z.number().gt(0).max(1).default(0.25),
      })
      .default({ scenarios: 8, cvarFraction: 0.25 }),
  })
  .refine((c) => c.stationsFile !== undefined || c.stations !== undefined, {
    message: 'give stationsFile or stations',
    path: ['stations'],
  });
export type NetworkConfig = z.infer<typeof NetworkConfigSchema>;

export const PlanningSchema = z.enum(['expected', 'robust']);
export type Planning = z.infer<typeof PlanningSchema>;
