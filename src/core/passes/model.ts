/** Inputs and outputs of the pass finder, SI and radians (degrees only on the wire). */
import type { Instant } from '../time/index.js';
import type { Propagator } from '../orbit/index.js';

export interface MaskPoint {
  azimuthRad: number;
  elevationRad: number;
}

export interface PassStation {
  id: string;
  latitudeRad: number;
  longitudeRad: number;
  altitudeKm: number;
  /** Elevation mask everywhere; the horizon mask (if any) raises it per azimuth. */
  minElevationRad: number;
  /** Azimuth-dependent horizon, linearly interpolated around the circle. */
  horizonMask?: MaskPoint[];
}

export interface PassSatellite {
  noradId: number;
  propagator: Propagator;
}

export interface PassOptions {
  fromMs: Instant;
  toMs: Instant;
  /** Overrides every station's minElevationRad when given. */
  minElevationRad?: number;
  /** Apply standard refraction to elevations (default false: geometric). */
  refraction?: boolean;
  /** Root and extremum tolerance (default 1 ms). */
  toleranceMs?: number;
  /** Called after each satellite with (done, total). */
  onProgress?: (done: number, total: number) => void;
}

export interface Pass {
  noradId: number;
  stationId: string;
  aosMs: Instant;
  tcaMs: Instant;
  losMs: Instant;
  maxElevationRad: number;
  aosAzimuthRad: number;
  tcaAzimuthRad: number;
  losAzimuthRad: number;
  minRangeKm: number;
  /** Number of elevation maxima inside the pass (2 for some eccentric orbits); tca is the highest. */
  culminations: number;
  /** True when the pass was already in progress at the window start or still is at its end. */
  clipped: boolean;
  clippedAtStart: boolean;
  clippedAtEnd: boolean;
  /** Why the pass ends at los: it set below the mask, the window ended, or SGP4 failed (decay). */
  endReason: 'set' | 'window' | 'decayed';
  decayReason?: string;
  sunElevationRadAtTca: number;
  satelliteSunlitAtTca: boolean;
  moonElevationRadAtTca: number;
  moonSeparationRadAtTca: number;
  sunSeparationRadAtTca: number;
  moonIlluminatedFractionAtTca: number;
}

export interface SatelliteFailure {
  noradId: number;
  atMs: Instant;
  code: number;
  reason: string;
}

export interface PassSearch {
  passes: Pass[];
  failures: SatelliteFailure[];
}
