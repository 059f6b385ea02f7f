/**
 * Passes of satellites over stations: g(t) = elevation - mask(azimuth) > 0.
 *
 * Each satellite is propagated once on a node grid (track.ts) shared by all stations. For each
 * station, intervals between nodes where the satellite provably stays below the mask (both nodes
 * out of reach by more than half a step of ground motion) are skipped; on the others the
 * elevation e and its rate e' at both ends decide:
 * a sign change of e - mask is a crossing, solved by Newton's method on e' (bracketed); an
 * interior maximum (e' from + to -) below the mask, or minimum above it, whose cubic Hermite
 * estimate from (e, e') at the ends lies within the estimate's error bound of the mask is located
 * (root of e') and, if it crosses, split into two crossings. Horizon masks: the same search on the
 * lowest mask gives windows, inside which g is sampled and refined (sign changes, near maxima).
 * TCA is the highest elevation maximum inside [AOS, LOS] (eccentric orbits can culminate twice).
 */
import {
  angleBetween,
  ecefToTeme,
  enuOf,
  gmstRad,
  refractionRad,
  WGS84_A_KM as EARTH_RADIUS_KM,
} from '../frames/index.js';
import { brentMax, brentRoot } from '../events/index.js';
import { shadowFraction } from '../orbit/index.js';
import { SkyEphemeris } from '../sky/index.js';
import type { Instant } from '../time/index.js';
import { geometricForApparentRad, stationGeometry, type StationGeometry } from './geometry.js';
import type { Pass, PassOptions, PassSatellite, PassSearch, PassStation, SatelliteFailure } from './model.js';
import {
  buildTrack,
  lookAt,
  lookAtNode,
  lookAzimuthRad,
  nodeStepMs,
  positionAt,
  siteFrame,
  type SiteFrame,
  type Track,
} from './track.js';

const DEG = Math.PI / 180;

interface Interval {
  aos: Instant;
  los: Instant;
  clippedAtStart: boolean;
  clippedAtEnd: boolean;
}

/** A station as the search sees it. */
interface StationContext {
  sg: StationGeometry;
  frame: SiteFrame;
  siteRadiusKm: number;
  /** Geometric elevation above which the (lowest) mask can be met: refraction lowers it. */
  thresholdRad: number;
}

function stationContext(
  station: PassStation,
  minElevationRad: number | undefined,
  refraction: boolean,
): StationContext {
  const sg = stationGeometry(station, minElevationRad);
  const p = sg.site.positionEcefKm;
  return {
    sg,
    frame: siteFrame(sg.site),
    siteRadiusKm: Math.hypot(p.x, p.y, p.z),
    thresholdRad: refraction ? geometricForApparentRad(sg.minMaskRad) : sg.minMaskRad,
  };
}

/**
 * Error bound (rad) of the cubic Hermite estimate of an elevation extremum between two nodes
 * `stepS` apart. Below a threshold m the satellite is at range >= the range at elevation m from
 * its lowest altitude, so the line of sight turns at most w = (speed + 0.5 km/s) / that range;
 * elevation then behaves like an analytic function with singularities ~1/w away, |e''''| <~ 24 w^4,
 * and the Hermite error is <= |e''''| h^4 / 384. Ten times that: 0.625 (w h)^4 (5.6 deg for a
 * 0 deg mask at 500 km and a 200 s step; the worst estimate error seen is 5% of the bound).
 */
/** Slant range (km) to a satellite at altitude h (at least 100 km) seen at elevation e, spherical Earth. */
function rangeAtElevationKm(elevationRad: number, altitudeKm: number): number {
  const h = Math.max(altitudeKm, 100),
    sm = EARTH_RADIUS_KM * Math.sin(elevationRad);
  return -sm + Math.sqrt(sm * sm + 2 * EARTH_RADIUS_KM * h + h * h);
}

function nearMissRad(thresholdRad: number, minAltitudeKm: number, maxSpeedKmS: number, stepS: number): number {
  const wh = ((maxSpeedKmS + 0.5) / rangeAtElevationKm(thresholdRad, minAltitudeKm)) * stepS;
  return 0.625 * wh ** 4;
}

/** Elevation, its rate, range and range rate at the nodes of the current station's examined intervals. */
interface NodeLooks {
  el: Float64Array;
  elRate: Float64Array;
  range: Float64Array;
  rangeRate: Float64Array;
  stamp: Int32Array;
  current: number;
}

