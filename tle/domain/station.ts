/** Optical ground stations: the wire schema (degrees, metres) and the core view (radians, km). */
import { z } from 'zod';
import type { PassStation } from '../../src/core/passes/index.js';
import { DEG } from '../../src/core/units.js';

export const StationIdSchema = z
  .string()
  .regex(/^[a-z0-9][a-z0-9_-]{0,39}$/, 'lower-case letters, digits, _ or -, at most 40');

export const MaskPointSchema = z.object({
  azimuthDeg: z.number().min(0).max(360),
  elevationDeg: z.number().min(-5).max(90),
});

export const StationBodySchema = z.object({
  name: z.string().min(1).max(120),
  latitudeDeg: z.number().min(-90).max(90),
  longitudeDeg: z.number().min(-180).max(180),
  altitudeM: z.number().min(-500).max(9000),
  minElevationDeg: z.number().min(0).max(90).optional(),
  horizonMask: z.array(MaskPointSchema).max(360).optional(),
  /** Probability of a clear night sky per calendar month, January first (climatology estimate). */
  clearSky: z.array(z.number().min(0).max(1)).length(12).optional(),
});

export const StationSchema = StationBodySchema.extend({ id: StationIdSchema }).meta({ id: 'Station' });
export type Station = z.infer<typeof StationSchema>;
export const StationListSchema = z.array(StationSchema);

export const DEFAULT_MIN_ELEVATION_DEG = 10;

export function toPassStation(station: Station): PassStation {
  return {
    id: station.id,
    latitudeRad: station.latitudeDeg * DEG,
    longitudeRad: station.longitudeDeg * DEG,
    altitudeKm: station.altitudeM / 1000,
    minElevationRad: (station.minElevationDeg ?? DEFAULT_MIN_ELEVATION_DEG) * DEG,
    ...(station.horizonMask
      ? {
          horizonMask: station.horizonMask.map((p) => ({
            azimuthRad: p.azimuthDeg * DEG,
            elevationRad: p.elevationDeg * DEG,
          })),
        }
      : {}),
  };
}
