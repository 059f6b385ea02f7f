/** Look angles of a track from a station, allocation-free: the pass finder's inner evaluation. */
import { type Site } from '../frames/index.js';
import type { Instant } from '../time/index.js';
import { TWO_PI } from '../units.js';
import type { Track } from './track.js';
import { positionAt, type TrackCursor } from './track-cursor.js';

/** A station's ECEF position and east/north/up rows, flat for the evaluator. */
export type SiteFrame = Float64Array;
export function siteFrame(site: Site): SiteFrame {
  const p = site.positionEcefKm,
    e = site.east,
    n = site.north,
    u = site.up;
  return Float64Array.of(p.x, p.y, p.z, e.x, e.y, n.x, n.y, n.z, u.x, u.y, u.z);
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

export function emptyLook(): LookState {
  return { atMs: Number.NaN, elevationRad: 0, elevationRateRadS: 0, rangeKm: 0, rangeRateKmS: 0, east: 0, north: 0 };
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

/** Look angles and their rates from `site` at t through `cursor`'s track, into `out`. */
export function lookAt(cursor: TrackCursor, site: SiteFrame, instant: Instant, out: LookState): LookState {
  const p = positionAt(cursor, instant);
  out.atMs = instant;
  return look(out, site, p.x, p.y, p.z, p.vx, p.vy, p.vz);
}

/** Look angles and their rates from `site` at window node k of `track` (no interpolation), into `out`. */
export function lookAtNode(track: Track, site: SiteFrame, nodeIndex: number, out: LookState): LookState {
  out.atMs = track.t[nodeIndex]!;
  return look(
    out,
    site,
    track.x[nodeIndex]!,
    track.y[nodeIndex]!,
    track.z[nodeIndex]!,
    track.vx[nodeIndex]!,
    track.vy[nodeIndex]!,
    track.vz[nodeIndex]!,
  );
}

/** Azimuth (rad, from north through east) of a look. */
export function lookAzimuthRad(state: LookState): number {
  const az = Math.atan2(state.east, state.north);
  return az < 0 ? az + TWO_PI : az;
}
