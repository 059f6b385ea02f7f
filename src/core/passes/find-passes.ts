/**
 * Passes of satellites over stations: g(t) = elevation - mask(azimuth) > 0. Each satellite is
 * propagated once per grid step for all stations; each sign change is refined by Brent's method to
 * the tolerance, and sample maxima/minima of g close to zero are refined (golden section) so that
 * passes (or dips) shorter than the step are neither missed nor invented. TCA is the highest
 * elevation maximum inside [AOS, LOS] (eccentric orbits can culminate twice in one pass).
 */
import { angleBetween, enuOf, gmstRad, lookAngles, refractionRad, temeToEcef, type LookAngles, type Vec3 } from '../frames/index.js';
import { brentMax, brentRoot } from '../events/index.js';
import { shadowFraction } from '../orbit/index.js';
import { SkyEphemeris } from '../sky/index.js';
import type { Instant } from '../time/index.js';
import { searchStepMs, stationGeometry, type StationGeometry } from './geometry.js';
import type { Pass, PassOptions, PassSatellite, PassSearch, PassStation, SatelliteFailure } from './model.js';

const DEG = Math.PI / 180;
const EARTH_RADIUS_KM = 6378.137;
const TWO_PI = 2 * Math.PI;

/**
 * Sample maxima of g within this of zero are refined, as a pass may peak between samples. Bound:
 * elevation changes at most (speed / range) rad/s, and a pass peaking above the mask m is at range
 * <= range(m) at its peak (lowest altitude = perigee): refine within 1.2 x that rate x half a step,
 * and never less than 10 deg. (About 10 deg for a 0-10 deg mask, 25 deg for a 60 deg mask in LEO.)
 */
function refineNearRad(minMaskRad: number, perigeeAltitudeKm: number, maxSpeedKmS: number, stepS: number): number {
  const h = Math.max(perigeeAltitudeKm, 100), sm = EARTH_RADIUS_KM * Math.sin(minMaskRad);
  const rangeKm = -sm + Math.sqrt(sm * sm + 2 * EARTH_RADIUS_KM * h + h * h);
  return Math.min(Math.PI / 2, Math.max(10 * DEG, (1.2 * (maxSpeedKmS + 0.5) / rangeKm) * (stepS / 2)));
}

/**
 * SGP4 states on the search grid. Between grid points the TEME state is a cubic Hermite
 * interpolant of positions and velocities: for a 56 s LEO step the error is about
 * h^4 r w^4 / 384 = 0.3 m (0.04 ms of along-track time), so root and extremum refinement needs no
 * further SGP4 calls.
 */
interface Grid {
  times: Float64Array; pos: Vec3[]; vel: Vec3[]; ecef: Vec3[]; gmsts: number[]; endReason: 'window' | 'decayed'; failure?: SatelliteFailure;
  /** Flat copies for the allocation-free evaluator: TEME p, v and GMST (unwrapped) per sample. */
  flat?: Float64Array; gm?: Float64Array;
  /** Index of the interval of the last evaluation (refinement evaluates nearby times in turn). */
  hint: number;
}

function flatten(grid: Grid): void {
  const n = grid.times.length;
  const f = new Float64Array(6 * n), gm = new Float64Array(n);
  let prev = 0;
  for (let k = 0; k < n; k += 1) {
    const p = grid.pos[k]!, v = grid.vel[k]!;
    f[6 * k] = p.x; f[6 * k + 1] = p.y; f[6 * k + 2] = p.z; f[6 * k + 3] = v.x; f[6 * k + 4] = v.y; f[6 * k + 5] = v.z;
    // GMST unwrapped so that it is linear between samples (its quadratic term moves it < 1e-17 rad
    // from the chord over a step).
    let g = grid.gmsts[k]!;
    if (k > 0) { g += Math.round((prev - g) / TWO_PI) * TWO_PI; if (g < prev) g += TWO_PI; }
    gm[k] = g; prev = g;
  }
  grid.flat = f; grid.gm = gm;
}

