/**
 * Satellites for the network simulation beyond the catalog: presets of QKD satellites from the
 * field, and a Walker-delta generator for what-if constellations. Both give SGP4 element sets
 * (circular orbits, mean elements) at an epoch the caller chooses (the simulation's start).
 *
 * Sun-synchronous inclination from the J2 nodal precession matching the Sun's mean motion:
 * cos i = -(a / 12 352 km)^(7/2) (Vallado, Fundamentals of Astrodynamics, 4th ed., eq. 11-17 with
 * J2 = 1.08263e-3). RAAN from the local time of the ascending node (LTAN):
 * RAAN = RA of the mean Sun + 15 deg/h (LTAN - 12 h); mean Sun longitude L = 280.460 + 0.9856474 d
 * (d days since J2000; Astronomical Almanac low-precision formula). Night passes over mid-latitude
 * stations need an LTAN near midnight or noon (descending or ascending node at night).
 */
import type { ElementSet } from '../../tle/domain/index.js';

const MU_KM3_S2 = 398600.8; // WGS-72, as SGP4
const EARTH_RADIUS_KM = 6378.135;
const J2000_MS = Date.UTC(2000, 0, 1, 12);

export interface OrbitSpec {
  noradId: number;
  name: string;
  altitudeKm: number;
  inclinationDeg: number;
  raanDeg: number;
  meanAnomalyDeg: number;
}

export const meanMotionRevPerDay = (altitudeKm: number): number => {
  const a = EARTH_RADIUS_KM + altitudeKm;
  return (Math.sqrt(MU_KM3_S2 / a ** 3) * 86_400) / (2 * Math.PI);
};

export const sunSynchronousInclinationDeg = (altitudeKm: number): number =>
  (Math.acos(-(((EARTH_RADIUS_KM + altitudeKm) / 12_352) ** 3.5)) * 180) / Math.PI;

export const raanForLtanDeg = (ltanHours: number, epochMs: number): number => {
  const d = (epochMs - J2000_MS) / 86_400_000;
  const sunRaDeg = 280.46 + 0.9856474 * d;
  return (((sunRaDeg + 15 * (ltanHours - 12)) % 360) + 360) % 360;
};

/** A circular-orbit element set at `epochMs` (no drag: what-if orbits have no measured B*). */
export function elementSetOf(orbit: OrbitSpec, epochMs: number): ElementSet {
  const d = new Date(epochMs);
  const year = d.getUTCFullYear();
  const dayOfYear = 1 + (epochMs - Date.UTC(year, 0, 1)) / 86_400_000;
  const norm = (x: number) => ((x % 360) + 360) % 360;
  return {
    noradId: orbit.noradId,
    name: orbit.name,
    classification: 'U',
    intlDesignator: '',
    epoch: d.toISOString(),
    epochMs,
    epochYear: year,
    epochDayOfYear: dayOfYear,
    meanMotionRevPerDay: meanMotionRevPerDay(orbit.altitudeKm),
    eccentricity: 0.0001,
    inclinationDeg: orbit.inclinationDeg,
    raanDeg: norm(orbit.raanDeg),
    argOfPerigeeDeg: 0,
    meanAnomalyDeg: norm(orbit.meanAnomalyDeg),
    meanMotionDot: 0,
    meanMotionDdot: 0,
    bstar: 0,
    ephemerisType: 0,
    elementSetNo: 999,
    revAtEpoch: 0,
    source: 'omm',
  };
}

export interface Walker {
  inclinationDeg: number;
  total: number;
  planes: number;
  phasing: number;
}

/** Parses `i:t/p/f` (e.g. `53:24/6/1`); t must be a multiple of p and 0 <= f < p. */
export function parseWalker(pattern: string): Walker {
  const m = /^(\d+(?:\.\d+)?):(\d+)\/(\d+)\/(\d+)$/.exec(pattern.trim());
  if (!m) throw new RangeError(`walker: expected i:t/p/f, got '${pattern}'`);
  const w = { inclinationDeg: Number(m[1]), total: Number(m[2]), planes: Number(m[3]), phasing: Number(m[4]) };
  if (w.inclinationDeg > 180 || w.planes < 1 || w.total < 1 || w.total % w.planes !== 0 || w.phasing >= w.planes) {
    throw new RangeError(`walker: '${pattern}' needs 0 <= i <= 180, t a multiple of p, 0 <= f < p`);
  }
  return w;
}

/**
 * Walker-delta i:t/p/f: p planes with RAAN 360 j / p, t/p satellites per plane spaced 360/(t/p) in
 * mean anomaly, plane j shifted by 360 f j / t (Walker 1984, J. Br. Interplanet. Soc. 37, 559).
 */
