/** Per-sample geometry of one satellite over one station, for per-second channel simulation. */
import { angleBetween, enuOf, gmstRad, lookAngles, refractionRad, temeToEcef } from '../frames/index.js';
import { shadowFraction } from '../orbit/index.js';
import { SkyEphemeris } from '../sky/index.js';
import type { Instant } from '../time/index.js';
import { stationGeometry } from './geometry.js';
import type { PassSatellite, PassStation } from './model.js';


export interface TrackSample {
  tMs: Instant;
  rangeKm: number;
  elevationRad: number;
  azimuthRad: number;
  sunElevationRad: number;
  moonElevationRad: number;
  moonSeparationRad: number;
  sunSeparationRad: number;
  moonIlluminatedFraction: number;
  satelliteSunlit: boolean;
}

export interface TrackOptions {
  refraction?: boolean;
  /** Share one across calls to reuse its Sun/Moon nodes. */
  sky?: SkyEphemeris;
}

/**
 * Samples at fromMs, fromMs + stepS, ... <= toMs. Stops early (shorter array) at the first SGP4
 * failure, e.g. decay. Sun/Moon from astronomy-engine via SkyEphemeris (10-minute nodes, interpolated).
 */
export function sampleTrack(sat: PassSatellite, station: PassStation, fromMs: Instant, toMs: Instant, stepS: number, options: TrackOptions = {}): TrackSample[] {
  const ephemeris = options.sky ?? new SkyEphemeris();
  if (!(stepS > 0) || !(toMs >= fromMs)) return [];
  const site = stationGeometry(station).site;
  const out: TrackSample[] = [];
  const n = Math.floor((toMs - fromMs) / (stepS * 1000) + 1e-9);
  for (let k = 0; k <= n; k += 1) {
    const tMs = fromMs + k * stepS * 1000;
    const s = sat.propagator.propagate(tMs);
    if (!s.ok) break;
    const la = lookAngles(site, temeToEcef(s.positionTemeKm, gmstRad(tMs)));
    if (options.refraction) la.elevationRad += refractionRad(la.elevationRad);
    const sky = ephemeris.at(tMs, site);
    const dir = enuOf(la.azimuthRad, la.elevationRad);
    out.push({
      tMs,
      rangeKm: la.rangeKm,
      elevationRad: la.elevationRad,
      azimuthRad: la.azimuthRad,
      sunElevationRad: sky.sun.elevationRad,
      moonElevationRad: sky.moon.elevationRad,
      moonSeparationRad: angleBetween(dir, sky.moon.enu),
      sunSeparationRad: angleBetween(dir, sky.sun.enu),
      moonIlluminatedFraction: sky.moonIlluminatedFraction,
      satelliteSunlit: shadowFraction(tMs, s.positionTemeKm) < 0.5,
    });
  }
  return out;
}
