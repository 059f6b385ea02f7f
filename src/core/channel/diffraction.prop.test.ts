import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { beamRadiusM, collectedFraction } from './beam.js';
import { fresnelCollectedFraction, ricianCdf, transmittedFraction } from './diffraction.js';
import { besselJ0, gaussLegendre } from './special.js';

describe('diffraction invariants (docs/physics.md §2.2-2.4)', () => {
  const exact =
    'an untruncated Gaussian collects 1 - exp(-2 a_R²/w(L)²) at every range ' + '(Fresnel propagation is exact for it)';
  it(exact, () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0.02, max: 0.5, noNaN: true }),
        fc.double({ min: 0.05, max: 1, noNaN: true }),
        fc.double({ min: 300e3, max: 3000e3, noNaN: true }),
        (w0, aR, L) => {
          const g = { wavelengthM: 810e-9, txApertureRadiusM: 7 * w0, waistM: w0, rxApertureRadiusM: aR };
          const exact = collectedFraction(aR, beamRadiusM(w0, 810e-9, L));
          expect(Math.abs(10 * Math.log10(fresnelCollectedFraction(g, L) / exact))).toBeLessThan(1e-4);
        },
      ),
      { numRuns: 30 },
    );
  });
  it('a receiver much wider than the beam collects the transmitted fraction 1 - e^(-2 a_T²/w0²)', () => {
    const g = { wavelengthM: 810e-9, txApertureRadiusM: 0.15, waistM: 0.15, rxApertureRadiusM: 200 };
    // The hard edge's ring tail carries power ∝ 1/a_R: 4e-4 of it still lies beyond 200 m.
    expect(fresnelCollectedFraction(g, 500e3)).toBeCloseTo(transmittedFraction(g), 3);
  });
  it('jitter never gains and is a no-op as σ → 0', () => {
    const g = { wavelengthM: 850e-9, txApertureRadiusM: 0.15, waistM: 0.1, rxApertureRadiusM: 0.5 };
    const still = fresnelCollectedFraction(g, 800e3);
    expect(fresnelCollectedFraction(g, 800e3, 1e-5) / still).toBeCloseTo(1, 4);
    for (const s of [0.1, 0.8, 3]) expect(fresnelCollectedFraction(g, 800e3, s)).toBeLessThan(still);
  });
  it('Rician CDF: Rayleigh at α = 0 and 1/2 at the mean for large arguments', () => {
    fc.assert(
      fc.property(fc.double({ min: 0.01, max: 12, noNaN: true }), (b) => {
        expect(ricianCdf(0, b)).toBeCloseTo(-Math.expm1((-b * b) / 2), 8);
      }),
      { numRuns: 50 },
    );
    expect(ricianCdf(200, 200)).toBeCloseTo(0.5, 2);
  });
  it('J0 and Gauss-Legendre: J0 zeros, ∫0^1 x^31 dx exactly with 16 nodes', () => {
    expect(Math.abs(besselJ0(2.404825557695773))).toBeLessThan(1e-7);
    expect(Math.abs(besselJ0(30.634606468431976))).toBeLessThan(1e-7);
    const { x, w } = gaussLegendre(16);
    let s = 0;
    for (let i = 0; i < 16; i++) s += 0.5 * w[i]! * ((x[i]! + 1) / 2) ** 31;
    expect(s).toBeCloseTo(1 / 32, 14);
  });
});
