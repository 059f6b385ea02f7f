/**
 * Micius -> Xinglong (Liao et al., Nature 549, 43, 2017): the micius-xinglong preset over the measured
 * pass geometry (test/fixtures/micius/ORIGIN.md), from physical parameters only.
 *
 * FINDING (kept visible, not tuned away): with the published payload/station figures and the stated
 * optics assumptions, the model is 7-10 dB more optimistic than the measured loss curve, so the
 * sifted-rate and finite-key bars are missed by ~5x. The `it.fails` cases below state the quality
 * bars and flip to failures the day the model meets them; the other cases pin today's numbers.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { linkBudget } from '../../src/core/channel/index.js';
import { passKey, simulatePass, type TrackSample } from '../../src/core/keyrate/index.js';
import { MICIUS_XINGLONG } from '../../src/core/presets/index.js';

const R_EARTH_KM = 6371;
/** Circular-orbit elevation from slant range (docs/physics.md §1 inverted): sin el = ((R+h)² - R² - L²)/(2 R L). */
const elevationFromRange = (L: number, h: number) =>
  Math.asin(((R_EARTH_KM + h) ** 2 - R_EARTH_KM ** 2 - L * L) / (2 * R_EARTH_KM * L));

const csv = (name: string) =>
  readFileSync(new URL(`../fixtures/micius/${name}`, import.meta.url), 'utf8')
    .trim()
    .split('\n')
    .slice(1)
    .map((l) => l.split(',').map(Number));
const h = MICIUS_XINGLONG.satelliteAltitudeKm;
const track: TrackSample[] = csv('micius2017_track.csv')
  .filter(([t]) => Math.abs(t! - Math.round(t!)) < 1e-6)
  .map(([t, L]) => ({ tMs: t! * 1000, rangeKm: L!, elevationRad: elevationFromRange(L!, h), sunElevationRad: -0.6 }));
const measured = csv('micius2017_link_efficiency.csv');
const sim = simulatePass(track, MICIUS_XINGLONG, { window: 'optimal', includeSamples: true });
const nearest = (L: number) =>
  sim.samples!.reduce((a, b) => (Math.abs(b.rangeKm - L) < Math.abs(a.rangeKm - L) ? b : a));
const lossGapsDb = measured
  .filter((_, i) => i % 50 === 0)
  .map(
    ([L, loss]) =>
      linkBudget(MICIUS_XINGLONG.link, { rangeKm: L!, elevationRad: elevationFromRange(L!, h) }).channelDb - loss!,
  );
const sifted645 = nearest(645).siftedRateHz;
const sifted1200 = nearest(1190).siftedRateHz; // the track's far end is 1189-1196 km

describe('Micius-Xinglong reference pass', () => {
  it('report', () => {
    console.log(
      `loss gap model - measured: ${Math.min(...lossGapsDb).toFixed(2)} .. ` +
        `${Math.max(...lossGapsDb).toFixed(2)} dB; sifted ${sifted645.toFixed(0)} /s at 645 km, ` +
        `${sifted1200.toFixed(0)} /s at 1190 km; finite key ${sim.key.secureKeyBits} bits over ` +
        `${sim.durationS} s, QBER ${(100 * sim.key.qberX).toFixed(2)} %`,
    );
    expect(sim.key.secureKeyBits).toBeGreaterThan(0);
  });
  it('QBER lands in the measured 1-2 % band', () => {
    expect(sim.key.qberX).toBeGreaterThan(0.01);
    expect(sim.key.qberX).toBeLessThan(0.02);
  });
  it("pins today's finding: the model is 5-12 dB optimistic over 645-1200 km", () => {
    for (const g of lossGapsDb) {
      expect(g).toBeLessThan(-5);
      expect(g).toBeGreaterThan(-12);
    }
  });
  it.fails('quality bar: loss within 3 dB of the measured curve over 645-1200 km', () => {
    for (const g of lossGapsDb) expect(Math.abs(g)).toBeLessThanOrEqual(3);
  });
  it.fails('quality bar: sifted rate within 1.5x of 12 kbit/s (645 km) and 1 kbit/s (1200 km)', () => {
    expect(sifted645 / 12_000).toBeLessThan(1.5);
    expect(sifted645 / 12_000).toBeGreaterThan(1 / 1.5);
    expect(sifted1200 / 1_000).toBeLessThan(1.5);
    expect(sifted1200 / 1_000).toBeGreaterThan(1 / 1.5);
  });
  it.fails('quality bar: finite key within 2x of the published 300,939 bits', () => {
    expect(sim.key.secureKeyBits / 300_939).toBeLessThan(2);
    expect(sim.key.secureKeyBits / 300_939).toBeGreaterThan(0.5);
  });
  it('the same model with the measured loss curve in place of the physical budget meets the rate bars', () => {
    // Isolates the key-rate half: η = 10^(-measured/10) × η_det, QNET's setting.
    const lossAt = (L: number) => measured[Math.min(measured.length - 1, Math.max(0, Math.round((L - 645) * 10)))]![1]!;
    const eta = (L: number) => 10 ** (-lossAt(L) / 10) * MICIUS_XINGLONG.link.detector.efficiency;
    const p = MICIUS_XINGLONG.protocol;
    const rate = (L: number) =>
      p.repetitionRateHz *
      0.5 *
      p.intensityProbabilities.reduce((s, pk, k) => s + pk * (1 - Math.exp(-eta(L) * p.intensities[k]!)), 0);
    expect(rate(645) / 12_000).toBeGreaterThan(1 / 1.5);
    expect(rate(645) / 12_000).toBeLessThan(1.5);
    expect(rate(1200) / 1_000).toBeGreaterThan(1 / 1.5);
    expect(rate(1200) / 1_000).toBeLessThan(1.5);
  });

  it('with the measured loss curve as η, the finite key for the pass is within 2x of 300,939 bits', () => {
    const lossAt = (L: number) => measured[Math.min(measured.length - 1, Math.max(0, Math.round((L - 645) * 10)))]![1]!;
    const eta = Float64Array.from(
      track,
      (t) => 10 ** (-lossAt(t.rangeKm) / 10) * MICIUS_XINGLONG.link.detector.efficiency,
    );
    const pec = Float64Array.from(sim.samples!, (s) => s.budget.extraneousCountProbability);
    let c = 0;
    track.forEach((t, i) => {
      if (t.rangeKm < track[c]!.rangeKm) c = i;
    });
    const timeS = track.map((t) => (t.tMs - track[c]!.tMs) / 1000);
    const r = passKey(
      { eta, extraneousCountProbability: pec, timeS, elevationRad: track.map((t) => t.elevationRad) },
      MICIUS_XINGLONG.protocol,
      {
        window: 'optimal',
        minElevationRad: (MICIUS_XINGLONG.minElevationDeg * Math.PI) / 180,
        excessLossDb: 0,
        optimise: false,
      },
    );
    console.log(
      `measured-loss finite key: ${r.secureKeyBits} bits (${(r.secureKeyBits / 300_939).toFixed(2)}x of ` +
        `300,939), QBER ${(100 * r.qberX).toFixed(2)} %`,
    );
    expect(r.secureKeyBits / 300_939).toBeGreaterThan(0.5);
    expect(r.secureKeyBits / 300_939).toBeLessThan(2);
  });
});