function nodeLooks(capacity: number, old?: NodeLooks): NodeLooks {
  if (old && old.el.length >= capacity) return old;
  const f = () => new Float64Array(capacity);
  return {
    el: f(),
    elRate: f(),
    range: f(),
    rangeRate: f(),
    stamp: new Int32Array(capacity),
    current: old?.current ?? 0,
  };
}

function nodeLook(tr: Track, frame: SiteFrame, nl: NodeLooks, k: number): void {
  if (nl.stamp[k] === nl.current) return;
  const la = lookAtNode(tr, frame, k);
  nl.el[k] = la.elevationRad;
  nl.elRate[k] = la.elevationRateRadS;
  nl.range[k] = la.rangeKm;
  nl.rangeRate[k] = la.rangeRateKmS;
  nl.stamp[k] = nl.current;
}

/** Cubic Hermite on s in [0, 1] with values v0, v1 and slopes m0, m1 (per unit s) at the ends. */
function hermite(v0: number, m0: number, v1: number, m1: number, s: number): number {
  const s2 = s * s,
    s3 = s2 * s;
  return (2 * s3 - 3 * s2 + 1) * v0 + (s3 - 2 * s2 + s) * m0 + (-2 * s3 + 3 * s2) * v1 + (s3 - s2) * m1;
}

/**
 * Where the cubic Hermite (v0, m0, v1, m1) has its extremum in (0, 1), given slopes m0, m1 of
 * opposite signs (the root of its quadratic derivative between them).
 */
function hermiteExtremumAt(v0: number, m0: number, v1: number, m1: number): number {
  // p'(s) = a s^2 + b s + c, with p'(0) = m0 and p'(1) = m1 of opposite signs: one root in (0, 1).
  const a = 6 * v0 + 3 * m0 - 6 * v1 + 3 * m1,
    b = -6 * v0 - 4 * m0 + 6 * v1 - 2 * m1,
    c = m0;
  if (Math.abs(a) <= 1e-12 * (Math.abs(b) + Math.abs(c))) return Math.min(1, Math.max(0, -c / b));
  const q = Math.sqrt(Math.max(0, b * b - 4 * a * c));
  const r1 = (-b + q) / (2 * a),
    r2 = (-b - q) / (2 * a);
  return r1 >= 0 && r1 <= 1 ? r1 : Math.min(1, Math.max(0, r2));
}

/** Where the cubic Hermite (v0, m0, v1, m1) crosses zero in (0, 1), v0 and v1 of opposite signs: Newton from the chord. */
function hermiteRootAt(v0: number, m0: number, v1: number, m1: number): number {
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
 * Root of f in [a, b] (f(a) = fa, f(b) of the other sign) from the guess x where f' ~ slope (per
 * ms): Newton steps when `slopeAt` gives f' at the point just evaluated, else secant steps on the
 * last two evaluations; bisection whenever a step leaves the bracket. A step below half the
 * tolerance is final (x + step can round to x at epoch-ms magnitudes).
 */
function solveFrom(
  f: (t: Instant) => number,
  a: Instant,
  b: Instant,
  fa: number,
  x: Instant,
  slope: number,
  tolMs: number,
  slopeAt?: () => number,
): Instant {
  let px = Number.NaN,
    pf = 0;
  for (let i = 0; i < 100; i += 1) {
    const fx = f(x);
    if (fx === 0) return x;
    if (slopeAt) slope = slopeAt();
    else if (!Number.isNaN(px) && x !== px) slope = (fx - pf) / (x - px);
    if (fx > 0 === fa > 0) {
      a = x;
      fa = fx;
    } else b = x;
    const step = -fx / slope;
    if (Math.abs(step) <= tolMs / 2) return x + step;
    let next = x + step;
    if (!(next > a && next < b)) next = (a + b) / 2;
    if (b - a <= tolMs) return next;
    px = x;
    pf = fx;
    x = next;
  }
  return x;
}

/** One satellite-station search: its track, station, node looks, and the rates the root solvers need. */
class Search {
  constructor(
    readonly tr: Track,
    readonly st: StationContext,
    readonly nl: NodeLooks,
    readonly tolMs: number,
  ) {}
  readonly elevationRate = (t: Instant): number => lookAt(this.tr, this.st.frame, t).elevationRateRadS;
  readonly rangeRate = (t: Instant): number => lookAt(this.tr, this.st.frame, t).rangeRateKmS;

