/**
 * Intervals where a satellite is above a station's mask, g(t) = elevation - mask(azimuth) > 0.
 *
 * Intervals between track nodes where the satellite provably stays below the mask (both nodes out
 * of reach by more than half a step of ground motion) are skipped; on the others the elevation e
 * and its rate e' at both ends decide: a sign change of e - mask is a crossing, solved by Newton's
 * method on e' (bracketed); an interior maximum (e' from + to -) below the mask, or minimum above
 * it, whose cubic Hermite estimate from (e, e') at the ends lies within the estimate's error bound
 * of the mask is located (root of e') and, if it crosses, split into two crossings. Horizon masks:
 * the same search on the lowest mask gives windows, inside which g is sampled and refined (sign
 * changes, near maxima).
 */
import { refractionRad, WGS84_A_KM as EARTH_RADIUS_KM } from '../frames/index.js';
import { brentMax, brentRoot } from '../events/index.js';
import type { Instant } from '../time/index.js';
import { DEG } from '../units.js';
import { lookAzimuthRad } from './look.js';
import type { Search } from './search.js';
import { hermite, hermiteExtremumAt } from './solver.js';

export interface Interval {
  aos: Instant;
  los: Instant;
  clippedAtStart: boolean;
  clippedAtEnd: boolean;
}

/** Slant range (km) to a satellite at altitude h (at least 100 km) seen at elevation e, spherical Earth. */
function rangeAtElevationKm(elevationRad: number, altitudeKm: number): number {
  const h = Math.max(altitudeKm, 100),
    sm = EARTH_RADIUS_KM * Math.sin(elevationRad);
  return -sm + Math.sqrt(sm * sm + 2 * EARTH_RADIUS_KM * h + h * h);
}

/**
 * Error bound (rad) of the cubic Hermite estimate of an elevation extremum between two nodes
 * `stepS` apart. Below a threshold m the satellite is at range >= the range at elevation m from
 * its lowest altitude, so the line of sight turns at most w = (speed + 0.5 km/s) / that range;
 * elevation then behaves like an analytic function with singularities ~1/w away, |e''''| <~ 24 w^4,
 * and the Hermite error is <= |e''''| h^4 / 384. Ten times that: 0.625 (w h)^4 (5.6 deg for a
 * 0 deg mask at 500 km and a 200 s step; the worst estimate error seen is 5% of the bound).
 */
function nearMissRad(thresholdRad: number, minAltitudeKm: number, maxSpeedKmS: number, stepS: number): number {
  const wh = ((maxSpeedKmS + 0.5) / rangeAtElevationKm(thresholdRad, minAltitudeKm)) * stepS;
  return 0.625 * wh ** 4;
}

/**
 * Whether track node k may see the satellite above eMin = threshold - 1 deg. The largest
 * Earth-central angle between station and satellite with elevation >= eMin is
 * acos(rs cos eMin / r) - eMin (spherical Earth; + 0.01 rad for geodetic vs geocentric vertical,
 * <= 0.0034 rad), largest at the largest radius. Every instant is within half a step of a node,
 * so an interval whose two nodes are both farther than that plus half a step of the fastest ground
 * motion is never above eMin: only intervals with a node nearer are examined.
 */
function reachTest(search: Search, thresholdRad: number): (k: number) => boolean {
  const { track, station } = search;
  const [sx, sy, sz] = station.frame,
    rs = station.siteRadiusKm;
  const eMin = thresholdRad - DEG;
  const psiNear =
    Math.acos(Math.min(1, (rs * Math.cos(eMin)) / track.maxRadiusKm)) -
    eMin +
    0.01 +
    (track.maxGroundRateRadMs * track.stepMs) / 2;
  const cosNearRs = (psiNear >= Math.PI ? -1 : Math.cos(psiNear)) * rs;
  const { x, y, z, r } = track;
  return (k) => x[k]! * sx! + y[k]! * sy! + z[k]! * sz! >= cosNearRs * r[k]!;
}

/** Collects rising and setting events into intervals. */
class IntervalBuilder {
  readonly out: Interval[] = [];
  private open: Instant | undefined;
  private openClipped = false;
  /** Opens at the window start (clipped) when the window begins above the threshold. */
  start(t: Instant, above: boolean, clipped: boolean): void {
    this.open = above ? t : undefined;
    this.openClipped = above && clipped;
  }
  event(t: Instant, rising: boolean): void {
    if (rising && this.open === undefined) {
      this.open = t;
      this.openClipped = false;
    } else if (!rising && this.open !== undefined) {
      this.out.push({ aos: this.open, los: t, clippedAtStart: this.openClipped, clippedAtEnd: false });
      this.open = undefined;
    }
  }
  /** Closes an interval still open at the window end (clipped unless `clipped` says otherwise). */
  end(t: Instant, clipped: boolean): Interval[] {
    if (this.open !== undefined)
      this.out.push({ aos: this.open, los: t, clippedAtStart: this.openClipped, clippedAtEnd: clipped });
    return this.out;
  }
}

/**
 * Events of e - threshold between nodes k and k + 1: a crossing, or a near extremum located
 * and split into two crossings.
 */
