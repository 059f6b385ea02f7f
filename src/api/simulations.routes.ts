/**
 * Link and pass simulation routes: POST /v1/simulations/link, POST /v1/simulations/pass, GET /v1/presets.
 * The pass route takes a track in the body, or resolves one from (noradId, stationId, aos) through a
 * function-typed dependency, so src/api does not import the orbit/pass components.
 */
import { z } from 'zod';
import { LinkTables, linkBudget, normalisationOf, type LinkConfig } from '../core/channel/index.js';
import { QkdsatError } from '../core/errors.js';
import {
  simulatePass,
  type PassSimulation,
  type SimulateOptions,
  type SimulationSetup,
  type TrackSample,
} from '../core/keyrate/index.js';
import { findPreset, PRESETS, type Preset } from '../core/presets/index.js';
import type { Api } from './route.js';
import {
  KeyResultSchema,
  LinkBudgetSchema,
  LinkConfigSchema,
  ProtocolFileSchema,
  ProtocolShape,
  resolveProtocol,
  TrackSampleSchema,
  trackFromWire,
} from './simulations.schemas.js';
import { DEG } from '../core/units.js';

export interface SimulationDeps {
  /** Samples (1 s steps) of the pass of `noradId` over `stationId` starting at `aosMs`; throws NOT_FOUND if none. */
  resolveTrack?: (q: { noradId: number; stationId: string; aosMs: number }) => Promise<ResolvedTrack> | ResolvedTrack;
  /** Runs the pass simulation (the API process: in its compute thread pool); default inline. */
  simulate?: (q: { track: TrackSample[]; setup: SimulationSetup; options: SimulateOptions }) => Promise<PassSimulation>;
}

/** A catalog pass's track, with the epoch of the element set it was predicted from. */
export type ResolvedTrack = TrackSample[] | { track: TrackSample[]; elementSetEpochMs: number; staleDays?: number };

const MAX_TRACK = 4 * 3600;

const SkySchema = z.object({
  sunElevationDeg: z.number().min(-90).max(90),
  moonElevationDeg: z.number().min(-90).max(90).optional(),
  moonSeparationDeg: z.number().min(0).max(180).optional(),
  moonIlluminatedFraction: z.number().min(0).max(1).optional(),
});

const LinkRequestSchema = z
  .object({
    preset: z.string().optional(),
    config: LinkConfigSchema.optional(),
    rangeKm: z.number().positive().max(1e6),
    elevationDeg: z.number().gt(0).max(90),
    sky: SkySchema.optional(),
  })
  .refine((b) => (b.preset === undefined) !== (b.config === undefined), {
    message: 'give exactly one of preset or config',
    path: ['preset'],
  });

const PassRequestSchema = z
  .object({
    preset: z.string(),
    /** Overrides the preset's link. */
    link: LinkConfigSchema.optional(),
    /** Protocol fields and pass options (window, minElevationDeg, excessLossDb, optimise) over the preset's. */
    protocol: ProtocolFileSchema.optional(),
    track: z.array(TrackSampleSchema).min(1).max(MAX_TRACK).optional(),
    noradId: z.number().int().positive().optional(),
    stationId: z.string().min(1).optional(),
    aos: z.iso.datetime({ offset: true }).optional(),
    monteCarlo: z
      .object({
        draws: z.number().int().min(1).max(1000),
        seed: z.number().int(),
        turbulence: z.boolean().optional(),
        cloud: z
          .object({ probability: z.number().min(0).max(1), transmittance: z.number().min(0).max(1).optional() })
          .optional(),
      })
      .optional(),
    includeSamples: z.boolean().optional(),
  })
  .refine(
    (b) => b.track !== undefined || (b.noradId !== undefined && b.stationId !== undefined && b.aos !== undefined),
    { message: 'give a track, or noradId, stationId and aos', path: ['track'] },
  );

const SpreadSchema = z.object({ mean: z.number(), std: z.number(), p10: z.number(), p50: z.number(), p90: z.number() });
const PassResponseSchema = z.object({
  key: KeyResultSchema,
  siftedBits: z.number(),
  durationS: z.number(),
  stepS: z.number(),
  minLossDb: z.number(),
  /** What the link's geometric term is relative to (docs/physics.md §2.3). */
  normalisation: z.enum(['emitted', 'transmitted']),
  monteCarlo: z
    .object({ secureKeyBits: SpreadSchema, siftedBits: SpreadSchema, draws: z.number(), seed: z.number() })
    .optional(),
  samples: z
    .array(
      z.object({
        tMs: z.number(),
        rangeKm: z.number(),
        elevationDeg: z.number(),
        budget: LinkBudgetSchema,
        siftedRateHz: z.number(),
      }),
    )
    .optional(),
  elementSetEpoch: z.string().optional().describe('pass from the catalog: epoch of the element set used'),
  epochAgeDays: z.number().optional().describe('AOS minus that epoch, days'),
  stale: z.boolean().optional().describe('|epochAgeDays| > tle.staleDays'),
});

const PresetSchema = z.object({
  id: z.string(),
  name: z.string(),
  description: z.string(),
  satelliteAltitudeKm: z.number(),
  minElevationDeg: z.number(),
  link: z.record(z.string(), z.unknown()),
  protocol: z.object(ProtocolShape),
  sources: z.record(z.string(), z.string()),
});

function presetOrThrow(id: string, path: string): Preset {
  const p = findPreset(id);
  if (!p)
    throw new QkdsatError(
      'VALIDATION',
      `${path}: unknown preset '${id}' (known: ${PRESETS.map((x) => x.id).join(', ')})`,
      [{ path: path.split('.'), message: 'unknown preset' }],
    );
  return p;
}