  /**
   * A look value at t, the root of its rate just found: the solver's last evaluation, within the
   * tolerance of t, is kept (the value is stationary there; the difference is < 1e-9 of it).
   */
  lastValue(t: Instant, key: 'elevationRad' | 'rangeKm'): number {
    const last = this.tr.look;
    return last.atMs === t || Math.abs(last.atMs - t) <= this.tolMs
      ? last[key]
      : lookAt(this.tr, this.st.frame, t)[key];
  }

  /** Looks at node k (once per station). */
  node(k: number): void {
    nodeLook(this.tr, this.st.frame, this.nl, k);
  }

  /** Elevation above the current threshold, and its rate per ms at the point just evaluated (tr.look). */
  private threshold = 0;
  private readonly aboveThreshold = (t: Instant): number =>
    lookAt(this.tr, this.st.frame, t).elevationRad - this.threshold;
  private readonly lastElevationRatePerMs = (): number => this.tr.look.elevationRateRadS / 1000;

  /**
   * Root of e(t) - thresholdRad in [a, b], ga = g(a) and g(b) of opposite signs, from the guess x:
   * Newton's method on the elevation rate (quadratic convergence leaves microseconds).
   */
  crossing(thresholdRad: number, a: Instant, b: Instant, ga: number, x: Instant): Instant {
    this.threshold = thresholdRad;
    return solveFrom(this.aboveThreshold, a, b, ga, x, Number.NaN, this.tolMs, this.lastElevationRatePerMs);
  }

  /** Crossing between two times with known g and elevation rate (rad/s): Newton from the Hermite root. */
  crossingBetween(
    thresholdRad: number,
    t0: Instant,
    t1: Instant,
    g0: number,
    d0: number,
    g1: number,
    d1: number,
  ): Instant {
    const hS = (t1 - t0) / 1000;
    return this.crossing(thresholdRad, t0, t1, g0, t0 + (t1 - t0) * hermiteRootAt(g0, d0 * hS, g1, d1 * hS));
  }

  /**
   * Extremum of a quantity v between two times where its rate dv (per s) changes sign: root of
   * the rate from the Hermite extremum of (v, dv).
   */
  extremumBetween(
    rate: (t: Instant) => number,
    t0: Instant,
    t1: Instant,
    v0: number,
    d0: number,
    v1: number,
    d1: number,
    tolMs: number,
  ): Instant {
    if (t1 - t0 <= tolMs) return d0 + d1 > 0 ? t1 : t0;
    const hMs = t1 - t0,
      hS = hMs / 1000,
      m0 = d0 * hS,
      m1 = d1 * hS;
    const s = hermiteExtremumAt(v0, m0, v1, m1);
    // Slope of the rate at the guess, per ms: p''(s) / (h_s h_ms).
    const a = 6 * v0 + 3 * m0 - 6 * v1 + 3 * m1,
      b = -6 * v0 - 4 * m0 + 6 * v1 - 2 * m1;
    const slope = (2 * a * s + b) / (hS * hMs);
    return solveFrom(rate, t0, t1, d0, t0 + s * hMs, slope || (d1 - d0) / hMs, tolMs);
  }
}

/**
 * Intervals where the geometric elevation exceeds thresholdRad (one station, one track), from the
 * nodes in reach; see the module comment.
 */
