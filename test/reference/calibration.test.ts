/**
 * Calibration (docs/physics.md §6): Micius on its one measured pass (the machinery), and skill on
 * synthetic passes with known parameters (calibrate on one pass, predict another geometry).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  calibrateLink,
  modelLossDb,
  parseMeasuredLoss,
  type LinkConfig,
  type MeasuredLossRow,
} from '../../src/core/channel/index.js';
import { mulberry32, normal, simulatePass } from '../../src/core/keyrate/index.js';
import { MICIUS_XINGLONG, MICIUS_XINGLONG_CALIBRATED } from '../../src/core/presets/index.js';
import { DEG } from '../../src/core/units.js';

const parsed = parseMeasuredLoss(
  readFileSync(new URL('../fixtures/micius/micius2017_measured_loss.csv', import.meta.url), 'utf8'),
);
if (!parsed.ok) throw new Error('fixture does not parse');
const measured = parsed.value;

describe('Micius calibrated on the measured pass (QNET digitisation of Liao et al. 2017)', () => {
  const fit = calibrateLink(MICIUS_XINGLONG.link, measured, { fit: ['opticsEfficiency', 'aerosolOpticalDepth'] });
  it(
    'two fitted parameters leave ≤ 1.2 dB RMS over 645-1,200 km, and the preset holds exactly what ' +
      'the fit returns',
    () => {
      const parameters = fit.parameters
        .map((p) => `${p.name} ${p.value.toPrecision(4)} ± ${p.standardError.toPrecision(2)}`)
        .join(', ');
      const bins = fit.residualsByElevation.map((b) => `${b.fromDeg}-${b.toDeg}°: ${b.meanDb.toFixed(2)}`).join(', ');
      console.log(
        `micius calibration: ${parameters}; RMS ${fit.rmsResidualDb.toFixed(3)} dB, ` +
          `χ² ${fit.chiSquare.toFixed(1)} / ${fit.degreesOfFreedom}; bins ${bins}`,
      );
      expect(fit.converged).toBe(true);
      expect(fit.rmsResidualDb).toBeLessThanOrEqual(1.2);
      expect(Math.min(...measured.map((r) => r.rangeKm))).toBeLessThan(646);
      expect(Math.max(...measured.map((r) => r.rangeKm))).toBeGreaterThan(1190);
      expect(fit.parameters[0]!.value).toBeCloseTo(MICIUS_XINGLONG_CALIBRATED.link.receiver.opticsEfficiency, 4);
      expect(fit.parameters[1]!.value).toBeCloseTo(MICIUS_XINGLONG_CALIBRATED.link.atmosphere.aerosolOpticalDepth!, 4);
    },
  );
  it('whole-pass finite key with the calibrated preset is within 25 % of the published 300,939 bits', () => {
    const track = measured.map((r) => ({
      tMs: r.timeS * 1000,
      rangeKm: r.rangeKm,
      elevationRad: r.elevationDeg * DEG,
      sunElevationRad: -0.6,
    }));
    const key = simulatePass(track, MICIUS_XINGLONG_CALIBRATED, { window: 'optimal' }).key;
    console.log(
      `micius calibrated finite key: ${key.secureKeyBits} bits ` +
        `(${(key.secureKeyBits / 300_939).toFixed(3)} of 300,939), QBER ${(100 * key.qberX).toFixed(2)} %`,
    );
    expect(Math.abs(key.secureKeyBits / 300_939 - 1)).toBeLessThanOrEqual(0.25);
  });
});

/** Circular 500 km orbit pass with the given culmination, samples every stepS above 10°. */
function syntheticPass(maxElevationDeg: number, stepS: number): MeasuredLossRow[] {
  const R = 6371;
  const H = 500;
  const omega = 7.61 / (R + H);
  const g0 = Math.acos((R / (R + H)) * Math.cos(maxElevationDeg * DEG)) - maxElevationDeg * DEG;
  const rows: MeasuredLossRow[] = [];
  for (let t = -400; t <= 400; t += stepS) {
    const g = Math.acos(Math.cos(g0) * Math.cos(omega * t));
    const L = Math.sqrt(R * R + (R + H) ** 2 - 2 * R * (R + H) * Math.cos(g));
    const el = Math.asin(((R + H) * Math.cos(g) - R) / L) / DEG;
    if (el >= 10) rows.push({ timeS: t, rangeKm: L, elevationDeg: el, lossDb: 0 });
  }
  return rows;
}

describe('calibration skill on synthetic passes (known truth, 0.3 dB noise, 100 seeded trials)', () => {
  const truthValues = { opticsEfficiency: 0.15, zenithTransmittance: 0.8, airmassExponent: 1 };
  const truth: LinkConfig = {
    ...MICIUS_XINGLONG.link,
    receiver: { ...MICIUS_XINGLONG.link.receiver, opticsEfficiency: 0.15 },
    atmosphere: { model: 'sec-law', zenithTransmittance: 0.8, airmassExponent: 1 },
  };
  const passA = syntheticPass(60, 5); // calibrate here: culmination 60°
  const passB = syntheticPass(25, 5); // predict here: a low 25° pass, far longer ranges
  const trueA = modelLossDb(truth, passA);
  const trueB = modelLossDb(truth, passB);
  const names = Object.keys(truthValues) as Array<keyof typeof truthValues>;
  const covered = Object.fromEntries(names.map((n) => [n, 0])) as Record<keyof typeof truthValues, number>;
  const rms: number[] = [];
  for (let seed = 1; seed <= 100; seed++) {
    const rnd = mulberry32(seed);
    const rows = passA.map((r, i) => ({ ...r, lossDb: trueA[i]! + 0.3 * normal(rnd), sigmaDb: 0.3 }));
    const c = calibrateLink(MICIUS_XINGLONG.link, rows, { fit: names });
    for (const p of c.parameters)
      if (Math.abs(p.value - truthValues[p.name as keyof typeof truthValues]) <= 2 * p.standardError)
        covered[p.name as keyof typeof truthValues]++;
    const predicted = modelLossDb(c.link, passB);
    rms.push(Math.sqrt(predicted.reduce((a, v, i) => a + (v - trueB[i]!) ** 2, 0) / predicted.length));
  }
  it('each of 3 fitted parameters is within 2 standard errors of the truth in ≥ 90 % of trials', () => {
    console.log(`synthetic coverage (of 100): ${names.map((n) => `${n} ${covered[n]}`).join(', ')}`);
    for (const n of names) expect(covered[n]).toBeGreaterThanOrEqual(90);
  });
  it("the other pass's loss is predicted within 0.3 dB RMS in every trial", () => {
    const sorted = [...rms].sort((a, b) => a - b);
    console.log(
      `synthetic prediction RMS on the 25° pass: median ${sorted[50]!.toFixed(3)} dB, worst ` +
        `${sorted[99]!.toFixed(3)} dB`,
    );
    expect(sorted[99]).toBeLessThanOrEqual(0.3);
  });
});