export function registerSimulationRoutes(api: Api, deps: SimulationDeps = {}): void {
  // Link tables of this process's in-process budgets and simulations (the compute threads keep theirs).
  const tables = new LinkTables();
  api.route({
    // Read-only computations (nothing is stored): role viewer, like the reads.
    method: 'post',
    path: '/v1/simulations/link',
    tags: ['simulations'],
    role: 'viewer',
    summary: 'Link budget at one range and elevation (every term as positive dB)',
    body: LinkRequestSchema,
    response: z.object({ budget: LinkBudgetSchema }),
    handler: ({ body }) => {
      const config: LinkConfig =
        body.preset !== undefined ? presetOrThrow(body.preset, 'body.preset').link : (body.config as LinkConfig);
      const sky = body.sky && {
        sunElevationRad: body.sky.sunElevationDeg * DEG,
        ...(body.sky.moonElevationDeg !== undefined ? { moonElevationRad: body.sky.moonElevationDeg * DEG } : {}),
        ...(body.sky.moonSeparationDeg !== undefined ? { moonSeparationRad: body.sky.moonSeparationDeg * DEG } : {}),
        ...(body.sky.moonIlluminatedFraction !== undefined
          ? { moonIlluminatedFraction: body.sky.moonIlluminatedFraction }
          : {}),
      };
      return {
        budget: linkBudget(
          config,
          {
            rangeKm: body.rangeKm,
            elevationRad: body.elevationDeg * DEG,
            ...(sky ? { sky } : {}),
          },
          { tables },
        ),
      };
    },
  });

  api.route({
    method: 'post',
    path: '/v1/simulations/pass',
    tags: ['simulations'],
    role: 'viewer',
    errors: [404, 422, 503],
    summary: 'Per-second link budget and whole-pass finite key (optionally optimised; seeded Monte-Carlo spread)',
    body: PassRequestSchema,
    response: PassResponseSchema,
    handler: async ({ body }) => {
      const preset = presetOrThrow(body.preset, 'body.preset');
      const { protocol, options } = resolveProtocol(body.protocol ?? {}, preset.protocol);
      let track: TrackSample[];
      let age: { elementSetEpoch: string; epochAgeDays: number; stale: boolean } | undefined;
      if (body.track) track = body.track.map(trackFromWire);
      else {
        if (!deps.resolveTrack)
          throw new QkdsatError('UNAVAILABLE', 'pass lookup by noradId/stationId/aos is not configured; send a track');
        const resolved = await deps.resolveTrack({
          noradId: body.noradId!,
          stationId: body.stationId!,
          aosMs: Date.parse(body.aos!),
        });
        if (Array.isArray(resolved)) track = resolved;
        else {
          track = resolved.track;
          const days = ((track[0]?.tMs ?? Date.parse(body.aos!)) - resolved.elementSetEpochMs) / 86_400_000;
          age = {
            elementSetEpoch: new Date(resolved.elementSetEpochMs).toISOString(),
            epochAgeDays: Math.round(days * 1000) / 1000,
            stale: Math.abs(days) > (resolved.staleDays ?? 14),
          };
        }
      }
      for (let i = 1; i < track.length; i++) {
        if (!(track[i]!.tMs > track[i - 1]!.tMs))
          throw new QkdsatError('VALIDATION', `body.track.${i}.tMs: samples must be strictly increasing in time`, [
            { path: ['body', 'track', i, 'tMs'], message: 'not increasing' },
          ]);
      }
      const setup = {
        link: (body.link as LinkConfig | undefined) ?? preset.link,
        protocol,
        minElevationDeg: (options.minElevationRad * 180) / Math.PI,
      };
      const simOptions: SimulateOptions = {
        window: options.window,
        optimise: options.optimise,
        excessLossDb: options.excessLossDb,
        ...(body.monteCarlo ? { monteCarlo: body.monteCarlo } : {}),
        includeSamples: body.includeSamples ?? false,
      };
      const sim = deps.simulate
        ? await deps.simulate({ track, setup, options: simOptions })
        : simulatePass(track, setup, { ...simOptions, tables });
      const { rawKeyBits: _raw, ...key } = sim.key;
      return {
        key: {
          ...key,
          window: {
            startS: Number.isFinite(key.window.startS) ? key.window.startS : null,
            endS: Number.isFinite(key.window.endS) ? key.window.endS : null,
            slots: key.window.slots,
          },
        },
        siftedBits: sim.siftedBits,
        durationS: sim.durationS,
        stepS: sim.stepS,
        minLossDb: sim.minLossDb,
        normalisation: normalisationOf(setup.link),
        ...(sim.monteCarlo ? { monteCarlo: sim.monteCarlo } : {}),
        ...(age ?? {}),
        ...(sim.samples
          ? {
              samples: sim.samples.map((s) => ({
                tMs: s.tMs,
                rangeKm: s.rangeKm,
                elevationDeg: s.elevationRad / DEG,
                budget: s.budget,
                siftedRateHz: s.siftedRateHz,
              })),
            }
          : {}),
      };
    },
  });

  api.route({
    method: 'get',
    path: '/v1/presets',
    tags: ['simulations'],
    summary: 'Built-in presets (payload + station + protocol) with the source of every value',
    response: z.object({ presets: z.array(PresetSchema) }),
    handler: () => ({ presets: PRESETS.map((p) => ({ ...p, link: p.link as unknown as Record<string, unknown> })) }),
  });
}
