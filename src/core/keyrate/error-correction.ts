/** Error-correction leakage λ_EC (docs/physics.md §5). */
import { binaryEntropy, binomialQuantile } from './math.js';
import type { ErrorCorrection } from './protocol.js';

/**
 * Finite-block estimate (Tomamichel, Martinez-Mateo, Pacher, Elkouss, IEEE TIT 63, 2017, eq. 5, as
 * implemented by SatQuMA, natural logs in the correction terms):
 *   n h(Q) + (n(1-Q) - F⁻¹(ε_c(1 + 1/√n); n, 1-Q) - 1) ln((1-Q)/Q) - ½ ln n - ln(1/ε_c)
 */
export function finiteBlockLeakageBits(blockBits: number, qber: number, epsilonCorrectness: number): number {
  if (blockBits <= 0 || !(qber > 0) || !(qber < 0.5)) return blockBits * binaryEntropy(qber);
  const quantile = binomialQuantile(epsilonCorrectness * (1 + 1 / Math.sqrt(blockBits)), blockBits, 1 - qber);
  return (
    blockBits * binaryEntropy(qber) +
    (blockBits * (1 - qber) - quantile - 1) * Math.log((1 - qber) / qber) -
    0.5 * Math.log(blockBits) -
    Math.log(1 / epsilonCorrectness)
  );
}

/**
 * An upper bound on finiteBlockLeakageBits without the binomial quantile (docs/physics.md §5.3). The
 * errors E = n - K ~ Bin(n, Q) obey Bernstein's inequality P[E >= nQ + t] <= exp(-t²/(2(nQ(1-Q) + t/3))),
 * so at ε' = ε_c(1 + 1/√n) the quantile satisfies n(1-Q) - F⁻¹(ε') - 1 < t with
 * t = L/3 + sqrt(L²/9 + 2 L nQ(1-Q)), L = ln(1/ε').
 */
export function finiteBlockLeakageUpperBound(blockBits: number, qber: number, epsilonCorrectness: number): number {
  if (blockBits <= 0 || !(qber > 0) || !(qber < 0.5)) return blockBits * binaryEntropy(qber);
  const L = -Math.log(epsilonCorrectness * (1 + 1 / Math.sqrt(blockBits)));
  const t = L / 3 + Math.sqrt((L * L) / 9 + 2 * L * blockBits * qber * (1 - qber));
  return (
    blockBits * binaryEntropy(qber) +
    t * Math.log((1 - qber) / qber) -
    0.5 * Math.log(blockBits) -
    Math.log(1 / epsilonCorrectness)
  );
}

/** λ_EC for a block of n sifted X bits at error rate Q_X. */
export function errorCorrectionBits(
  ec: ErrorCorrection,
  nX: number,
  qberX: number,
  epsilonCorrectness: number,
): number {
  const fixed = (f: number) => f * nX * binaryEntropy(qberX); // λ_EC = f_EC n_X h(Q_X)
  if (ec.method === 'fixed-efficiency') return fixed(ec.efficiency);
  if (ec.efficiency !== undefined) {
    const f = fixed(ec.efficiency);
    // max(block, fixed) is the fixed term whenever an upper bound on block is below it: skip the
    // O(sqrt(n)) quantile walk (large blocks, the usual case; the result is identical).
    if (finiteBlockLeakageUpperBound(nX, qberX, epsilonCorrectness) <= f) return f;
    return Math.max(finiteBlockLeakageBits(nX, qberX, epsilonCorrectness), f);
  }
  return Math.max(finiteBlockLeakageBits(nX, qberX, epsilonCorrectness), 0);
}