function elevationIntervals(search: Search, thresholdRad: number): Interval[] {
  const out: Interval[] = [];
  const { tr, st, nl, tolMs } = search;
  const { first, last, stepMs } = tr;
  if (last < first) return out;
  const f = st.frame,
    sx = f[0]!,
    sy = f[1]!,
    sz = f[2]!,
    rs = st.siteRadiusKm;
  const margin = nearMissRad(thresholdRad, tr.minRadiusKm - EARTH_RADIUS_KM, tr.maxSpeedKmS, stepMs / 1000);
  // Reach: the largest Earth-central angle between station and satellite with elevation >= eMin
  // is acos(rs cos eMin / r) - eMin (spherical Earth; + 0.01 rad for geodetic vs geocentric
  // vertical, <= 0.0034 rad), largest at the largest radius. Every instant is within half a step
  // of a node, so an interval whose two nodes are both farther than that plus half a step of the
  // fastest ground motion is never above eMin: only intervals with a node nearer are examined.
  const eMin = thresholdRad - DEG;
  const psiNear =
    Math.acos(Math.min(1, (rs * Math.cos(eMin)) / tr.maxRadiusKm)) - eMin + 0.01 + (tr.maxGroundRateRadMs * stepMs) / 2;
  const cosNear = psiNear >= Math.PI ? -1 : Math.cos(psiNear);
  const xs = tr.x,
    ys = tr.y,
    zs = tr.z,
    rNear = tr.r,
    cosNearRs = cosNear * rs;
  const near = (k: number) => xs[k]! * sx + ys[k]! * sy + zs[k]! * sz >= cosNearRs * rNear[k]!;
  let open: Instant | undefined,
    openClipped = false;
  const event = (t: Instant, rising: boolean) => {
    if (rising && open === undefined) {
      open = t;
      openClipped = false;
    } else if (!rising && open !== undefined) {
      out.push({ aos: open, los: t, clippedAtStart: openClipped, clippedAtEnd: false });
      open = undefined;
    }
  };
  search.node(first);
  if (nl.el[first]! - thresholdRad > 0) {
    open = tr.t[first]!;
    openClipped = true;
  }
  let near0 = near(first);
  for (let k = first; k < last; k += 1) {
    const near1 = near(k + 1);
    if (near0 || near1) {
      const t0 = tr.t[k]!,
        t1 = tr.t[k + 1]!;
      search.node(k);
      search.node(k + 1);
      const g0 = nl.el[k]! - thresholdRad,
        g1 = nl.el[k + 1]! - thresholdRad,
        d0 = nl.elRate[k]!,
        d1 = nl.elRate[k + 1]!;
      if (g0 > 0 !== g1 > 0) event(search.crossingBetween(thresholdRad, t0, t1, g0, d0, g1, d1), g1 > 0);
      else if (g0 > 0 ? d0 < 0 && d1 > 0 : d0 > 0 && d1 < 0) {
        // An extremum between the nodes: if its Hermite estimate is within the estimate's error
        // bound of the threshold, locate it (root of the elevation rate) and see if it crosses.
        const hS = (t1 - t0) / 1000;
        const estimate = hermite(g0, d0 * hS, g1, d1 * hS, hermiteExtremumAt(g0, d0 * hS, g1, d1 * hS));
        if (g0 > 0 ? estimate < margin : estimate > -margin) {
          const tm = search.extremumBetween(search.elevationRate, t0, t1, g0, d0, g1, d1, tolMs);
          const la = lookAt(tr, f, tm);
          const gm = la.elevationRad - thresholdRad,
            dm = la.elevationRateRadS;
          if (gm > 0 !== g0 > 0) {
            event(search.crossingBetween(thresholdRad, t0, tm, g0, d0, gm, dm), g0 <= 0);
            event(search.crossingBetween(thresholdRad, tm, t1, gm, dm, g1, d1), g0 > 0);
          }
        }
      }
    }
    near0 = near1;
  }
  if (open !== undefined) out.push({ aos: open, los: tr.t[last]!, clippedAtStart: openClipped, clippedAtEnd: true });
  return out;
}

/**
 * Sample maxima of g within this of zero are refined (horizon masks), as a pass may peak between
 * samples. Bound: elevation changes at most (speed / range) rad/s, and a pass peaking above the
 * mask m is at range <= range(m) at its peak: refine within 1.2 x that rate x half a step, never
 * less than 10 deg.
 */
function refineNearRad(minMaskRad: number, perigeeAltitudeKm: number, maxSpeedKmS: number, stepS: number): number {
  const rangeKm = rangeAtElevationKm(minMaskRad, perigeeAltitudeKm);
  return Math.min(Math.PI / 2, Math.max(10 * DEG, ((1.2 * (maxSpeedKmS + 0.5)) / rangeKm) * (stepS / 2)));
}

/** Samples per node interval inside a horizon-mask window (the mask is not smooth in time). */
const MASK_SUBSTEPS = 4;

/**
 * Horizon mask: inside each window where the elevation clears the lowest mask, g = elevation -
 * mask(azimuth) is sampled (window ends, nodes, MASK_SUBSTEPS per node interval); sign changes are
 * refined by Brent's method and sample maxima (minima) near zero by Brent's maximiser.
 */
