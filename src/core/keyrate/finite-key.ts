/**
 * Finite-key length of decoy-state BB84 for one pass (Lim, Curty, Walenta, Xu, Zbinden, PRA 89,
 * 022307, 2014), from counts summed over the pass window. docs/physics.md §5, SatQuMA conventions.
 */
import { MX, MZ, NX, NZ } from './detection.js';
import { errorCorrectionBits } from './error-correction.js';
import { binaryEntropy } from './math.js';
import type { Protocol, Statistics } from './protocol.js';

export interface FiniteKeyResult {
  /** ℓ, floored, >= 0. */
  secureKeyBits: number;
  /** ℓ before floor and clipping at 0 (negative when no key); a smooth objective for optimisers. */
  rawKeyBits: number;
  qberX: number;
  phaseErrorX: number;
  nX: number;
  nZ: number;
  mX: number;
  mZ: number;
  lambdaEcBits: number;
  sX0: number;
  sX1: number;
  sZ0: number;
  sZ1: number;
  vZ1: number;
}

/**
 * Decoy bounds n±_k (Lim 2014 eqs. 3-4 with Hoeffding, or the tighter Chernoff form of docs/physics.md §5;
 * 'asymptotic' drops the fluctuation terms). `total` is n for Hoeffding; δ = ln(21/ε_sec).
 */
function bound(
  stat: Statistics,
  nk: number,
  total: number,
  delta: number,
  mu: number,
  pk: number,
  upper: boolean,
): number {
  const w = Math.exp(mu) / pk;
  if (stat === 'asymptotic') return w * nk;
  if (stat === 'hoeffding') {
    const d = Math.sqrt((total / 2) * delta);
    return w * (upper ? nk + d : nk - d);
  }
  return upper
    ? w * (nk + delta + Math.sqrt(2 * nk * delta + delta * delta))
    : w * (nk - delta / 2 - Math.sqrt(2 * nk * delta + (delta * delta) / 4));
}

/** τ_n = Σ_k p_k e^(-μ_k) μ_k^n / n!  (probability that Alice sent n photons). */
const tau = (p: Protocol, n: 0 | 1) =>
  p.intensityProbabilities.reduce(
    (s, pk, k) => s + pk * Math.exp(-p.intensities[k]!) * (n === 0 ? 1 : p.intensities[k]!),
    0,
  );

/**
 * Vacuum and single-photon lower bounds from counts c[off..off+2] (Lim 2014 eqs. 2 and 3):
 *   s0 >= τ0 (μ2 n-_μ3 - μ3 n+_μ2)/(μ2 - μ3), clipped at 0 (SatQuMA: 1e-10)
 *   s1 >= τ1 μ1 [n-_μ2 - n+_μ3 - (μ2²-μ3²)/μ1² (n+_μ1 - s0/τ0)] / [μ1(μ2-μ3) - μ2² + μ3²], clipped at 0
 */
function vacuumAndSingle(c: Float64Array, off: number, p: Protocol, delta: number): [number, number] {
  const [m1, m2, m3] = p.intensities;
  const [p1, p2, p3] = p.intensityProbabilities;
  const st = p.statistics;
  const total = c[off]! + c[off + 1]! + c[off + 2]!;
  const t0 = tau(p, 0);
  const t1 = tau(p, 1);
  const lo = (k: number, mu: number, pk: number) => bound(st, c[off + k]!, total, delta, mu, pk, false);
  const hi = (k: number, mu: number, pk: number) => bound(st, c[off + k]!, total, delta, mu, pk, true);
  const s0 = Math.max(0, (t0 * (m2 * lo(2, m3, p3) - m3 * hi(1, m2, p2))) / (m2 - m3));
  const num = lo(1, m2, p2) - hi(2, m3, p3) - ((m2 * m2 - m3 * m3) / (m1 * m1)) * (hi(0, m1, p1) - s0 / t0);
  const s1 = Math.max(0, (t1 * m1 * num) / (m1 * (m2 - m3) - m2 * m2 + m3 * m3));
  return [s0, s1];
}

