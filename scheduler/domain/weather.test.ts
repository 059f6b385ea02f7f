import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { allocate } from './allocation.js';
import type { Candidate } from './candidate.js';
import { nightsOf, weatherRisk } from './weather.js';

const H = 3_600_000;
const pass = (id: string, stationId: string, noradId: number, startH: number, bits: number, p: number): Candidate => ({
  id,
  stationId,
  noradId,
  startMs: startH * H,
  endMs: startH * H + 300_000,
  expectedSecureBits: bits,
  clearSkyProbability: p,
});

describe('weather scenarios', () => {
  it('passes of one station in one night share a draw; the next night draws again', () => {
    const n = nightsOf([
      pass('a', 'g', 1, 0, 1, 0.5),
      pass('b', 'g', 2, 1.5, 1, 0.5),
      pass('c', 'g', 1, 24, 1, 0.5),
      pass('d', 'h', 1, 0.5, 1, 0.5),
    ]);
    expect(n.get('a')).toBe(n.get('b'));
    expect(n.get('c')).not.toBe(n.get('a'));
    expect(n.get('d')).not.toBe(n.get('a'));
  });

  it('the mean key over many scenarios converges to the expected key; same-night passes cloud out together', () => {
    const plan = [pass('a', 'g', 1, 0, 1000, 0.3), pass('b', 'g', 2, 1, 1000, 0.3), pass('c', 'h', 1, 2, 500, 0.8)];
    const r = weatherRisk(plan, { stations: {}, pairs: [] }, 4000, 7);
    const expected = 2000 * 0.3 + 500 * 0.8;
    // Within 5 standard errors (one draw per night: variance 2000^2 x 0.3 x 0.7 + 500^2 x 0.8 x 0.2).
    const se = Math.sqrt((2000 ** 2 * 0.3 * 0.7 + 500 ** 2 * 0.8 * 0.2) / 4000);
    expect(Math.abs(r.totalKeyBits.mean - expected)).toBeLessThan(5 * se);
    // One draw for both passes at g: the key at g is 0 or 2000, never 1000.
    const keys = new Set<number>();
    for (let s = 0; s < 50; s += 1)
      keys.add(weatherRisk(plan.slice(0, 2), { stations: {}, pairs: [] }, 1, s).totalKeyBits.mean);
    expect([...keys].sort((x, y) => x - y)).toEqual([0, 2000]);
  });

  it('exposes the risk the expected value hides: a pair served by one cloudy night is often starved', () => {
    const plan = [pass('a', 'x', 1, 0, 1000, 0.5), pass('b', 'y', 1, 3, 1000, 0.5)];
    const demand = { stations: {}, pairs: [{ a: 'x', b: 'y', bits: 1000 }] };
    expect(allocate(plan, demand).objective.worstPairFraction).toBeCloseTo(0.5, 6);
    const r = weatherRisk(plan, demand, 2000, 1);
    expect(r.pairStarvedProbability).toBeGreaterThan(0.7);
    expect(r.pairStarvedProbability).toBeLessThan(0.8);
    expect(r.worstPairFraction.p50).toBe(0);
  });

  it('is reproducible from its seed and bounded by the clear-sky case', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            g: fc.constantFrom('a', 'b', 'c'),
            s: fc.integer({ min: 1, max: 2 }),
            h: fc.integer({ min: 0, max: 72 }),
            bits: fc.integer({ min: 0, max: 1e6 }),
            p: fc.double({ min: 0, max: 1, noNaN: true }),
          }),
          { minLength: 1, maxLength: 12 },
        ),
        fc.integer(),
        (rows, seed) => {
          const plan = rows.map((r, i) => pass(String(i), r.g, r.s, r.h, r.bits, r.p));
          const demand = { stations: { a: 1e5 }, pairs: [{ a: 'a', b: 'b', bits: 1e6 }] };
          const x = weatherRisk(plan, demand, 20, seed),
            y = weatherRisk(plan, demand, 20, seed);
          expect(x).toEqual(y);
          const clear = allocate(
            plan.map((c) => ({ ...c, clearSkyProbability: 1 })),
            demand,
            100,
          ).objective;
          expect(x.totalKeyBits.p90).toBeLessThanOrEqual(clear.totalKeyBits + 1e-6);
          expect(x.worstPairFraction.min).toBeGreaterThanOrEqual(0);
        },
      ),
      { numRuns: 50 },
    );
  });
});
