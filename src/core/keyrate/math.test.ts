import { describe, expect, it } from 'vitest';
import { binaryEntropy, binomialQuantile, logGamma } from './math.js';

function bruteQuantile(eps: number, n: number, p: number): number {
  let cum = 0;
  for (let k = 0; k <= n; k++) {
    cum += Math.exp(
      logGamma(n + 1) - logGamma(k + 1) - logGamma(n - k + 1) + k * Math.log(p) + (n - k) * Math.log(1 - p),
    );
    if (cum >= eps) return k;
  }
  return n;
}

describe('math helpers', () => {
  it('h(x) is 1 at 1/2, 0 at the ends and symmetric', () => {
    expect(binaryEntropy(0.5)).toBeCloseTo(1, 15);
    expect(binaryEntropy(0)).toBe(0);
    expect(binaryEntropy(1)).toBe(0);
    expect(binaryEntropy(0.11)).toBeCloseTo(binaryEntropy(0.89), 14);
  });
  it('lnΓ matches factorials', () => {
    expect(logGamma(11)).toBeCloseTo(Math.log(3628800), 10);
    expect(logGamma(0.5)).toBeCloseTo(Math.log(Math.sqrt(Math.PI)), 12);
  });
  it.each([
    [1e-3, 200, 0.9],
    [1e-6, 1000, 0.99],
    [0.3, 50, 0.5],
  ])('binomial quantile(%s; n=%s, p=%s) equals a brute-force sum', (eps, n, p) => {
    expect(binomialQuantile(eps, n, p)).toBe(bruteQuantile(eps, n, p));
  });
});
