/**
 * Candidates (predicted passes that meet the optical constraints) and demand, the planner's input.
 * A candidate's weight is its expected key: finite-key yield times the station's clear-sky
 * probability for that month (scenario sampling is an option of the caller).
 */
import { z } from 'zod';

export interface Candidate {
  /** The pass id (`passId`), also its BullMQ job id. */
  id: string;
  noradId: number;
  stationId: string;
  startMs: number;
  endMs: number;
  /** Secure key of the pass if the sky is clear, bits (>= 0). */
  expectedSecureBits: number;
  /** The station's clear-sky probability for the pass's month, 0..1. */
  clearSkyProbability: number;
  maxElevationDeg?: number;
  /** Epoch of the element set the pass was predicted from (its age is reported with the booking). */
  elementSetEpochMs?: number;
}

export const DemandSchema = z.object({
  stations: z.record(z.string(), z.number().nonnegative()).default({}),
  pairs: z.array(z.object({ a: z.string().min(1), b: z.string().min(1), bits: z.number().nonnegative() })).default([]),
});
export type Demand = z.infer<typeof DemandSchema>;

export interface Gaps {
  /** Station telescope slew/re-acquisition time between two passes. */
  stationSlewMs: number;
  /** Satellite terminal retarget time between two stations. */
  satelliteRetargetMs: number;
}

/** Expected key of a candidate, bits. */
export const weightBits = (candidate: Candidate): number =>
  candidate.expectedSecureBits * candidate.clearSkyProbability;

/**
 * The two words for expected key, the same in every view (JSON, iCal, CLI, dashboard):
 * `expectedSecureBits` if the sky is clear, `expectedSecureBitsWeather` = that times the station's
 * clear-sky probability (what the planner weighs).
 */
export const expectedSecureBitsWeather = (
  candidate: Pick<Candidate, 'expectedSecureBits' | 'clearSkyProbability'>,
): number => Math.round(candidate.expectedSecureBits * candidate.clearSkyProbability);

/** Deterministic id, also the BullMQ job id (no ':'): pass_<station>_<norad>_<aosMs>. */
export const passId = (stationId: string, noradId: number, aosMs: number): string =>
  `pass_${stationId}_${noradId}_${Math.round(aosMs)}`;

export const pairKey = (stationA: string, stationB: string): string =>
  stationA < stationB ? `${stationA}~${stationB}` : `${stationB}~${stationA}`;

/** Unknown stations in a demand, as issues naming the field (e.g. `demand.pairs.0.b`). */
export function demandIssues(
  demand: Demand,
  stationIds: ReadonlySet<string>,
  root = 'demand',
): { path: (string | number)[]; message: string }[] {
  const issues: { path: (string | number)[]; message: string }[] = [];
  for (const g of Object.keys(demand.stations))
    if (!stationIds.has(g)) issues.push({ path: [root, 'stations', g], message: `unknown station '${g}'` });
  demand.pairs.forEach((p, i) => {
    for (const end of ['a', 'b'] as const)
      if (!stationIds.has(p[end]))
        issues.push({ path: [root, 'pairs', i, end], message: `unknown station '${p[end]}'` });
    if (p.a === p.b) issues.push({ path: [root, 'pairs', i, 'b'], message: 'a pair needs two different stations' });
  });
  return issues;
}
