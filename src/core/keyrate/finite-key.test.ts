import { describe, expect, it } from 'vitest';
import { COUNT_FIELDS, countPrefixSums, windowCounts } from './detection.js';
import { finiteKeyLength, gammaPhase } from './finite-key.js';
import { binaryEntropy } from './math.js';
import { SATQUMA_PROTOCOL, type Protocol } from './protocol.js';

/** Counts vector from explicit per-intensity numbers. */
function counts(nX: number[], nZ: number[], mX: number[], mZ: number[]) {
  const c = new Float64Array(COUNT_FIELDS);
  [...nX, ...nZ, ...mX, ...mZ].forEach((v, i) => (c[i] = v));
  return c;
}

describe('Lim 2014 finite key, hand-computed cases', () => {
  it('asymptotic statistics reduce to the decoy formulas evaluated by hand', () => {
    const p: Protocol = {
      ...SATQUMA_PROTOCOL,
      statistics: 'asymptotic',
      intensities: [0.6, 0.2, 0],
      intensityProbabilities: [0.5, 0.3, 0.2],
    };
    const c = counts([1e6, 2e5, 100], [1e5, 2e4, 10], [5000, 1200, 50], [500, 120, 5]);
    const r = finiteKeyLength(c, p);
    // Hand evaluation: n_k* = e^μ n_k / p_k; τ0 = Σ p e^-μ; τ1 = Σ p μ e^-μ.
    const t0 = 0.5 * Math.exp(-0.6) + 0.3 * Math.exp(-0.2) + 0.2;
    const t1 = 0.5 * 0.6 * Math.exp(-0.6) + 0.3 * 0.2 * Math.exp(-0.2);
    const n1 = (Math.exp(0.6) * 1e6) / 0.5;
    const n2 = (Math.exp(0.2) * 2e5) / 0.3;
    const n3 = 100 / 0.2;
    const s0 = t0 * n3; // μ3 = 0: s0 = τ0 n3*
    const s1 = (t1 * 0.6 * (n2 - n3 - (0.04 / 0.36) * (n1 - s0 / t0))) / (0.6 * 0.2 - 0.04);
    expect(r.sX0).toBeCloseTo(s0, 6);
    expect(r.sX1).toBeCloseTo(s1, 3);
    const z2 = (Math.exp(0.2) * 2e4) / 0.3;
    const sZ1 =
      (t1 * 0.6 * (z2 - 10 / 0.2 - (0.04 / 0.36) * ((Math.exp(0.6) * 1e5) / 0.5 - (t0 * 50) / t0))) /
      (0.6 * 0.2 - 0.04);
    expect(r.sZ1).toBeCloseTo(sZ1, 3);
    const v = Math.min(625, (t1 * ((Math.exp(0.2) * 120) / 0.3 - 5 / 0.2)) / 0.2);
    expect(r.vZ1).toBeCloseTo(v, 6);
    const qx = 6250 / 1200100;
    const ell = s0 + s1 * (1 - binaryEntropy(v / sZ1)) - 1.16 * 1200100 * binaryEntropy(qx);
    expect(r.rawKeyBits).toBeCloseTo(ell, 2);
    expect(r.secureKeyBits).toBe(Math.floor(ell));
  });

  it('the v_Z1 bound is capped at the number of Z errors', () => {
    const r = finiteKeyLength(
      windowCounts(countPrefixSums({ eta: new Float64Array(441).fill(1e-3) }, SATQUMA_PROTOCOL), 0, 441),
      SATQUMA_PROTOCOL,
    );
    expect(r.vZ1).toBeLessThanOrEqual(r.mZ);
  });

  it('γ is guarded: zero for empty blocks, finite at b -> 1', () => {
    expect(gammaPhase(1e-9, 0.01, 0, 100)).toBe(0);
    expect(Number.isFinite(gammaPhase(1e-9, 1, 100, 100))).toBe(true);
  });

  it('returns 0 when μ1 <= μ2 + μ3 (invalid intensities) instead of a bogus key', () => {
    const p: Protocol = { ...SATQUMA_PROTOCOL, intensities: [0.3, 0.2, 0.15] };
    const r = finiteKeyLength(windowCounts(countPrefixSums({ eta: new Float64Array(100).fill(1e-2) }, p), 0, 100), p);
    expect(r.secureKeyBits).toBe(0);
  });
});
