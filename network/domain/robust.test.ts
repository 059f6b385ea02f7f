import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../../src/core/keyrate/random.js';
import { planSchedule } from '../../scheduler/domain/plan.js';
import { syntheticDemand, syntheticInstance } from '../../scheduler/domain/synthetic.js';
import { compareScores, drawScenario, robustPlan, scorePlan } from './robust.js';

const gaps = { stationSlewMs: 120_000, satelliteRetargetMs: 60_000 };
const inst = syntheticInstance({
  satellites: 2,
  stations: 8,
  nights: 3,
  passesPerRegionNight: 2,
  seed: 5,
  startMs: Date.UTC(2023, 0, 1, 18),
});
const demand = syntheticDemand(inst.stationIds, 4, 2e6, 0, 3);
const plan = (
  c: Parameters<typeof planSchedule>[0],
  d: Parameters<typeof planSchedule>[1],
  fixedIds: ReadonlySet<string>,
) => planSchedule(c, d, { solver: 'heuristic', timeLimitS: 5, gaps, fixedIds, nowMs: () => 0 });

describe('robust planning (sample-average approximation)', () => {
  it(
    'scenarios: passes of one station-night share one draw, certain passes are always clear, ' +
      'frequencies match the forecast',
    () => {
      const rand = mulberry32(1);
      const hits = new Map<string, number>();
      const n = 2000;
      for (let k = 0; k < n; k += 1) {
        const s = drawScenario(inst.candidates, 0, rand);
        for (const c of inst.candidates) if (s.has(c.id)) hits.set(c.id, (hits.get(c.id) ?? 0) + 1);
      }
      for (const c of inst.candidates) {
        const f = (hits.get(c.id) ?? 0) / n;
        expect(Math.abs(f - c.clearSkyProbability)).toBeLessThan(4 * Math.sqrt(0.25 / n) + 1e-9);
      }
      const certain = inst.candidates.map((c) => ({ ...c, clearSkyProbability: 1 }));
      expect(drawScenario(certain, 0.5, rand).size).toBe(certain.length);
    },
  );

  it('the chosen plan scores at least as well as the expected-value plan on the evaluation scenarios', async () => {
    for (const seed of [1, 2, 3]) {
      const base = await plan(inst.candidates, demand, new Set());
      const chosen = await robustPlan(inst.candidates, demand, new Set(), plan, {
        scenarios: 6,
        cvarFraction: 0.25,
        persistence: 0.3,
        rand: mulberry32(seed),
      });
      // Replay the same draws: 6 training scenarios, then the 6 evaluation scenarios.
      const r = mulberry32(seed);
      for (let k = 0; k < 6; k += 1) drawScenario(inst.candidates, 0.3, r);
      const test = Array.from({ length: 6 }, () => drawScenario(inst.candidates, 0.3, r));
      expect(
        compareScores(scorePlan(chosen.bookings, demand, test, 0.25), scorePlan(base.bookings, demand, test, 0.25)),
      ).toBeGreaterThanOrEqual(0);
      expect(new Set(chosen.bookings.map((b) => b.id)).size).toBe(chosen.bookings.length);
      for (const b of chosen.bookings) expect(inst.candidates).toContainEqual(b);
    }
  });
});