/** Propagates once per step; on SGP4 failure, bisects to the last good millisecond and stops. */
function sampleGrid(sat: PassSatellite, fromMs: Instant, toMs: Instant, stepMs: number): Grid {
  const n = Math.max(1, Math.ceil((toMs - fromMs) / stepMs));
  const times: number[] = [];
  const pos: Vec3[] = [], vel: Vec3[] = [], ecef: Vec3[] = [], gmsts: number[] = [];
  const push = (t: Instant, p: Vec3, v: Vec3) => { const g = gmstRad(t); times.push(t); pos.push(p); vel.push(v); gmsts.push(g); ecef.push(temeToEcef(p, g)); };
  let lastGood = Number.NaN;
  for (let k = 0; k <= n; k += 1) {
    const t = k === n ? toMs : fromMs + k * stepMs;
    const s = sat.propagator.propagate(t);
    if (!s.ok) {
      const failure = { noradId: sat.noradId, atMs: t, code: s.code, reason: s.reason };
      if (Number.isNaN(lastGood)) return { times: new Float64Array(0), pos, vel, ecef, gmsts, endReason: 'decayed', failure, hint: 0 };
      let good = lastGood, bad = t;
      while (bad - good > 1) { const mid = Math.floor((good + bad) / 2); if (sat.propagator.propagate(mid).ok) good = mid; else bad = mid; }
      const last = sat.propagator.propagate(good);
      if (last.ok && good > lastGood) push(good, last.positionTemeKm, last.velocityTemeKmS);
      return { times: Float64Array.from(times), pos, vel, ecef, gmsts, endReason: 'decayed', failure: { ...failure, atMs: bad }, hint: 0 };
    }
    push(t, s.positionTemeKm, s.velocityTemeKmS);
    lastGood = t;
  }
  return { times: Float64Array.from(times), pos, vel, ecef, gmsts, endReason: 'window', hint: 0 };
}

/** TEME position at t by cubic Hermite interpolation on the grid (t inside the grid span). */
function temeAt(grid: Grid, t: Instant): Vec3 {
  const ts = grid.times;
  let lo = 0, hi = ts.length - 1;
  while (hi - lo > 1) { const mid = (lo + hi) >> 1; if (ts[mid]! <= t) lo = mid; else hi = mid; }
  const t0 = ts[lo]!, t1 = ts[hi]!;
  if (t1 === t0) return grid.pos[lo]!;
  const hS = (t1 - t0) / 1000, s = (t - t0) / (t1 - t0), s2 = s * s, s3 = s2 * s;
  const h00 = 2 * s3 - 3 * s2 + 1, h10 = (s3 - 2 * s2 + s) * hS, h01 = -2 * s3 + 3 * s2, h11 = (s3 - s2) * hS;
  const p0 = grid.pos[lo]!, p1 = grid.pos[hi]!, v0 = grid.vel[lo]!, v1 = grid.vel[hi]!;
  return {
    x: h00 * p0.x + h10 * v0.x + h01 * p1.x + h11 * v1.x,
    y: h00 * p0.y + h10 * v0.y + h01 * p1.y + h11 * v1.y,
    z: h00 * p0.z + h10 * v0.z + h01 * p1.z + h11 * v1.z,
  };
}

/** Interval index lo (ts[lo] <= t < ts[lo + 1], clamped to the ends) as temeAt's binary search. */
function intervalOf(grid: Grid, t: Instant): number {
  const ts = grid.times, last = ts.length - 1;
  const h = grid.hint;
  if (h < last && ts[h]! <= t && (t < ts[h + 1]! || h + 1 === last)) return h;
  let lo = 0, hi = last;
  while (hi - lo > 1) { const mid = (lo + hi) >> 1; if (ts[mid]! <= t) lo = mid; else hi = mid; }
  grid.hint = lo;
  return lo;
}

/** Scratch output of evalLook (single-threaded; read immediately). */
const LOOK = { azimuthRad: 0, elevationRad: 0, rangeKm: 0 };

/**
 * Look angles at t from the Hermite interpolant, without allocating: same arithmetic as
 * lookAngles(site, temeToEcef(temeAt(grid, t), gmstRad(t))), with GMST linear between samples.
 * The azimuth is computed only when `withAzimuth`.
 */
