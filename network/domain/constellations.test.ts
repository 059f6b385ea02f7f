import { describe, expect, it } from 'vitest';
import { propagatorOf } from '../../tle/domain/index.js';
import {
  elementSetOf,
  meanMotionRevPerDay,
  parseWalker,
  presetOrbit,
  raanForLtanDeg,
  SATELLITE_PRESETS,
  sunSynchronousInclinationDeg,
  walkerDelta,
} from './constellations.js';

const EPOCH = Date.UTC(2026, 0, 1);

describe('constellations', () => {
  it('Walker 53:24/6/1: 6 planes 60 deg apart, 4 per plane 90 deg apart, adjacent planes phased 15 deg', () => {
    const o = walkerDelta('53:24/6/1', 550, 900_001);
    expect(o).toHaveLength(24);
    expect(new Set(o.map((x) => x.raanDeg))).toEqual(new Set([0, 60, 120, 180, 240, 300]));
    expect(o[1]!.meanAnomalyDeg - o[0]!.meanAnomalyDeg).toBe(90);
    expect(o[4]!.meanAnomalyDeg - o[0]!.meanAnomalyDeg).toBe(15);
    expect(new Set(o.map((x) => x.noradId)).size).toBe(24);
  });

  it('rejects malformed patterns', () => {
    for (const p of ['53:24/5/1', '53:24/6/6', '53-24/6/1', '200:4/2/0'])
      expect(() => parseWalker(p)).toThrow(RangeError);
  });

  it('orbit geometry: 500 km is ~15.2 rev/day and sun-synchronous at ~97.4 deg', () => {
    expect(meanMotionRevPerDay(500)).toBeCloseTo(15.22, 1);
    expect(sunSynchronousInclinationDeg(500)).toBeCloseTo(97.4, 0);
    expect(sunSynchronousInclinationDeg(800)).toBeCloseTo(98.6, 0);
  });

  it('LTAN 12:00 puts the node at the mean Sun; 00:00 opposite', () => {
    const noon = raanForLtanDeg(12, EPOCH),
      midnight = raanForLtanDeg(0, EPOCH);
    expect((noon - midnight + 360) % 360).toBeCloseTo(180, 9);
    expect(noon).toBeCloseTo(280.8, 0); // Sun near RA 281 deg on 1 January
  });

  it('every preset and generated satellite propagates with SGP4 at its altitude', () => {
    const sets = [
      ...SATELLITE_PRESETS.map((p) => elementSetOf(presetOrbit(p, EPOCH), EPOCH)),
      ...walkerDelta('97.6:4/2/1', 600, 900_001).map((o) => elementSetOf(o, EPOCH)),
    ];
    for (const es of sets) {
      const p = propagatorOf(es);
      expect(p.ok, `${es.noradId}`).toBe(true);
    }
    for (const p of SATELLITE_PRESETS) expect(p.source.length).toBeGreaterThan(20);
  });
});
