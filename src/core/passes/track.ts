/**
 * One satellite's Earth-fixed track for the pass finder: SGP4 positions on a grid of nodes,
 * rotated to ECEF once per node, and the position (and its rate) at any time by interpolating
 * the node positions with the degree-9 polynomial through the 10 nearest nodes (Newton form).
 *
 * Why positions only: SGP4's velocity is not the time derivative of its position (they disagree
 * by up to 1.7e-4 km/s in LEO), so a cubic Hermite on positions and velocities errs by metres
 * whatever the step. The 10-node polynomial on positions errs by under 1 cm at 1/28 of the
 * perigee period (200 s in LEO: 7.7 mm worst over 100 LEO element sets; 8 nodes would need
 * 140 s for that, a cubic Hermite on SGP4 velocities errs 2 m at 56 s), i.e. about 1 us of
 * along-track time, with a quarter of the SGP4 calls of a 56 s grid. Its derivative gives a
 * velocity consistent with the interpolated positions, as Newton's method needs.
 */
import { gmstRad, type Site } from '../frames/index.js';
import type { PassSatellite, SatelliteFailure } from './model.js';
import type { Instant } from '../time/index.js';

const TWO_PI = 2 * Math.PI;
/** Nodes of the interpolating polynomial; extra nodes are propagated beyond both window ends. */
const STENCIL = 10;
const EXTRA = STENCIL / 2 - 1;

/**
 * Node spacing: 1/28 of the time the orbit takes to sweep 2 pi at its perigee angular rate
 * n (1 + e)^2 / (1 - e^2)^1.5 (the period for circular orbits), 1/60 for eccentric orbits
 * (e > 0.1, whose perigee passage is sharper than a circle at that rate: a Molniya errs 1.8 m
 * at 1/28, 7 cm at 1/60), between 10 s and 300 s.
 */
export function nodeStepMs(periodS: number, eccentricity: number): number {
  const e = Math.min(Math.max(eccentricity, 0), 0.99);
  const perigeeRateRadS = ((TWO_PI / periodS) * (1 + e) ** 2) / (1 - e * e) ** 1.5;
  return Math.min(Math.max(TWO_PI / (e > 0.1 ? 60 : 28) / perigeeRateRadS, 10), 300) * 1000;
}

export interface Track {
  /** Nodes in use; t ascending (ms), ECEF position (km) and geocentric radius (km) per node. */
  n: number;
  t: Float64Array;
  x: Float64Array;
  y: Float64Array;
  z: Float64Array;
  r: Float64Array;
  /** ECEF velocity (km/s) at the window nodes: the interpolating polynomial's derivative there. */
  vx: Float64Array;
  vy: Float64Array;
  vz: Float64Array;
  /** Window nodes are first..last: t[first] = fromMs, t[last] = toMs or the last good ms before an SGP4 failure. */
  first: number;
  last: number;
  /** Spacing of the window nodes (ms). */
  stepMs: number;
  /** Upper bound of the angular rate of the sub-satellite point (rad/ms), from SGP4's velocities. */
  maxGroundRateRadMs: number;
  /** Largest speed (km/s), smallest and largest radius (km) over the window nodes. */
  maxSpeedKmS: number;
  minRadiusKm: number;
  maxRadiusKm: number;
  endReason: 'window' | 'decayed';
  failure?: SatelliteFailure;
  /** Interpolating polynomial of interval k (t[k] <= t < t[k + 1]), built on first use. */
  ready: Uint8Array;
  order: Uint8Array;
  nodes: Float64Array;
  coef: Float64Array;
  /** Interval of the last evaluation. */
  hint: number;
  /** Output of the last `positionAt` and `lookAt` on this track (per search: read before the next call). */
  state: PositionState;
  look: LookState;
}

export interface PositionState {
  x: number;
  y: number;
  z: number;
  vx: number;
  vy: number;
  vz: number;
}
/** Geometric elevation, range and their rates; east/north for the azimuth; atMs: when. */
export interface LookState {
  atMs: number;
  elevationRad: number;
  elevationRateRadS: number;
  rangeKm: number;
  rangeRateKmS: number;
  east: number;
  north: number;
}

const EARTH_RATE_RAD_S = 7.292115e-5;