function evalLook(grid: Grid, sg: StationGeometry, t: Instant, refraction: boolean, withAzimuth: boolean): typeof LOOK {
  const lo = intervalOf(grid, t), hi = lo + 1;
  const ts = grid.times, f = grid.flat!, gm = grid.gm!;
  const t0 = ts[lo]!, t1 = ts[hi]!;
  let x: number, y: number, z: number, gmst: number;
  const a = 6 * lo;
  if (t1 === t0) { x = f[a]!; y = f[a + 1]!; z = f[a + 2]!; gmst = gm[lo]!; }
  else {
    const b = 6 * hi;
    const hS = (t1 - t0) / 1000, s = (t - t0) / (t1 - t0), s2 = s * s, s3 = s2 * s;
    const h00 = 2 * s3 - 3 * s2 + 1, h10 = (s3 - 2 * s2 + s) * hS, h01 = -2 * s3 + 3 * s2, h11 = (s3 - s2) * hS;
    x = h00 * f[a]! + h10 * f[a + 3]! + h01 * f[b]! + h11 * f[b + 3]!;
    y = h00 * f[a + 1]! + h10 * f[a + 4]! + h01 * f[b + 1]! + h11 * f[b + 4]!;
    z = h00 * f[a + 2]! + h10 * f[a + 5]! + h01 * f[b + 2]! + h11 * f[b + 5]!;
    gmst = gm[lo]! + (gm[hi]! - gm[lo]!) * s;
  }
  const c = Math.cos(gmst), sn = Math.sin(gmst);
  const site = sg.site, sp = site.positionEcefKm;
  const dx = c * x + sn * y - sp.x, dy = -sn * x + c * y - sp.y, dz = z - sp.z;
  const e = dx * site.east.x + dy * site.east.y;
  const nn = dx * site.north.x + dy * site.north.y + dz * site.north.z;
  const u = dx * site.up.x + dy * site.up.y + dz * site.up.z;
  const rangeKm = Math.sqrt(e * e + nn * nn + u * u);
  let el = Math.asin(u / rangeKm);
  if (refraction) el += refractionRad(el);
  LOOK.elevationRad = el; LOOK.rangeKm = rangeKm;
  if (withAzimuth) { let az = Math.atan2(e, nn); if (az < 0) az += TWO_PI; LOOK.azimuthRad = az; }
  return LOOK;
}

function lookOnGrid(grid: Grid, sg: StationGeometry, t: Instant, refraction: boolean): LookAngles {
  const la = evalLook(grid, sg, t, refraction, true);
  return { azimuthRad: la.azimuthRad, elevationRad: la.elevationRad, rangeKm: la.rangeKm };
}

interface Interval { aos: Instant; los: Instant; clippedAtStart: boolean; clippedAtEnd: boolean }

