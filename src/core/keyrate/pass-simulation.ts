/**
 * Pass simulation: per-sample link budget -> per-slot η and P_ec -> finite key for the whole pass
 * (Lim 2014, once per pass), with optional seeded Monte-Carlo draws for turbulence fading and cloud.
 * `passYield` is the lean scorer used by the scheduler (fixed protocol, elevation-mask window).
 */
import { LinkTables, linkBudget, linkFactors, newLinkFactors } from '../channel/link-budget.js';
import { spread, type Spread } from './spread.js';
import type { LinkBudget, LinkConfig } from '../channel/types.js';
import { countPrefixSums, windowCounts, type SlotChannel } from './detection.js';
import { finiteKeyLength } from './finite-key.js';
import { passKey, type PassKeyResult } from './pass-key.js';
import type { Protocol } from './protocol.js';
import { mulberry32, normal } from './random.js';
import { centreIndex, elevationWindow } from './window.js';

/** One sample of a pass track (structurally a subset of src/core/passes TrackSample). */
export interface TrackSample {
  tMs: number;
  rangeKm: number;
  elevationRad: number;
  sunElevationRad?: number;
  moonElevationRad?: number;
  moonSeparationRad?: number;
  moonIlluminatedFraction?: number;
}

/** What a simulation needs from a preset (a Preset satisfies it). */
export interface SimulationSetup {
  link: LinkConfig;
  protocol: Protocol;
  minElevationDeg: number;
}

export interface MonteCarloOptions {
  draws: number;
  seed: number;
  /** Lognormal fading per slot with the link's aperture-averaged scintillation index (default true). */
  turbulence?: boolean;
  /** Probability that a draw's pass is clouded out; `transmittance` applies then (default 0). */
  cloud?: { probability: number; transmittance?: number };
}

export interface SimulateOptions {
  window?: { halfWidthS: number } | 'optimal';
  optimise?: boolean;
  excessLossDb?: number;
  monteCarlo?: MonteCarloOptions;
  /** Include per-sample budgets in the result (default false). */
  includeSamples?: boolean;
  /** Link tables shared with the caller's other passes (see LinkTables); none: this pass's own. */
  tables?: LinkTables;
}

export interface PassSimulation {
  key: PassKeyResult;
  siftedBits: number;
  durationS: number;
  stepS: number;
  /** Lowest total loss over the window (dB, detector included). */
  minLossDb: number;
  samples?: Array<{ tMs: number; rangeKm: number; elevationRad: number; budget: LinkBudget; siftedRateHz: number }>;
  monteCarlo?: { secureKeyBits: Spread; siftedBits: Spread; draws: number; seed: number };
}

const meanPhotons = (p: Protocol) => p.intensities.reduce((s, m, k) => s + m * p.intensityProbabilities[k]!, 0);

function stepOf(track: TrackSample[]): number {
  return track.length > 1 ? Math.max(1e-3, (track[1]!.tMs - track[0]!.tMs) / 1000) : 1;
}

/** Per-slot channel series; pulses per slot = f_rep × step. */
function seriesOf(track: TrackSample[], s: SimulationSetup, tables: LinkTables) {
  const n = track.length;
  const eta = new Float64Array(n);
  const pec = new Float64Array(n);
  const elevationRad = new Float64Array(n);
  const timeS = new Float64Array(n);
  const budgets: LinkBudget[] = [];
  const c = centreIndex(
    new Float64Array(n).fill(1),
    track.map((x) => x.elevationRad),
  );
  const mu = meanPhotons(s.protocol);
  for (let i = 0; i < n; i++) {
    const t = track[i]!;
    const sky =
      t.sunElevationRad === undefined
        ? undefined
        : {
            sunElevationRad: t.sunElevationRad,
            moonElevationRad: t.moonElevationRad,
            moonSeparationRad: t.moonSeparationRad,
            moonIlluminatedFraction: t.moonIlluminatedFraction,
          };
    const b = linkBudget(
      s.link,
      sky
        ? { rangeKm: t.rangeKm, elevationRad: t.elevationRad, sky }
        : { rangeKm: t.rangeKm, elevationRad: t.elevationRad },
      { meanPhotonNumber: mu, repetitionRateHz: s.protocol.repetitionRateHz, tables },
    );
    budgets.push(b);
    eta[i] = b.efficiency;
    pec[i] = b.extraneousCountProbability;
    elevationRad[i] = t.elevationRad;
    timeS[i] = (t.tMs - track[c]!.tMs) / 1000;
  }
  return { eta, extraneousCountProbability: pec, elevationRad, timeS, budgets };
}