function allocate(capacity: number, old?: Track): Track {
  if (old && old.t.length >= capacity) return old;
  const f = () => new Float64Array(capacity);
  return {
    n: 0,
    t: f(),
    x: f(),
    y: f(),
    z: f(),
    r: f(),
    vx: f(),
    vy: f(),
    vz: f(),
    first: 0,
    last: 0,
    hint: 0,
    stepMs: 0,
    maxGroundRateRadMs: 0,
    maxSpeedKmS: 0,
    minRadiusKm: 0,
    maxRadiusKm: 0,
    endReason: 'window',
    ready: new Uint8Array(capacity),
    order: new Uint8Array(capacity),
    nodes: new Float64Array(capacity * STENCIL),
    coef: new Float64Array(capacity * 3 * STENCIL),
    state: { x: 0, y: 0, z: 0, vx: 0, vy: 0, vz: 0 },
    look: { atMs: Number.NaN, elevationRad: 0, elevationRateRadS: 0, rangeKm: 0, rangeRateKmS: 0, east: 0, north: 0 },
  };
}

/**
 * Propagates `sat` on the node grid over [fromMs, toMs] plus EXTRA nodes on either side (where
 * SGP4 succeeds). On an SGP4 failure inside the window, bisects to the last good millisecond,
 * which becomes the last node. Reuses `reuse`'s buffers when large enough.
 */
export function buildTrack(sat: PassSatellite, fromMs: Instant, toMs: Instant, stepMs: number, reuse?: Track): Track {
  const span = Math.max(toMs - fromMs, 0);
  const steps = Math.max(1, Math.ceil(span / stepMs));
  const h = span / steps;
  // Outside the window the nodes keep the window's spacing unless that is degenerate (< 1 s).
  const hOut = h >= 1000 ? h : stepMs;
  const tr = allocate(steps + 1 + 2 * EXTRA, reuse);
  tr.n = 0;
  tr.hint = 0;
  tr.stepMs = h;
  tr.endReason = 'window';
  tr.failure = undefined;
  let maxRate = 0,
    maxSpeed = 0,
    minRadius = Infinity,
    maxRadius = 0;
  const add = (
    t: Instant,
    p: { x: number; y: number; z: number },
    v: { x: number; y: number; z: number },
    inWindow: boolean,
  ) => {
    const g = gmstRad(t),
      c = Math.cos(g),
      s = Math.sin(g);
    const i = tr.n++;
    tr.t[i] = t;
    tr.x[i] = c * p.x + s * p.y;
    tr.y[i] = -s * p.x + c * p.y;
    tr.z[i] = p.z;
    const r = Math.sqrt(p.x * p.x + p.y * p.y + p.z * p.z),
      speed = Math.sqrt(v.x * v.x + v.y * v.y + v.z * v.z);
    tr.r[i] = r;
    if (inWindow) {
      maxRate = Math.max(maxRate, speed / r);
      maxSpeed = Math.max(maxSpeed, speed);
      minRadius = Math.min(minRadius, r);
      maxRadius = Math.max(maxRadius, r);
    }
  };
  // Nodes before the window: find how many succeed, then add them in time order.
  let before = 0;
  while (before < EXTRA && sat.propagator.propagate(fromMs - (before + 1) * hOut).ok) before += 1;
  for (let j = before; j >= 1; j -= 1) {
    const s = sat.propagator.propagate(fromMs - j * hOut);
    if (s.ok) add(fromMs - j * hOut, s.positionTemeKm, s.velocityTemeKmS, false);
  }
  tr.first = tr.n;
  let lastGood = Number.NaN;
  for (let k = 0; k <= steps; k += 1) {
    const t = k === steps ? toMs : fromMs + k * h;
    const s = sat.propagator.propagate(t);
    if (!s.ok) {
      const failure = { noradId: sat.noradId, atMs: t, code: s.code, reason: s.reason };
      tr.endReason = 'decayed';
      if (Number.isNaN(lastGood)) {
        tr.n = 0;
        tr.failure = failure;
        return tr;
      }
      let good = lastGood,
        bad = t;
      while (bad - good > 1) {
        const mid = Math.floor((good + bad) / 2);
        if (sat.propagator.propagate(mid).ok) good = mid;
        else bad = mid;
      }
      const last = sat.propagator.propagate(good);
      if (last.ok && good > lastGood) add(good, last.positionTemeKm, last.velocityTemeKmS, true);
      tr.failure = { ...failure, atMs: bad };
      break;
    }
    add(t, s.positionTemeKm, s.velocityTemeKmS, true);
    lastGood = t;
  }
  tr.last = tr.n - 1;
  if (tr.endReason === 'window') {
    for (let j = 1; j <= EXTRA; j += 1) {
      const s = sat.propagator.propagate(toMs + j * hOut);
      if (!s.ok) break;
      add(toMs + j * hOut, s.positionTemeKm, s.velocityTemeKmS, false);
    }
  }
  tr.maxGroundRateRadMs = (maxRate * 1.1 + EARTH_RATE_RAD_S) / 1000;
  tr.maxSpeedKmS = maxSpeed;
  tr.minRadiusKm = minRadius;
  tr.maxRadiusKm = maxRadius;
  tr.ready.fill(0, 0, tr.n);
  nodeVelocities(tr);
  return tr;
}

