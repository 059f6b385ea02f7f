/**
 * Passes of satellites over stations: g(t) = elevation - mask(azimuth) > 0.
 *
 * Each satellite is propagated once on a node grid (track.ts) shared by all stations. For each
 * station, nodes the satellite provably cannot reach above the mask in the meantime are skipped;
 * on the other intervals between nodes the elevation e and its rate e' at both ends decide:
 * a sign change of e - mask is a crossing, solved by Newton's method on e' (bracketed); an
 * interior maximum (e' from + to -) below the mask, or minimum above it, whose cubic Hermite
 * estimate from (e, e') at the ends lies within the estimate's error bound of the mask is located
 * (root of e') and, if it crosses, split into two crossings. Horizon masks: the same search on the
 * lowest mask gives windows, inside which g is sampled and refined (sign changes, near maxima).
 * TCA is the highest elevation maximum inside [AOS, LOS] (eccentric orbits can culminate twice).
 */
import { angleBetween, ecefToTeme, enuOf, gmstRad, refractionRad } from '../frames/index.js';
import { brentMax, brentRoot } from '../events/index.js';
import { shadowFraction } from '../orbit/index.js';
import { SkyEphemeris } from '../sky/index.js';
import type { Instant } from '../time/index.js';
import { stationGeometry, type StationGeometry } from './geometry.js';
import type { Pass, PassOptions, PassSatellite, PassSearch, PassStation, SatelliteFailure } from './model.js';
import { buildTrack, lookAt, lookAzimuthRad, nodeStepMs, positionAt, siteFrame, type SiteFrame, type Track } from './track.js';

const DEG = Math.PI / 180;
const EARTH_RADIUS_KM = 6378.137;

interface Interval { aos: Instant; los: Instant; clippedAtStart: boolean; clippedAtEnd: boolean }

/** A station as the search sees it. */
interface StationContext {
  sg: StationGeometry;
  frame: SiteFrame;
  siteRadiusKm: number;
  /** Geometric elevation above which the (lowest) mask can be met: refraction lowers it. */
  thresholdRad: number;
}

/** Geometric elevation whose apparent elevation (with standard refraction) is `apparentRad`. */
export function geometricForApparentRad(apparentRad: number): number {
  // e + refraction(e) increases with e: bisection on [apparent - 1 deg, apparent].
  let lo = apparentRad - DEG, hi = apparentRad;
  for (let i = 0; i < 60; i += 1) { const mid = (lo + hi) / 2; if (mid + refractionRad(mid) < apparentRad) lo = mid; else hi = mid; }
  return (lo + hi) / 2;
}

function stationContext(station: PassStation, minElevationRad: number | undefined, refraction: boolean): StationContext {
  const sg = stationGeometry(station, minElevationRad);
  const p = sg.site.positionEcefKm;
  return { sg, frame: siteFrame(sg.site), siteRadiusKm: Math.hypot(p.x, p.y, p.z), thresholdRad: refraction ? geometricForApparentRad(sg.minMaskRad) : sg.minMaskRad };
}

/**
 * Error bound (rad) of the cubic Hermite estimate of an elevation extremum between two nodes
 * `stepS` apart. Below a threshold m the satellite is at range >= the range at elevation m from
 * its lowest altitude, so the line of sight turns at most w = (speed + 0.5 km/s) / that range;
 * elevation then behaves like an analytic function with singularities ~1/w away, |e''''| <~ 24 w^4,
 * and the Hermite error is <= |e''''| h^4 / 384. Ten times that: 0.625 (w h)^4 (1 deg for a
 * 0 deg mask at 500 km and a 140 s step).
 */
function nearMissRad(thresholdRad: number, minAltitudeKm: number, maxSpeedKmS: number, stepS: number): number {
  const h = Math.max(minAltitudeKm, 100), sm = EARTH_RADIUS_KM * Math.sin(thresholdRad);
  const rangeKm = -sm + Math.sqrt(sm * sm + 2 * EARTH_RADIUS_KM * h + h * h);
  const wh = ((maxSpeedKmS + 0.5) / rangeKm) * stepS;
  return 0.625 * wh ** 4;
}

