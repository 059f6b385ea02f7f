/**
 * Diffraction (docs/physics.md §2.2-2.4) against an independent quadrature, and SatQuMA's computed-loss
 * mode reproduced with `normalisation: transmitted` (test/fixtures/diffraction/generate.py,
 * test/fixtures/satquma/calcloss-generate.py: QUADPACK nested quadrature and scipy's non-central
 * chi-square, not the production Gauss-Legendre/Rician code).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  collectedFractionAt,
  fresnelCollectedFraction,
  linkBudget,
  type LinkConfig,
} from '../../src/core/channel/index.js';
import { parseLossTable, passKey, SATQUMA_PROTOCOL } from '../../src/core/keyrate/index.js';
import { DEG } from '../../src/core/units.js';

const fixture = (p: string) => readFileSync(new URL(`../fixtures/${p}`, import.meta.url), 'utf8');
const dB = (eta: number) => -10 * Math.log10(eta);

interface Case {
  wavelengthNm: number;
  txApertureRadiusM: number;
  waistM: number;
  rxApertureRadiusM: number;
  rangeKm: number;
  jitterMicroRad: number;
  lossDb: number;
}
const cases = (JSON.parse(fixture('diffraction/reference.json')) as { cases: Case[] }).cases;

describe('Fresnel-Hankel collected fraction vs independent quadrature', () => {
  const errs = cases.map((c) => {
    const g = {
      wavelengthM: c.wavelengthNm * 1e-9,
      txApertureRadiusM: c.txApertureRadiusM,
      waistM: c.waistM,
      rxApertureRadiusM: c.rxApertureRadiusM,
    };
    const L = c.rangeKm * 1e3;
    const j = c.jitterMicroRad * 1e-6;
    return {
      direct: dB(fresnelCollectedFraction(g, L, j * L)) - c.lossDb,
      table: dB(collectedFractionAt(g, L, j)) - c.lossDb,
    };
  });
  it(
    `${cases.length} (range, apertures, waist, jitter) points within 0.1 dB, by direct quadrature and ` +
      `by the per-link table`,
    () => {
      expect(cases.length).toBeGreaterThanOrEqual(20);
      const worst = Math.max(...errs.map((e) => Math.max(Math.abs(e.direct), Math.abs(e.table))));
      console.log(`diffraction: ${cases.length} points, worst |error| ${worst.toExponential(2)} dB`);
      expect(worst).toBeLessThan(0.1);
      expect(worst).toBeLessThan(1e-3);
    },
  );
});

/** SatQuMA input-opt-calcloss.txt as a link config (its loss table includes everything; no detector term). */
const modtran = fixture('satquma/modtran_transmittance_vs_elevation.csv')
  .trim()
  .split('\n')
  .slice(2)
  .map((l) => l.split(',').map(Number));
const satqumaLink = (normalisation: 'emitted' | 'transmitted'): LinkConfig => ({
  wavelengthNm: 810,
  transmitter: { apertureRadiusM: 0.15, beamWaistM: 0.15, pointingJitterRad: 0, opticsEfficiency: 1, normalisation },
  receiver: { apertureRadiusM: 0.6, opticsEfficiency: 1, altitudeM: 0 },
  atmosphere: {
    model: 'table',
    table: { elevationDeg: modtran.map((r) => r[0]!), transmittance: modtran.map((r) => r[3]!) },
  },
  systemLossDb: 14.486521892692624,
  detector: { efficiency: 1 },
});

describe('SatQuMA computed-loss pass (input-opt-calcloss, θ_max 90°)', () => {
  const rows = fixture('satquma/calcloss_th90.csv')
    .trim()
    .split('\n')
    .filter((l) => !l.startsWith('#'))
    .map((l) => l.split(',').map(Number));
  const table = parseLossTable(fixture('satquma/calcloss_th90.csv'));
  if (!table.ok) throw new Error('fixture does not parse');
  const series = (eta: Float64Array) => ({ timeS: table.value.timeS, elevationRad: table.value.elevationRad, eta });
  const ours = (n: 'emitted' | 'transmitted') =>
    Float64Array.from(rows, (r) => linkBudget(satqumaLink(n), { rangeKm: r[3]!, elevationRad: r[1]! }).efficiency);
  const transmitted = ours('transmitted');
  const key = (eta: Float64Array) =>
    passKey(series(eta), SATQUMA_PROTOCOL, {
      window: { halfWidthS: 220 },
      minElevationRad: 10 * DEG,
      excessLossDb: 0,
      optimise: false,
    }).secureKeyBits;

  it('loss within 0.1 dB of SatQuMA above 10° and key within 2 %', () => {
    let worst = 0;
    rows.forEach((r, i) => {
      if (r[1]! >= 10 * DEG) worst = Math.max(worst, Math.abs(dB(transmitted[i]!) - dB(r[2]!)));
    });
    const kS = key(table.value.efficiency);
    const kT = key(transmitted);
    const kE = key(ours('emitted'));
    console.log(
      `SatQuMA calc-loss: worst loss difference ${worst.toFixed(4)} dB above 10°; key SatQuMA-mode ${kS}, ` +
        `qkdsat transmitted ${kT} (${(100 * (kT / kS - 1)).toFixed(2)} %), emitted ${kE} ` +
        `(${(100 * (kE / kS - 1)).toFixed(1)} %)`,
    );
    expect(worst).toBeLessThan(0.1);
    expect(Math.abs(kT / kS - 1)).toBeLessThan(0.02);
    expect(kE).toBeLessThan(kT);
  });
});
