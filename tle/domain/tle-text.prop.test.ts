import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseOmmJson } from './omm.js';
import { formatTle, parseTleText } from './tle-text.js';

const SAMPLES = [
  [
    '1 41731U 16051A   21117.42314584  .00000696  00000-0  30260-4 0  9998',
    '2 41731  97.3499  30.8507 0012844 347.0485 124.2616 15.25507799261429',
  ],
  [
    '1 25544U 98067A   24130.36689744  .00016024  00000+0  27777-3 0  9992',
    '2 25544  51.6381 147.8590 0003466 150.4670 338.5502 15.51043222452521',
  ],
  [
    '1 40267U 14060A   22221.55689762 -.00000285  00000-0  00000-0 0  9993',
    '2 40267   0.0504 257.1583 0001164 228.3315 173.6642  1.00270222 28642',
  ],
];
const TLE_CHARS = fc.constantFrom(...' 0123456789.+-ABCUZ\n'.split(''));

/** Every accepted record formats back to exactly the lines it came from. */
function checkRoundTrip(text: string): void {
  const report = parseTleText(text);
  const lines = text.split(/\r?\n/).map((l) => l.replace(/\s+$/, ''));
  for (const es of report.accepted) {
    const f = formatTle(es)!;
    expect(lines.some((l, i) => l === f.line1 && lines[i + 1] === f.line2)).toBe(true);
  }
}

describe('TLE parser properties', () => {
  it('random text never throws and every issue has a line and column', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme-ascii', maxLength: 400 }), (text) => {
        const r = parseTleText(text);
        for (const rej of r.rejected)
          for (const i of rej.issues) {
            expect(i.line).toBeGreaterThan(0);
            expect(i.column).toBeGreaterThan(0);
          }
      }),
      { numRuns: 2000 },
    );
  });
  it('mutated TLE text never throws; what is accepted round-trips exactly', () => {
    const record = fc.constantFrom(...SAMPLES).map(([a, b]) => `${a}\n${b}`);
    const mutation = fc.record({
      pos: fc.nat(200),
      ch: TLE_CHARS,
      kind: fc.constantFrom('replace', 'insert', 'delete'),
    });
    fc.assert(
      fc.property(
        fc.array(record, { minLength: 1, maxLength: 3 }),
        fc.array(mutation, { maxLength: 3 }),
        (records, muts) => {
          let text = records.join('\n');
          for (const m of muts) {
            const p = m.pos % (text.length + 1);
            text =
              m.kind === 'replace'
                ? text.slice(0, p) + m.ch + text.slice(p + 1)
                : m.kind === 'insert'
                  ? text.slice(0, p) + m.ch + text.slice(p)
                  : text.slice(0, p) + text.slice(p + 1);
          }
          checkRoundTrip(text);
        },
      ),
      { numRuns: 3000 },
    );
  });
  it('random JSON never throws from the OMM parser', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (v) => {
        parseOmmJson(v);
      }),
      { numRuns: 1000 },
    );
  });
});