/**
 * Extremum over [0, 1] of the cubic Hermite interpolant with values g0, g1 and rates d0, d1
 * (per second) at the ends of a `stepS` interval: the maximum for sign = 1, the minimum for -1.
 */
function hermiteExtremum(g0: number, d0: number, g1: number, d1: number, stepS: number, sign: 1 | -1): number {
  const m0 = d0 * stepS, m1 = d1 * stepS;
  const cubic = (s: number) => { const s2 = s * s, s3 = s2 * s; return (2 * s3 - 3 * s2 + 1) * g0 + (s3 - 2 * s2 + s) * m0 + (-2 * s3 + 3 * s2) * g1 + (s3 - s2) * m1; };
  // p'(s) = a s^2 + b s + c
  const a = 6 * g0 + 3 * m0 - 6 * g1 + 3 * m1, b = -6 * g0 - 4 * m0 + 6 * g1 - 2 * m1, c = m0;
  let best = sign * Math.max(sign * g0, sign * g1);
  const consider = (s: number) => { if (s > 0 && s < 1) best = sign * Math.max(sign * best, sign * cubic(s)); };
  if (Math.abs(a) < 1e-300) { if (b !== 0) consider(-c / b); } else {
    const disc = b * b - 4 * a * c;
    if (disc >= 0) { const q = Math.sqrt(disc); consider((-b + q) / (2 * a)); consider((-b - q) / (2 * a)); }
  }
  return best;
}

/** Elevation, its rate, range and range rate at the nodes of the current station's examined intervals. */
interface NodeLooks { el: Float64Array; elRate: Float64Array; range: Float64Array; rangeRate: Float64Array; stamp: Int32Array; current: number }

function nodeLooks(capacity: number, old?: NodeLooks): NodeLooks {
  if (old && old.el.length >= capacity) return old;
  const f = () => new Float64Array(capacity);
  return { el: f(), elRate: f(), range: f(), rangeRate: f(), stamp: new Int32Array(capacity), current: old?.current ?? 0 };
}

function lookAtNode(tr: Track, frame: SiteFrame, nl: NodeLooks, k: number): void {
  if (nl.stamp[k] === nl.current) return;
  const la = lookAt(tr, frame, tr.t[k]!);
  nl.el[k] = la.elevationRad; nl.elRate[k] = la.elevationRateRadS; nl.range[k] = la.rangeKm; nl.rangeRate[k] = la.rangeRateKmS;
  nl.stamp[k] = nl.current;
}

/**
 * Root of e(t) - thresholdRad in [a, b] (values ga, gb of opposite signs): Newton's method with
 * the elevation rate, falling back to bisection when a step leaves the bracket; stops when the
 * step is below half the tolerance (quadratic convergence leaves microseconds of error).
 */
function crossing(tr: Track, frame: SiteFrame, thresholdRad: number, a: Instant, b: Instant, ga: number, gb: number, tolMs: number): Instant {
  let x = a - (ga * (b - a)) / (gb - ga);
  for (let i = 0; i < 100; i += 1) {
    const la = lookAt(tr, frame, x);
    const gx = la.elevationRad - thresholdRad, dx = la.elevationRateRadS / 1000;
    if (gx === 0) return x;
    if ((gx > 0) === (ga > 0)) { a = x; ga = gx; } else { b = x; gb = gx; }
    let next = dx !== 0 ? x - gx / dx : Number.NaN;
    if (!(next > a && next < b)) next = (a + b) / 2;
    if (Math.abs(next - x) <= tolMs / 2 || b - a <= tolMs) return next;
    x = next;
  }
  return x;
}

/**
 * Intervals where the geometric elevation exceeds thresholdRad (one station, one track), from the
 * nodes in reach; see the module comment.
 */
