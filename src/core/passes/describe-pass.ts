/**
 * A pass from its interval: culminations (TCA is the highest elevation maximum inside [AOS, LOS];
 * eccentric orbits can culminate twice), the minimum range, and the Sun and Moon at TCA.
 */
import { angleBetween, ecefToTeme, enuOf, gmstRad, refractionRad } from '../frames/index.js';
import { shadowFraction } from '../orbit/index.js';
import type { SkyEphemeris } from '../sky/index.js';
import type { Instant } from '../time/index.js';
import type { Interval } from './intervals.js';
import { lookAzimuthRad } from './look.js';
import type { Pass, PassSatellite } from './model.js';
import type { Search } from './search.js';
import { extremumBetween, solveFrom, type Bracket } from './solver.js';
import type { Track } from './track.js';

function firstNodeAfter(track: Track, t: Instant): number {
  let lo = track.first,
    hi = track.last + 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (track.t[mid]! <= t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * The pass's points into `search.points`: AOS, the nodes inside (their looks are known: the
 * satellite was in reach), LOS. Returns their number and the azimuths at AOS and LOS.
 */
function passPoints(search: Search, iv: Interval): { count: number; aosAz: number; losAz: number } {
  const { track, nodes, points } = search;
  const k0 = firstNodeAfter(track, iv.aos);
  let k1 = k0;
  while (k1 <= track.last && track.t[k1]! < iv.los) k1 += 1;
  const count = k1 - k0 + 2;
  points.capacity(count);
  let la = search.lookAt(iv.los);
  const losAz = lookAzimuthRad(la);
  points.put(count - 1, iv.los, la.elevationRad, la.elevationRateRadS, la.rangeKm, la.rangeRateKmS);
  la = search.lookAt(iv.aos);
  const aosAz = lookAzimuthRad(la);
  points.put(0, iv.aos, la.elevationRad, la.elevationRateRadS, la.rangeKm, la.rangeRateKmS);
  for (let k = k0; k < k1; k += 1) {
    search.node(k);
    points.put(k - k0 + 1, track.t[k]!, nodes.el[k]!, nodes.elRate[k]!, nodes.range[k]!, nodes.rangeRate[k]!);
  }
  return { count, aosAz, losAz };
}

/**
 * Culminations: elevation rate from + to - between points (located as the root of the rate),
 * and an end where the elevation falls away from it (counted unless the window clipped it).
 */
function culminations(search: Search, iv: Interval, count: number): { t: Instant; el: number; count: number } {
  const { t, e, de } = search.points;
  let bestT = iv.aos,
    bestEl = -Infinity,
    found = 0;
  for (let i = 0; i < count; i += 1)
    if (e[i]! > bestEl) {
      bestEl = e[i]!;
      bestT = t[i]!;
    }
  if (de[0]! < 0 && !iv.clippedAtStart) found += 1;
  if (de[count - 1]! > 0 && !iv.clippedAtEnd) found += 1;
  for (let i = 0; i + 1 < count; i += 1) {
    if (!(de[i]! > 0 && de[i + 1]! <= 0)) continue;
    const tm = search.culminationBetween(pointBracket(search, i, 'elevation'));
    const el = search.lastValue(tm, 'elevationRad');
    found += 1;
    if (el > bestEl) {
      bestEl = el;
      bestT = tm;
    }
  }
  return { t: bestT, el: bestEl, count: found };
}

/** Elevation or range and its rate at points i and i + 1. */
function pointBracket(search: Search, i: number, quantity: 'elevation' | 'range'): Bracket {
  const { t, e, de, r, dr } = search.points;
  const [v, d] = quantity === 'elevation' ? [e, de] : [r, dr];
  return { t0: t[i]!, t1: t[i + 1]!, v0: v[i]!, d0: d[i]!, v1: v[i + 1]!, d1: d[i + 1]! };
}

/**
 * Minimum range: range rate from - to + between points, located as its root (10 ms suffices);
 * next to TCA (where the range is least too for a circular orbit) from a Newton step there.
 */
function minimumRangeKm(
  search: Search,
  count: number,
  tca: { t: Instant; rangeKm: number; rangeRateKmS: number; rangeSlope: number },
): number {
  const { t, r, dr } = search.points;
  let minRange = Math.min(r[0]!, r[count - 1]!, tca.rangeKm);
  const rangeTolMs = Math.max(search.tolMs, 10);
  for (let i = 0; i + 1 < count; i += 1) {
    if (!(dr[i]! < 0 && dr[i + 1]! >= 0)) continue;
    const guess = tca.t - tca.rangeRateKmS / tca.rangeSlope;
    const tm =
      guess > t[i]! && guess < t[i + 1]!
        ? solveFrom(search.rangeRate, t[i]!, t[i + 1]!, dr[i]!, guess, tca.rangeSlope, rangeTolMs)
        : extremumBetween(search.rangeRate, pointBracket(search, i, 'range'), rangeTolMs);
    minRange = Math.min(minRange, search.lastValue(tm, 'rangeKm'), r[i + 1]!);
  }
  return minRange;
}

/** The pass of `sat` over the search's station in `iv`. */
export function describePass(
  sat: PassSatellite,
  search: Search,
  iv: Interval,
  sky: SkyEphemeris,
  refraction: boolean,
): Pass {
  const { track } = search;
  const { sg } = search.station;
  const { count, aosAz, losAz } = passPoints(search, iv);
  const best = culminations(search, iv, count);
  const tca = Math.min(Math.max(Math.round(best.t), Math.ceil(iv.aos)), Math.floor(iv.los));
  const la = search.lookAt(tca);
  const tcaEl = la.elevationRad,
    tcaRange = la.rangeKm,
    tcaAz = lookAzimuthRad(la),
    tcaRangeRate = la.rangeRateKmS;
  // Range acceleration at TCA, (v^2 - rho'^2) / rho without the gravity term (~10%): per ms.
  const p = search.positionAt(tca);
  const tcaRangeSlope = (p.vx * p.vx + p.vy * p.vy + p.vz * p.vz - tcaRangeRate * tcaRangeRate) / tcaRange / 1000;
  const tcaTeme = ecefToTeme({ x: p.x, y: p.y, z: p.z }, gmstRad(tca));
  const minRange = minimumRangeKm(search, count, {
    t: tca,
    rangeKm: tcaRange,
    rangeRateKmS: tcaRangeRate,
    rangeSlope: tcaRangeSlope,
  });
  const maxEl = Math.max(best.el, tcaEl);
  const look = sky.at(tca, sg.site);
  const dir = enuOf(tcaAz, tcaEl);
  const decayed = iv.clippedAtEnd && track.endReason === 'decayed';
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
    culminations: Math.max(1, best.count),
    clipped: iv.clippedAtStart || (iv.clippedAtEnd && !decayed),
    clippedAtStart: iv.clippedAtStart,
    clippedAtEnd: iv.clippedAtEnd && !decayed,
    endReason: decayed ? 'decayed' : iv.clippedAtEnd ? 'window' : 'set',
    ...(decayed && track.failure ? { decayReason: track.failure.reason } : {}),
    sunElevationRadAtTca: look.sun.elevationRad,
    satelliteSunlitAtTca: shadowFraction(tca, tcaTeme) < 0.5,
    moonElevationRadAtTca: look.moon.elevationRad,
    moonSeparationRadAtTca: angleBetween(dir, look.moon.enu),
    sunSeparationRadAtTca: angleBetween(dir, look.sun.enu),
    moonIlluminatedFractionAtTca: look.moonIlluminatedFraction,
  };
}
