import { describe, expect, it } from 'vitest';
import { gllpKeyRate } from './gllp.js';

const rel = (a: number, b: number) => Math.abs(a - b) / Math.abs(b);

// docs/physics.md §4 test vectors (Y0 = 2e-7, e_d = 1 %, f_EC = 1.16, q = 1/2 unless stated).
const CASES = [
  {
    eta: 10 ** (-29.75 / 10) * 0.5,
    mu: 0.8,
    nu: 0.1,
    y0: 2e-7,
    ed: 0.01,
    f: 1.16,
    want: { eta: 5.2963e-4, qMu: 4.2381e-4, eMu: 1.0231e-2, y1: 5.0077e-4, e1: 1.1898e-2, r: 6.1387e-5 },
  },
  {
    eta: 10 ** (-40.34 / 10) * 0.5,
    mu: 0.8,
    nu: 0.1,
    y0: 2e-7,
    ed: 0.01,
    f: 1.16,
    want: { eta: 4.6235e-5, qMu: 3.7187e-5, eMu: 1.2635e-2, y1: 4.3894e-5, e1: 1.4037e-2, r: 4.9396e-6 },
  },
  {
    eta: 1e-2,
    mu: 0.5,
    nu: 0.1,
    y0: 1.7e-6,
    ed: 0.033,
    f: 1.22,
    want: { eta: 1e-2, qMu: 4.9892e-3, eMu: 3.3159e-2, y1: 9.6979e-3, e1: 3.768e-2, r: 4.9091e-4 },
  },
];

describe('GLLP asymptotic decoy rate (Ma et al. 2005)', () => {
  it.each(CASES)('reproduces the docs/physics.md §4 vector at η = $want.eta to 1e-4 relative', (c) => {
    expect(rel(c.eta, c.want.eta)).toBeLessThan(1e-4);
    const r = gllpKeyRate({
      eta: c.eta,
      signal: c.mu,
      decoy: c.nu,
      darkYield: c.y0,
      intrinsicQber: c.ed,
      ecEfficiency: c.f,
      siftFactor: 0.5,
    });
    expect(rel(r.gainSignal, c.want.qMu)).toBeLessThan(1e-4);
    expect(rel(r.qberSignal, c.want.eMu)).toBeLessThan(1e-4);
    expect(rel(r.y1Lower, c.want.y1)).toBeLessThan(1e-4);
    expect(rel(r.e1Upper, c.want.e1)).toBeLessThan(1e-4);
    expect(rel(r.keyPerPulse, c.want.r)).toBeLessThan(1e-4);
  });

  it('gives zero, not a negative rate, when the channel is too lossy', () => {
    const r = gllpKeyRate({
      eta: 1e-9,
      signal: 0.8,
      decoy: 0.1,
      darkYield: 2e-7,
      intrinsicQber: 0.01,
      ecEfficiency: 1.16,
      siftFactor: 0.5,
    });
    expect(r.keyPerPulse).toBe(0);
  });
});
