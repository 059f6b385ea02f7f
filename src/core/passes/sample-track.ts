/** Per-sample geometry of one satellite over one station, for per-second channel simulation. */
import { ecefToTeme, gmstRad, refractionRad, temeToEcef, type Vec3 } from '../frames/index.js';
import { shadowFraction, shadowFractionWithSun, sunPositionAu } from '../orbit/index.js';
import { SkyEphemeris } from '../sky/index.js';
import type { Instant } from '../time/index.js';
import { TWO_PI } from '../units.js';
import { stationGeometry } from './geometry.js';
import type { PassSatellite, PassStation } from './model.js';
import { buildTrack, nodeStepMs, type Track } from './track.js';
import { cursorOn, positionAt } from './track-cursor.js';

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
export function sampleTrack(
  sat: PassSatellite,
  station: PassStation,
  fromMs: Instant,
  toMs: Instant,
  stepS: number,
  options: TrackOptions = {},
): TrackSample[] {
  return samplePositions(sgp4Positions(sat), station, fromMs, toMs, stepS, options, false);
}

/** Position source from SGP4 itself: false where it fails. */
function sgp4Positions(sat: PassSatellite): (tMs: Instant, out: SamplePosition) => boolean {
  return (tMs, out) => {
    const state = sat.propagator.propagate(tMs);
    if (!state.ok) return false;
    const teme = state.positionTemeKm;
    setPosition(out, temeToEcef(teme, gmstRad(tMs)), teme);
    return true;
  };
}

function setPosition(out: SamplePosition, ecef: Vec3, teme: Vec3): void {
  out.ex = ecef.x;
  out.ey = ecef.y;
  out.ez = ecef.z;
  out.tx = teme.x;
  out.ty = teme.y;
  out.tz = teme.z;
}

/**
 * sampleTrack for many passes of one satellite over any stations in [fromMs, toMs]: the satellite
 * is propagated once on the pass finder's node grid (track.ts, < 1 cm interpolation error) and
 * every pass is sampled from that one track (`built`: the pass finder's own, see
 * SearchOptions.onTrack) through the sampler's own cursor; instants outside it fall back to SGP4.
 * The Sun for the satellite's shadow is computed once per pass (it moves 0.01 deg in 15 minutes).
 */
export function trackSampler(
  sat: PassSatellite,
  fromMs: Instant,
  toMs: Instant,
  built?: Track,
): (station: PassStation, aosMs: Instant, losMs: Instant, stepS: number, options?: TrackOptions) => TrackSample[] {
  let source: ((tMs: Instant, out: SamplePosition) => boolean) | undefined;
  return (station, aosMs, losMs, stepS, options = {}) => {
    source ??= trackPositions(
      sat,
      built ??
        buildTrack(sat, fromMs, toMs, nodeStepMs(sat.propagator.summary.periodS, sat.propagator.summary.eccentricity)),
    );
    return samplePositions(source, station, aosMs, losMs, stepS, options, true);
  };
}

/** Position source from a track, SGP4 outside its window nodes. */
function trackPositions(sat: PassSatellite, track: Track): (tMs: Instant, out: SamplePosition) => boolean {
  const cursor = cursorOn(track);
  const fallback = sgp4Positions(sat);
  const lo = track.n ? track.t[track.first]! : Infinity,
    hi = track.n ? track.t[track.last]! : -Infinity;
  return (tMs, out) => {
    if (tMs < lo || tMs > hi) return fallback(tMs, out);
    const p = positionAt(cursor, tMs);
    setPosition(out, p, ecefToTeme(p, gmstRad(tMs)));
    return true;
  };
}

/** Position of one sample, ECEF and TEME (km), written by the sampler's position source. */
interface SamplePosition {
  ex: number;
  ey: number;
  ez: number;
  tx: number;
  ty: number;
  tz: number;
}

/**
 * The samples of one pass from a position source. Look angles, directions and angular separations
 * are those of frames/ (lookAngles, enuOf, angleBetween) written out on scalars: one object per
 * sample, the TrackSample (sampling is the hot loop of candidate yields).
 */
function samplePositions(
  positionOf: (tMs: Instant, out: SamplePosition) => boolean,
  station: PassStation,
  fromMs: Instant,
  toMs: Instant,
  stepS: number,
  options: TrackOptions,
  sunOnce: boolean,
): TrackSample[] {
  const ephemeris = options.sky ?? new SkyEphemeris();
  if (!(stepS > 0) || !(toMs >= fromMs)) return [];
  const sun = sunOnce ? sunPositionAu((fromMs + toMs) / 2) : undefined;
  const site = stationGeometry(station).site;
  const o = site.positionEcefKm,
    east = site.east,
    north = site.north,
    up = site.up;
  const pos: SamplePosition = { ex: 0, ey: 0, ez: 0, tx: 0, ty: 0, tz: 0 };
  const teme: Vec3 = { x: 0, y: 0, z: 0 };
  const out: TrackSample[] = [];
  const n = Math.floor((toMs - fromMs) / (stepS * 1000) + 1e-9);
  for (let k = 0; k <= n; k += 1) {
    const tMs = fromMs + k * stepS * 1000;
    if (!positionOf(tMs, pos)) break;
    const dx = pos.ex - o.x,
      dy = pos.ey - o.y,
      dz = pos.ez - o.z;
    const e = dx * east.x + dy * east.y;
    const nn = dx * north.x + dy * north.y + dz * north.z;
    const u = dx * up.x + dy * up.y + dz * up.z;
    const rangeKm = Math.sqrt(e * e + nn * nn + u * u);
    let azimuthRad = Math.atan2(e, nn);
    if (azimuthRad < 0) azimuthRad += TWO_PI;
    let elevationRad = Math.asin(u / rangeKm);
    if (options.refraction) elevationRad += refractionRad(elevationRad);
    const sky = ephemeris.at(tMs, site);
    const ce = Math.cos(elevationRad);
    const ux = ce * Math.sin(azimuthRad),
      uy = ce * Math.cos(azimuthRad),
      uz = Math.sin(elevationRad);
    teme.x = pos.tx;
    teme.y = pos.ty;
    teme.z = pos.tz;
    out.push({
      tMs,
      rangeKm,
      elevationRad,
      azimuthRad,
      sunElevationRad: sky.sun.elevationRad,
      moonElevationRad: sky.moon.elevationRad,
      moonSeparationRad: separation(ux, uy, uz, sky.moon.enu),
      sunSeparationRad: separation(ux, uy, uz, sky.sun.enu),
      moonIlluminatedFraction: sky.moonIlluminatedFraction,
      satelliteSunlit: (sun ? shadowFractionWithSun(sun, teme) : shadowFraction(tMs, teme)) < 0.5,
    });
  }
  return out;
}

/** angleBetween((x, y, z), b) of frames/vectors.ts on scalars. */
function separation(x: number, y: number, z: number, b: Vec3): number {
  const cx = y * b.z - z * b.y,
    cy = z * b.x - x * b.z,
    cz = x * b.y - y * b.x;
  return Math.atan2(Math.sqrt(cx * cx + cy * cy + cz * cz), x * b.x + y * b.y + z * b.z);
}
