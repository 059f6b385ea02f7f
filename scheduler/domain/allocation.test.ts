import { describe, expect, it } from 'vitest';
import { allocate } from './allocation.js';
import type { Candidate } from './candidate.js';
import { isStale, canTransition } from './booking.js';

const pass = (id: string, stationId: string, noradId: number, bits: number): Candidate => ({ id, stationId, noradId, startMs: 0, endMs: 1, expectedSecureBits: bits, clearSkyProbability: 1 });

describe('trusted-node allocation', () => {
  it('a pair through one satellite gets the smaller of what each end shares with it', () => {
    const a = allocate([pass('1', 'a', 7, 1000), pass('2', 'b', 7, 400)], { stations: {}, pairs: [{ a: 'a', b: 'b', bits: 5000 }] });
    expect(a.pairs[0]!.deliveredBits).toBeCloseTo(400, 6);
    expect(a.objective.worstPairFraction).toBeCloseTo(400 / 5000, 6);
  });
  it('key shared with different satellites cannot be combined', () => {
    const a = allocate([pass('1', 'a', 7, 1000), pass('2', 'b', 8, 1000)], { stations: {}, pairs: [{ a: 'a', b: 'b', bits: 500 }] });
    expect(a.pairs[0]!.deliveredBits).toBe(0);
  });
  it('two pairs through one station share its key fairly', () => {
    const a = allocate([pass('1', 'a', 7, 1000), pass('2', 'b', 7, 1000), pass('3', 'c', 7, 1000)],
      { stations: {}, pairs: [{ a: 'a', b: 'b', bits: 1000 }, { a: 'a', b: 'c', bits: 1000 }] });
    expect(a.objective.worstPairFraction).toBeCloseTo(0.5, 1);
  });
});

describe('booking states', () => {
  it('follows SCHEDULED -> PREPASS -> PASS -> COMPLETED and refuses shortcuts', () => {
    expect(canTransition('SCHEDULED', 'PREPASS')).toBe(true);
    expect(canTransition('PREPASS', 'PASS')).toBe(true);
    expect(canTransition('PASS', 'COMPLETED')).toBe(true);
    expect(canTransition('SCHEDULED', 'COMPLETED')).toBe(false);
    expect(canTransition('PASS', 'SUPERSEDED')).toBe(false);
    expect(canTransition('COMPLETED', 'CANCELLED')).toBe(false);
  });
  it('a job firing after AOS plus tolerance is stale; a resumed pass is not', () => {
    expect(isStale({ startMs: 1000, state: 'SCHEDULED' }, 62_000, 60_000)).toBe(true);
    expect(isStale({ startMs: 1000, state: 'SCHEDULED' }, 60_000, 60_000)).toBe(false);
    expect(isStale({ startMs: 1000, state: 'PASS' }, 1e9, 60_000)).toBe(false);
  });
});