/** γ(a,b,c,d) of Lim 2014 eq. 5 with SatQuMA's guards (factor >= 0, log argument >= 1, b <= 1 - 2^-52). */
export function gammaPhase(epsilon: number, errorRate: number, countC: number, countD: number): number {
  errorRate = Math.min(Math.max(errorRate, 0), 1 - 2 ** -52);
  if (!(countC > 0 && countD > 0) || errorRate <= 0) return 0;
  const factor = Math.max(0, ((countC + countD) * (1 - errorRate) * errorRate) / (countC * countD * Math.LN2));
  const arg = Math.max(
    1,
    ((countC + countD) * 441) / (countC * countD * (1 - errorRate) * errorRate * epsilon * epsilon),
  );
  return Math.sqrt(factor * Math.log2(arg));
}

/** ℓ from window `counts` (layout of detection.ts) for `protocol`. */
export function finiteKeyLength(counts: Float64Array, protocol: Protocol): FiniteKeyResult {
  const asymptotic = protocol.statistics === 'asymptotic';
  const delta = Math.log(21 / protocol.epsilonSecrecy);
  const [m1, m2, m3] = protocol.intensities;
  const [, p2, p3] = protocol.intensityProbabilities;
  const nX = counts[NX]! + counts[NX + 1]! + counts[NX + 2]!;
  const nZ = counts[NZ]! + counts[NZ + 1]! + counts[NZ + 2]!;
  const mX = counts[MX]! + counts[MX + 1]! + counts[MX + 2]!;
  const mZ = counts[MZ]! + counts[MZ + 1]! + counts[MZ + 2]!;
  const [sX0, sX1] = vacuumAndSingle(counts, NX, protocol, delta);
  const [sZ0, sZ1] = vacuumAndSingle(counts, NZ, protocol, delta);
  // v_Z1 <= τ1 (m+_Z,μ2 - m-_Z,μ3)/(μ2 - μ3), clipped to [0, m_Z] (Lim 2014 eq. 4; docs/physics.md §5)
  const t1 = tau(protocol, 1);
  const vRaw =
    (t1 *
      (bound(protocol.statistics, counts[MZ + 1]!, mZ, delta, m2, p2, true) -
        bound(protocol.statistics, counts[MZ + 2]!, mZ, delta, m3, p3, false))) /
    (m2 - m3);
  const vZ1 = Math.min(Math.max(vRaw, 0), mZ);
  // φ_X = min(v_Z1/s_Z1 + γ(ε_sec, v_Z1/s_Z1, s_Z1, s_X1), 1/2)
  const ratio = sZ1 > 0 ? vZ1 / sZ1 : 0.5;
  const phaseErrorX = Math.min(0.5, ratio + (asymptotic ? 0 : gammaPhase(protocol.epsilonSecrecy, ratio, sZ1, sX1)));
  const qberX = nX > 0 ? mX / nX : 0.5;
  const lambdaEcBits = errorCorrectionBits(protocol.errorCorrection, nX, qberX, protocol.epsilonCorrectness);
  // ℓ = s_X0 + s_X1 (1 - h(φ_X)) - λ_EC - 6 log2(21/ε_sec) - log2(2/ε_cor)   (Lim 2014 eq. 1)
  const penalties = asymptotic
    ? 0
    : 6 * Math.log2(21 / protocol.epsilonSecrecy) + Math.log2(2 / protocol.epsilonCorrectness);
  const raw = sX0 + sX1 * (1 - binaryEntropy(phaseErrorX)) - lambdaEcBits - penalties;
  const valid = m1 > m2 + m3 && Number.isFinite(raw);
  const secureKeyBits = valid && raw > 0 ? Math.floor(raw) : 0;
  return {
    secureKeyBits,
    rawKeyBits: Number.isFinite(raw) ? raw : -Infinity,
    qberX,
    phaseErrorX,
    nX,
    nZ,
    mX,
    mZ,
    lambdaEcBits,
    sX0,
    sX1,
    sZ0,
    sZ1,
    vZ1,
  };
}
