/**
 * Root and extremum refinement of a switching function g(t) (Orekit's g-function), to a tolerance
 * in milliseconds: Brent's root finder for a sign change and Brent's maximiser for an extremum
 * between samples. The pass finder's horizon-mask search samples g and refines with these.
 */
import type { Instant } from '../time/index.js';

/** g(t) > 0 means the constraint holds at t. */
export type Switching = (t: Instant) => number;

/**
 * Root of g in [a, b] given g(a), g(b) of opposite signs (Brent 1973, "zeroin"), to `tolMs`.
 * Returns the end of the final bracket on the positive side rounded to the tolerance.
 */
export function brentRoot(
  switching: Switching,
  from: Instant,
  to: Instant,
  valueAtFrom: number,
  valueAtTo: number,
  tolMs = 1,
): Instant {
  const g = switching;
  let a = from,
    b = to,
    ga = valueAtFrom,
    gb = valueAtTo;
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

/**
 * Maximum of f on [a, b] by Brent's method (golden section + parabolic interpolation; Brent 1973,
 * ch. 5 "localmin"): about 10 evaluations for a smooth peak instead of golden section's 35.
 */
export function brentMax(objective: Switching, from: Instant, to: Instant, tolMs = 1): { t: Instant; value: number } {
  const f = objective;
  let a = from,
    b = to;
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
