/** Small numerical helpers for the key-rate kernels: binary entropy, log-gamma, binomial quantile. */

/** Binary Shannon entropy h(x) = -x log2 x - (1-x) log2(1-x), with h(0) = h(1) = 0. */
export function binaryEntropy(x: number): number {
  if (!(x > 0) || !(x < 1)) return 0;
  return -x * Math.log2(x) - (1 - x) * Math.log2(1 - x);
}

const LANCZOS = [
  0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
  12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
];

/** ln Γ(x) for x > 0 (Lanczos approximation, g = 7, n = 9; ~1e-15 relative). */
export function logGamma(x: number): number {
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - logGamma(1 - x);
  const z = x - 1;
  let a = LANCZOS[0]!;
  const t = z + 7.5;
  for (let i = 1; i < 9; i++) a += LANCZOS[i]! / (z + i);
  return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(a);
}

/**
 * Lower quantile of Binomial(n, p): the smallest k with P[K <= k] >= eps. Walks down from the
 * mode with pmf ratios (pmf(k-1) = pmf(k) k q / ((n-k+1) p)), so it is exact and O(sqrt(n ln 1/eps)).
 */
export function binomialQuantile(eps: number, n: number, p: number): number {
  n = Math.round(n);
  if (n <= 0) return 0;
  if (p >= 1) return n;
  if (p <= 0) return 0;
  const q = 1 - p;
  const mode = Math.min(n, Math.floor((n + 1) * p));
  const logPmfMode =
    logGamma(n + 1) - logGamma(mode + 1) - logGamma(n - mode + 1) + mode * Math.log(p) + (n - mode) * Math.log(q);
  // Log-pmfs from the mode downwards until the terms are negligible next to eps.
  const logs: number[] = [logPmfMode];
  let k = mode;
  let lp = logPmfMode;
  const floor = Math.log(eps) - 40;
  while (k > 0 && lp > floor) {
    lp += Math.log(k / (n - k + 1)) + Math.log(q / p);
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
