/**
 * Protocol optimisation for one pass: maximise ℓ over q_x, p_1, p_2 (p_3 = 1 - p_1 - p_2), μ_1, μ_2
 * with μ_3 fixed (vacuum is optimal for the Lim bounds; SatQuMA also fixes it).
 *
 * Method: multi-start Nelder-Mead (nelder-mead.ts) on unconstrained variables mapped by logistic
 * transforms into a box that only contains valid protocols:
 *   q_x ∈ [0.5, 0.98]                 (never 1: the Z basis must carry data)
 *   p = 0.02 + 0.94 softmax(a, b, 0)  (every p_k >= 0.02)
 *   μ_1 ∈ [max(0.2, 2μ_3 + 0.05), 1.0]
 *   μ_2 = μ_3 + (μ_1 - 2μ_3)·s, s ∈ [0.03, 0.95]   (so μ_2 > μ_3 and μ_1 > μ_2 + μ_3)
 * The objective is -rawKeyBits (ℓ before clipping), which stays smooth and informative below zero,
 * so the search does not stall near the zero-key cut-off. Starts: the given protocol and four fixed
 * points; the best result is checked with protocolIssues and, if no start beats it, the input wins.
 */
import { finiteKeyLength } from './finite-key.js';
import { COUNT_FIELDS, windowTotals, type SlotChannel } from './detection.js';
import { nelderMead } from './nelder-mead.js';
import { protocolIssues, type Protocol } from './protocol.js';
import type { SlotWindow } from './window.js';

const logistic = (x: number) => 1 / (1 + Math.exp(-x));
const logit = (y: number) => Math.log(y / (1 - y));
const Q_MIN = 0.5;
const Q_MAX = 0.98;
const P_FLOOR = 0.02;
const S_MIN = 0.03;
const S_MAX = 0.95;
const MU1_MAX = 1.0;
const clamp01 = (x: number) => Math.min(1 - 1e-9, Math.max(1e-9, x));

function mu1Min(mu3: number) {
  return Math.max(0.2, 2 * mu3 + 0.05);
}

export function decode(vector: number[], base: Protocol): Protocol {
  const mu3 = base.intensities[2];
  const qx = Q_MIN + (Q_MAX - Q_MIN) * logistic(vector[0]!);
  const ea = Math.exp(Math.min(50, vector[1]!));
  const eb = Math.exp(Math.min(50, vector[2]!));
  const z = ea + eb + 1;
  const span = 1 - 3 * P_FLOOR;
  const p1 = P_FLOOR + (span * ea) / z;
  const p2 = P_FLOOR + (span * eb) / z;
  const lo = mu1Min(mu3);
  const mu1 = lo + (MU1_MAX - lo) * logistic(vector[3]!);
  const s = S_MIN + (S_MAX - S_MIN) * logistic(vector[4]!);
  const mu2 = mu3 + (mu1 - 2 * mu3) * s;
  return {
    ...base,
    basisProbabilityX: qx,
    intensityProbabilities: [p1, p2, 1 - p1 - p2],
    intensities: [mu1, mu2, mu3],
  };
}

function encode(p: Protocol): number[] {
  const mu3 = p.intensities[2];
  const lo = mu1Min(mu3);
  const span = 1 - 3 * P_FLOOR;
  const [p1, p2, p3] = p.intensityProbabilities.map((v) => Math.max(1e-6, (v - P_FLOOR) / span));
  const mu1 = p.intensities[0];
  return [
    logit(clamp01((p.basisProbabilityX - Q_MIN) / (Q_MAX - Q_MIN))),
    Math.log(p1! / p3!),
    Math.log(p2! / p3!),
    logit(clamp01((mu1 - lo) / (MU1_MAX - lo))),
    logit(clamp01((p.intensities[1] - mu3) / Math.max(1e-9, mu1 - 2 * mu3) - S_MIN) / (S_MAX - S_MIN)),
  ];
}

/** Fixed extra starts (q_x, p, μ1, μ2 shapes spanning the box). */
const STARTS: Array<Pick<Protocol, 'basisProbabilityX' | 'intensityProbabilities'> & { mu1: number; mu2: number }> = [
  { basisProbabilityX: 0.75, intensityProbabilities: [0.75, 0.18, 0.07], mu1: 0.8, mu2: 0.17 },
  { basisProbabilityX: 0.9, intensityProbabilities: [0.8, 0.15, 0.05], mu1: 0.6, mu2: 0.1 },
  { basisProbabilityX: 0.6, intensityProbabilities: [0.6, 0.25, 0.15], mu1: 0.9, mu2: 0.25 },
  { basisProbabilityX: 0.85, intensityProbabilities: [0.7, 0.2, 0.1], mu1: 0.5, mu2: 0.2 },
];

export interface OptimiseResult {
  protocol: Protocol;
  rawKeyBits: number;
  evaluations: number;
}

/**
 * Optimises the protocol for the slots of `window` (fixed). Deterministic. `refine` starts only from
 * `base` (a protocol already optimised for a nearby window), instead of `base` plus the fixed starts.
 */
export function optimiseProtocol(
  channel: SlotChannel,
  base: Protocol,
  window: SlotWindow,
  excessLossDb = 0,
  maxEvaluationsPerStart = 400,
  refine = false,
): OptimiseResult {
  // Only the window's totals are read: sum them straight into one buffer (no prefix table, no allocation).
  const buf = new Float64Array(COUNT_FIELDS);
  const objective = (x: number[]) => {
    const p = decode(x, base);
    return -finiteKeyLength(windowTotals(channel, p, excessLossDb, window.start, window.end, buf), p).rawKeyBits;
  };
  const baseValid = protocolIssues(base).length === 0;
  let best: OptimiseResult = {
    protocol: base,
    rawKeyBits: baseValid ? -objective(encode(base)) : -Infinity,
    evaluations: 0,
  };
  const mu3 = base.intensities[2];
  const starts = [
    ...(baseValid ? [encode(base)] : []),
    ...(refine && baseValid ? [] : STARTS).map((s) =>
      encode({
        ...base,
        basisProbabilityX: s.basisProbabilityX,
        intensityProbabilities: s.intensityProbabilities,
        intensities: [Math.max(s.mu1, mu1Min(mu3) + 0.05), Math.max(s.mu2, mu3 + 0.02), mu3],
      }),
    ),
  ];
  let evaluations = 0;
  for (const x0 of starts) {
    const r = nelderMead(objective, x0, { maxEvaluations: maxEvaluationsPerStart, fTolerance: 1e-7, initialStep: 0.6 });
    evaluations += r.evaluations;
    const p = decode(r.x, base);
    if (-r.fx > best.rawKeyBits && protocolIssues(p).length === 0)
      best = { protocol: p, rawKeyBits: -r.fx, evaluations: 0 };
  }
  return { ...best, evaluations };
}
