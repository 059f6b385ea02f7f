import { describe, expect, it } from 'vitest';
import { createPropagator } from '../orbit/index.js';
import { findPasses } from './find-passes.js';
import { sampleTrack } from './sample-track.js';

const DEG = Math.PI / 180;
const c = createPropagator({ kind: 'tle', line1: '1 41731U 16051A   22221.75514260  .00001864  00000-0  72455-4 0  9994', line2: '2 41731  97.3324 131.8944 0014247 115.8780 329.1290 15.27210501333003' });
if (!c.ok) throw new Error(c.reason);
const sat = { noradId: 41731, propagator: c.propagator };
const graz = { id: 'graz', latitudeRad: 47.0674 * DEG, longitudeRad: 15.4935 * DEG, altitudeKm: 0.493, minElevationRad: 10 * DEG };
const T0 = Date.parse('2022-08-10T00:00:00Z');

describe('sampleTrack', () => {
  it('samples a pass every second, consistent with findPasses', () => {
    const p = findPasses([sat], [graz], { fromMs: T0, toMs: T0 + 86_400_000 }).passes[0]!;
    const track = sampleTrack(sat, graz, p.aosMs, p.losMs, 1);
    expect(track.length).toBe(Math.floor((p.losMs - p.aosMs) / 1000) + 1);
    expect(track[0]!.elevationRad).toBeCloseTo(10 * DEG, 4);
    const best = track.reduce((a, b) => (b.elevationRad > a.elevationRad ? b : a));
    expect(Math.abs(best.tMs - p.tcaMs)).toBeLessThanOrEqual(1000);
    expect(best.elevationRad).toBeLessThanOrEqual(p.maxElevationRad + 1e-6);
    expect(Math.min(...track.map((s) => s.rangeKm))).toBeGreaterThanOrEqual(p.minRangeKm - 1e-6);
    const atTca = sampleTrack(sat, graz, p.tcaMs, p.tcaMs, 1)[0]!;
    expect(atTca.sunElevationRad).toBeCloseTo(p.sunElevationRadAtTca, 6);
    expect(atTca.moonSeparationRad).toBeCloseTo(p.moonSeparationRadAtTca, 5);
    expect(atTca.satelliteSunlit).toBe(p.satelliteSunlitAtTca);
    expect(atTca.moonIlluminatedFraction).toBeGreaterThanOrEqual(0);
  });
});
