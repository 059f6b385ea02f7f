/**
 * Wire shapes (zod) for link budgets, key-rate protocols and pass simulations, shared by the REST
 * routes (simulations.routes.ts) and the CLI verbs (keyrate, link). Degrees on the wire, radians inside.
 */
import { z } from 'zod';
import { QkdsatError } from '../core/errors.js';
import { protocolIssues, type Protocol } from '../core/keyrate/index.js';
import { DEG } from '../core/units.js';

const prob = z.number().min(0).max(1);
const pos = z.number().positive();

const ErrorCorrectionSchema = z.union([
  z.object({ method: z.literal('fixed-efficiency'), efficiency: z.number().min(1) }),
  z.object({ method: z.literal('finite-block'), efficiency: z.number().min(1).optional() }),
]);

export const ProtocolShape = {
  repetitionRateHz: pos,
  basisProbabilityX: z.number().gt(0).lt(1),
  intensities: z.tuple([z.number().min(0), z.number().min(0), z.number().min(0)]),
  intensityProbabilities: z.tuple([prob, prob, prob]),
  extraneousCountProbability: z.number().min(0).lt(0.5),
  afterpulseProbability: prob,
  intrinsicQber: z.number().min(0).lt(0.5),
  epsilonCorrectness: z.number().gt(0).lt(1),
  epsilonSecrecy: z.number().gt(0).lt(1),
  errorCorrection: ErrorCorrectionSchema,
  statistics: z.enum(['chernoff', 'hoeffding', 'asymptotic']),
  errorModel: z.enum(['per-intensity', 'mean']).optional(),
};

const PassOptionsShape = {
  window: z.union([z.object({ halfWidthS: z.number().int().min(0) }), z.literal('optimal')]),
  minElevationDeg: z.number().min(0).max(90),
  /** Extra loss added to every slot (dB, >= 0). */
  excessLossDb: z.number().min(0).max(100),
  optimise: z.boolean(),
};

/** The `--protocol` file / request body: protocol plus pass options; every field optional (defaults apply). */
export const ProtocolFileSchema = z
  .object({ ...ProtocolShape, ...PassOptionsShape })
  .partial()
  .strict();
export type ProtocolFile = z.infer<typeof ProtocolFileSchema>;

/** Elevation-dependent extras a calibration fits (docs/physics.md §2.5). */
const AtmosphereExtrasShape = { aerosolOpticalDepth: z.number().min(0).max(10).optional() };
const SecLawSchema = z.object({
  model: z.literal('sec-law'),
  zenithTransmittance: z.number().gt(0).max(1),
  airmassExponent: z.number().min(0.2).max(3).optional(),
  ...AtmosphereExtrasShape,
});

const TableInlineSchema = z.object({
  model: z.literal('table'),
  ...AtmosphereExtrasShape,
  table: z
    .object({ elevationDeg: z.array(z.number()).min(2), transmittance: z.array(prob).min(2) })
    .refine(
      (t) => t.elevationDeg.length === t.transmittance.length,
      'elevationDeg and transmittance must have equal lengths',
    ),
});

const LinkConfigShape = {
  wavelengthNm: z.number().min(200).max(3000),
  direction: z.enum(['downlink', 'uplink']).optional(),
  transmitter: z.object({
    apertureRadiusM: pos,
    beamWaistM: pos.optional(),
    divergenceHalfAngleRad: pos.optional(),
    pointingJitterRad: z.number().min(0),
    opticsEfficiency: z.number().gt(0).max(1),
    normalisation: z.enum(['emitted', 'transmitted']).optional(),
  }),
  receiver: z.object({
    apertureRadiusM: pos,
    opticsEfficiency: z.number().gt(0).max(1),
    altitudeM: z.number().min(-500).max(9000),
    fieldOfViewRad: pos.optional(),
    filterBandwidthNm: pos.optional(),
  }),
  systemLossDb: z.number().min(0),
  detector: z.object({
    efficiency: z.number().gt(0).max(1),
    darkCountRateHz: z.number().min(0).optional(),
    count: z.number().int().min(1).optional(),
    gateWidthS: pos.optional(),
    deadTimeS: z.number().min(0).optional(),
  }),
  turbulence: z
    .object({
      model: z.literal('hufnagel-valley'),
      groundCn2M23: z.number().min(0).optional(),
      rmsWindSpeedMs: z.number().min(0).optional(),
    })
    .optional(),
  /** Written by `qkdsat calibrate --out` / POST /v1/calibrations: the data the link was fitted to. */
  calibration: z
    .object({
      data: z.string(),
      rows: z.number().int().min(1),
      fitted: z.record(z.string(), z.object({ value: z.number(), standardError: z.number() })),
      rmsResidualDb: z.number(),
      chiSquare: z.number(),
      degreesOfFreedom: z.number(),
    })
    .optional(),
};

/** REST link config: the atmosphere is sec-law or an inline elevation table. */
export const LinkConfigSchema = z
  .object({
    ...LinkConfigShape,
    atmosphere: z.union([SecLawSchema, TableInlineSchema]),
  })
  .meta({ id: 'LinkConfig' });

