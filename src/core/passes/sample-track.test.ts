import { describe, expect, it } from 'vitest';
import { createPropagator } from '../orbit/index.js';
import { findPasses } from './find-passes.js';
import { sampleTrack, trackSampler } from './sample-track.js';
import type { Track } from './track.js';
import { DEG } from '../units.js';

const c = createPropagator({
  kind: 'tle',
  line1: '1 41731U 16051A   22221.75514260  .00001864  00000-0  72455-4 0  9994',
  line2: '2 41731  97.3324 131.8944 0014247 115.8780 329.1290 15.27210501333003',
});
if (!c.ok) throw new Error(c.reason);
const sat = { noradId: 41731, propagator: c.propagator };
const graz = {
  id: 'graz',
  latitudeRad: 47.0674 * DEG,
  longitudeRad: 15.4935 * DEG,
  altitudeKm: 0.493,
  minElevationRad: 10 * DEG,
};
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

  it(
    'one propagated track per satellite serves every station: SGP4 calls do not grow with stations, ' +
      'samples match SGP4 to 1 m',
    () => {
      const counted = (calls: { n: number }) => ({
        noradId: 41731,
        propagator: {
          ...c.propagator,
          propagate: (t: number) => {
            calls.n += 1;
            return c.propagator.propagate(t);
          },
        },
      });
      const stations = [
        graz,
        { ...graz, id: 'b', longitudeRad: 100 * DEG },
        { ...graz, id: 'c', latitudeRad: -30 * DEG },
        { ...graz, id: 'd', latitudeRad: 10 * DEG, longitudeRad: -70 * DEG },
      ];
      const run = (sts: typeof stations) => {
        const calls = { n: 0 };
        const s = counted(calls);
        let tr: Track | undefined;
        const r = findPasses([s], sts, {
          fromMs: T0,
          toMs: T0 + 2 * 86_400_000,
          onTrack: (_id, t) => {
            tr = t;
          },
        });
        const sample = trackSampler(s, T0, T0 + 2 * 86_400_000, tr);
        const tracks = r.passes.map((p) =>
          sample(
            sts.find((x) => x.id === p.stationId)!,
            p.aosMs,
            p.losMs,
            5,
          ),
        );
        return { calls: calls.n, passes: r.passes, tracks };
      };
      const one = run([graz]),
        four = run(stations);
      expect(four.passes.length).toBeGreaterThan(2 * one.passes.length);
      expect(four.calls).toBe(one.calls);
      four.passes.forEach((p, i) => {
        const direct = sampleTrack(
          sat,
          stations.find((x) => x.id === p.stationId)!,
          p.aosMs,
          p.losMs,
          5,
        );
        expect(four.tracks[i]!.length).toBe(direct.length);
        four.tracks[i]!.forEach((s, k) => {
          expect(Math.abs(s.rangeKm - direct[k]!.rangeKm)).toBeLessThan(1e-3);
          expect(Math.abs(s.elevationRad - direct[k]!.elevationRad)).toBeLessThan(1e-6);
          expect(s.satelliteSunlit).toBe(direct[k]!.satelliteSunlit);
        });
      });
    },
  );
});
