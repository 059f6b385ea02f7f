/** Small numerical helpers for the key-rate kernels: binary entropy, log-gamma, binomial quantile. */

/** Binary Shannon entropy h(x) = -x log2 x - (1-x) log2(1-x), with h(0) = h(1) = 0. */
export function binaryEntropy(probability: number): number {
  if (!(probability > 0) || !(probability < 1)) return 0;
  return -probability * Math.log2(probability) - (1 - probability) * Math.log2(1 - probability);
}

const LANCZOS = [
  0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
  12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
];

/** ln Γ(x) for x > 0 (Lanczos approximation, g = 7, n = 9; ~1e-15 relative). */
export function logGamma(argument: number): number {
  if (argument < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * argument)) - logGamma(1 - argument);
  const z = argument - 1;
  let a = LANCZOS[0]!;
  const t = z + 7.5;
  for (let i = 1; i < 9; i++) a += LANCZOS[i]! / (z + i);
  return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(a);
}

/**
 * Lower quantile of Binomial(n, p): the smallest k with P[K <= k] >= eps. Walks down from the
 * mode with pmf ratios (pmf(k-1) = pmf(k) k q / ((n-k+1) p)), so it is exact and O(sqrt(n ln 1/eps)).
 */
export function binomialQuantile(eps: number, trials: number, probability: number): number {
  trials = Math.round(trials);
  if (trials <= 0) return 0;
  if (probability >= 1) return trials;
  if (probability <= 0) return 0;
  const q = 1 - probability;
  const mode = Math.min(trials, Math.floor((trials + 1) * probability));
  const logPmfMode =
    logGamma(trials + 1) -
    logGamma(mode + 1) -
    logGamma(trials - mode + 1) +
    mode * Math.log(probability) +
    (trials - mode) * Math.log(q);
  // Log-pmfs from the mode downwards until the terms are negligible next to eps.
  const logs: number[] = [logPmfMode];
  let k = mode;
  let lp = logPmfMode;
  const floor = Math.log(eps) - 40;
  while (k > 0 && lp > floor) {
    lp += Math.log(k / (trials - k + 1)) + Math.log(q / probability);
    k -= 1;
    logs.push(lp);
  }
  // Accumulate the lower tail from the bottom up (k = mode - logs.length + 1 ... mode).
  let cum = 0;
  const bottom = mode - logs.length + 1;
  for (let i = logs.length - 1; i >= 0; i--) {
    cum += Math.exp(logs[i]!);
    if (cum >= eps) return bottom + (logs.length - 1 - i);
  }
  return mode;
}
