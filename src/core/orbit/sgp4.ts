/**
 * The only importer of satellite.js: SGP4 (WGS72, opsmode i) from TLE lines or CCSDS OMM, with
 * failures returned as values carrying satellite.js's error reason, and the Earth-shadow fraction.
 */
import * as sat from 'satellite.js';
import type { Instant } from '../time/index.js';
import type { Vec3 } from '../frames/vectors.js';
import { EARTH_RADIUS_WGS72_KM, MS_PER_DAY, MU_WGS72_KM3_S2 } from '../units.js';

const UNIX_EPOCH_JD = 2440587.5;

/** satellite.js SatRecError codes -> reasons (Vallado et al. 2006, sgp4 error codes). */
const SGP4_REASONS: Record<number, string> = {
  1: 'mean eccentricity out of range (0 <= e < 1)',
  2: 'mean motion below zero',
  3: 'perturbed eccentricity out of range',
  4: 'semi-latus rectum below zero',
  5: 'epoch elements are sub-orbital',
  6: 'satellite has decayed',
};

/** An OMM record in CelesTrak JSON form (field names as in CCSDS 502.0-B-3). */
export interface OmmJson {
  OBJECT_NAME?: string;
  OBJECT_ID?: string;
  EPOCH: string;
  MEAN_MOTION: number;
  ECCENTRICITY: number;
  INCLINATION: number;
  RA_OF_ASC_NODE: number;
  ARG_OF_PERICENTER: number;
  MEAN_ANOMALY: number;
  EPHEMERIS_TYPE?: number;
  CLASSIFICATION_TYPE?: string;
  NORAD_CAT_ID: number;
  ELEMENT_SET_NO?: number;
  REV_AT_EPOCH?: number;
  BSTAR: number;
  MEAN_MOTION_DOT: number;
  MEAN_MOTION_DDOT: number;
}

export type ElementSource = { kind: 'tle'; line1: string; line2: string } | { kind: 'omm'; omm: OmmJson };

export interface OrbitSummary {
  epochMs: Instant;
  periodS: number;
  eccentricity: number;
  perigeeAltitudeKm: number;
  apogeeAltitudeKm: number;
}

export type StateTeme = { ok: true; positionTemeKm: Vec3; velocityTemeKmS: Vec3 };
export type PropagationFailure = { ok: false; code: number; reason: string };
export type PropagationResult = StateTeme | PropagationFailure;

export interface Propagator {
  readonly summary: OrbitSummary;
  /** TEME state at `tsinceMin` minutes from the element epoch (as Vallado's test cases). */
  propagateMinutes(tsinceMin: number): PropagationResult;
  /** TEME state at `t`; failures (decay, eccentricity out of range...) come back as values. */
  propagate(t: Instant): PropagationResult;
}

export type CreateResult = { ok: true; propagator: Propagator } | PropagationFailure;

function summaryOf(rec: sat.SatRec): OrbitSummary {
  // From year + day-of-year (full double precision) rather than the Julian date (40 us steps).
  const year = rec.epochyr < 57 ? 2000 + rec.epochyr : rec.epochyr < 100 ? 1900 + rec.epochyr : rec.epochyr;
  const epochMs = Date.UTC(year, 0, 1) + (rec.epochdays - 1) * MS_PER_DAY;
  const nRadS = rec.no / 60; // rec.no: rad/min (Kozai-corrected, un-Kozai'd by sgp4init)
  const aKm = Math.cbrt(MU_WGS72_KM3_S2 / (nRadS * nRadS));
  return {
    epochMs,
    periodS: (2 * Math.PI) / nRadS,
    eccentricity: rec.ecco,
    perigeeAltitudeKm: aKm * (1 - rec.ecco) - EARTH_RADIUS_WGS72_KM,
    apogeeAltitudeKm: aKm * (1 + rec.ecco) - EARTH_RADIUS_WGS72_KM,
  };
}

export function createPropagator(source: ElementSource): CreateResult {
  let rec: sat.SatRec;
  try {
    rec =
      source.kind === 'tle'
        ? sat.twoline2satrec(source.line1, source.line2)
        : sat.json2satrec(source.omm as never, 'i');
  } catch (e) {
    return { ok: false, code: -1, reason: `satellite.js rejected the elements: ${(e as Error).message}` };
  }
  if (rec.error !== 0)
    return { ok: false, code: rec.error, reason: SGP4_REASONS[rec.error] ?? `sgp4 error ${rec.error}` };
  const summary = summaryOf(rec);
  return {
    ok: true,
    propagator: {
      summary,
      propagate(t: Instant): PropagationResult {
        return this.propagateMinutes((t - summary.epochMs) / 60_000);
      },
      propagateMinutes(tsinceMin: number): PropagationResult {
        const pv = sat.sgp4(rec, tsinceMin);
        if (!pv || rec.error !== 0 || typeof pv.position !== 'object') {
          const code = rec.error || -1;
          return { ok: false, code, reason: SGP4_REASONS[code] ?? `sgp4 error ${code}` };
        }
        // satellite.js allocates fresh {x, y, z} objects per call: hand them on without copying.
        return { ok: true, positionTemeKm: pv.position, velocityTemeKmS: pv.velocity };
      },
    },
  };
}

/**
 * Fraction of the Sun's disc hidden by the Earth seen from the satellite (0 lit, 1 umbra), with
 * satellite.js's Sun (Vallado's low-precision series; adequate for shadow entry to ~1 s).
 */
export function shadowFraction(instant: Instant, positionTemeKm: Vec3): number {
  const jd = instant / MS_PER_DAY + UNIX_EPOCH_JD;
  return sat.shadowFraction(sat.sunPos(jd).rsun, positionTemeKm as sat.EciVec3<sat.Kilometer>);
}

/** satellite.js's Sun position (ECI, AU) at t, for `shadowFractionWithSun` over a short span. */
export function sunPositionAu(instant: Instant): Vec3 {
  const r = sat.sunPos(instant / MS_PER_DAY + UNIX_EPOCH_JD).rsun;
  return { x: r.x, y: r.y, z: r.z };
}

/**
 * shadowFraction with a Sun position computed once (the Sun moves 0.01 deg in a 15-minute pass).
 * A satellite on the sunward side of the Earth's centre (position . Sun >= 0) is lit: the Earth's
 * disc, of angular radius < 90 deg, is then at least 90 deg from the Sun as seen from it.
 */
export function shadowFractionWithSun(sunAu: Vec3, positionTemeKm: Vec3): number {
  if (sunAu.x * positionTemeKm.x + sunAu.y * positionTemeKm.y + sunAu.z * positionTemeKm.z >= 0) return 0;
  return sat.shadowFraction(sunAu as sat.EciVec3<sat.AU>, positionTemeKm as sat.EciVec3<sat.Kilometer>);
}