export function walkerDelta(pattern: string, altitudeKm: number, firstNoradId: number, name = 'walker'): OrbitSpec[] {
  const w = parseWalker(pattern);
  const perPlane = w.total / w.planes;
  const out: OrbitSpec[] = [];
  for (let j = 0; j < w.planes; j += 1) {
    for (let k = 0; k < perPlane; k += 1) {
      out.push({
        noradId: firstNoradId + j * perPlane + k,
        name: `${name}-${j + 1}-${k + 1}`,
        altitudeKm,
        inclinationDeg: w.inclinationDeg,
        raanDeg: (360 * j) / w.planes,
        meanAnomalyDeg: (360 * k) / perPlane + (360 * w.phasing * j) / w.total,
      });
    }
  }
  return out;
}

export interface SatellitePreset {
  id: string;
  name: string;
  noradId: number;
  altitudeKm: number;
  /** Inclination; sun-synchronous from the altitude when absent. */
  inclinationDeg?: number;
  ltanHours: number;
  terminalPreset: string;
  source: string;
  /** What is assumed rather than published. */
  assumptions: string;
}

/**
 * QKD satellites from the field. Orbits are circular approximations; catalog numbers of planned
 * satellites are synthetic (99xxxx). Where the catalog holds a real element set (Micius, 41731,
 * tle/data/demo.tle) use `noradId` in the config instead of the preset.
 */
export const SATELLITE_PRESETS: readonly SatellitePreset[] = [
  {
    id: 'micius',
    name: 'Micius (QUESS)',
    noradId: 41731,
    altitudeKm: 478,
    inclinationDeg: 97.3,
    ltanHours: 0,
    terminalPreset: 'micius-xinglong',
    source:
      'Liao et al. 2017, Nature 549, 43: sun-synchronous orbit at ~500 km, launched 2016-08-16, passes ' +
      'over Xinglong around local midnight; orbit 471 x 485 km, 97.3 deg in August 2023 (COSPAR ' +
      '2016-051A, de.wikipedia "Micius (Satellit)").',
    assumptions:
      'circular 478 km; LTAN 00:00 approximated from the midnight passes; prefer the catalog TLE (noradId 41731).',
  },
  {
    id: 'jinan-1',
    name: 'Jinan-1',
    noradId: 990_002,
    altitudeKm: 500,
    ltanHours: 22.5,
    terminalPreset: 'jinan1-portable',
    source:
      'Li et al. 2025, "Microsatellite-based real-time quantum key distribution", Nature 640, 47-54 ' +
      '(doi:10.1038/s41586-025-08739-z): ~23 kg payload, portable 100 kg stations, up to 1.07 Mbit per ' +
      'pass; ~500 km sun-synchronous orbit, launched 2022-07-27 (as summarised by qni.pages.dev/case-studies/jinan-1).',
    assumptions: 'LTAN 22:30 and the catalog number are assumptions.',
  },
  {
    id: 'speqtral-1',
    name: 'SpeQtral-1',
    noradId: 990_003,
    altitudeKm: 530,
    ltanHours: 22.5,
    terminalPreset: 'generic-500km-810nm',
    source: 'SpeQtral (Singapore) announcements: SpeQtral-1 QKD satellite for a sun-synchronous LEO rideshare.',
    assumptions: 'altitude 530 km, LTAN 22:30, terminal = generic 500 km / 810 nm preset: unpublished, assumed.',
  },
  {
    id: 'qeyssat',
    name: 'QEYSSat',
    noradId: 990_004,
    altitudeKm: 600,
    ltanHours: 23,
    terminalPreset: 'generic-500km-810nm',
    source:
      'Canadian Space Agency QEYSSat mission (Jennewein et al. 2014, Proc. SPIE 9254, 925402): uplink QKD ' +
      'microsatellite in LEO.',
    assumptions:
      'sun-synchronous 600 km, LTAN 23:00; downlink generic terminal preset stands in for its uplink receiver.',
  },
  {
    id: 'eagle-1',
    name: 'Eagle-1',
    noradId: 990_005,
    altitudeKm: 530,
    ltanHours: 22.5,
    terminalPreset: 'generic-500km-810nm',
    source: 'ESA / SES Eagle-1: European space-based QKD system, LEO sun-synchronous, ESA ARTES programme.',
    assumptions: 'altitude 530 km, LTAN 22:30 and the terminal preset are assumptions.',
  },
];

export function presetOrbit(preset: SatellitePreset, epochMs: number): OrbitSpec {
  return {
    noradId: preset.noradId,
    name: preset.name,
    altitudeKm: preset.altitudeKm,
    inclinationDeg: preset.inclinationDeg ?? sunSynchronousInclinationDeg(preset.altitudeKm),
    raanDeg: raanForLtanDeg(preset.ltanHours, epochMs),
    meanAnomalyDeg: 0,
  };
}