/** Index k of the interval with t[k] <= t < t[k + 1], clamped to the first and last intervals. */
function intervalOf(tr: Track, t: Instant): number {
  const ts = tr.t,
    maxK = tr.n - 2;
  // Refinement evaluates the same interval in turn: try the last one first.
  let k = tr.hint;
  if (k < maxK && ts[k]! <= t && t < ts[k + 1]!) return k;
  k = tr.stepMs > 0 ? tr.first + Math.floor((t - ts[tr.first]!) / tr.stepMs) : 0;
  if (k < 0) k = 0;
  else if (k > maxK) k = maxK;
  while (k > 0 && ts[k]! > t) k -= 1;
  while (k < maxK && ts[k + 1]! <= t) k += 1;
  tr.hint = k;
  return k;
}

/**
 * Newton coefficients (divided differences) of the polynomial through the nodes around interval
 * k, times in s from t[k]. The nodes are taken nearest first (k, k + 1, k - 1, k + 2, ...), which
 * keeps the nested evaluation inside the interval well conditioned (0.1 um instead of 0.4 mm).
 */
function prepare(tr: Track, k: number): void {
  const m = Math.min(STENCIL, tr.n);
  const lo = Math.max(0, Math.min(k - EXTRA, tr.n - m)),
    hi = lo + m - 1;
  const zb = k * STENCIL,
    cx = k * 3 * STENCIL,
    cy = cx + STENCIL,
    cz = cy + STENCIL,
    z = tr.nodes,
    c = tr.coef;
  const t0 = tr.t[k]!;
  let below = k,
    above = k + 1;
  for (let j = 0; j < m; j += 1) {
    // Alternate above and below k while both sides have nodes left.
    const node = (j % 2 === 0 && below >= lo) || above > hi ? below-- : above++;
    z[zb + j] = (tr.t[node]! - t0) / 1000;
    c[cx + j] = tr.x[node]!;
    c[cy + j] = tr.y[node]!;
    c[cz + j] = tr.z[node]!;
  }
  for (let d = 1; d < m; d += 1) {
    for (let i = m - 1; i >= d; i -= 1) {
      const inv = 1 / (z[zb + i]! - z[zb + i - d]!);
      c[cx + i] = (c[cx + i]! - c[cx + i - 1]!) * inv;
      c[cy + i] = (c[cy + i]! - c[cy + i - 1]!) * inv;
      c[cz + i] = (c[cz + i]! - c[cz + i - 1]!) * inv;
    }
  }
  tr.order[k] = m;
  tr.ready[k] = 1;
}

/**
 * Derivative at node 0 of the Lagrange basis on the nodes -EXTRA..STENCIL-1-EXTRA (unit spacing):
 * the velocity at a window node from its stencil's positions, as `positionAt` would give it.
 */
const DERIVATIVE_WEIGHTS = Array.from({ length: STENCIL }, (_, j) => {
  const xj = j - EXTRA;
  let sum = 0;
  for (let i = 0; i < STENCIL; i += 1) {
    if (i === j) continue;
    let term = 1 / (xj - (i - EXTRA));
    for (let m = 0; m < STENCIL; m += 1) if (m !== j && m !== i) term *= (0 - (m - EXTRA)) / (xj - (m - EXTRA));
    sum += term;
  }
  return sum;
});

/** Velocities at the window nodes: fixed weights on evenly spaced stencils, else the polynomial. */
function nodeVelocities(tr: Track): void {
  const h = tr.stepMs;
  for (let k = tr.first; k <= tr.last; k += 1) {
    const lo = k - EXTRA;
    let even = lo >= 0 && lo + STENCIL <= tr.n && h > 0;
    for (let j = 1; even && j < STENCIL; j += 1) even = Math.abs(tr.t[lo + j]! - tr.t[lo + j - 1]! - h) <= 1e-6 * h;
    if (!even) {
      const p = positionAt(tr, tr.t[k]!);
      tr.vx[k] = p.vx;
      tr.vy[k] = p.vy;
      tr.vz[k] = p.vz;
      continue;
    }
    let vx = 0,
      vy = 0,
      vz = 0;
    for (let j = 0; j < STENCIL; j += 1) {
      const w = DERIVATIVE_WEIGHTS[j]!;
      vx += w * tr.x[lo + j]!;
      vy += w * tr.y[lo + j]!;
      vz += w * tr.z[lo + j]!;
    }
    const inv = 1000 / h;
    tr.vx[k] = vx * inv;
    tr.vy[k] = vy * inv;
    tr.vz[k] = vz * inv;
  }
}