function elevationIntervals(tr: Track, st: StationContext, nl: NodeLooks, thresholdRad: number, tolMs: number): Interval[] {
  const out: Interval[] = [];
  const { first, last, stepMs } = tr;
  if (last < first) return out;
  const f = st.frame, sx = f[0]!, sy = f[1]!, sz = f[2]!, rs = st.siteRadiusKm;
  const margin = nearMissRad(thresholdRad, tr.minRadiusKm - EARTH_RADIUS_KM, tr.maxSpeedKmS, stepMs / 1000);
  // Reach: largest Earth-central angle with elevation >= eMin is acos(rs cos eMin / r) - eMin
  // (spherical Earth; 0.01 rad covers geodetic vs geocentric vertical, <= 0.0034 rad).
  const eMin = thresholdRad - DEG, cosE = Math.cos(eMin), rate = tr.maxGroundRateRadMs;
  /** Time (ms) either side of node k during which the satellite stays below eMin (< 0: in reach). */
  const clearMs = (k: number): number => {
    const r = tr.r[k]!;
    const psi = Math.acos(Math.min(1, Math.max(-1, (tr.x[k]! * sx + tr.y[k]! * sy + tr.z[k]! * sz) / (r * rs))));
    return (psi - (Math.acos(Math.min(1, (rs * cosE) / r)) - eMin + 0.01)) / rate;
  };
  const elRate = (t: Instant) => lookAt(tr, f, t).elevationRateRadS;
  const gAt = (t: Instant) => lookAt(tr, f, t).elevationRad - thresholdRad;
  let open: Instant | undefined, openClipped = false;
  const event = (t: Instant, rising: boolean) => {
    if (rising && open === undefined) { open = t; openClipped = false; }
    else if (!rising && open !== undefined) { out.push({ aos: open, los: t, clippedAtStart: openClipped, clippedAtEnd: false }); open = undefined; }
  };
  lookAtNode(tr, f, nl, first);
  if (nl.el[first]! - thresholdRad > 0) { open = tr.t[first]!; openClipped = true; }
  let k = first, clear0 = clearMs(first);
  while (k < last) {
    // Node k alone clears the intervals that end within clear0 of it.
    const skip = Math.floor(clear0 / stepMs);
    if (skip >= 1) { k = Math.min(k + skip, last); clear0 = clearMs(k); continue; }
    const clear1 = clearMs(k + 1);
    const t0 = tr.t[k]!, t1 = tr.t[k + 1]!;
    if (clear0 + clear1 < t1 - t0) {
      lookAtNode(tr, f, nl, k); lookAtNode(tr, f, nl, k + 1);
      const g0 = nl.el[k]! - thresholdRad, g1 = nl.el[k + 1]! - thresholdRad, d0 = nl.elRate[k]!, d1 = nl.elRate[k + 1]!;
      if ((g0 > 0) !== (g1 > 0)) event(crossing(tr, f, thresholdRad, t0, t1, g0, g1, tolMs), g1 > 0);
      else if (g0 > 0 ? d0 < 0 && d1 > 0 && hermiteExtremum(g0, d0, g1, d1, (t1 - t0) / 1000, -1) < margin
        : d0 > 0 && d1 < 0 && hermiteExtremum(g0, d0, g1, d1, (t1 - t0) / 1000, 1) > -margin) {
        // An extremum between the nodes may cross: locate it (root of the elevation rate).
        const tm = brentRoot(elRate, t0, t1, d0, d1, tolMs);
        const gm = gAt(tm);
        if ((gm > 0) !== (g0 > 0)) {
          event(crossing(tr, f, thresholdRad, t0, tm, g0, gm, tolMs), g0 <= 0);
          event(crossing(tr, f, thresholdRad, tm, t1, gm, g1, tolMs), g0 > 0);
        }
      }
    }
    k += 1; clear0 = clear1;
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
  const h = Math.max(perigeeAltitudeKm, 100), sm = EARTH_RADIUS_KM * Math.sin(minMaskRad);
  const rangeKm = -sm + Math.sqrt(sm * sm + 2 * EARTH_RADIUS_KM * h + h * h);
  return Math.min(Math.PI / 2, Math.max(10 * DEG, (1.2 * (maxSpeedKmS + 0.5) / rangeKm) * (stepS / 2)));
}

/** Samples per node interval inside a horizon-mask window (the mask is not smooth in time). */
const MASK_SUBSTEPS = 4;

/**
 * Horizon mask: inside each window where the elevation clears the lowest mask, g = elevation -
 * mask(azimuth) is sampled (window ends, nodes, MASK_SUBSTEPS per node interval); sign changes are
 * refined by Brent's method and sample maxima (minima) near zero by Brent's maximiser.
 */
function maskIntervals(tr: Track, st: StationContext, windows: Interval[], refraction: boolean, tolMs: number): Interval[] {
  const out: Interval[] = [];
  const { sg, frame } = st;
  const g = (t: Instant) => {
    const la = lookAt(tr, frame, t);
    const el = refraction ? la.elevationRad + refractionRad(la.elevationRad) : la.elevationRad;
    return el - sg.maskAt(lookAzimuthRad());
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
      const t0 = times[k - 1]!, t1 = times[k]!, g0 = gs[k - 1]!, g1 = gs[k]!;
      if ((g0 > 0) !== (g1 > 0)) events.push({ t: brentRoot(g, t0, t1, g0, g1, tolMs), rising: g1 > 0 });
      if (k + 1 >= n) continue;
      const t2 = times[k + 1]!, g2 = gs[k + 1]!;
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
      if (e.rising && open === undefined) { open = e.t; openClipped = false; }
      else if (!e.rising && open !== undefined) { out.push({ aos: open, los: e.t, clippedAtStart: openClipped, clippedAtEnd: false }); open = undefined; }
    }
    if (open !== undefined) out.push({ aos: open, los: w.los, clippedAtStart: openClipped, clippedAtEnd: w.clippedAtEnd });
  }
  return out;
}

