/** Unit conversions and constants shared across the tree: angles in radians, instants in ms. */

/** Radians per degree. */
export const DEG = Math.PI / 180;
export const TWO_PI = 2 * Math.PI;
export const MS_PER_DAY = 86_400_000;
/** WGS72 gravitational parameter (km^3/s^2) and equatorial radius (km), as SGP4 uses them (Spacetrack Report #3). */
export const MU_WGS72_KM3_S2 = 398600.8;
export const EARTH_RADIUS_WGS72_KM = 6378.135;
