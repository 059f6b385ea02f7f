/** Passes of catalogued element sets over stations, and their wire form (degrees, ISO times). */
import { z } from 'zod';
import {
  findPasses,
  type Pass,
  type PassSatellite,
  type SearchOptions,
  type SatelliteFailure,
} from '../../src/core/passes/index.js';
import { toIso } from '../../src/core/time/index.js';
import { DEFAULT_STALE_AFTER_DAYS, propagatorOf } from './assess.js';
import type { ElementSet } from './element-set.js';
import { toPassStation, type Station } from './station.js';
import { DEG } from '../../src/core/units.js';

const r3 = (x: number) => Math.round(x * 1000) / 1000;

export const PassWireSchema = z
  .object({
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
    elementSetEpoch: z.string().describe('epoch of the element set the pass was predicted from'),
    epochAgeDays: z.number().describe('TCA minus that epoch, days (negative: predicted before the epoch)'),
    stale: z.boolean().describe('|epochAgeDays| > tle.staleDays (default 14)'),
  })
  .meta({ id: 'Pass' });
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

/** A pass with the epoch of the element set it was predicted from. */
export interface CatalogPass extends Pass {
  elementSetEpochMs: number;
}

/** Age of the element set at `atMs`, days, and whether it is beyond `staleDays`. */
export function epochAge(
  epochMs: number,
  atMs: number,
  staleDays = DEFAULT_STALE_AFTER_DAYS,
): { elementSetEpoch: string; epochAgeDays: number; stale: boolean } {
  const days = (atMs - epochMs) / 86_400_000;
  return {
    elementSetEpoch: toIso(epochMs),
    epochAgeDays: Math.round(days * 1000) / 1000,
    stale: Math.abs(days) > staleDays,
  };
}

/** The CLI JSON contract of issue 2, plus the element set's epoch and age at TCA (issue 10). */
export const passToWire = (pass: CatalogPass, staleDays = DEFAULT_STALE_AFTER_DAYS): PassWire => ({
  noradId: pass.noradId,
  stationId: pass.stationId,
  aos: toIso(pass.aosMs),
  tca: toIso(pass.tcaMs),
  los: toIso(pass.losMs),
  maxElevationDeg: r3(pass.maxElevationRad / DEG),
  aosAzimuthDeg: r3(pass.aosAzimuthRad / DEG),
  losAzimuthDeg: r3(pass.losAzimuthRad / DEG),
  minRangeKm: r3(pass.minRangeKm),
  sunElevationDegAtTca: r3(pass.sunElevationRadAtTca / DEG),
  satelliteSunlitAtTca: pass.satelliteSunlitAtTca,
  moonSeparationDegAtTca: r3(pass.moonSeparationRadAtTca / DEG),
  clipped: pass.clipped,
  ...epochAge(pass.elementSetEpochMs, pass.tcaMs, staleDays),
});

export const passToDetailWire = (pass: CatalogPass, staleDays = DEFAULT_STALE_AFTER_DAYS): PassDetailWire => ({
  ...passToWire(pass, staleDays),
  tcaAzimuthDeg: r3(pass.tcaAzimuthRad / DEG),
  culminations: pass.culminations,
  clippedAtStart: pass.clippedAtStart,
  clippedAtEnd: pass.clippedAtEnd,
  endReason: pass.endReason,
  ...(pass.decayReason ? { decayReason: pass.decayReason } : {}),
  moonElevationDegAtTca: r3(pass.moonElevationRadAtTca / DEG),
  sunSeparationDegAtTca: r3(pass.sunSeparationRadAtTca / DEG),
  moonIlluminatedFractionAtTca: Math.round(pass.moonIlluminatedFractionAtTca * 1e4) / 1e4,
});

export interface CatalogPassQuery {
  fromMs: number;
  toMs: number;
  minElevationDeg?: number;
  refraction?: boolean;
  onProgress?: (done: number, total: number) => void;
  /** Receives the propagated track of each satellite with a single set (see PassOptions.onTrack). */
  onTrack?: SearchOptions['onTrack'];
}

/**
 * Which element set serves which instant when a satellite has several: each set serves the
 * instants nearer its epoch than any other set's (boundaries at the midpoints between epochs).
 * Returns [fromMs, toMs) segments of the window with their set, in time order.
 */
