import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { checkLedger } from './checker.js';
import { simulateNetwork } from './simulate.js';
import { syntheticNetwork } from '../../test/support/synthetic-network.js';

describe('network simulation (synthetic network, heuristic planner, seeded pass runner)', () => {
  it('conserves key, respects buffers and executes each pass once, per the independent checker', async () => {
    const { setup, ports } = syntheticNetwork({ days: 10, seed: 3, bufferBits: 2e6 });
    const r = await simulateNetwork(setup, ports);
    const check = checkLedger(r.ledger, setup.satellites);
    expect(check.violations).toEqual([]);
    expect(check.depositedBits).toBeGreaterThan(0);
    expect(r.pairs.reduce((s, p) => s + p.deliveredBits, 0)).toBeGreaterThan(0);
    expect(Math.max(...r.satellites.map((s) => s.storagePeakBits))).toBeLessThanOrEqual(2e6);
    expect(r.replans).toBe(40);
  });

  it('the same seed gives the same result; another seed another weather', async () => {
    const a = syntheticNetwork({ days: 5, seed: 11 }),
      b = syntheticNetwork({ days: 5, seed: 11 }),
      c = syntheticNetwork({ days: 5, seed: 12 });
    const [ra, rb, rc] = await Promise.all([
      simulateNetwork(a.setup, a.ports),
      simulateNetwork(b.setup, b.ports),
      simulateNetwork(c.setup, c.ports),
    ]);
    expect(JSON.stringify(ra)).toBe(JSON.stringify(rb));
    expect(JSON.stringify(ra.stations.map((s) => s.clearNights))).not.toBe(
      JSON.stringify(rc.stations.map((s) => s.clearNights)),
    );
  });

  it('a small buffer caps the onboard level and the overflow is discarded, not delivered', async () => {
    const { setup, ports } = syntheticNetwork({ days: 6, seed: 5, bufferBits: 3e5 });
    const r = await simulateNetwork(setup, ports);
    expect(checkLedger(r.ledger, setup.satellites).violations).toEqual([]);
    for (const s of r.satellites) expect(s.storagePeakBits).toBeLessThanOrEqual(3e5);
    expect(r.satellites.reduce((s, x) => s + x.discardedBits, 0)).toBeGreaterThan(0);
  });

  it('robust planning runs the same loop and passes the checker', async () => {
    const { setup, ports } = syntheticNetwork({ days: 4, seed: 9, planning: 'robust' });
    const r = await simulateNetwork(setup, ports);
    expect(checkLedger(r.ledger, setup.satellites).violations).toEqual([]);
  });

  it('property: any seed, buffer and persistence keeps every checker rule (two satellites)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: 2 ** 31 }),
        fc.double({ min: 1e5, max: 5e6, noNaN: true }),
        fc.double({ min: 0, max: 0.9, noNaN: true }),
        async (seed, bufferBits, persistence) => {
          const { setup, ports } = syntheticNetwork({ days: 3, seed, bufferBits, persistence, satellites: 2 });
          const r = await simulateNetwork(setup, ports);
          const check = checkLedger(r.ledger, setup.satellites);
          expect(check.violations).toEqual([]);
          expect(check.deliveredBits).toBeLessThanOrEqual(check.depositedBits - check.expiredBits);
        },
      ),
      { numRuns: 12 },
    );
  });

  it('statistics: delivery per station over seeds = sum of its pass yields x clear-night probability', async () => {
    // No forecast skill and no persistence: a plan made at t knows only nights before t, and each
    // night is an independent draw, so every executed pass deposits yield x factor (log-normal,
    // mean 1) with probability p. Per seed, D = deposited - sum(yield x p) over the executed passes
    // has mean 0 (a martingale difference sum); its mean over seeds must lie within 4 standard errors.
    const seeds = 100;
    const diffs = new Map<string, number[]>();
    const expectedTotal = new Map<string, number>();
    for (let seed = 1; seed <= seeds; seed += 1) {
      const { setup, ports } = syntheticNetwork({ days: 3, seed, forecastSkill: 0, persistence: 0 });
      const r = await simulateNetwork(setup, ports);
      const p = new Map(setup.stations.map((g) => [g.id, g.clearNight[2]!]));
      const yieldOf = new Map(
        (await ports.candidates(setup.startMs - 864e5, setup.startMs + 10 * 864e5)).map((c) => [
          c.id,
          c.expectedSecureBits,
        ]),
      );
      const analytic = new Map<string, number>();
      for (const e of r.ledger)
        if (e.kind === 'pass')
          analytic.set(e.stationId, (analytic.get(e.stationId) ?? 0) + yieldOf.get(e.id)! * p.get(e.stationId)!);
      for (const g of r.stations) {
        const l = diffs.get(g.id) ?? [];
        l.push(g.depositedBits - (analytic.get(g.id) ?? 0));
        diffs.set(g.id, l);
        expectedTotal.set(g.id, (expectedTotal.get(g.id) ?? 0) + (analytic.get(g.id) ?? 0));
      }
    }
    const active = [...expectedTotal].filter(([, v]) => v > 0);
    expect(active.length).toBeGreaterThan(3);
    for (const [g] of active) {
      const xs = diffs.get(g)!;
      const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
      const sd = Math.sqrt(xs.reduce((a, b) => a + (b - mean) ** 2, 0) / (xs.length - 1));
      expect(Math.abs(mean)).toBeLessThanOrEqual((4 * sd) / Math.sqrt(xs.length) + 10);
    }
  });
});
