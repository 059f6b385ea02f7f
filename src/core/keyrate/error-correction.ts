/** Error-correction leakage λ_EC (docs/physics.md §5). */
import { binaryEntropy, binomialQuantile } from './math.js';
import type { ErrorCorrection } from './protocol.js';

/**
 * Finite-block estimate (Tomamichel, Martinez-Mateo, Pacher, Elkouss, IEEE TIT 63, 2017, eq. 5, as
 * implemented by SatQuMA, natural logs in the correction terms):
 *   n h(Q) + (n(1-Q) - F⁻¹(ε_c(1 + 1/√n); n, 1-Q) - 1) ln((1-Q)/Q) - ½ ln n - ln(1/ε_c)
 */
export function finiteBlockLeakageBits(n: number, qber: number, epsilonCorrectness: number): number {
  if (n <= 0 || !(qber > 0) || !(qber < 0.5)) return n * binaryEntropy(qber);
  const quantile = binomialQuantile(epsilonCorrectness * (1 + 1 / Math.sqrt(n)), n, 1 - qber);
  return n * binaryEntropy(qber) + (n * (1 - qber) - quantile - 1) * Math.log((1 - qber) / qber) - 0.5 * Math.log(n) - Math.log(1 / epsilonCorrectness);
}

/** λ_EC for a block of n sifted X bits at error rate Q_X. */
export function errorCorrectionBits(ec: ErrorCorrection, nX: number, qberX: number, epsilonCorrectness: number): number {
  const fixed = (f: number) => f * nX * binaryEntropy(qberX); // λ_EC = f_EC n_X h(Q_X)
  if (ec.method === 'fixed-efficiency') return fixed(ec.efficiency);
  const block = finiteBlockLeakageBits(nX, qberX, epsilonCorrectness);
  return ec.efficiency === undefined ? Math.max(block, 0) : Math.max(block, fixed(ec.efficiency));
}