/** Sifted (basis-matched) detections of all intensities over slots [a, b). */
function siftedOver(prefix: Float64Array, a: number, b: number): number {
  const c = windowCounts(prefix, a, b);
  return c[0]! + c[1]! + c[2]! + c[3]! + c[4]! + c[5]!;
}

export function simulatePass(
  track: TrackSample[],
  setup: SimulationSetup,
  options: SimulateOptions = {},
): PassSimulation {
  const stepS = stepOf(track);
  const protocol = { ...setup.protocol, repetitionRateHz: setup.protocol.repetitionRateHz * stepS };
  const series = seriesOf(track, setup, options.tables ?? new LinkTables());
  const opts = {
    window: options.window ?? ('optimal' as const),
    minElevationRad: (setup.minElevationDeg * Math.PI) / 180,
    excessLossDb: options.excessLossDb ?? 0,
    optimise: options.optimise ?? false,
  };
  const key = passKey(series, protocol, opts);
  const start = key.window.slots ? series.timeS.indexOf(key.window.startS) : 0;
  const end = start + key.window.slots;
  const prefix = countPrefixSums(series, key.protocol, opts.excessLossDb);
  let minLossDb = Infinity;
  for (let i = start; i < end; i++) minLossDb = Math.min(minLossDb, series.budgets[i]!.totalDb);
  const out: PassSimulation = {
    key: { ...key, protocol: { ...key.protocol, repetitionRateHz: setup.protocol.repetitionRateHz } },
    siftedBits: key.window.slots ? siftedOver(prefix, start, end) : 0,
    durationS: key.window.slots * stepS,
    stepS,
    minLossDb: Number.isFinite(minLossDb) ? minLossDb : 0,
  };
  if (options.includeSamples) {
    out.samples = track.map((t, i) => ({
      tMs: t.tMs,
      rangeKm: t.rangeKm,
      elevationRad: t.elevationRad,
      budget: series.budgets[i]!,
      siftedRateHz:
        (prefix[(i + 1) * 12]! -
          prefix[i * 12]! +
          prefix[(i + 1) * 12 + 1]! -
          prefix[i * 12 + 1]! +
          prefix[(i + 1) * 12 + 2]! -
          prefix[i * 12 + 2]! +
          prefix[(i + 1) * 12 + 3]! -
          prefix[i * 12 + 3]! +
          prefix[(i + 1) * 12 + 4]! -
          prefix[i * 12 + 4]! +
          prefix[(i + 1) * 12 + 5]! -
          prefix[i * 12 + 5]!) /
        stepS,
    }));
  }
  if (options.monteCarlo && options.monteCarlo.draws > 0 && key.window.slots > 0)
    out.monteCarlo = monteCarlo(series, key.protocol, start, end, opts.excessLossDb, options.monteCarlo);
  return out;
}

/** Draws with the simulated protocol and window fixed: lognormal fading per slot, whole-pass cloud. */
function monteCarlo(
  series: ReturnType<typeof seriesOf>,
  p: Protocol,
  start: number,
  end: number,
  excessLossDb: number,
  mc: MonteCarloOptions,
) {
  const rand = mulberry32(mc.seed);
  const keys: number[] = [];
  const sifted: number[] = [];
  const eta = new Float64Array(series.eta.length);
  for (let d = 0; d < mc.draws; d++) {
    const clouded = mc.cloud ? rand() < mc.cloud.probability : false;
    const cloudT = clouded ? (mc.cloud?.transmittance ?? 0) : 1;
    for (let i = 0; i < eta.length; i++) {
      let f = cloudT;
      if (mc.turbulence !== false) {
        // Lognormal with unit mean: ln f ~ N(-σ²/2, σ²), σ² = ln(1 + σ_I²) (Andrews & Phillips ch. 11).
        const s2 = Math.log(1 + series.budgets[i]!.scintillationIndex);
        f *= Math.exp(-s2 / 2 + Math.sqrt(s2) * normal(rand));
      }
      eta[i] = series.eta[i]! * f;
    }
    const ch: SlotChannel = { eta, extraneousCountProbability: series.extraneousCountProbability };
    const prefix = countPrefixSums(ch, p, excessLossDb);
    keys.push(finiteKeyLength(windowCounts(prefix, start, end), p).secureKeyBits);
    sifted.push(siftedOver(prefix, start, end));
  }
  return { secureKeyBits: spread(keys), siftedBits: spread(sifted), draws: mc.draws, seed: mc.seed };
}

