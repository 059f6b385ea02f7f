/** Effective mask elevation at an azimuth: max(minimum elevation, interpolated horizon mask). */
import type { MaskPoint } from './model.js';
import { TWO_PI } from '../units.js';

export function maskFunction(
  minElevationRad: number,
  horizon: MaskPoint[] | undefined,
): (azimuthRad: number) => number {
  if (!horizon || horizon.length === 0) return () => minElevationRad;
  const pts = [...horizon]
    .map((p) => ({ az: ((p.azimuthRad % TWO_PI) + TWO_PI) % TWO_PI, el: p.elevationRad }))
    .sort((a, b) => a.az - b.az);
  if (pts.length === 1) {
    const el = Math.max(minElevationRad, pts[0]!.el);
    return () => el;
  }
  return (azimuthRad: number) => {
    let i = 0;
    while (i < pts.length && pts[i]!.az <= azimuthRad) i += 1;
    const hi = pts[i % pts.length]!,
      lo = pts[(i - 1 + pts.length) % pts.length]!;
    let span = hi.az - lo.az,
      off = azimuthRad - lo.az;
    if (span <= 0) span += TWO_PI;
    if (off < 0) off += TWO_PI;
    const el = lo.el + ((hi.el - lo.el) * off) / span;
    return Math.max(minElevationRad, el);
  };
}
