/** Passes of catalogued element sets over stations, and their wire form (degrees, ISO times). */
import { z } from 'zod';
import { findPasses, type Pass, type PassSatellite, type SatelliteFailure } from '../../src/core/passes/index.js';
import { toIso } from '../../src/core/time/index.js';
import { propagatorOf } from './assess.js';
import type { ElementSet } from './element-set.js';
import { toPassStation, type Station } from './station.js';

const DEG = Math.PI / 180;
const r3 = (x: number) => Math.round(x * 1000) / 1000;

export const PassWireSchema = z.object({
  noradId: z.number().int(),
  stationId: z.string(),
  aos: z.string(),
  tca: z.string(),
  los: z.string(),
  maxElevationDeg: z.number(),
  aosAzimuthDeg: z.number(),
  losAzimuthDeg: z.number(),
  minRangeKm: z.number(),
  sunElevationDegAtTca: z.number(),
  satelliteSunlitAtTca: z.boolean(),
  moonSeparationDegAtTca: z.number(),
  clipped: z.boolean(),
}).meta({ id: 'Pass' });
export type PassWire = z.infer<typeof PassWireSchema>;

export const PassDetailWireSchema = PassWireSchema.extend({
  tcaAzimuthDeg: z.number(),
  culminations: z.number().int(),
  clippedAtStart: z.boolean(),
  clippedAtEnd: z.boolean(),
  endReason: z.enum(['set', 'window', 'decayed']),
  decayReason: z.string().optional(),
  moonElevationDegAtTca: z.number(),
  sunSeparationDegAtTca: z.number(),
  moonIlluminatedFractionAtTca: z.number(),
}).meta({ id: 'PassDetail' });
export type PassDetailWire = z.infer<typeof PassDetailWireSchema>;

/** Exactly the CLI JSON contract of issue 2. */
export const passToWire = (p: Pass): PassWire => ({
  noradId: p.noradId,
  stationId: p.stationId,
  aos: toIso(p.aosMs),
  tca: toIso(p.tcaMs),
  los: toIso(p.losMs),
  maxElevationDeg: r3(p.maxElevationRad / DEG),
  aosAzimuthDeg: r3(p.aosAzimuthRad / DEG),
  losAzimuthDeg: r3(p.losAzimuthRad / DEG),
  minRangeKm: r3(p.minRangeKm),
  sunElevationDegAtTca: r3(p.sunElevationRadAtTca / DEG),
  satelliteSunlitAtTca: p.satelliteSunlitAtTca,
  moonSeparationDegAtTca: r3(p.moonSeparationRadAtTca / DEG),
  clipped: p.clipped,
});

export const passToDetailWire = (p: Pass): PassDetailWire => ({
  ...passToWire(p),
  tcaAzimuthDeg: r3(p.tcaAzimuthRad / DEG),
  culminations: p.culminations,
  clippedAtStart: p.clippedAtStart,
  clippedAtEnd: p.clippedAtEnd,
  endReason: p.endReason,
  ...(p.decayReason ? { decayReason: p.decayReason } : {}),
  moonElevationDegAtTca: r3(p.moonElevationRadAtTca / DEG),
  sunSeparationDegAtTca: r3(p.sunSeparationRadAtTca / DEG),
  moonIlluminatedFractionAtTca: Math.round(p.moonIlluminatedFractionAtTca * 1e4) / 1e4,
});

export interface CatalogPassQuery {
  fromMs: number;
  toMs: number;
  minElevationDeg?: number;
  refraction?: boolean;
  onProgress?: (done: number, total: number) => void;
}

/** Builds propagators (elements SGP4 cannot start are reported as failures) and finds passes. */
export function passesOf(sets: ElementSet[], stations: Station[], q: CatalogPassQuery): { passes: Pass[]; failures: SatelliteFailure[] } {
  const sats: PassSatellite[] = [];
  const failures: SatelliteFailure[] = [];
  for (const es of sets) {
    const p = propagatorOf(es);
    if (p.ok) sats.push({ noradId: es.noradId, propagator: p.propagator });
    else failures.push({ noradId: es.noradId, atMs: q.fromMs, code: -1, reason: p.reason });
  }
  const r = findPasses(sats, stations.map(toPassStation), {
    fromMs: q.fromMs,
    toMs: q.toMs,
    ...(q.minElevationDeg !== undefined ? { minElevationRad: q.minElevationDeg * DEG } : {}),
    ...(q.refraction ? { refraction: true } : {}),
    ...(q.onProgress ? { onProgress: q.onProgress } : {}),
  });
  return { passes: r.passes, failures: [...failures, ...r.failures] };
}
