/**
 * Decoy-state BB84 protocol parameters (three intensities, biased basis choice; Lim et al., PRA 89,
 * 022307, 2014) and their validation. Expected failures are returned as `Issue`s naming the field.
 */
import type { Issue } from '../errors.js';

export type ErrorCorrection =
  | { method: 'fixed-efficiency'; efficiency: number }
  /** Finite-block estimate (Tomamichel et al. 2017 as in SatQuMA); with `efficiency`, the larger of the two. */
  | { method: 'finite-block'; efficiency?: number };

export type Statistics = 'chernoff' | 'hoeffding' | 'asymptotic';
/** docs/physics.md §3.2: expected errors per intensity (default), or SatQuMA's slot-mean error fraction. */
export type ErrorModel = 'per-intensity' | 'mean';

export interface Protocol {
  repetitionRateHz: number;
  /** q_x: probability that Alice (and Bob) choose the key basis X. */
  basisProbabilityX: number;
  /** [μ1, μ2, μ3], mean photon numbers, μ1 > μ2 + μ3, μ2 > μ3 >= 0. */
  intensities: [number, number, number];
  /** [p1, p2, p3], summing to 1. */
  intensityProbabilities: [number, number, number];
  /** P_ec: extraneous (dark + background) click probability per pulse per detector. */
  extraneousCountProbability: number;
  afterpulseProbability: number;
  /** e_d: intrinsic (misalignment) error probability. */
  intrinsicQber: number;
  epsilonCorrectness: number;
  epsilonSecrecy: number;
  errorCorrection: ErrorCorrection;
  statistics: Statistics;
  errorModel?: ErrorModel;
}

/** The SatQuMA test-vector protocol of docs/physics.md §5 (SatQuMA defaults, cnqo-qcomms/SatQuMA). */
export const SATQUMA_PROTOCOL: Protocol = {
  repetitionRateHz: 1e8,
  basisProbabilityX: 0.7611,
  intensities: [0.7921, 0.1707, 0],
  intensityProbabilities: [0.7501, 0.1749, 0.075],
  extraneousCountProbability: 1e-8,
  afterpulseProbability: 1e-3,
  intrinsicQber: 1e-3,
  epsilonCorrectness: 1e-15,
  epsilonSecrecy: 1e-9,
  errorCorrection: { method: 'fixed-efficiency', efficiency: 1.16 },
  statistics: 'chernoff',
  errorModel: 'per-intensity',
};

const prob01 = (x: number) => Number.isFinite(x) && x >= 0 && x <= 1;

/** Every rule a protocol must satisfy; an empty list means valid. */
export function protocolIssues(protocol: Protocol): Issue[] {
  const issues: Issue[] = [];
  const bad = (path: string, message: string) => issues.push({ path: [path], message });
  if (!(Number.isFinite(protocol.repetitionRateHz) && protocol.repetitionRateHz > 0))
    bad('repetitionRateHz', 'must be > 0');
  if (!(protocol.basisProbabilityX > 0 && protocol.basisProbabilityX < 1))
    bad('basisProbabilityX', 'must be in (0, 1): both bases need data');
  const [m1, m2, m3] = protocol.intensities;
  if (!protocol.intensities.every((m) => Number.isFinite(m) && m >= 0)) bad('intensities', 'must be finite and >= 0');
  else {
    if (!(m2 > m3)) bad('intensities', 'μ2 must be > μ3');
    if (!(m1 > m2 + m3)) bad('intensities', 'μ1 must be > μ2 + μ3');
  }
  const ps = protocol.intensityProbabilities;
  if (!ps.every((x) => Number.isFinite(x) && x > 0 && x < 1)) bad('intensityProbabilities', 'each must be in (0, 1)');
  else if (Math.abs(ps[0] + ps[1] + ps[2] - 1) > 1e-9)
    bad('intensityProbabilities', `must sum to 1 (sum is ${ps[0] + ps[1] + ps[2]})`);
  if (!(prob01(protocol.extraneousCountProbability) && protocol.extraneousCountProbability < 0.5))
    bad('extraneousCountProbability', 'must be in [0, 0.5)');
  if (!prob01(protocol.afterpulseProbability)) bad('afterpulseProbability', 'must be in [0, 1]');
  if (!(prob01(protocol.intrinsicQber) && protocol.intrinsicQber < 0.5)) bad('intrinsicQber', 'must be in [0, 0.5)');
  if (!(protocol.epsilonCorrectness > 0 && protocol.epsilonCorrectness < 1))
    bad('epsilonCorrectness', 'must be in (0, 1)');
  if (!(protocol.epsilonSecrecy > 0 && protocol.epsilonSecrecy < 1)) bad('epsilonSecrecy', 'must be in (0, 1)');
  const ec = protocol.errorCorrection;
  if (ec.method === 'fixed-efficiency' && !(ec.efficiency >= 1)) bad('errorCorrection.efficiency', 'must be >= 1');
  if (ec.method === 'finite-block' && ec.efficiency !== undefined && !(ec.efficiency >= 1))
    bad('errorCorrection.efficiency', 'must be >= 1');
  return issues;
}
