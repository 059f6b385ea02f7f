/**
 * Generic event search over a switching function g(t) (Orekit's g-function, Skyfield's
 * find_discrete): sample with a step short enough that no sign change or extremum hides between
 * samples, then refine each sign change by Brent's method and each extremum by golden-section
 * search, both to a tolerance in milliseconds. Constraints combine with and/or/not.
 */
import type { Instant } from '../time/index.js';

/** g(t) > 0 means the constraint holds at t. */
export type Switching = (t: Instant) => number;

export const and =
  (...gs: Switching[]): Switching =>
  (t) =>
    Math.min(...gs.map((g) => g(t)));
export const or =
  (...gs: Switching[]): Switching =>
  (t) =>
    Math.max(...gs.map((g) => g(t)));
export const not =
  (g: Switching): Switching =>
  (t) =>
    -g(t);

/**
 * Root of g in [a, b] given g(a), g(b) of opposite signs (Brent 1973, "zeroin"), to `tolMs`.
 * Returns the end of the final bracket on the positive side rounded to the tolerance.
 */
export function brentRoot(g: Switching, a: Instant, b: Instant, ga: number, gb: number, tolMs = 1): Instant {
  if (ga === 0) return a;
  if (gb === 0) return b;
  let c = a,
    gc = ga,
    d = b - a,
    e = d;
  for (let i = 0; i < 100; i += 1) {
    if (gb > 0 === gc > 0) {
      c = a;
      gc = ga;
      d = b - a;
      e = d;
    }
    if (Math.abs(gc) < Math.abs(gb)) {
      a = b;
      b = c;
      c = a;
      ga = gb;
      gb = gc;
      gc = ga;
    }
    const tol = tolMs / 2;
    const m = (c - b) / 2;
    if (Math.abs(m) <= tol || gb === 0) return b;
    if (Math.abs(e) >= tol && Math.abs(ga) > Math.abs(gb)) {
      const s = gb / ga;
      let p: number, q: number;
      if (a === c) {
        p = 2 * m * s;
        q = 1 - s;
      } else {
        const qq = ga / gc,
          r = gb / gc;
        p = s * (2 * m * qq * (qq - r) - (b - a) * (r - 1));
        q = (qq - 1) * (r - 1) * (s - 1);
      }
      if (p > 0) q = -q;
      else p = -p;
      if (2 * p < Math.min(3 * m * q - Math.abs(tol * q), Math.abs(e * q))) {
        e = d;
        d = p / q;
      } else {
        d = m;
        e = m;
      }
    } else {
      d = m;
      e = m;
    }
    a = b;
    ga = gb;
    b += Math.abs(d) > tol ? d : m > 0 ? tol : -tol;
    gb = g(b);
  }
  return b;
}

/** Maximum of a unimodal f on [a, b] by golden-section search to `tolMs`. */
export function goldenMax(f: Switching, a: Instant, b: Instant, tolMs = 1): { t: Instant; value: number } {
  const r = (Math.sqrt(5) - 1) / 2;
  let x1 = b - r * (b - a),
    x2 = a + r * (b - a);
  let f1 = f(x1),
    f2 = f(x2);
  while (b - a > tolMs) {
    if (f1 < f2) {
      a = x1;
      x1 = x2;
      f1 = f2;
      x2 = a + r * (b - a);
      f2 = f(x2);
    } else {
      b = x2;
      x2 = x1;
      f2 = f1;
      x1 = b - r * (b - a);
      f1 = f(x1);
    }
  }
  const t = (a + b) / 2;
  return { t, value: f(t) };
}

export interface Crossing {
  t: Instant;
  rising: boolean;
}

/**
 * All sign changes of g in [from, to] on a grid of `stepMs`, each refined to `tolMs`.
 * Sign changes closer together than the step can hide; choose the step from the dynamics.
 */
export function findCrossings(g: Switching, from: Instant, to: Instant, stepMs: number, tolMs = 1): Crossing[] {
  const out: Crossing[] = [];
  let t0 = from,
    g0 = g(from);
  while (t0 < to) {
    const t1 = Math.min(t0 + stepMs, to);
    const g1 = g(t1);
    if (g0 > 0 !== g1 > 0) out.push({ t: brentRoot(g, t0, t1, g0, g1, tolMs), rising: g1 > 0 });
    t0 = t1;
    g0 = g1;
  }
  return out;
}

/**
 * Maximum of f on [a, b] by Brent's method (golden section + parabolic interpolation; Brent 1973,
 * ch. 5 "localmin"): about 10 evaluations for a smooth peak instead of golden section's 35.
 */
export function brentMax(f: Switching, a: Instant, b: Instant, tolMs = 1): { t: Instant; value: number } {
  const C = (3 - Math.sqrt(5)) / 2;
  let x = a + C * (b - a),
    w = x,
    v = x;
  let fx = -f(x),
    fw = fx,
    fv = fx;
  let d = 0,
    e = 0;
  for (let i = 0; i < 100; i += 1) {
    const m = (a + b) / 2,
      tol1 = tolMs / 3,
      tol2 = 2 * tol1;
    if (Math.abs(x - m) <= tol2 - (b - a) / 2) break;
    let useGolden = true;
    if (Math.abs(e) > tol1) {
      const r = (x - w) * (fx - fv);
      let q = (x - v) * (fx - fw);
      let p = (x - v) * q - (x - w) * r;
      q = 2 * (q - r);
      if (q > 0) p = -p;
      else q = -q;
      if (Math.abs(p) < Math.abs(0.5 * q * e) && p > q * (a - x) && p < q * (b - x)) {
        e = d;
        d = p / q;
        useGolden = false;
        const u = x + d;
        if (u - a < tol2 || b - u < tol2) d = x < m ? tol1 : -tol1;
      }
    }
    if (useGolden) {
      e = (x < m ? b : a) - x;
      d = C * e;
    }
    const u = Math.abs(d) >= tol1 ? x + d : x + (d > 0 ? tol1 : -tol1);
    const fu = -f(u);
    if (fu <= fx) {
      if (u < x) b = x;
      else a = x;
      v = w;
      fv = fw;
      w = x;
      fw = fx;
      x = u;
      fx = fu;
    } else {
      if (u < x) a = u;
      else b = u;
      if (fu <= fw || w === x) {
        v = w;
        fv = fw;
        w = u;
        fw = fu;
      } else if (fu <= fv || v === x || v === w) {
        v = u;
        fv = fu;
      }
    }
  }
  return { t: x, value: -fx };
}
