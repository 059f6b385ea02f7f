/** Per-satellite geometry helpers shared by the pass finder and the track sampler. */
import { refractionRad, siteOf, type Site } from '../frames/index.js';
import { maskFunction } from './mask.js';
import type { PassStation } from './model.js';
import { DEG } from '../units.js';

export interface StationGeometry {
  station: PassStation;
  site: Site;
  maskAt: (azimuthRad: number) => number;
  /** Lowest value of maskAt over all azimuths. */
  minMaskRad: number;
  /** True when maskAt depends on azimuth (a horizon mask with 2+ points); else maskAt = minMaskRad. */
  hasHorizon: boolean;
}

export function stationGeometry(station: PassStation, minElevationOverrideRad?: number): StationGeometry {
  const minEl = minElevationOverrideRad ?? station.minElevationRad;
  // maskAt = max(minEl, horizon), the horizon linear between its points: the minimum is at a point.
  const lowestHorizon = Math.min(...(station.horizonMask ?? []).map((p) => p.elevationRad));
  return {
    station,
    site: siteOf(station.latitudeRad, station.longitudeRad, station.altitudeKm),
    maskAt: maskFunction(minEl, station.horizonMask),
    minMaskRad: station.horizonMask?.length ? Math.max(minEl, lowestHorizon) : minEl,
    hasHorizon: (station.horizonMask?.length ?? 0) >= 2,
  };
}

/** Geometric elevation whose apparent elevation (with standard refraction) is `apparentRad`. */
export function geometricForApparentRad(apparentRad: number): number {
  // e + refraction(e) increases with e: bisection on [apparent - 1 deg, apparent].
  let lo = apparentRad - DEG,
    hi = apparentRad;
  for (let i = 0; i < 60; i += 1) {
    const mid = (lo + hi) / 2;
    if (mid + refractionRad(mid) < apparentRad) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}
