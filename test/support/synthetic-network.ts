/**
 * A small synthetic network for the simulation's tests: the scheduler's synthetic passes, its heuristic planner, its
 * seeded pass runner.
 */
import { planSchedule } from '../../scheduler/domain/plan.js';
import { syntheticInstance } from '../../scheduler/domain/synthetic.js';
import { seededPassRunner } from './seeded-pass-runner.js';
import type { SimulationPorts, SimulationSetup } from '../../network/domain/simulate.js';
import { DAY_MS } from '../../network/domain/weather.js';

const T0 = Date.UTC(2023, 2, 1);
const GAPS = { stationSlewMs: 120_000, satelliteRetargetMs: 60_000 };

export function syntheticNetwork(o: {
  days: number;
  seed: number;
  satellites?: number;
  bufferBits?: number;
  persistence?: number;
  forecastSkill?: number;
  planning?: 'expected' | 'robust';
  instanceSeed?: number;
}): { setup: SimulationSetup; ports: SimulationPorts } {
  const inst = syntheticInstance({
    satellites: o.satellites ?? 1,
    stations: 8,
    nights: o.days + 5,
    passesPerRegionNight: 2,
    seed: o.instanceSeed ?? 7,
    startMs: T0 + 18 * 3_600_000,
  });
  const clear = new Map(inst.candidates.map((c) => [c.stationId, c.clearSkyProbability]));
  const setup: SimulationSetup = {
    startMs: T0,
    days: o.days,
    seed: o.seed,
    planning: o.planning ?? 'expected',
    stations: inst.stationIds.map((id) => ({
      id,
      longitudeDeg: 0,
      clearNight: Array.from({ length: 12 }, () => clear.get(id) ?? 0.5),
    })),
    satellites: inst.noradIds.map((noradId) => ({
      noradId,
      bufferBits: o.bufferBits ?? 1e9,
      keyLifetimeMs: 5 * DAY_MS,
    })),
    pairs: [
      { a: 'st00', b: 'st05', bitsPerDay: 3e5 },
      { a: 'st01', b: 'st06', bitsPerDay: 2e5 },
      { a: 'st02', b: 'st04', bitsPerDay: 2e5 },
    ],
    stationDemand: { st03: 1e5 },
    horizonHours: 48,
    frozenMinutes: 30,
    weather: { persistence: o.persistence ?? 0.35, forecastSkill: o.forecastSkill ?? 0.8, skillDecayHours: 48 },
    keys: { groundLifetimeMs: 3 * DAY_MS, targetDays: 3 },
    robust: { scenarios: 4, cvarFraction: 0.25 },
  };
  const ports: SimulationPorts = {
    candidates: async (a, b) => inst.candidates.filter((c) => c.startMs >= a && c.startMs < b),
    runPass: async (b, seed) => {
      const r = await seededPassRunner(b, seed);
      return { secureBits: r.secureBits, cloudy: r.cloudy };
    },
    plan: (cands, demand, fixedIds) =>
      planSchedule(cands, demand, { solver: 'heuristic', timeLimitS: 5, gaps: GAPS, fixedIds, nowMs: () => 0 }),
    nextReplanMs: (after) => (Math.floor(after / (6 * 3_600_000)) + 1) * 6 * 3_600_000,
  };
  return { setup, ports };
}
