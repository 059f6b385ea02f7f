import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { highsSolver } from '../adapters/highs-solver.js';
import { allocate, sharedKey } from './allocation.js';
import type { Candidate } from './candidate.js';
import { milpPlan } from './milp.js';
import { isStale, canTransition } from './booking.js';

const pass = (id: string, stationId: string, noradId: number, bits: number): Candidate => ({
  id,
  stationId,
  noradId,
  startMs: 0,
  endMs: 1,
  expectedSecureBits: bits,
  clearSkyProbability: 1,
});

describe('trusted-node allocation', () => {
  it('a pair through one satellite gets the smaller of what each end shares with it', () => {
    const a = allocate([pass('1', 'a', 7, 1000), pass('2', 'b', 7, 400)], {
      stations: {},
      pairs: [{ a: 'a', b: 'b', bits: 5000 }],
    });
    expect(a.pairs[0]!.deliveredBits).toBeCloseTo(400, 6);
    expect(a.objective.worstPairFraction).toBeCloseTo(400 / 5000, 6);
  });
  it('key shared with different satellites cannot be combined', () => {
    const a = allocate([pass('1', 'a', 7, 1000), pass('2', 'b', 8, 1000)], {
      stations: {},
      pairs: [{ a: 'a', b: 'b', bits: 500 }],
    });
    expect(a.pairs[0]!.deliveredBits).toBe(0);
  });
  it('two pairs through one station share its key fairly', () => {
    const a = allocate([pass('1', 'a', 7, 1000), pass('2', 'b', 7, 1000), pass('3', 'c', 7, 1000)], {
      stations: {},
      pairs: [
        { a: 'a', b: 'b', bits: 1000 },
        { a: 'a', b: 'c', bits: 1000 },
      ],
    });
    expect(a.objective.worstPairFraction).toBeCloseTo(0.5, 1);
  });
  it('scales its levels to the key that exists: key far below demand is still shared between pairs', () => {
    const a = allocate([pass('1', 'a', 7, 3), pass('2', 'b', 7, 3), pass('3', 'c', 7, 3)], {
      stations: {},
      pairs: [
        { a: 'a', b: 'b', bits: 8e5 },
        { a: 'b', b: 'c', bits: 5e5 },
      ],
    });
    expect(a.pairs[0]!.deliveredBits).toBeGreaterThan(1);
    expect(a.pairs[1]!.deliveredBits).toBeGreaterThan(1);
    expect(a.pairs[0]!.deliveredBits + a.pairs[1]!.deliveredBits).toBeCloseTo(3, 9);
  });
  it('is feasible and within one filling level of the exact (LP) worst-pair fraction', async () => {
    const milp = highsSolver();
    const stations = ['a', 'b', 'c', 'd'];
    const arbSet = fc
      .array(
        fc.record({
          g: fc.constantFrom(...stations),
          s: fc.integer({ min: 1, max: 3 }),
          bits: fc.oneof(fc.constant(0), fc.integer({ min: 1000, max: 1_000_000 })),
        }),
        { minLength: 1, maxLength: 12 },
      )
      .map((rows) =>
        rows.map((r, i) => ({ ...pass(String(i), r.g, r.s, r.bits), startMs: 10 * i, endMs: 10 * i + 1 })),
      );
    const arbPairs = fc.uniqueArray(
      fc
        .record({
          a: fc.constantFrom(...stations),
          b: fc.constantFrom(...stations),
          bits: fc.integer({ min: 1000, max: 1e9 }),
        })
        .filter((p) => p.a < p.b),
      { minLength: 1, maxLength: 4, selector: (p) => p.a + p.b },
    );
    await fc.assert(
      fc.asyncProperty(arbSet, arbPairs, fc.integer({ min: 1, max: 400 }), async (set, pairs, steps) => {
        const demand = { stations: {}, pairs };
        const fill = allocate(set, demand, steps);
        const lp = await milpPlan(set, demand, { stationSlewMs: 0, satelliteRetargetMs: 0 }, milp, {
          timeLimitS: 5,
          relGap: 1e-9,
          fixedIds: new Set(set.map((c) => c.id)),
          nowMs: () => performance.now(),
        });
        const k = sharedKey(set);
        const K = (g: string, s: number) => k.get(g)?.get(s) ?? 0;
        const used = new Map<string, number>();
        for (const p of fill.pairs)
          for (const [s, v] of Object.entries(p.via))
            for (const g of [p.a, p.b]) used.set(`${g}/${s}`, (used.get(`${g}/${s}`) ?? 0) + v);
        for (const [gs, v] of used) {
          const [g, s] = gs.split('/');
          expect(v).toBeLessThanOrEqual(K(g!, Number(s)) * (1 + 1e-9) + 1e-9);
        }
        const top = Math.max(
          ...pairs.map((p) => Math.min(1, [1, 2, 3].reduce((t, s) => t + Math.min(K(p.a, s), K(p.b, s)), 0) / p.bits)),
        );
        // The MILP counts key in units of the largest pass and HiGHS meets its rows to ~1e-7 of a unit, so the
        // LP's worst pair is exact to ~1e-6 x largest pass / smallest pair demand.
        const exact = lp.allocation.objective.worstPairFraction;
        const lpTol =
          (1e-6 * Math.max(1, ...set.map((c) => c.expectedSecureBits))) / Math.min(...pairs.map((p) => p.bits));
        expect(fill.objective.worstPairFraction).toBeLessThanOrEqual(exact * (1 + 1e-9) + lpTol);
        expect(fill.objective.worstPairFraction).toBeGreaterThanOrEqual(exact - top / steps - 1e-9 * top - 1e-12);
      }),
      { numRuns: 60 },
    );
  });
});

describe('booking states', () => {
  it('follows SCHEDULED -> PREPASS -> PASS -> COMPLETED and refuses shortcuts', () => {
    expect(canTransition('SCHEDULED', 'PREPASS')).toBe(true);
    expect(canTransition('PREPASS', 'PASS')).toBe(true);
    expect(canTransition('PASS', 'COMPLETED')).toBe(true);
    expect(canTransition('SCHEDULED', 'COMPLETED')).toBe(false);
    expect(canTransition('PASS', 'SUPERSEDED')).toBe(false);
    expect(canTransition('COMPLETED', 'CANCELLED')).toBe(false);
  });
  it('a job firing after AOS plus tolerance is stale; a resumed pass is not', () => {
    expect(isStale({ startMs: 1000, state: 'SCHEDULED' }, 62_000, 60_000)).toBe(true);
    expect(isStale({ startMs: 1000, state: 'SCHEDULED' }, 60_000, 60_000)).toBe(false);
    expect(isStale({ startMs: 1000, state: 'PASS' }, 1e9, 60_000)).toBe(false);
  });
});
