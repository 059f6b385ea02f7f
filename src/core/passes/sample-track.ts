/** Per-sample geometry of one satellite over one station, for per-second channel simulation. */
import { angleBetween, ecefToTeme, enuOf, gmstRad, lookAngles, refractionRad, temeToEcef, type Vec3 } from '../frames/index.js';
import { shadowFraction, shadowFractionWithSun, sunPositionAu } from '../orbit/index.js';
import { SkyEphemeris } from '../sky/index.js';
import type { Instant } from '../time/index.js';
import { stationGeometry } from './geometry.js';
import type { PassSatellite, PassStation } from './model.js';
import { buildTrack, nodeStepMs, positionAt, type Track } from './track.js';


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
  return samplePositions((tMs) => {
    const s = sat.propagator.propagate(tMs);
    if (!s.ok) return undefined;
    const gmst = gmstRad(tMs);
    return { ecef: temeToEcef(s.positionTemeKm, gmst), teme: s.positionTemeKm };
  }, station, fromMs, toMs, stepS, options, false);
}

/**
 * sampleTrack for many passes of one satellite over any stations in [fromMs, toMs]: the satellite
 * is propagated once on the pass finder's node grid (track.ts, < 1 cm interpolation error) and
 * every pass is sampled from that one track; instants outside it fall back to SGP4. The Sun for
 * the satellite's shadow is computed once per pass (it moves 0.01 deg in 15 minutes).
 */
export function trackSampler(sat: PassSatellite, fromMs: Instant, toMs: Instant): (station: PassStation, aosMs: Instant, losMs: Instant, stepS: number, options?: TrackOptions) => TrackSample[] {
  let tr: Track | undefined;
  return (station, aosMs, losMs, stepS, options = {}) => {
    tr ??= buildTrack(sat, fromMs, toMs, nodeStepMs(sat.propagator.summary.periodS, sat.propagator.summary.eccentricity));
    const track = tr;
    const lo = track.n ? track.t[track.first]! : Infinity, hi = track.n ? track.t[track.last]! : -Infinity;
    return samplePositions((tMs) => {
      if (tMs < lo || tMs > hi) {
        const s = sat.propagator.propagate(tMs);
        return s.ok ? { ecef: temeToEcef(s.positionTemeKm, gmstRad(tMs)), teme: s.positionTemeKm } : undefined;
      }
      const p = positionAt(track, tMs);
      const ecef = { x: p.x, y: p.y, z: p.z };
      return { ecef, teme: ecefToTeme(ecef, gmstRad(tMs)) };
    }, station, aosMs, losMs, stepS, options, true);
  };
}

function samplePositions(positionOf: (tMs: Instant) => { ecef: Vec3; teme: Vec3 } | undefined, station: PassStation, fromMs: Instant, toMs: Instant, stepS: number, options: TrackOptions, sunOnce: boolean): TrackSample[] {
  const ephemeris = options.sky ?? new SkyEphemeris();
  if (!(stepS > 0) || !(toMs >= fromMs)) return [];
  const sun = sunOnce ? sunPositionAu((fromMs + toMs) / 2) : undefined;
  const site = stationGeometry(station).site;
  const out: TrackSample[] = [];
  const n = Math.floor((toMs - fromMs) / (stepS * 1000) + 1e-9);
  for (let k = 0; k <= n; k += 1) {
    const tMs = fromMs + k * stepS * 1000;
    const s = positionOf(tMs);
    if (!s) break;
    const la = lookAngles(site, s.ecef);
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
      satelliteSunlit: (sun ? shadowFractionWithSun(sun, s.teme) : shadowFraction(tMs, s.teme)) < 0.5,
    });
  }
  return out;
}