function maskIntervals(
  tr: Track,
  st: StationContext,
  windows: Interval[],
  refraction: boolean,
  tolMs: number,
): Interval[] {
  const out: Interval[] = [];
  const { sg, frame } = st;
  const g = (t: Instant) => {
    const la = lookAt(tr, frame, t);
    const el = refraction ? la.elevationRad + refractionRad(la.elevationRad) : la.elevationRad;
    return el - sg.maskAt(lookAzimuthRad(la));
  };
  const subS = tr.stepMs / MASK_SUBSTEPS / 1000;
  const refineRad = refineNearRad(sg.minMaskRad, tr.minRadiusKm - EARTH_RADIUS_KM, tr.maxSpeedKmS, subS);
  for (const w of windows) {
    const times: number[] = [w.aos];
    for (let t = w.aos + subS * 1000; t < w.los; t += subS * 1000) times.push(t);
    times.push(w.los);
    const gs = times.map(g);
    const n = times.length;
    const events: { t: Instant; rising: boolean }[] = [];
    for (let k = 1; k < n; k += 1) {
      const t0 = times[k - 1]!,
        t1 = times[k]!,
        g0 = gs[k - 1]!,
        g1 = gs[k]!;
      if (g0 > 0 !== g1 > 0) events.push({ t: brentRoot(g, t0, t1, g0, g1, tolMs), rising: g1 > 0 });
      if (k + 1 >= n) continue;
      const t2 = times[k + 1]!,
        g2 = gs[k + 1]!;
      const isMax = g1 <= 0 && g0 <= 0 && g2 <= 0 && g1 > -refineRad && g1 >= g0 && g1 >= g2;
      const isMin = g1 > 0 && g0 > 0 && g2 > 0 && g1 < refineRad && g1 <= g0 && g1 <= g2;
      if (!isMax && !isMin) continue;
      const sign = isMax ? 1 : -1;
      const ext = brentMax((t) => sign * g(t), t0, t2, tolMs);
      const gExt = sign * ext.value;
      if (isMax ? gExt > 0 : gExt <= 0) {
        events.push({ t: brentRoot(g, t0, ext.t, g0, gExt, tolMs), rising: isMax });
        events.push({ t: brentRoot(g, ext.t, t2, gExt, g2, tolMs), rising: !isMax });
      }
    }
    events.sort((a, b) => a.t - b.t);
    let open: Instant | undefined = gs[0]! > 0 ? times[0]! : undefined;
    let openClipped = gs[0]! > 0 && w.clippedAtStart;
    for (const e of events) {
      if (e.rising && open === undefined) {
        open = e.t;
        openClipped = false;
      } else if (!e.rising && open !== undefined) {
        out.push({ aos: open, los: e.t, clippedAtStart: openClipped, clippedAtEnd: false });
        open = undefined;
      }
    }
    if (open !== undefined)
      out.push({ aos: open, los: w.los, clippedAtStart: openClipped, clippedAtEnd: w.clippedAtEnd });
  }
  return out;
}

/**
 * Scratch of describePass (one per search, never shared between searches): times, elevation, its
 * rate, range, its rate at AOS, inner nodes, LOS.
 */
class PassPoints {
  t = new Float64Array(0);
  e = this.t;
  de = this.t;
  r = this.t;
  dr = this.t;
  capacity(n: number): void {
    if (this.t.length >= n) return;
    const m = Math.max(n, 2 * this.t.length, 64);
    this.t = new Float64Array(m);
    this.e = new Float64Array(m);
    this.de = new Float64Array(m);
    this.r = new Float64Array(m);
    this.dr = new Float64Array(m);
  }
  put(i: number, t: Instant, el: number, elRate: number, range: number, rangeRate: number): void {
    this.t[i] = t;
    this.e[i] = el;
    this.de[i] = elRate;
    this.r[i] = range;
    this.dr[i] = rangeRate;
  }
}

