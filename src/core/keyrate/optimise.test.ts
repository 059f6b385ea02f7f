import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { countPrefixSums, windowCounts } from './detection.js';
import { finiteKeyLength } from './finite-key.js';
import { decode, optimiseProtocol } from './optimise.js';
import { protocolIssues, SATQUMA_PROTOCOL } from './protocol.js';

function passEta(slots: number, eta0: number): Float64Array {
  const e = new Float64Array(slots);
  for (let i = 0; i < slots; i++) e[i] = eta0 * Math.exp(-3 * ((i - slots / 2) / slots) ** 2);
  return e;
}

describe('protocol optimisation', () => {
  it('every point of the search space decodes to a valid protocol (no q_x = 1, μ1 > μ2 + μ3)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: -60, max: 60, noNaN: true }), { minLength: 5, maxLength: 5 }),
        fc.constantFrom(0, 0.02),
        (x, mu3) => {
          const p = decode(x, { ...SATQUMA_PROTOCOL, intensities: [0.8, 0.2, mu3] });
          expect(protocolIssues(p)).toEqual([]);
          expect(p.basisProbabilityX).toBeLessThan(0.99);
        },
      ),
    );
  });

  it('never returns a worse key than the protocol it started from', () => {
    const eta = passEta(300, 2e-4);
    const r = optimiseProtocol({ eta }, SATQUMA_PROTOCOL, { start: 0, end: 300 });
    const before = finiteKeyLength(
      windowCounts(countPrefixSums({ eta }, SATQUMA_PROTOCOL), 0, 300),
      SATQUMA_PROTOCOL,
    ).rawKeyBits;
    expect(r.rawKeyBits).toBeGreaterThanOrEqual(before);
    expect(protocolIssues(r.protocol)).toEqual([]);
  });

  it('is deterministic', () => {
    const eta = passEta(200, 1e-4);
    expect(optimiseProtocol({ eta }, SATQUMA_PROTOCOL, { start: 0, end: 200 })).toEqual(
      optimiseProtocol({ eta }, SATQUMA_PROTOCOL, { start: 0, end: 200 }),
    );
  });

  it('near the zero-key cut-off it still returns a valid protocol and a finite objective', () => {
    for (const eta0 of [3e-6, 1e-6, 1e-8]) {
      const r = optimiseProtocol({ eta: passEta(120, eta0) }, SATQUMA_PROTOCOL, { start: 0, end: 120 });
      expect(protocolIssues(r.protocol)).toEqual([]);
      expect(Number.isNaN(r.rawKeyBits)).toBe(false);
    }
  });
});
