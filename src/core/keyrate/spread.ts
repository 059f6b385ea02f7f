/** Mean, standard deviation and 10/50/90 % quantiles of Monte-Carlo draws. */
export interface Spread {
  mean: number;
  std: number;
  p10: number;
  p50: number;
  p90: number;
}

export function spread(xs: number[]): Spread {
  const s = xs.slice().sort((a, b) => a - b);
  const q = (f: number) => s[Math.min(s.length - 1, Math.floor(f * (s.length - 1) + 0.5))]!;
  const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
  const std = Math.sqrt(xs.reduce((a, b) => a + (b - mean) ** 2, 0) / Math.max(1, xs.length - 1));
  return { mean, std, p10: q(0.1), p50: q(0.5), p90: q(0.9) };
}
