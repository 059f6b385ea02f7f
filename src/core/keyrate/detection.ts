/**
 * Weak-coherent-pulse detection statistics per 1 s slot (PHYSICS.md §3) and their sums over a window.
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
 * Prefix sums of the count vector over slots: row i (0..n) holds the sums of slots [0, i).
 * `windowCounts(prefix, i, j)` then gives any window in O(1).
 */
export function countPrefixSums(channel: SlotChannel, p: Protocol, excessLossDb = 0): Float64Array {
  const n = channel.eta.length;
  const out = new Float64Array((n + 1) * COUNT_FIELDS);
  const N = p.repetitionRateHz; // pulses per 1 s slot
  const qx = p.basisProbabilityX;
  const wX = N * qx * qx;
  const wZ = N * (1 - qx) * (1 - qx);
  const scale = Math.pow(10, -excessLossDb / 10);
  const pap = p.afterpulseProbability;
  const ed = p.intrinsicQber;
  const mean = p.errorModel === 'mean';
  const D = [0, 0, 0];
  const E = [0, 0, 0];
  for (let t = 0; t < n; t++) {
    const eta = channel.eta[t]! * scale;
    const pec = channel.extraneousCountProbability ? channel.extraneousCountProbability[t]! : p.extraneousCountProbability;
    let sumPD = 0;
    let sumPE = 0;
    for (let k = 0; k < 3; k++) {
      const ex = Math.exp(-eta * p.intensities[k]!);
      const d = (1 + pap) * (1 - (1 - 2 * pec) * ex);
      const e = pec + (pap * d) / 2 + ed * (1 - ex);
      D[k] = d;
      E[k] = e;
      sumPD += p.intensityProbabilities[k]! * d;
      sumPE += p.intensityProbabilities[k]! * e;
    }
    const ebar = sumPD > 0 ? sumPE / sumPD : 0;
    const prev = t * COUNT_FIELDS;
    const row = prev + COUNT_FIELDS;
    for (let k = 0; k < 3; k++) {
      const pk = p.intensityProbabilities[k]!;
      const errK = mean ? pk * D[k]! * ebar : pk * E[k]!;
      out[row + NX + k] = out[prev + NX + k]! + wX * pk * D[k]!;
      out[row + NZ + k] = out[prev + NZ + k]! + wZ * pk * D[k]!;
      out[row + MX + k] = out[prev + MX + k]! + wX * errK;
      out[row + MZ + k] = out[prev + MZ + k]! + wZ * errK;
    }
  }
  return out;
}

/** Sums over slots [start, end) (end exclusive) into `out` (length 12). */
export function windowCounts(prefix: Float64Array, start: number, end: number, out = new Float64Array(COUNT_FIELDS)): Float64Array {
  const a = start * COUNT_FIELDS;
  const b = end * COUNT_FIELDS;
  for (let f = 0; f < COUNT_FIELDS; f++) out[f] = prefix[b + f]! - prefix[a + f]!;
  return out;
}
