/** docs/physics.md §5: the SatQuMA finite-key vectors over FS_loss_XI0.csv (test/fixtures/satquma/ORIGIN.md). */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseLossTable, passKey, SATQUMA_PROTOCOL, type Protocol } from '../../src/core/keyrate/index.js';
import { DEG } from '../../src/core/units.js';

const table = parseLossTable(readFileSync(new URL('../fixtures/satquma/FS_loss_XI0.csv', import.meta.url), 'utf8'));
if (!table.ok) throw new Error('fixture does not parse');
const series = { timeS: table.value.timeS, elevationRad: table.value.elevationRad, eta: table.value.efficiency };
const run = (p: Protocol, ls = 0, halfWidthS = 220) =>
  passKey(series, p, { window: { halfWidthS }, minElevationRad: 10 * DEG, excessLossDb: ls, optimise: false });
const rel = (a: number, b: number) => Math.abs(a - b) / Math.abs(b);

describe('SatQuMA finite-key vectors (Lim 2014, docs/physics.md §5)', () => {
  it('dt = 220 s (441 slots): ℓ = 4,700,176 and every intermediate', () => {
    const r = run(SATQUMA_PROTOCOL);
    expect(r.window.slots).toBe(441);
    expect(r.secureKeyBits).toBe(4_700_176);
    expect(rel(r.nX, 1.226675e7)).toBeLessThan(1e-6);
    expect(rel(r.nZ, 1.208588e6)).toBeLessThan(1e-6);
    expect(r.sX0).toBe(0);
    expect(rel(r.sX1, 5.152386e6)).toBeLessThan(1e-6);
    expect(rel(r.sZ1, 4.877089e5)).toBeLessThan(1e-6);
    expect(r.vZ1).toBeCloseTo(r.mZ, 9);
    expect(rel(r.vZ1, 1836.79)).toBeLessThan(1e-5);
    expect(rel(r.phaseErrorX, 4.604684e-3)).toBeLessThan(1e-6);
    expect(rel(r.lambdaEcBits, 2.336332e5)).toBeLessThan(1e-6);
  });
  it('ls = 1 dB: ℓ = 3,719,368', () => expect(run(SATQUMA_PROTOCOL, 1).secureKeyBits).toBe(3_719_368));
  it('P_ec = 1e-7: ℓ = 4,655,218', () =>
    expect(run({ ...SATQUMA_PROTOCOL, extraneousCountProbability: 1e-7 }).secureKeyBits).toBe(4_655_218));
  it('the mean error model gives the same ℓ when the v_Z1 cap binds', () =>
    expect(run({ ...SATQUMA_PROTOCOL, errorModel: 'mean' }).secureKeyBits).toBe(4_700_176));
  it('at 10° the half-width is capped at dt_elev = 221 s', () =>
    expect(run(SATQUMA_PROTOCOL, 0, 300).window.slots).toBe(443));
  it('optimising the protocol and window never loses key against the defaults', () => {
    const o = passKey(series, SATQUMA_PROTOCOL, {
      window: 'optimal',
      minElevationRad: 10 * DEG,
      excessLossDb: 0,
      optimise: true,
    });
    expect(o.secureKeyBits).toBeGreaterThan(4_700_176);
    expect(o.protocol.basisProbabilityX).toBeLessThan(0.99);
  });
});

describe('optimiser on SatQuMA run2 (input-opt-readloss: P_ec 5e-7/6e-7, ls 0-13 dB, QBER_I 0.5 %, minElev 5°)', () => {
  // Upper bounds on what SatQuMA's optimiser can reach at its dt 211/221 inside its box
  // (test/fixtures/satquma/run2-bounds.ts, brute-force multi-start; SatQuMA's error model and EC).
  const bounds = (
    JSON.parse(readFileSync(new URL('../fixtures/satquma/run2-bounds.json', import.meta.url), 'utf8')) as {
      points: Array<{ pec: number; ls: number; bits: number }>;
    }
  ).points;
  it('gives the same or more key than SatQuMA can on every run2 point', () => {
    const rows = bounds.map((b) => {
      const p: Protocol = {
        ...SATQUMA_PROTOCOL,
        extraneousCountProbability: b.pec,
        intrinsicQber: 0.005,
        errorModel: 'mean',
        errorCorrection: { method: 'finite-block', efficiency: 1.16 },
      };
      const r = passKey(series, p, { window: 'optimal', minElevationRad: 5 * DEG, excessLossDb: b.ls, optimise: true });
      return { ...b, ours: r.secureKeyBits };
    });
    console.log(`run2: ${rows.map((r) => `${r.pec}/${r.ls} dB ${r.ours} vs ≤ ${r.bits}`).join('; ')}`);
    expect(rows).toHaveLength(10);
    for (const r of rows) expect(r.ours).toBeGreaterThanOrEqual(r.bits);
  });
});
