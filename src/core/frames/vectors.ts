/** Plain 3-vectors; the frame and unit live in the variable name (positionEcefKm). */
export interface Vec3 {
  x: number;
  y: number;
  z: number;
}

const dot = (a: Vec3, b: Vec3): number => a.x * b.x + a.y * b.y + a.z * b.z;
/** Angle between two vectors, robust near 0 and pi (atan2 of |a x b| and a.b). */
export function angleBetween(a: Vec3, b: Vec3): number {
  const cx = a.y * b.z - a.z * b.y,
    cy = a.z * b.x - a.x * b.z,
    cz = a.x * b.y - a.y * b.x;
  return Math.atan2(Math.sqrt(cx * cx + cy * cy + cz * cz), dot(a, b));
}