/** ECEF position (km) and velocity (km/s) at t from the interpolating polynomial, into `tr.state`. */
export function positionAt(tr: Track, t: Instant): PositionState {
  const k = intervalOf(tr, t);
  if (tr.ready[k] === 0) prepare(tr, k);
  const m = tr.order[k]!,
    zb = k * STENCIL,
    cb = k * 3 * STENCIL,
    z = tr.nodes,
    c = tr.coef;
  const s = (t - tr.t[k]!) / 1000;
  let x = c[cb + m - 1]!,
    y = c[cb + STENCIL + m - 1]!,
    w = c[cb + 2 * STENCIL + m - 1]!;
  let dx = 0,
    dy = 0,
    dw = 0;
  for (let j = m - 2; j >= 0; j -= 1) {
    const q = s - z[zb + j]!;
    dx = dx * q + x;
    x = x * q + c[cb + j]!;
    dy = dy * q + y;
    y = y * q + c[cb + STENCIL + j]!;
    dw = dw * q + w;
    w = w * q + c[cb + 2 * STENCIL + j]!;
  }
  const st = tr.state;
  st.x = x;
  st.y = y;
  st.z = w;
  st.vx = dx;
  st.vy = dy;
  st.vz = dw;
  return st;
}

/** A station's ECEF position and east/north/up rows, flat for the evaluator. */
export type SiteFrame = Float64Array;
export function siteFrame(site: Site): SiteFrame {
  const p = site.positionEcefKm,
    e = site.east,
    n = site.north,
    u = site.up;
  return Float64Array.of(p.x, p.y, p.z, e.x, e.y, n.x, n.y, n.z, u.x, u.y, u.z);
}

/** Look angles and their rates from `site` of a point with ECEF position p and velocity v, into `out`. */
function look(
  out: LookState,
  site: SiteFrame,
  px: number,
  py: number,
  pz: number,
  vx: number,
  vy: number,
  vz: number,
): LookState {
  const dx = px - site[0]!,
    dy = py - site[1]!,
    dz = pz - site[2]!;
  const e = dx * site[3]! + dy * site[4]!;
  const n = dx * site[5]! + dy * site[6]! + dz * site[7]!;
  const u = dx * site[8]! + dy * site[9]! + dz * site[10]!;
  const de = vx * site[3]! + vy * site[4]!;
  const dn = vx * site[5]! + vy * site[6]! + vz * site[7]!;
  const du = vx * site[8]! + vy * site[9]! + vz * site[10]!;
  const h2 = e * e + n * n,
    rho = Math.sqrt(h2 + u * u);
  const drho = (e * de + n * dn + u * du) / rho;
  // d/dt asin(u / rho) = (u' rho - u rho') / (rho * horizontal distance)
  const h = Math.sqrt(h2);
  out.elevationRad = Math.asin(u / rho);
  out.elevationRateRadS = h > 1e-9 ? (du * rho - u * drho) / (rho * h) : 0;
  out.rangeKm = rho;
  out.rangeRateKmS = drho;
  out.east = e;
  out.north = n;
  return out;
}

/** Look angles and their rates from `site` at t (allocation-free; output in `tr.look`). */
export function lookAt(tr: Track, site: SiteFrame, t: Instant): LookState {
  const p = positionAt(tr, t);
  tr.look.atMs = t;
  return look(tr.look, site, p.x, p.y, p.z, p.vx, p.vy, p.vz);
}

/** Look angles and their rates from `site` at window node k (no interpolation; output in `tr.look`). */
export function lookAtNode(tr: Track, site: SiteFrame, k: number): LookState {
  tr.look.atMs = tr.t[k]!;
  return look(tr.look, site, tr.x[k]!, tr.y[k]!, tr.z[k]!, tr.vx[k]!, tr.vy[k]!, tr.vz[k]!);
}

/** Azimuth (rad, from north through east) of a look. */
export function lookAzimuthRad(l: LookState): number {
  const az = Math.atan2(l.east, l.north);
  return az < 0 ? az + TWO_PI : az;
}
