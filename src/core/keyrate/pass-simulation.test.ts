import { describe, expect, it } from 'vitest';
import { GENERIC_500KM_810NM, MICIUS_XINGLONG } from '../presets/index.js';
import { passYield, simulatePass, type TrackSample } from './pass-simulation.js';
import { protocolIssues } from './protocol.js';

const R = 6371;
const H = 500;
/** Symmetric pass, 1 s samples, elevation falling 0.3°/s from maxElDeg; range from docs/physics.md §1. */
function track(maxElDeg: number, sunElevationRad = -0.5): TrackSample[] {
  const out: TrackSample[] = [];
  for (let t = -300; t <= 300; t++) {
    const elDeg = maxElDeg - 0.3 * Math.abs(t);
    if (elDeg <= 0) continue;
    const el = (elDeg * Math.PI) / 180;
    out.push({
      tMs: t * 1000,
      rangeKm: Math.sqrt((R + H) ** 2 - R * R * Math.cos(el) ** 2) - R * Math.sin(el),
      elevationRad: el,
      sunElevationRad,
    });
  }
  return out;
}

describe('pass simulation', () => {
  it('passYield agrees with simulatePass on the elevation-mask window', () => {
    const t = track(70);
    const y = passYield(t, GENERIC_500KM_810NM);
    const s = simulatePass(t, { ...GENERIC_500KM_810NM }, { window: { halfWidthS: 10_000 } });
    expect(y.secureBits).toBe(s.key.secureKeyBits);
    expect(y.siftedBits).toBeCloseTo(s.siftedBits, 3);
    expect(y.finiteKeyPenaltyBits).toBeGreaterThan(0);
  });
  it('higher passes yield more key; a daylight pass yields none', () => {
    expect(passYield(track(80), GENERIC_500KM_810NM).secureBits).toBeGreaterThan(
      passYield(track(30), GENERIC_500KM_810NM).secureBits,
    );
    expect(passYield(track(80, 0.5), GENERIC_500KM_810NM).secureBits).toBe(0);
  });
  it('a pass below the elevation mask scores zero without NaN', () => {
    const y = passYield(track(8), GENERIC_500KM_810NM);
    expect(y).toMatchObject({ secureBits: 0, siftedBits: 0, durationS: 0 });
  });
  it('optimisation returns a valid protocol and at least the preset key', () => {
    const t = track(60);
    const base = simulatePass(t, MICIUS_XINGLONG);
    const opt = simulatePass(t, MICIUS_XINGLONG, { optimise: true });
    expect(protocolIssues(opt.key.protocol)).toEqual([]);
    expect(opt.key.protocol.repetitionRateHz).toBe(MICIUS_XINGLONG.protocol.repetitionRateHz);
    expect(opt.key.secureKeyBits).toBeGreaterThanOrEqual(base.key.secureKeyBits);
  });
  it('Monte-Carlo draws are reproducible from the seed, and cloud widens the spread', () => {
    const t = track(60);
    const a = simulatePass(t, GENERIC_500KM_810NM, { monteCarlo: { draws: 30, seed: 42 } });
    const b = simulatePass(t, GENERIC_500KM_810NM, { monteCarlo: { draws: 30, seed: 42 } });
    expect(a.monteCarlo).toEqual(b.monteCarlo);
    const c = simulatePass(t, GENERIC_500KM_810NM, {
      monteCarlo: { draws: 30, seed: 42, cloud: { probability: 0.5 } },
    });
    expect(c.monteCarlo!.secureKeyBits.std).toBeGreaterThan(a.monteCarlo!.secureKeyBits.std);
    expect(Math.abs(a.monteCarlo!.secureKeyBits.mean / a.key.secureKeyBits - 1)).toBeLessThan(0.05);
  });
});
