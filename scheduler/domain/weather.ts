/**
 * Weather scenario sampling: how a plan fares when clouds are drawn instead of averaged.
 *
 * The planner weights each pass by its expected key (secure bits x clear-sky probability); that
 * is right for expected key but hides risk: cloud over a station persists through a night, so two
 * passes at one station in one night are clouded out together, and the worst pair's fraction of
 * demand is not the fraction of the expected key. A scenario draws, per station and per night
 * (passes at a station separated by less than NIGHT_GAP_MS share one draw), clear with the
 * station's clear-sky probability for that month; a clear pass yields its full predicted key, a
 * clouded one none. Each scenario is allocated like the plan (`allocate`); the result is the
 * distribution of the objective over the scenarios. Seeded (mulberry32), so reproducible.
 */
import { mulberry32 } from '../../src/core/keyrate/random.js';
import { allocate } from './allocation.js';
import type { Candidate, Demand } from './candidate.js';

/** Passes at one station closer than this belong to one night (one cloud draw). */
const NIGHT_GAP_MS = 6 * 3_600_000;

interface Spread {
  mean: number;
  p10: number;
  p50: number;
  p90: number;
  min: number;
}
export interface WeatherRisk {
  scenarios: number;
  seed: number;
  worstPairFraction: Spread;
  demandMetBits: Spread;
  totalKeyBits: Spread;
  /** Fraction of scenarios in which some demanded pair gets no key at all. */
  pairStarvedProbability: number;
}

function spread(xs: number[]): Spread {
  const s = [...xs].sort((a, b) => a - b);
  const q = (p: number) => s[Math.min(s.length - 1, Math.max(0, Math.ceil(p * s.length) - 1))]!;
  return { mean: s.reduce((a, b) => a + b, 0) / s.length, p10: q(0.1), p50: q(0.5), p90: q(0.9), min: s[0]! };
}

/** Night index of each booking: a new night starts after a gap of NIGHT_GAP_MS at that station. */
export function nightsOf(bookings: readonly Candidate[]): Map<string, string> {
  const byStation = new Map<string, Candidate[]>();
  for (const b of bookings) {
    const l = byStation.get(b.stationId) ?? [];
    l.push(b);
    byStation.set(b.stationId, l);
  }
  const night = new Map<string, string>();
  for (const [g, list] of byStation) {
    list.sort((a, b) => a.startMs - b.startMs);
    let k = 0,
      lastEnd = -Infinity;
    for (const b of list) {
      if (b.startMs - lastEnd > NIGHT_GAP_MS) k += 1;
      lastEnd = Math.max(lastEnd, b.endMs);
      night.set(b.id, `${g}#${k}`);
    }
  }
  return night;
}

export function weatherRisk(
  bookings: readonly Candidate[],
  demand: Demand,
  scenarios: number,
  seed: number,
): WeatherRisk {
  if (!(Number.isInteger(scenarios) && scenarios >= 1)) throw new RangeError('scenarios must be a positive integer');
  const rand = mulberry32(seed);
  const night = nightsOf(bookings);
  const nights = [...new Set(night.values())].sort();
  // A night's probability: its passes share a month in practice; the first pass's value stands for the night.
  const pClear = new Map<string, number>();
  for (const b of bookings) if (!pClear.has(night.get(b.id)!)) pClear.set(night.get(b.id)!, b.clearSkyProbability);
  const worst: number[] = [],
    met: number[] = [],
    key: number[] = [];
  let starved = 0;
  for (let n = 0; n < scenarios; n += 1) {
    const clear = new Map(nights.map((k) => [k, rand() < pClear.get(k)!]));
    const realised = bookings.filter((b) => clear.get(night.get(b.id)!)).map((b) => ({ ...b, clearSkyProbability: 1 }));
    const a = allocate(realised, demand, 100);
    worst.push(a.objective.worstPairFraction);
    met.push(a.objective.demandMetBits);
    key.push(a.objective.totalKeyBits);
    if (a.pairs.some((p) => p.deliveredBits <= 0)) starved += 1;
  }
  return {
    scenarios,
    seed,
    worstPairFraction: spread(worst),
    demandMetBits: spread(met),
    totalKeyBits: spread(key),
    pairStarvedProbability: starved / scenarios,
  };
}