/** Intervals where g > 0 for one station, from the sampled g values. */
function intervalsOf(g: (t: Instant) => number, times: Float64Array, gs: Float64Array, tolMs: number, refineRad: number): Interval[] {
  const n = times.length;
  const events: { t: Instant; rising: boolean }[] = [];
  for (let k = 1; k < n; k += 1) {
    const t0 = times[k - 1]!, t1 = times[k]!, g0 = gs[k - 1]!, g1 = gs[k]!;
    if ((g0 > 0) !== (g1 > 0)) events.push({ t: brentRoot(g, t0, t1, g0, g1, tolMs), rising: g1 > 0 });
    if (k + 1 >= n) continue;
    const t2 = times[k + 1]!, g2 = gs[k + 1]!;
    // A sample maximum below zero may hide a short pass; a sample minimum above zero a short dip.
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
  const out: Interval[] = [];
  let open: Instant | undefined = gs[0]! > 0 ? times[0]! : undefined;
  let openClipped = gs[0]! > 0;
  for (const e of events) {
    if (e.rising && open === undefined) { open = e.t; openClipped = false; }
    else if (!e.rising && open !== undefined) { out.push({ aos: open, los: e.t, clippedAtStart: openClipped, clippedAtEnd: false }); open = undefined; }
  }
  if (open !== undefined) out.push({ aos: open, los: times[n - 1]!, clippedAtStart: openClipped, clippedAtEnd: true });
  return out;
}

/** Index of the first grid time strictly after t. */
function firstAfter(ts: Float64Array, t: Instant): number {
  let lo = 0, hi = ts.length;
  while (lo < hi) { const mid = (lo + hi) >> 1; if (ts[mid]! <= t) lo = mid + 1; else hi = mid; }
  return lo;
}

function describePass(sat: PassSatellite, sg: StationGeometry, iv: Interval, grid: Grid, sky: SkyEphemeris, refraction: boolean, tolMs: number): Pass {
  const elev = (t: Instant) => evalLook(grid, sg, t, refraction, false).elevationRad;
  // Culminations: local maxima of elevation among the grid samples inside the pass, plus the ends.
  const inside: number[] = [iv.aos];
  for (let k = firstAfter(grid.times, iv.aos); k < grid.times.length && grid.times[k]! < iv.los; k += 1) inside.push(grid.times[k]!);
  inside.push(iv.los);
  const es = new Float64Array(inside.length), rs = new Float64Array(inside.length);
  for (let i = 0; i < inside.length; i += 1) { const la = evalLook(grid, sg, inside[i]!, refraction, false); es[i] = la.elevationRad; rs[i] = la.rangeKm; }
  let best = { t: iv.aos, value: -Infinity };
  let culminations = 0;
  for (let i = 0; i < inside.length; i += 1) {
    const prev = i > 0 ? es[i - 1]! : -Infinity, next = i + 1 < inside.length ? es[i + 1]! : -Infinity;
    if (es[i]! < prev || es[i]! < next) continue;
    const a = inside[Math.max(0, i - 1)]!, b = inside[Math.min(inside.length - 1, i + 1)]!;
    let m = b - a > tolMs ? brentMax(elev, a, b, tolMs) : { t: inside[i]!, value: es[i]! };
    if (es[i]! > m.value) m = { t: inside[i]!, value: es[i]! };
    const atEdge = (m.t - iv.aos <= tolMs && iv.clippedAtStart) || (iv.los - m.t <= tolMs && iv.clippedAtEnd);
    if (!atEdge || inside.length <= 2) culminations += 1;
    if (m.value > best.value) best = m;
  }
  const tca = Math.min(Math.max(Math.round(best.t), Math.ceil(iv.aos)), Math.floor(iv.los));
  const aosLa = lookOnGrid(grid, sg, iv.aos, refraction);
  const losLa = lookOnGrid(grid, sg, iv.los, refraction);
  const tcaTeme = temeAt(grid, tca);
  const tcaLa = lookOnGrid(grid, sg, tca, refraction);
  // Minimum range: every local minimum of the range among the samples (AOS, grid times inside,
  // LOS) is refined between its neighbours, as the culminations are.
  const negRange = (t: Instant) => -evalLook(grid, sg, t, false, false).rangeKm;
  let rmin = { t: iv.aos, value: -Infinity };
  for (let i = 0; i < inside.length; i += 1) {
    const prev = i > 0 ? rs[i - 1]! : Infinity, next = i + 1 < inside.length ? rs[i + 1]! : Infinity;
    if (rs[i]! > prev || rs[i]! > next) continue;
    const a = inside[Math.max(0, i - 1)]!, b = inside[Math.min(inside.length - 1, i + 1)]!;
    const m = b - a > tolMs ? brentMax(negRange, a, b, Math.max(tolMs, 10)) : { t: inside[i]!, value: -rs[i]! };
    if (Math.max(m.value, -rs[i]!) > rmin.value) rmin = { t: m.t, value: Math.max(m.value, -rs[i]!) };
  }
  const look = sky.at(tca, sg.site);
  const dir = enuOf(tcaLa.azimuthRad, tcaLa.elevationRad);
  const decayed = iv.clippedAtEnd && grid.endReason === 'decayed';
  return {
    noradId: sat.noradId,
    stationId: sg.station.id,
    aosMs: Math.round(iv.aos),
    tcaMs: tca,
    losMs: Math.round(iv.los),
    maxElevationRad: Math.max(best.value, tcaLa.elevationRad),
    aosAzimuthRad: aosLa.azimuthRad,
    tcaAzimuthRad: tcaLa.azimuthRad,
    losAzimuthRad: losLa.azimuthRad,
    minRangeKm: Math.min(-rmin.value, aosLa.rangeKm, losLa.rangeKm, tcaLa.rangeKm),
    culminations: Math.max(1, culminations),
    clipped: iv.clippedAtStart || (iv.clippedAtEnd && !decayed),
    clippedAtStart: iv.clippedAtStart,
    clippedAtEnd: iv.clippedAtEnd && !decayed,
    endReason: decayed ? 'decayed' : iv.clippedAtEnd ? 'window' : 'set',
    ...(decayed && grid.failure ? { decayReason: grid.failure.reason } : {}),
    sunElevationRadAtTca: look.sun.elevationRad,
    satelliteSunlitAtTca: shadowFraction(tca, tcaTeme) < 0.5,
    moonElevationRadAtTca: look.moon.elevationRad,
    moonSeparationRadAtTca: angleBetween(dir, look.moon.enu),
    sunSeparationRadAtTca: angleBetween(dir, look.sun.enu),
    moonIlluminatedFractionAtTca: look.moonIlluminatedFraction,
  };
}

const EARTH_RATE_RAD_S = 7.292115e-5;
/** Filler for samples where the satellite is provably far below the mask (never refined). */
const FAR_BELOW = -Math.PI;

/**
 * g at every grid sample for one station. Samples where the geocentric angle between station and
 * satellite exceeds the largest angle at which the satellite could be within refineRad (+1 deg
 * for refraction) of the lowest mask are skipped, together with the following samples the
 * sub-satellite point cannot cover at its fastest ground rate (x1.1): LEO stations evaluate few samples.
 */
function stationSamples(grid: Grid, sg: StationGeometry, radiusKm: Float64Array, maxRateRadS: number, refineRad: number, refraction: boolean): Float64Array {
  const n = grid.times.length;
  const gs = new Float64Array(n);
  const sp = sg.site.positionEcefKm;
  const rs = Math.hypot(sp.x, sp.y, sp.z);
  const eMin = sg.minMaskRad - refineRad - DEG;
  const cosE = Math.cos(eMin);
  let skipUntil = -1;
  for (let k = 0; k < n; k += 1) {
    if (k < skipUntil) { gs[k] = FAR_BELOW; continue; }
    const q = grid.ecef[k]!, r = radiusKm[k]!;
    const psi = Math.acos(Math.min(1, Math.max(-1, (q.x * sp.x + q.y * sp.y + q.z * sp.z) / (r * rs))));
    // Largest Earth-central angle with elevation >= eMin: acos(rs cos e / r) - e (spherical Earth,
    // with a 0.01 rad margin for the ellipsoid's geodetic vs geocentric vertical, <= 0.0034 rad).
    const psiMax = Math.acos(Math.min(1, (rs * cosE) / r)) - eMin + 0.01;
    if (psi > psiMax) {
      gs[k] = FAR_BELOW;
      if (k + 1 < n) {
        const dtS = (grid.times[k + 1]! - grid.times[k]!) / 1000;
        skipUntil = k + Math.floor((psi - psiMax) / (maxRateRadS * dtS));
      }
      continue;
    }
    const la = lookAngles(sg.site, q);
    const el = refraction ? la.elevationRad + refractionRad(la.elevationRad) : la.elevationRad;
    gs[k] = el - sg.maskAt(la.azimuthRad);
  }
  return gs;
}

/** All passes of `satellites` over `stations` in [fromMs, toMs], sorted by AOS then station. */
export function findPasses(satellites: PassSatellite[], stations: PassStation[], options: PassOptions): PassSearch {
  const { fromMs, toMs, refraction = false, toleranceMs = 1 } = options;
  const geos = stations.map((s) => stationGeometry(s, options.minElevationRad));
  const passes: Pass[] = [];
  const failures: SatelliteFailure[] = [];
  const sky = new SkyEphemeris();
  satellites.forEach((sat, i) => {
    const { periodS, eccentricity } = sat.propagator.summary;
    const grid = sampleGrid(sat, fromMs, toMs, searchStepMs(periodS, eccentricity));
    if (grid.failure) failures.push(grid.failure);
    if (grid.times.length >= 2) {
      flatten(grid);
      const n = grid.times.length;
      // Fastest rate of the sub-satellite point over the ground (rad/s): orbital rate + Earth's.
      let maxRateRadS = 0;
      const radiusKm = new Float64Array(n);
      for (let k = 0; k < n; k += 1) {
        const p = grid.pos[k]!, v = grid.vel[k]!;
        radiusKm[k] = Math.hypot(p.x, p.y, p.z);
        maxRateRadS = Math.max(maxRateRadS, Math.hypot(v.x, v.y, v.z) / radiusKm[k]!);
      }
      let maxSpeedKmS = 0, minRadiusKm = Infinity;
      for (let k = 0; k < n; k += 1) { const v = grid.vel[k]!; maxSpeedKmS = Math.max(maxSpeedKmS, Math.hypot(v.x, v.y, v.z)); minRadiusKm = Math.min(minRadiusKm, radiusKm[k]!); }
      maxRateRadS = maxRateRadS * 1.1 + EARTH_RATE_RAD_S;
      const stepS = searchStepMs(periodS, eccentricity) / 1000;
      for (const sg of geos) {
        const refineRad = refineNearRad(sg.minMaskRad, minRadiusKm - EARTH_RADIUS_KM, maxSpeedKmS, stepS);
        const gs = stationSamples(grid, sg, radiusKm, maxRateRadS, refineRad, refraction);
        const g = sg.hasHorizon
          ? (t: Instant) => { const la = evalLook(grid, sg, t, refraction, true); return la.elevationRad - sg.maskAt(la.azimuthRad); }
          : (t: Instant) => evalLook(grid, sg, t, refraction, false).elevationRad - sg.minMaskRad;
        for (const iv of intervalsOf(g, grid.times, gs, toleranceMs, refineRad)) passes.push(describePass(sat, sg, iv, grid, sky, refraction, toleranceMs));
      }
    }
    options.onProgress?.(i + 1, satellites.length);
  });
  passes.sort((a, b) => a.aosMs - b.aosMs || a.stationId.localeCompare(b.stationId) || a.noradId - b.noradId);
  return { passes, failures };
}
