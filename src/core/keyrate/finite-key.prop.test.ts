import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { countPrefixSums, windowCounts } from './detection.js';
import { finiteKeyLength } from './finite-key.js';
import { SATQUMA_PROTOCOL, type Protocol, type Statistics } from './protocol.js';

/** A symmetric pass of `slots` seconds with zenith efficiency eta0 falling off towards the ends. */
function passEta(slots: number, eta0: number): Float64Array {
  const e = new Float64Array(slots);
  for (let i = 0; i < slots; i++) e[i] = eta0 * Math.exp(-3 * ((i - slots / 2) / slots) ** 2);
  return e;
}
function key(eta: Float64Array, p: Protocol, lossDb = 0) {
  return finiteKeyLength(windowCounts(countPrefixSums({ eta }, p, lossDb), 0, eta.length), p);
}

const arbCase = fc.record({
  slots: fc.integer({ min: 20, max: 500 }),
  log10Eta: fc.double({ min: -6, max: -2, noNaN: true }),
  ed: fc.double({ min: 0, max: 0.2, noNaN: true }),
  pec: fc.double({ min: 0, max: 1e-5, noNaN: true }),
  stats: fc.constantFrom<Statistics>('chernoff', 'hoeffding'),
});

describe('finite key properties', () => {
  it('is never negative and never NaN', () => {
    fc.assert(
      fc.property(arbCase, (c) => {
        const p = { ...SATQUMA_PROTOCOL, intrinsicQber: c.ed, extraneousCountProbability: c.pec, statistics: c.stats };
        const r = key(passEta(c.slots, 10 ** c.log10Eta), p);
        expect(r.secureKeyBits).toBeGreaterThanOrEqual(0);
        expect(Number.isNaN(r.secureKeyBits)).toBe(false);
        expect(Number.isNaN(r.phaseErrorX)).toBe(false);
      }),
    );
  });

  it('is non-increasing in extra loss', () => {
    fc.assert(
      fc.property(arbCase, fc.double({ min: 0, max: 10, noNaN: true }), (c, extraDb) => {
        const p = { ...SATQUMA_PROTOCOL, intrinsicQber: c.ed, extraneousCountProbability: c.pec, statistics: c.stats };
        const eta = passEta(c.slots, 10 ** c.log10Eta);
        expect(key(eta, p, extraDb).secureKeyBits).toBeLessThanOrEqual(key(eta, p, 0).secureKeyBits);
      }),
    );
  });

  it('is non-increasing in the intrinsic QBER', () => {
    fc.assert(
      fc.property(arbCase, fc.double({ min: 0, max: 0.05, noNaN: true }), (c, dq) => {
        const p = { ...SATQUMA_PROTOCOL, intrinsicQber: c.ed, extraneousCountProbability: c.pec, statistics: c.stats };
        const eta = passEta(c.slots, 10 ** c.log10Eta);
        expect(key(eta, { ...p, intrinsicQber: Math.min(0.49, c.ed + dq) }).secureKeyBits).toBeLessThanOrEqual(
          key(eta, p).secureKeyBits,
        );
      }),
    );
  });

  it('finite key <= asymptotic key, and Chernoff and Hoeffding both obey it', () => {
    fc.assert(
      fc.property(arbCase, (c) => {
        const p = { ...SATQUMA_PROTOCOL, intrinsicQber: c.ed, extraneousCountProbability: c.pec, statistics: c.stats };
        const eta = passEta(c.slots, 10 ** c.log10Eta);
        expect(key(eta, p).secureKeyBits).toBeLessThanOrEqual(
          key(eta, { ...p, statistics: 'asymptotic' }).secureKeyBits,
        );
      }),
    );
  });

  it('is zero above the QBER threshold (e_d >= 11 %)', () => {
    fc.assert(
      fc.property(arbCase, fc.double({ min: 0.11, max: 0.49, noNaN: true }), (c, ed) => {
        const p = { ...SATQUMA_PROTOCOL, intrinsicQber: ed, extraneousCountProbability: c.pec, statistics: c.stats };
        expect(key(passEta(c.slots, 10 ** c.log10Eta), p).secureKeyBits).toBe(0);
      }),
    );
  });
});
