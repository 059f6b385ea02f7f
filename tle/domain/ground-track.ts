/** Sub-satellite ground track (WGS84 geodetic) of one element set: for the dashboard's map. */
import { ecefToGeodetic, gmstRad, temeToEcef } from '../../src/core/frames/index.js';
import type { Instant } from '../../src/core/time/instant.js';
import type { ElementSet } from './element-set.js';
import { propagatorOf } from './assess.js';

export interface GroundTrackPoint {
  tMs: Instant;
  latitudeDeg: number;
  longitudeDeg: number;
  altitudeKm: number;
}

const DEG = 180 / Math.PI;

/** Points every `stepS` from `fromMs` for `minutes`; stops at the first SGP4 failure (with its reason). */
export function groundTrack(
  es: ElementSet,
  fromMs: Instant,
  minutes: number,
  stepS: number,
): { points: GroundTrackPoint[]; failure?: string } {
  const p = propagatorOf(es);
  if (!p.ok) return { points: [], failure: p.reason };
  const points: GroundTrackPoint[] = [];
  for (let t = fromMs; t <= fromMs + minutes * 60_000; t += stepS * 1000) {
    const r = p.propagator.propagate(t);
    if (!r.ok) return { points, failure: r.reason };
    const g = ecefToGeodetic(temeToEcef(r.positionTemeKm, gmstRad(t)));
    points.push({
      tMs: t,
      latitudeDeg: g.latitudeRad * DEG,
      longitudeDeg: g.longitudeRad * DEG,
      altitudeKm: g.altitudeKm,
    });
  }
  return { points };
}
