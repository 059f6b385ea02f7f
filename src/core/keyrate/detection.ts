/**
 * Weak-coherent-pulse detection statistics per 1 s slot (docs/physics.md §3) and their sums over a window.
 * Per slot and intensity k, with η the slot's single-photon transmittance (detector included):
 *   D_k = (1 + P_ap)(1 - (1 - 2 P_ec) e^(-η μ_k))                      (Lim 2014 style)
 *   e_k = P_ec + P_ap D_k / 2 + e_d (1 - e^(-η μ_k))
 *   n_X,k = N p_k q_x² D_k,  n_Z,k = N p_k (1-q_x)² D_k,  m_·,k = N p_k q_·² e_k   (per-intensity model)
 * or SatQuMA's mean model m_·,k = n_·,k ē with ē = Σ p_j e_j / Σ p_j D_j.
 */
import type { Protocol } from './protocol.js';

/** Layout of one count vector: [nX_1..3, nZ_1..3, mX_1..3, mZ_1..3]. */
export const NX = 0;
export const NZ = 3;
export const MX = 6;
export const MZ = 9;
export const COUNT_FIELDS = 12;

/** Per-slot inputs: transmittance η (detector included) and optionally a per-slot P_ec. */
export interface SlotChannel {
  eta: Float64Array;
  /** Per-slot extraneous click probability per detector; overrides the protocol's constant. */
  extraneousCountProbability?: Float64Array;
}

/**
 * 1 - e^(-x) for x >= 0. Below 1e-2 (every satellite slot: η μ is 1e-2 at 20 dB with μ = 1) the Taylor
 * series to x^6, whose remainder x^7/5040 is below 2e-15 of the value; else expm1. Exact to double
 * precision either way, and several times cheaper than exp in the optimiser's inner loop.
 */
export function oneMinusExp(exponent: number): number {
  if (exponent < 1e-2)
    return (
      exponent *
      (1 - exponent * (1 / 2 - exponent * (1 / 6 - exponent * (1 / 24 - exponent * (1 / 120 - exponent / 720)))))
    );
  return -Math.expm1(-exponent);
}

/**
 * Adds slot t's count vector (docs/physics.md §3.3) into `out` at offset `o`, on top of `out[prev..]`
 * (prefix sums) or in place (prev === o, running totals).
 */
function addSlot(
  channel: SlotChannel,
  p: Protocol,
  scale: number,
  t: number,
  out: Float64Array,
  prev: number,
  o: number,
): void {
  const N = p.repetitionRateHz; // pulses per 1 s slot
  const qx = p.basisProbabilityX;
  const wX = N * qx * qx;
  const wZ = N * (1 - qx) * (1 - qx);
  const pap = p.afterpulseProbability;
  const ed = p.intrinsicQber;
  const eta = channel.eta[t]! * scale;
  const pec = channel.extraneousCountProbability
    ? channel.extraneousCountProbability[t]!
    : p.extraneousCountProbability;
  const mu = p.intensities;
  const pk = p.intensityProbabilities;
  const y0 = oneMinusExp(eta * mu[0]);
  const y1 = oneMinusExp(eta * mu[1]);
  const y2 = oneMinusExp(eta * mu[2]);
  // D_k = (1 + P_ap)(1 - (1 - 2 P_ec) e^(-η μ_k)) written with y_k = 1 - e^(-η μ_k).
  const d0 = (1 + pap) * (y0 + 2 * pec * (1 - y0));
  const d1 = (1 + pap) * (y1 + 2 * pec * (1 - y1));
  const d2 = (1 + pap) * (y2 + 2 * pec * (1 - y2));
  let e0 = pec + (pap * d0) / 2 + ed * y0;
  let e1 = pec + (pap * d1) / 2 + ed * y1;
  let e2 = pec + (pap * d2) / 2 + ed * y2;
  if (p.errorModel === 'mean') {
    // SatQuMA: every intensity errs at the slot's mean error fraction ē = Σ p_j e_j / Σ p_j D_j.
    const sumPD = pk[0] * d0 + pk[1] * d1 + pk[2] * d2;
    const ebar = sumPD > 0 ? (pk[0] * e0 + pk[1] * e1 + pk[2] * e2) / sumPD : 0;
    e0 = d0 * ebar;
    e1 = d1 * ebar;
    e2 = d2 * ebar;
  }
  // Per intensity k: detections D_k and errors E_k weighted by p_k into the X and Z basis sums
  // (written out per k: this is the optimiser's inner loop, and a loop with a pick per k is ~20 % slower).
  addIntensity(out, o, prev, 0, wX * pk[0], wZ * pk[0], d0, e0);
  addIntensity(out, o, prev, 1, wX * pk[1], wZ * pk[1], d1, e1);
  addIntensity(out, o, prev, 2, wX * pk[2], wZ * pk[2], d2, e2);
}

function addIntensity(
  out: Float64Array,
  o: number,
  prev: number,
  k: number,
  weightX: number,
  weightZ: number,
  detection: number,
  error: number,
): void {
  out[o + NX + k] = out[prev + NX + k]! + weightX * detection;
  out[o + NZ + k] = out[prev + NZ + k]! + weightZ * detection;
  out[o + MX + k] = out[prev + MX + k]! + weightX * error;
  out[o + MZ + k] = out[prev + MZ + k]! + weightZ * error;
}

/**
 * Prefix sums of the count vector over slots: row i (0..n) holds the sums of slots [0, i).
 * `windowCounts(prefix, i, j)` then gives any window in O(1). For the window search.
 */
export function countPrefixSums(channel: SlotChannel, protocol: Protocol, excessLossDb = 0): Float64Array {
  const n = channel.eta.length;
  const out = new Float64Array((n + 1) * COUNT_FIELDS);
  const scale = Math.pow(10, -excessLossDb / 10);
  for (let t = 0; t < n; t++) addSlot(channel, protocol, scale, t, out, t * COUNT_FIELDS, (t + 1) * COUNT_FIELDS);
  return out;
}

/**
 * Totals of the count vector over slots [start, end) into `out` (length 12), without allocating:
 * what the protocol optimiser evaluates thousands of times on a fixed window (docs/physics.md §5.4).
 */
export function windowTotals(
  channel: SlotChannel,
  protocol: Protocol,
  excessLossDb: number,
  start: number,
  end: number,
  out: Float64Array,
): Float64Array {
  out.fill(0);
  const scale = Math.pow(10, -excessLossDb / 10);
  for (let t = start; t < end; t++) addSlot(channel, protocol, scale, t, out, 0, 0);
  return out;
}

/** Sums over slots [start, end) (end exclusive) into `out` (length 12). */
export function windowCounts(
  prefix: Float64Array,
  start: number,
  end: number,
  out = new Float64Array(COUNT_FIELDS),
): Float64Array {
  const a = start * COUNT_FIELDS;
  const b = end * COUNT_FIELDS;
  for (let f = 0; f < COUNT_FIELDS; f++) out[f] = prefix[b + f]! - prefix[a + f]!;
  return out;
}