/** Scratch for describePass: times, elevation, its rate, range, its rate at AOS, inner nodes, LOS. */
let PT = new Float64Array(0), PE = PT, PDE = PT, PR = PT, PDR = PT;
function pointCapacity(n: number): void {
  if (PT.length >= n) return;
  const m = Math.max(n, 2 * PT.length, 64);
  PT = new Float64Array(m); PE = new Float64Array(m); PDE = new Float64Array(m); PR = new Float64Array(m); PDR = new Float64Array(m);
}

function firstNodeAfter(tr: Track, t: Instant): number {
  let lo = tr.first, hi = tr.last + 1;
  while (lo < hi) { const mid = (lo + hi) >> 1; if (tr.t[mid]! <= t) lo = mid + 1; else hi = mid; }
  return lo;
}

function describePass(sat: PassSatellite, st: StationContext, iv: Interval, tr: Track, nl: NodeLooks, sky: SkyEphemeris, refraction: boolean, tolMs: number): Pass {
  const { frame, sg } = st;
  const put = (i: number, t: Instant, el: number, elRate: number, range: number, rangeRate: number) => { PT[i] = t; PE[i] = el; PDE[i] = elRate; PR[i] = range; PDR[i] = rangeRate; };
  // Points: AOS, the nodes inside (their looks are known: the satellite was in reach), LOS.
  const k0 = firstNodeAfter(tr, iv.aos);
  let k1 = k0;
  while (k1 <= tr.last && tr.t[k1]! < iv.los) k1 += 1;
  pointCapacity(k1 - k0 + 2);
  let la = lookAt(tr, frame, iv.los);
  const losAz = lookAzimuthRad();
  const np = k1 - k0 + 2;
  put(np - 1, iv.los, la.elevationRad, la.elevationRateRadS, la.rangeKm, la.rangeRateKmS);
  la = lookAt(tr, frame, iv.aos);
  const aosAz = lookAzimuthRad();
  put(0, iv.aos, la.elevationRad, la.elevationRateRadS, la.rangeKm, la.rangeRateKmS);
  for (let k = k0; k < k1; k += 1) { lookAtNode(tr, frame, nl, k); put(k - k0 + 1, tr.t[k]!, nl.el[k]!, nl.elRate[k]!, nl.range[k]!, nl.rangeRate[k]!); }

  // Culminations: elevation rate from + to - between points (located by Brent on the rate), and
  // an end where the elevation falls away from it (counted unless the window clipped it).
  const elRate = (t: Instant) => lookAt(tr, frame, t).elevationRateRadS;
  let bestT = iv.aos, bestEl = -Infinity, culminations = 0;
  for (let i = 0; i < np; i += 1) if (PE[i]! > bestEl) { bestEl = PE[i]!; bestT = PT[i]!; }
  if (PDE[0]! < 0 && !iv.clippedAtStart) culminations += 1;
  if (PDE[np - 1]! > 0 && !iv.clippedAtEnd) culminations += 1;
  for (let i = 0; i + 1 < np; i += 1) {
    if (!(PDE[i]! > 0 && PDE[i + 1]! <= 0)) continue;
    const t = PT[i + 1]! - PT[i]! > tolMs ? brentRoot(elRate, PT[i]!, PT[i + 1]!, PDE[i]!, PDE[i + 1]!, tolMs) : PT[i + 1]!;
    const el = lookAt(tr, frame, t).elevationRad;
    culminations += 1;
    if (el > bestEl) { bestEl = el; bestT = t; }
  }
  const tca = Math.min(Math.max(Math.round(bestT), Math.ceil(iv.aos)), Math.floor(iv.los));
  la = lookAt(tr, frame, tca);
  const tcaEl = la.elevationRad, tcaRange = la.rangeKm, tcaAz = lookAzimuthRad();
  const p = positionAt(tr, tca);
  const tcaTeme = ecefToTeme({ x: p.x, y: p.y, z: p.z }, gmstRad(tca));
  // Minimum range: range rate from - to + between points, located by Brent (10 ms suffices).
  const rangeRate = (t: Instant) => lookAt(tr, frame, t).rangeRateKmS;
  let minRange = Math.min(PR[0]!, PR[np - 1]!, tcaRange);
  for (let i = 0; i + 1 < np; i += 1) {
    if (!(PDR[i]! < 0 && PDR[i + 1]! >= 0)) continue;
    const t = PT[i + 1]! - PT[i]! > tolMs ? brentRoot(rangeRate, PT[i]!, PT[i + 1]!, PDR[i]!, PDR[i + 1]!, Math.max(tolMs, 10)) : PT[i + 1]!;
    minRange = Math.min(minRange, lookAt(tr, frame, t).rangeKm, PR[i + 1]!);
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

/** All passes of `satellites` over `stations` in [fromMs, toMs], sorted by AOS then station. */
export function findPasses(satellites: PassSatellite[], stations: PassStation[], options: PassOptions): PassSearch {
  const { fromMs, toMs, refraction = false, toleranceMs = 1 } = options;
  const contexts = stations.map((s) => stationContext(s, options.minElevationRad, refraction));
  const passes: Pass[] = [];
  const failures: SatelliteFailure[] = [];
  const sky = new SkyEphemeris();
  let tr: Track | undefined;
  let nl: NodeLooks | undefined;
  satellites.forEach((sat, i) => {
    const { periodS, eccentricity } = sat.propagator.summary;
    tr = buildTrack(sat, fromMs, toMs, nodeStepMs(periodS, eccentricity), tr);
    if (tr.failure) failures.push(tr.failure);
    if (tr.last >= tr.first && tr.n >= 2) {
      nl = nodeLooks(tr.n, nl);
      for (const st of contexts) {
        nl.current += 1;
        const windows = elevationIntervals(tr, st, nl, st.thresholdRad, toleranceMs);
        const intervals = st.sg.hasHorizon ? maskIntervals(tr, st, windows, refraction, toleranceMs) : windows;
        for (const iv of intervals) passes.push(describePass(sat, st, iv, tr, nl, sky, refraction, toleranceMs));
      }
    }
    options.onProgress?.(i + 1, satellites.length);
  });
  passes.sort((a, b) => a.aosMs - b.aosMs || a.stationId.localeCompare(b.stationId) || a.noradId - b.noradId);
  return { passes, failures };
}