export function setSegments(
  sets: readonly ElementSet[],
  fromMs: number,
  toMs: number,
): { es: ElementSet; fromMs: number; toMs: number }[] {
  const sorted = [...sets].sort((a, b) => a.epochMs - b.epochMs);
  const out: { es: ElementSet; fromMs: number; toMs: number }[] = [];
  sorted.forEach((es, i) => {
    const lo = i === 0 ? -Infinity : (sorted[i - 1]!.epochMs + es.epochMs) / 2;
    const hi = i === sorted.length - 1 ? Infinity : (es.epochMs + sorted[i + 1]!.epochMs) / 2;
    const a = Math.max(lo, fromMs),
      b = Math.min(hi, toMs);
    if (b > a) out.push({ es, fromMs: a, toMs: b });
  });
  return out;
}

/** Longest pass a segment boundary can cut (searches reach this far past a segment's end). */
const MAX_PASS_MS = 6 * 3_600_000;

/**
 * Builds propagators (elements SGP4 cannot start are reported as failures) and finds passes: one
 * propagated track per element set, shared by all stations. A satellite with several sets in
 * `sets` gets, for each instant, the set with the nearest epoch (setSegments): a pass belongs to
 * the set whose segment holds its AOS, so no pass is found twice.
 */
export function passesOf(
  sets: readonly ElementSet[],
  stations: readonly Station[],
  query: CatalogPassQuery,
): { passes: CatalogPass[]; failures: SatelliteFailure[] } {
  const bySat = new Map<number, ElementSet[]>();
  for (const es of sets) {
    const l = bySat.get(es.noradId);
    if (l) l.push(es);
    else bySat.set(es.noradId, [es]);
  }
  const passStations = stations.map(toPassStation);
  const options = {
    ...(query.minElevationDeg !== undefined ? { minElevationRad: query.minElevationDeg * DEG } : {}),
    ...(query.refraction ? { refraction: true } : {}),
  };
  const passes: CatalogPass[] = [];
  const failures: SatelliteFailure[] = [];
  const epochOf = new Map<number, number>();
  const singles: PassSatellite[] = [];
  const propagate = (es: ElementSet, atMs: number): PassSatellite | undefined => {
    const p = propagatorOf(es);
    if (p.ok) return { noradId: es.noradId, propagator: p.propagator };
    failures.push({ noradId: es.noradId, atMs, code: -1, reason: p.reason });
    return undefined;
  };
  let done = 0;
  const total = bySat.size;
  for (const group of bySat.values()) {
    if (group.length > 1) continue;
    const sat = propagate(group[0]!, query.fromMs);
    epochOf.set(group[0]!.noradId, group[0]!.epochMs);
    if (sat) singles.push(sat);
    else query.onProgress?.(++done, total);
  }
  // Satellites with one set: one search, one track per satellite shared by all stations.
  const r = findPasses(singles, passStations, {
    fromMs: query.fromMs,
    toMs: query.toMs,
    ...options,
    onProgress: () => query.onProgress?.(++done, total),
    ...(query.onTrack ? { onTrack: query.onTrack } : {}),
  });
  for (const pass of r.passes) passes.push({ ...pass, elementSetEpochMs: epochOf.get(pass.noradId)! });
  failures.push(...r.failures);
  for (const group of bySat.values()) {
    if (group.length === 1) continue;
    for (const seg of setSegments(group, query.fromMs, query.toMs)) {
      const sat = propagate(seg.es, seg.fromMs);
      if (!sat) continue;
      const last = seg.toMs >= query.toMs;
      const found = findPasses([sat], passStations, {
        fromMs: seg.fromMs,
        toMs: last ? query.toMs : Math.min(query.toMs, seg.toMs + MAX_PASS_MS),
        ...options,
      });
      for (const pass of found.passes) {
        // A pass whose AOS lies in the next set's segment belongs to that set; a pass clipped at
        // this segment's start began in the previous one, which found it whole.
        if (!last && pass.aosMs >= seg.toMs) continue;
        if (seg.fromMs > query.fromMs && pass.clippedAtStart) continue;
        passes.push({ ...pass, elementSetEpochMs: seg.es.epochMs });
      }
      failures.push(...found.failures);
    }
    query.onProgress?.(++done, total);
  }
  return { passes: sortPasses(passes), failures };
}

function sortPasses<P extends Pass>(passes: P[]): P[] {
  return passes.sort((a, b) => a.aosMs - b.aosMs || a.stationId.localeCompare(b.stationId) || a.noradId - b.noradId);
}
