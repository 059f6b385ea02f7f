/** Plain 3-vectors; the frame and unit live in the variable name (positionEcefKm). */
export interface Vec3 {
  x: number;
  y: number;
  z: number;
}

export const dot = (a: Vec3, b: Vec3): number => a.x * b.x + a.y * b.y + a.z * b.z;
export const norm = (a: Vec3): number => Math.sqrt(dot(a, a));
export const sub = (a: Vec3, b: Vec3): Vec3 => ({ x: a.x - b.x, y: a.y - b.y, z: a.z - b.z });
/** Angle between two vectors, robust near 0 and pi (atan2 of |a x b| and a.b). */
export function angleBetween(a: Vec3, b: Vec3): number {
  const cx = a.y * b.z - a.z * b.y,
    cy = a.z * b.x - a.x * b.z,
    cz = a.x * b.y - a.y * b.x;
  return Math.atan2(Math.sqrt(cx * cx + cy * cy + cz * cz), dot(a, b));
}