function nodeIntervalEvents(
  search: Search,
  thresholdRad: number,
  k: number,
  marginRad: number,
  intervals: IntervalBuilder,
): void {
  const { track, nodes } = search;
  search.node(k);
  search.node(k + 1);
  const t0 = track.t[k]!,
    t1 = track.t[k + 1]!,
    g0 = nodes.el[k]! - thresholdRad,
    d0 = nodes.elRate[k]!,
    g1 = nodes.el[k + 1]! - thresholdRad,
    d1 = nodes.elRate[k + 1]!;
  if (g0 > 0 !== g1 > 0) {
    intervals.event(search.crossingBetween(thresholdRad, { t0, t1, v0: g0, d0, v1: g1, d1 }), g1 > 0);
    return;
  }
  if (!(g0 > 0 ? d0 < 0 && d1 > 0 : d0 > 0 && d1 < 0)) return;
  // An extremum between the nodes: if its Hermite estimate is within the estimate's error bound
  // of the threshold, locate it (root of the elevation rate) and see if it crosses.
  const hS = (t1 - t0) / 1000;
  const estimate = hermite(g0, d0 * hS, g1, d1 * hS, hermiteExtremumAt(g0, d0 * hS, g1, d1 * hS));
  if (!(g0 > 0 ? estimate < marginRad : estimate > -marginRad)) return;
  const tm = search.culminationBetween({ t0, t1, v0: g0, d0, v1: g1, d1 });
  const la = search.lookAt(tm);
  const gm = la.elevationRad - thresholdRad,
    dm = la.elevationRateRadS;
  if (gm > 0 === g0 > 0) return;
  intervals.event(search.crossingBetween(thresholdRad, { t0, t1: tm, v0: g0, d0, v1: gm, d1: dm }), g0 <= 0);
  intervals.event(search.crossingBetween(thresholdRad, { t0: tm, t1, v0: gm, d0: dm, v1: g1, d1 }), g0 > 0);
}

/** Intervals where the geometric elevation exceeds thresholdRad (one station, one track); see the module comment. */
export function elevationIntervals(search: Search, thresholdRad: number): Interval[] {
  const { track, nodes } = search;
  const { first, last, stepMs } = track;
  if (last < first) return [];
  const margin = nearMissRad(thresholdRad, track.minRadiusKm - EARTH_RADIUS_KM, track.maxSpeedKmS, stepMs / 1000);
  const near = reachTest(search, thresholdRad);
  const intervals = new IntervalBuilder();
  search.node(first);
  intervals.start(track.t[first]!, nodes.el[first]! - thresholdRad > 0, true);
  let near0 = near(first);
  for (let k = first; k < last; k += 1) {
    const near1 = near(k + 1);
    if (near0 || near1) nodeIntervalEvents(search, thresholdRad, k, margin, intervals);
    near0 = near1;
  }
  return intervals.end(track.t[last]!, true);
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
 * Events of g inside one window from its samples: sign changes refined by Brent's method, sample
 * maxima (minima) near zero by Brent's maximiser and, if they cross, split into two crossings.
 */
function sampledEvents(
  g: (t: Instant) => number,
  times: number[],
  values: number[],
  refineRad: number,
  tolMs: number,
): { t: Instant; rising: boolean }[] {
  const events: { t: Instant; rising: boolean }[] = [];
  const n = times.length;
  for (let k = 1; k < n; k += 1) {
    const t0 = times[k - 1]!,
      t1 = times[k]!,
      g0 = values[k - 1]!,
      g1 = values[k]!;
    if (g0 > 0 !== g1 > 0) events.push({ t: brentRoot(g, t0, t1, g0, g1, tolMs), rising: g1 > 0 });
    if (k + 1 >= n) continue;
    const t2 = times[k + 1]!,
      g2 = values[k + 1]!;
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
  return events.sort((a, b) => a.t - b.t);
}

/**
 * Horizon mask: inside each window where the elevation clears the lowest mask, g = elevation -
 * mask(azimuth) is sampled (window ends, nodes, MASK_SUBSTEPS per node interval) and refined.
 */
export function maskIntervals(search: Search, windows: Interval[], refraction: boolean): Interval[] {
  const { track, station, tolMs } = search;
  const { sg } = station;
  const g = (t: Instant) => {
    const la = search.lookAt(t);
    const el = refraction ? la.elevationRad + refractionRad(la.elevationRad) : la.elevationRad;
    return el - sg.maskAt(lookAzimuthRad(la));
  };
  const subS = track.stepMs / MASK_SUBSTEPS / 1000;
  const refineRad = refineNearRad(sg.minMaskRad, track.minRadiusKm - EARTH_RADIUS_KM, track.maxSpeedKmS, subS);
  const out: Interval[] = [];
  for (const w of windows) {
    const times: number[] = [w.aos];
    for (let t = w.aos + subS * 1000; t < w.los; t += subS * 1000) times.push(t);
    times.push(w.los);
    const values = times.map(g);
    const intervals = new IntervalBuilder();
    intervals.start(times[0]!, values[0]! > 0, w.clippedAtStart);
    for (const e of sampledEvents(g, times, values, refineRad, tolMs)) intervals.event(e.t, e.rising);
    out.push(...intervals.end(w.los, w.clippedAtEnd));
  }
  return out;
}
