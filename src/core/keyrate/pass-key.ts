/**
 * Finite key for a whole pass from a per-slot efficiency series (SatQuMA loss-table semantics):
 * window choice (half-width or optimal), optional protocol optimisation, Lim 2014 key length.
 */
import { countPrefixSums, windowCounts, type SlotChannel } from './detection.js';
import { finiteKeyLength, type FiniteKeyResult } from './finite-key.js';
import { optimiseProtocol } from './optimise.js';
import type { Protocol } from './protocol.js';
import { centreIndex, elevationWindow, halfWidthWindow, optimalWindow, type SlotWindow } from './window.js';

export interface PassKeyOptions {
  window: { halfWidthS: number } | 'optimal';
  minElevationRad: number;
  excessLossDb: number;
  optimise: boolean;
}

export interface PassSeries extends SlotChannel {
  timeS: ArrayLike<number>;
  elevationRad: ArrayLike<number>;
}

export interface PassKeyResult extends FiniteKeyResult {
  window: { startS: number; endS: number; slots: number };
  protocol: Protocol;
  /** Objective evaluations of the protocol optimiser, when it ran (docs/physics.md §5.4). */
  optimisation?: { evaluations: number };
}

const EMPTY = (p: Protocol): PassKeyResult => ({
  secureKeyBits: 0,
  rawKeyBits: -Infinity,
  qberX: 0,
  phaseErrorX: 0.5,
  nX: 0,
  nZ: 0,
  mX: 0,
  mZ: 0,
  lambdaEcBits: 0,
  sX0: 0,
  sX1: 0,
  sZ0: 0,
  sZ1: 0,
  vZ1: 0,
  window: { startS: Number.NaN, endS: Number.NaN, slots: 0 },
  protocol: p,
});

export function passKey(series: PassSeries, protocol: Protocol, options: PassKeyOptions): PassKeyResult {
  const centre = centreIndex(series.timeS, series.elevationRad);
  const bounds: SlotWindow =
    options.window === 'optimal'
      ? elevationWindow(series.elevationRad, options.minElevationRad, centre)
      : halfWidthWindow(series.timeS, series.elevationRad, options.window.halfWidthS, options.minElevationRad);
  if (bounds.end <= bounds.start) return EMPTY(protocol);
  let p = protocol;
  let w = bounds;
  let evaluations = 0;
  // Alternate protocol and window optimisation. With optimisation on, the protocol goes first (on the
  // elevation window): a window chosen for an unsuited protocol can be one where no protocol gives key.
  // Two rounds suffice in practice; round 2 refines from round 1's protocol only (the window moves by a
  // few slots once the protocol is tuned).
  for (let round = 0; round < (options.optimise ? 2 : 1); round++) {
    if (options.optimise) {
      const r = optimiseProtocol(series, p, w, options.excessLossDb, 400, round > 0);
      p = r.protocol;
      evaluations += r.evaluations;
    }
    if (options.window === 'optimal')
      w = optimalWindow(countPrefixSums(series, p, options.excessLossDb), p, bounds).window;
  }
  let r = finiteKeyLength(windowCounts(countPrefixSums(series, p, options.excessLossDb), w.start, w.end), p);
  if (r.secureKeyBits === 0 && (p !== protocol || w !== bounds)) {
    // No key anywhere: report the requested protocol over the full window rather than whichever
    // point of the search lost least (keeps zero-key answers stable and explainable).
    p = protocol;
    w = bounds;
    r = finiteKeyLength(windowCounts(countPrefixSums(series, p, options.excessLossDb), w.start, w.end), p);
  }
  return {
    ...r,
    window: { startS: series.timeS[w.start]!, endS: series.timeS[w.end - 1]!, slots: w.end - w.start },
    protocol: p,
    ...(options.optimise ? { optimisation: { evaluations } } : {}),
  };
}