function firstNodeAfter(tr: Track, t: Instant): number {
  let lo = tr.first,
    hi = tr.last + 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (tr.t[mid]! <= t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function describePass(
  sat: PassSatellite,
  search: Search,
  iv: Interval,
  sky: SkyEphemeris,
  refraction: boolean,
  pts: PassPoints,
): Pass {
  const { tr, st, nl, tolMs } = search;
  const { frame, sg } = st;
  // Points: AOS, the nodes inside (their looks are known: the satellite was in reach), LOS.
  const k0 = firstNodeAfter(tr, iv.aos);
  let k1 = k0;
  while (k1 <= tr.last && tr.t[k1]! < iv.los) k1 += 1;
  const np = k1 - k0 + 2;
  pts.capacity(np);
  const put = (i: number, t: Instant, el: number, elRate: number, range: number, rangeRate: number) =>
    pts.put(i, t, el, elRate, range, rangeRate);
  let la = lookAt(tr, frame, iv.los);
  const losAz = lookAzimuthRad(la);
  put(np - 1, iv.los, la.elevationRad, la.elevationRateRadS, la.rangeKm, la.rangeRateKmS);
  la = lookAt(tr, frame, iv.aos);
  const aosAz = lookAzimuthRad(la);
  put(0, iv.aos, la.elevationRad, la.elevationRateRadS, la.rangeKm, la.rangeRateKmS);
  for (let k = k0; k < k1; k += 1) {
    search.node(k);
    put(k - k0 + 1, tr.t[k]!, nl.el[k]!, nl.elRate[k]!, nl.range[k]!, nl.rangeRate[k]!);
  }

  // Culminations: elevation rate from + to - between points (located as the root of the rate),
  // and an end where the elevation falls away from it (counted unless the window clipped it).
  const { t: pt, e: pe, de: pde, r: pr, dr: pdr } = pts;
  let bestT = iv.aos,
    bestEl = -Infinity,
    culminations = 0;
  for (let i = 0; i < np; i += 1)
    if (pe[i]! > bestEl) {
      bestEl = pe[i]!;
      bestT = pt[i]!;
    }
  if (pde[0]! < 0 && !iv.clippedAtStart) culminations += 1;
  if (pde[np - 1]! > 0 && !iv.clippedAtEnd) culminations += 1;
  for (let i = 0; i + 1 < np; i += 1) {
    if (!(pde[i]! > 0 && pde[i + 1]! <= 0)) continue;
    const t = search.extremumBetween(
      search.elevationRate,
      pt[i]!,
      pt[i + 1]!,
      pe[i]!,
      pde[i]!,
      pe[i + 1]!,
      pde[i + 1]!,
      tolMs,
    );
    const el = search.lastValue(t, 'elevationRad');
    culminations += 1;
    if (el > bestEl) {
      bestEl = el;
      bestT = t;
    }
  }
  const tca = Math.min(Math.max(Math.round(bestT), Math.ceil(iv.aos)), Math.floor(iv.los));
  la = lookAt(tr, frame, tca);
  const tcaEl = la.elevationRad,
    tcaRange = la.rangeKm,
    tcaAz = lookAzimuthRad(la);
  // Range acceleration at TCA, (v^2 - rho'^2) / rho without the gravity term (~10%): per ms.
  const p = positionAt(tr, tca);
  const tcaRangeRate = la.rangeRateKmS,
    tcaRangeSlope = (p.vx * p.vx + p.vy * p.vy + p.vz * p.vz - tcaRangeRate * tcaRangeRate) / tcaRange / 1000;
  const tcaTeme = ecefToTeme({ x: p.x, y: p.y, z: p.z }, gmstRad(tca));
  // Minimum range: range rate from - to + between points, located as its root (10 ms suffices);
  // next to TCA (where the range is least too for a circular orbit) from a Newton step there.
  let minRange = Math.min(pr[0]!, pr[np - 1]!, tcaRange);
  const rangeTolMs = Math.max(tolMs, 10);
  for (let i = 0; i + 1 < np; i += 1) {
    if (!(pdr[i]! < 0 && pdr[i + 1]! >= 0)) continue;
    const guess = tca - tcaRangeRate / tcaRangeSlope;
    const t =
      guess > pt[i]! && guess < pt[i + 1]!
        ? solveFrom(search.rangeRate, pt[i]!, pt[i + 1]!, pdr[i]!, guess, tcaRangeSlope, rangeTolMs)
        : search.extremumBetween(
            search.rangeRate,
            pt[i]!,
            pt[i + 1]!,
            pr[i]!,
            pdr[i]!,
            pr[i + 1]!,
            pdr[i + 1]!,
            rangeTolMs,
          );
    minRange = Math.min(minRange, search.lastValue(t, 'rangeKm'), pr[i + 1]!);
  }
  const maxEl = Math.max(bestEl, tcaEl);
  const look = sky.at(tca, sg.site);
  const dir = enuOf(tcaAz, tcaEl);
  const decayed = iv.clippedAtEnd && tr.endReason === 'decayed';
  return {
    noradId: sat.noradId,
    stationId: sg.station.id,
    aosMs: Math.round(iv.aos),
    tcaMs: tca,
    losMs: Math.round(iv.los),
    maxElevationRad: refraction ? maxEl + refractionRad(maxEl) : maxEl,
    aosAzimuthRad: aosAz,
    tcaAzimuthRad: tcaAz,
    losAzimuthRad: losAz,
    minRangeKm: minRange,
    culminations: Math.max(1, culminations),
    clipped: iv.clippedAtStart || (iv.clippedAtEnd && !decayed),
    clippedAtStart: iv.clippedAtStart,
    clippedAtEnd: iv.clippedAtEnd && !decayed,
    endReason: decayed ? 'decayed' : iv.clippedAtEnd ? 'window' : 'set',
    ...(decayed && tr.failure ? { decayReason: tr.failure.reason } : {}),
    sunElevationRadAtTca: look.sun.elevationRad,
    satelliteSunlitAtTca: shadowFraction(tca, tcaTeme) < 0.5,
    moonElevationRadAtTca: look.moon.elevationRad,
    moonSeparationRadAtTca: angleBetween(dir, look.moon.enu),
    sunSeparationRadAtTca: angleBetween(dir, look.sun.enu),
    moonIlluminatedFractionAtTca: look.moonIlluminatedFraction,
  };
}

/**
 * Passes by AOS, then station id, then NORAD id. The AOS keys are copied into one array first:
 * the comparisons then read it instead of Pass objects scattered over the heap (2x faster).
 */
function sortPasses(passes: Pass[]): Pass[] {
  const aos = Float64Array.from(passes, (p) => p.aosMs);
  const order = Array.from(passes.keys());
  order.sort(
    (i, j) =>
      aos[i]! - aos[j]! ||
      passes[i]!.stationId.localeCompare(passes[j]!.stationId) ||
      passes[i]!.noradId - passes[j]!.noradId,
  );
  return order.map((i) => passes[i]!);
}

export interface SearchOptions extends PassOptions {
  /**
   * Receives each satellite's propagated track (positions on the node grid over the window), to
   * sample its passes from it later (trackSampler): the search then allocates a track per satellite.
   */
  onTrack?: (noradId: number, track: Track) => void;
}

/** All passes of `satellites` over `stations` in [fromMs, toMs], sorted by AOS then station. */
export function findPasses(satellites: PassSatellite[], stations: PassStation[], options: SearchOptions): PassSearch {
  const { fromMs, toMs, refraction = false, toleranceMs = 1 } = options;
  const contexts = stations.map((s) => stationContext(s, options.minElevationRad, refraction));
  const passes: Pass[] = [];
  const failures: SatelliteFailure[] = [];
  const sky = new SkyEphemeris();
  // Per-search state: the track buffers, node looks and pass points are reused from one satellite
  // to the next of this search only (nothing module-level: concurrent searches never share them).
  let tr: Track | undefined;
  let nl: NodeLooks | undefined;
  const pts = new PassPoints();
  satellites.forEach((sat, i) => {
    const { periodS, eccentricity } = sat.propagator.summary;
    tr = buildTrack(sat, fromMs, toMs, nodeStepMs(periodS, eccentricity), options.onTrack ? undefined : tr);
    options.onTrack?.(sat.noradId, tr);
    if (tr.failure) failures.push(tr.failure);
    if (tr.last >= tr.first && tr.n >= 2) {
      nl = nodeLooks(tr.n, nl);
      for (const st of contexts) {
        nl.current += 1;
        const search = new Search(tr, st, nl, toleranceMs);
        const windows = elevationIntervals(search, st.thresholdRad);
        const intervals = st.sg.hasHorizon ? maskIntervals(tr, st, windows, refraction, toleranceMs) : windows;
        for (const iv of intervals) passes.push(describePass(sat, search, iv, sky, refraction, pts));
      }
    }
    options.onProgress?.(i + 1, satellites.length);
  });
  return { passes: sortPasses(passes), failures };
}
