/**
 * The root and extremum solvers of the pass finder: cubic Hermite estimates from values and rates
 * at two times, then Newton (or secant) steps safeguarded by bisection inside the bracket.
 */
import type { Instant } from '../time/index.js';

/** Cubic Hermite on s in [0, 1] with values v0, v1 and slopes m0, m1 (per unit s) at the ends. */
export function hermite(v0: number, m0: number, v1: number, m1: number, fraction: number): number {
  const s2 = fraction * fraction,
    s3 = s2 * fraction;
  return (2 * s3 - 3 * s2 + 1) * v0 + (s3 - 2 * s2 + fraction) * m0 + (-2 * s3 + 3 * s2) * v1 + (s3 - s2) * m1;
}

/** Coefficients a, b of the Hermite's derivative p'(s) = a s^2 + b s + m0. */
function derivativeCoefficients(v0: number, m0: number, v1: number, m1: number): { a: number; b: number } {
  return { a: 6 * v0 + 3 * m0 - 6 * v1 + 3 * m1, b: -6 * v0 - 4 * m0 + 6 * v1 - 2 * m1 };
}

/**
 * Where the cubic Hermite (v0, m0, v1, m1) has its extremum in (0, 1), given slopes m0, m1 of
 * opposite signs (the root of its quadratic derivative between them).
 */
export function hermiteExtremumAt(v0: number, m0: number, v1: number, m1: number): number {
  // p'(s) = a s^2 + b s + c, with p'(0) = m0 and p'(1) = m1 of opposite signs: one root in (0, 1).
  const { a, b } = derivativeCoefficients(v0, m0, v1, m1),
    c = m0;
  if (Math.abs(a) <= 1e-12 * (Math.abs(b) + Math.abs(c))) return Math.min(1, Math.max(0, -c / b));
  const q = Math.sqrt(Math.max(0, b * b - 4 * a * c));
  const r1 = (-b + q) / (2 * a),
    r2 = (-b - q) / (2 * a);
  return r1 >= 0 && r1 <= 1 ? r1 : Math.min(1, Math.max(0, r2));
}

/**
 * Where the cubic Hermite (v0, m0, v1, m1) crosses zero in (0, 1), v0 and v1 of opposite signs:
 * Newton from the chord.
 */
export function hermiteRootAt(v0: number, m0: number, v1: number, m1: number): number {
  let s = v0 / (v0 - v1);
  for (let i = 0; i < 4; i += 1) {
    const s2 = s * s;
    const d = (6 * s2 - 6 * s) * v0 + (3 * s2 - 4 * s + 1) * m0 + (-6 * s2 + 6 * s) * v1 + (3 * s2 - 2 * s) * m1;
    if (d === 0) break;
    s = Math.min(1, Math.max(0, s - hermite(v0, m0, v1, m1, s) / d));
  }
  return s;
}

/**
 * Root of `residual` in [lo, hi] (residualAtLo at lo, the other sign at hi) from `guess` where its
 * slope (per ms) is about `slope`: Newton steps when `slopeAt` gives the slope at the point just
 * evaluated, else secant steps on the last two evaluations; bisection whenever a step leaves the
 * bracket. A step below half the tolerance is final (x + step can round to x at epoch-ms magnitudes).
 */
export function solveFrom(
  residual: (t: Instant) => number,
  lo: Instant,
  hi: Instant,
  residualAtLo: number,
  guess: Instant,
  slope: number,
  tolMs: number,
  slopeAt?: () => number,
): Instant {
  let x = guess,
    fa = residualAtLo;
  let px = Number.NaN,
    pf = 0;
  for (let i = 0; i < 100; i += 1) {
    const fx = residual(x);
    if (fx === 0) return x;
    if (slopeAt) slope = slopeAt();
    else if (!Number.isNaN(px) && x !== px) slope = (fx - pf) / (x - px);
    if (fx > 0 === fa > 0) {
      lo = x;
      fa = fx;
    } else hi = x;
    const step = -fx / slope;
    if (Math.abs(step) <= tolMs / 2) return x + step;
    let next = x + step;
    if (!(next > lo && next < hi)) next = (lo + hi) / 2;
    if (hi - lo <= tolMs) return next;
    px = x;
    pf = fx;
    x = next;
  }
  return x;
}

/** A quantity's values v0, v1 and rates d0, d1 (per s) at times t0 < t1. */
export interface Bracket {
  t0: Instant;
  t1: Instant;
  v0: number;
  d0: number;
  v1: number;
  d1: number;
}

/**
 * Extremum of a quantity between two times where its rate (per s) changes sign: root of the
 * rate, from the Hermite extremum of the bracket's values and rates.
 */
export function extremumBetween(rate: (t: Instant) => number, bracket: Bracket, tolMs: number): Instant {
  const { t0, t1, v0, d0, v1, d1 } = bracket;
  if (t1 - t0 <= tolMs) return d0 + d1 > 0 ? t1 : t0;
  const hMs = t1 - t0,
    hS = hMs / 1000,
    m0 = d0 * hS,
    m1 = d1 * hS;
  const s = hermiteExtremumAt(v0, m0, v1, m1);
  // Slope of the rate at the guess, per ms: p''(s) / (h_s h_ms).
  const { a, b } = derivativeCoefficients(v0, m0, v1, m1);
  const slope = (2 * a * s + b) / (hS * hMs);
  return solveFrom(rate, t0, t1, d0, t0 + s * hMs, slope || (d1 - d0) / hMs, tolMs);
}