/** CLI config file: the atmosphere table may also be a MODTRAN-layout file (path relative to the config). */
export const LinkConfigFileSchema = z.object({
  ...LinkConfigShape,
  atmosphere: z.union([
    SecLawSchema,
    z.object({
      model: z.literal('table'),
      file: z.string().min(1),
      wavelengthNm: z.number().positive(),
      ...AtmosphereExtrasShape,
    }),
    TableInlineSchema,
  ]),
});

export const LinkBudgetSchema = z
  .object({
    geometricDb: z.number(),
    truncationDb: z.number(),
    atmosphereDb: z.number(),
    pointingDb: z.number(),
    turbulenceDb: z.number(),
    opticsDb: z.number(),
    systemDb: z.number(),
    detectorDb: z.number(),
    channelDb: z.number(),
    totalDb: z.number(),
    efficiency: z.number(),
    normalisation: z.enum(['emitted', 'transmitted']),
    scintillationIndex: z.number(),
    beamRadiusM: z.number(),
    darkCountRateHz: z.number(),
    backgroundCountRateHz: z.number(),
    skyRadianceWm2SrNm: z.number(),
    extraneousCountProbability: z.number(),
  })
  .meta({ id: 'LinkBudget' });

export const TrackSampleSchema = z.object({
  tMs: z.number(),
  rangeKm: pos,
  elevationDeg: z.number().min(-90).max(90),
  sunElevationDeg: z.number().min(-90).max(90).optional(),
  moonElevationDeg: z.number().min(-90).max(90).optional(),
  moonSeparationDeg: z.number().min(0).max(180).optional(),
  moonIlluminatedFraction: prob.optional(),
});

export const KeyResultSchema = z.object({
  secureKeyBits: z.number(),
  qberX: z.number(),
  phaseErrorX: z.number(),
  nX: z.number(),
  nZ: z.number(),
  mX: z.number(),
  mZ: z.number(),
  lambdaEcBits: z.number(),
  sX0: z.number(),
  sX1: z.number(),
  sZ0: z.number(),
  sZ1: z.number(),
  vZ1: z.number(),
  window: z.object({ startS: z.number().nullable(), endS: z.number().nullable(), slots: z.number() }),
  protocol: z.object(ProtocolShape),
  optimisation: z.object({ evaluations: z.number(), timeMs: z.number().optional() }).optional(),
});

export const trackFromWire = (sample: z.infer<typeof TrackSampleSchema>) => ({
  tMs: sample.tMs,
  rangeKm: sample.rangeKm,
  elevationRad: sample.elevationDeg * DEG,
  ...(sample.sunElevationDeg !== undefined ? { sunElevationRad: sample.sunElevationDeg * DEG } : {}),
  ...(sample.moonElevationDeg !== undefined ? { moonElevationRad: sample.moonElevationDeg * DEG } : {}),
  ...(sample.moonSeparationDeg !== undefined ? { moonSeparationRad: sample.moonSeparationDeg * DEG } : {}),
  ...(sample.moonIlluminatedFraction !== undefined ? { moonIlluminatedFraction: sample.moonIlluminatedFraction } : {}),
});

/** JSON-safe key result: NaN window bounds (empty window) become null. */
export function keyResultToWire<
  T extends { window: { startS: number; endS: number; slots: number }; rawKeyBits?: number; protocol: Protocol },
>(result: T) {
  const { rawKeyBits: _raw, ...rest } = result;
  return {
    ...rest,
    window: {
      startS: Number.isFinite(result.window.startS) ? result.window.startS : null,
      endS: Number.isFinite(result.window.endS) ? result.window.endS : null,
      slots: result.window.slots,
    },
  };
}

/** Pass options used when a protocol file or body leaves them out. */
const DEFAULT_PASS_OPTIONS = {
  window: 'optimal' as const,
  minElevationDeg: 10,
  excessLossDb: 0,
  optimise: false,
};

/**
 * Merges a protocol file/body over a base protocol (a preset's, or SatQuMA's defaults) and checks the
 * result (probabilities summing to 1, μ1 > μ2 + μ3, ...). Throws VALIDATION naming the field.
 */
export function resolveProtocol(
  file: ProtocolFile,
  base: Protocol,
): {
  protocol: Protocol;
  options: {
    window: { halfWidthS: number } | 'optimal';
    minElevationRad: number;
    excessLossDb: number;
    optimise: boolean;
  };
} {
  const { window, minElevationDeg, excessLossDb, optimise, ...rest } = file;
  const protocol: Protocol = { ...base, ...(rest as Partial<Protocol>) };
  const issues = protocolIssues(protocol);
  if (issues.length)
    throw new QkdsatError(
      'VALIDATION',
      `protocol.${issues[0]!.path.join('.')}: ${issues[0]!.message}`,
      issues.map((i) => ({ ...i, path: ['protocol', ...i.path] })),
    );
  return {
    protocol,
    options: {
      window: window ?? DEFAULT_PASS_OPTIONS.window,
      minElevationRad: ((minElevationDeg ?? DEFAULT_PASS_OPTIONS.minElevationDeg) * Math.PI) / 180,
      excessLossDb: excessLossDb ?? DEFAULT_PASS_OPTIONS.excessLossDb,
      optimise: optimise ?? DEFAULT_PASS_OPTIONS.optimise,
    },
  };
}