export interface PassYield {
  secureBits: number;
  siftedBits: number;
  qber: number;
  /** Asymptotic (infinite-key) length minus the finite key: the cost of finite statistics. */
  finiteKeyPenaltyBits: number;
  durationS: number;
  /** Lowest total loss over the window (dB). */
  minLossDb: number;
}

/**
 * Fast scorer: the preset's protocol as is, window = the contiguous run at or above the preset's
 * elevation mask around the highest sample. No optimisation, no Monte-Carlo.
 */
/** `tables`: shared with the caller's other passes (see LinkTables). */
export function passYield(track: TrackSample[], setup: SimulationSetup, tables = new LinkTables()): PassYield {
  const n = track.length;
  const zero: PassYield = {
    secureBits: 0,
    siftedBits: 0,
    qber: 0,
    finiteKeyPenaltyBits: 0,
    durationS: 0,
    minLossDb: 0,
  };
  if (n === 0) return zero;
  const stepS = stepOf(track);
  const p = { ...setup.protocol, repetitionRateHz: setup.protocol.repetitionRateHz * stepS };
  let c = 0;
  for (let i = 1; i < n; i++) if (track[i]!.elevationRad > track[c]!.elevationRad) c = i;
  const el = new Float64Array(n);
  for (let i = 0; i < n; i++) el[i] = track[i]!.elevationRad;
  const w = elevationWindow(el, (setup.minElevationDeg * Math.PI) / 180, c);
  if (w.end <= w.start) return zero;
  const m = w.end - w.start;
  const eta = new Float64Array(m);
  const pec = new Float64Array(m);
  const mu = meanPhotons(p);
  let maxEta = 0;
  const f = newLinkFactors();
  const geom = { rangeKm: 0, elevationRad: 0 };
  const geomSky = {
    rangeKm: 0,
    elevationRad: 0,
    sky: { sunElevationRad: 0, moonElevationRad: 0, moonSeparationRad: 0, moonIlluminatedFraction: 0 },
  };
  const lo = {
    meanPhotonNumber: mu,
    repetitionRateHz: setup.protocol.repetitionRateHz,
    skipScintillation: true,
    tables,
  };
  for (let i = 0; i < m; i++) {
    const t = track[w.start + i]!;
    let g: typeof geom = geom;
    if (t.sunElevationRad === undefined) {
      geom.rangeKm = t.rangeKm;
      geom.elevationRad = t.elevationRad;
    } else {
      geomSky.rangeKm = t.rangeKm;
      geomSky.elevationRad = t.elevationRad;
      geomSky.sky.sunElevationRad = t.sunElevationRad;
      geomSky.sky.moonElevationRad = t.moonElevationRad ?? -1;
      geomSky.sky.moonSeparationRad = t.moonSeparationRad ?? Math.PI / 2;
      geomSky.sky.moonIlluminatedFraction = t.moonIlluminatedFraction ?? 0;
      g = geomSky;
    }
    linkFactors(setup.link, g, lo, f);
    eta[i] = f.efficiency;
    pec[i] = f.extraneousCountProbability;
    if (f.efficiency > maxEta) maxEta = f.efficiency;
  }
  const minLossDb = maxEta > 0 ? -10 * Math.log10(maxEta) : 0;
  const prefix = countPrefixSums({ eta, extraneousCountProbability: pec }, p);
  const counts = windowCounts(prefix, 0, m);
  const fk = finiteKeyLength(counts, p);
  const asym = finiteKeyLength(counts, { ...p, statistics: 'asymptotic' });
  return {
    secureBits: fk.secureKeyBits,
    siftedBits: counts[0]! + counts[1]! + counts[2]! + counts[3]! + counts[4]! + counts[5]!,
    qber: fk.qberX,
    finiteKeyPenaltyBits: Math.max(0, asym.secureKeyBits - fk.secureKeyBits),
    durationS: m * stepS,
    minLossDb,
  };
}
