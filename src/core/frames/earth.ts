/**
 * TEME -> ECEF (pseudo Earth-fixed: GMST rotation, no polar motion, UT1 = UTC as satellite.js
 * assumes) and ECEF -> topocentric (east/north/up, azimuth from north through east).
 */
import type { Instant } from '../time/index.js';
import type { Vec3 } from './vectors.js';
import { TWO_PI } from '../units.js';

/** WGS84 ellipsoid (NIMA TR8350.2). */
export const WGS84_A_KM = 6378.137;
const WGS84_F = 1 / 298.257223563;
const E2 = WGS84_F * (2 - WGS84_F);

/** GMST, IAU 1982 (Vallado, Fundamentals of Astrodynamics, eq. 3-47), as satellite.js gstime. */
export function gmstRad(instant: Instant): number {
  const jdUt1 = instant / 86_400_000 + 2440587.5;
  const tut1 = (jdUt1 - 2451545.0) / 36525.0;
  // Horner form of -6.2e-6 T^3 + 0.093104 T^2 + (876600 h + 8640184.812866 s) T + 67310.54841 s
  // (4x faster than with **; same value to 2e-11 rad, below the 3e-9 rad resolution of jdUt1).
  const sec = ((-6.2e-6 * tut1 + 0.093104) * tut1 + (876600.0 * 3600 + 8640184.812866)) * tut1 + 67310.54841;
  let g = ((sec * Math.PI) / 180 / 240.0) % TWO_PI;
  if (g < 0) g += TWO_PI;
  return g;
}

export function temeToEcef(positionTemeKm: Vec3, gmst: number): Vec3 {
  const c = Math.cos(gmst),
    s = Math.sin(gmst);
  return {
    x: c * positionTemeKm.x + s * positionTemeKm.y,
    y: -s * positionTemeKm.x + c * positionTemeKm.y,
    z: positionTemeKm.z,
  };
}

export function ecefToTeme(positionEcefKm: Vec3, gmst: number): Vec3 {
  const c = Math.cos(gmst),
    s = Math.sin(gmst);
  return {
    x: c * positionEcefKm.x - s * positionEcefKm.y,
    y: s * positionEcefKm.x + c * positionEcefKm.y,
    z: positionEcefKm.z,
  };
}

/** A ground site with its ECEF position and the rows of the ECEF -> ENU rotation precomputed. */
export interface Site {
  latitudeRad: number;
  longitudeRad: number;
  altitudeKm: number;
  positionEcefKm: Vec3;
  east: Vec3;
  north: Vec3;
  up: Vec3;
}

export function siteOf(latitudeRad: number, longitudeRad: number, altitudeKm: number): Site {
  const sl = Math.sin(latitudeRad),
    cl = Math.cos(latitudeRad),
    so = Math.sin(longitudeRad),
    co = Math.cos(longitudeRad);
  const n = WGS84_A_KM / Math.sqrt(1 - E2 * sl * sl);
  return {
    latitudeRad,
    longitudeRad,
    altitudeKm,
    positionEcefKm: {
      x: (n + altitudeKm) * cl * co,
      y: (n + altitudeKm) * cl * so,
      z: (n * (1 - E2) + altitudeKm) * sl,
    },
    east: { x: -so, y: co, z: 0 },
    north: { x: -sl * co, y: -sl * so, z: cl },
    up: { x: cl * co, y: cl * so, z: sl },
  };
}

export interface LookAngles {
  azimuthRad: number;
  elevationRad: number;
  rangeKm: number;
}

/** Geometric look angles from `site` to a point given in ECEF. */
export function lookAngles(site: Site, positionEcefKm: Vec3): LookAngles {
  const dx = positionEcefKm.x - site.positionEcefKm.x,
    dy = positionEcefKm.y - site.positionEcefKm.y,
    dz = positionEcefKm.z - site.positionEcefKm.z;
  const e = dx * site.east.x + dy * site.east.y;
  const n = dx * site.north.x + dy * site.north.y + dz * site.north.z;
  const u = dx * site.up.x + dy * site.up.y + dz * site.up.z;
  const rangeKm = Math.sqrt(e * e + n * n + u * u);
  let az = Math.atan2(e, n);
  if (az < 0) az += TWO_PI;
  return { azimuthRad: az, elevationRad: Math.asin(u / rangeKm), rangeKm };
}

/** Unit vector (east, north, up) of a direction given by azimuth and elevation. */
export const enuOf = (azimuthRad: number, elevationRad: number): Vec3 => ({
  x: Math.cos(elevationRad) * Math.sin(azimuthRad),
  y: Math.cos(elevationRad) * Math.cos(azimuthRad),
  z: Math.sin(elevationRad),
});

/**
 * Standard refraction for a geometric (true) elevation: Saemundsson (1986), R[arcmin] =
 * 1.02 / tan(h + 10.3 / (h + 5.11)), h in degrees; 10 C, 1010 hPa. About 0.09 deg at 10 deg.
 */
export function refractionRad(geometricElevationRad: number): number {
  const h = Math.max((geometricElevationRad * 180) / Math.PI, -1);
  const arcmin = 1.02 / Math.tan(((h + 10.3 / (h + 5.11)) * Math.PI) / 180);
  return ((arcmin / 60) * Math.PI) / 180;
}

export interface Geodetic {
  latitudeRad: number;
  longitudeRad: number;
  altitudeKm: number;
}

/**
 * ECEF -> WGS84 geodetic latitude, longitude, height by fixed-point iteration on latitude
 * (Vallado, Fundamentals of Astrodynamics, alg. 12); 6 iterations reach < 1 mm for LEO to GEO.
 */
export function ecefToGeodetic(positionEcefKm: Vec3): Geodetic {
  const rxy = Math.hypot(positionEcefKm.x, positionEcefKm.y);
  const longitudeRad = Math.atan2(positionEcefKm.y, positionEcefKm.x);
  let lat = Math.atan2(positionEcefKm.z, rxy * (1 - E2));
  let n = WGS84_A_KM;
  for (let i = 0; i < 6; i += 1) {
    const s = Math.sin(lat);
    n = WGS84_A_KM / Math.sqrt(1 - E2 * s * s);
    lat = Math.atan2(positionEcefKm.z + n * E2 * s, rxy);
  }
  const c = Math.cos(lat);
  const altitudeKm = Math.abs(c) > 1e-9 ? rxy / c - n : Math.abs(positionEcefKm.z) - n * (1 - E2);
  return { latitudeRad: lat, longitudeRad, altitudeKm };
}
