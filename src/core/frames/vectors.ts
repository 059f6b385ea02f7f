/** Plain 3-vectors; the frame and unit live in the variable name (positionEcefKm). */
export interface Vec3 {
  x: number;
  y: number;
  z: number;
}

const dot = (a: Vec3, b: Vec3): number => a.x * b.x + a.y * b.y + a.z * b.z;
/** Angle between two vectors, robust near 0 and pi (atan2 of |a x b| and a.b). */
export function angleBetween(first: Vec3, second: Vec3): number {
  const cx = first.y * second.z - first.z * second.y,
    cy = first.z * second.x - first.x * second.z,
    cz = first.x * second.y - first.y * second.x;
  return Math.atan2(Math.sqrt(cx * cx + cy * cy + cz * cz), dot(first, second));
}
