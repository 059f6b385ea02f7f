/**
 * Candidates from predicted passes: keep those meeting the optical constraints (dark station,
 * Moon far enough), weight each by its predicted finite-key yield (a function of the pass: the
 * key-rate core) and the station's clear-sky probability for the month of culmination.
 */
import type { Pass } from '../../src/core/passes/index.js';
import type { Station } from '../../tle/domain/index.js';
import { passId, type Candidate } from './candidate.js';
import { DEG } from '../../src/core/units.js';

export interface OpticalConstraints {
  maxSunElevationDeg: number;
  minMoonSeparationDeg: number;
  minMaxElevationDeg: number;
}
const DEFAULT_OPTICAL: OpticalConstraints = {
  maxSunElevationDeg: -12,
  minMoonSeparationDeg: 15,
  minMaxElevationDeg: 20,
};

/** Yield model port: secure bits of one pass (e.g. the key-rate core's passYield with a preset). */
export type PassYieldBits = (pass: Pass) => number;

/** Clear-sky probability of `station` in the UTC month of `atMs`; 0.5 when the station has no climatology. */
function clearSkyAt(station: Pick<Station, 'clearSky'> | undefined, atMs: number): number {
  return station?.clearSky?.[new Date(atMs).getUTCMonth()] ?? 0.5;
}

export function candidatesFromPasses(
  passes: readonly (Pass & { elementSetEpochMs?: number })[],
  stations: readonly Station[],
  yieldBits: PassYieldBits,
  optical: OpticalConstraints = DEFAULT_OPTICAL,
): Candidate[] {
  const byId = new Map(stations.map((s) => [s.id, s]));
  return passes
    .filter(
      (p) =>
        p.sunElevationRadAtTca <= optical.maxSunElevationDeg * DEG &&
        p.moonSeparationRadAtTca >= optical.minMoonSeparationDeg * DEG &&
        p.maxElevationRad >= optical.minMaxElevationDeg * DEG &&
        p.losMs > p.aosMs,
    )
    .map((p) => ({
      id: passId(p.stationId, p.noradId, p.aosMs),
      noradId: p.noradId,
      stationId: p.stationId,
      startMs: p.aosMs,
      endMs: p.losMs,
      expectedSecureBits: Math.max(0, Math.floor(yieldBits(p))),
      clearSkyProbability: clearSkyAt(byId.get(p.stationId), p.tcaMs),
      maxElevationDeg: Math.round((p.maxElevationRad / DEG) * 10) / 10,
      ...(p.elementSetEpochMs !== undefined ? { elementSetEpochMs: p.elementSetEpochMs } : {}),
    }));
}
