import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseCatalog } from './catalog-format.js';
import { ElementSetSchema, type ParseReport } from './element-set.js';
import { parseOmmKvn } from './omm-kvn.js';
import { parseOmmXml } from './omm-xml.js';

const fixture = (name: string) => readFileSync(new URL(`../../test/fixtures/omm/${name}`, import.meta.url), 'utf8');
const XML = fixture('demo6.xml'),
  KVN = fixture('demo6.kvn');
const XML_CHARS = fc.constantFrom(...'<>/=!?&;"\' \n.-+eE0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ_[]'.split(''));
const XML_SNIPPETS = fc.constantFrom(
  '<omm>',
  '</omm>',
  '<segment>',
  '</data>',
  '<EPOCH>',
  '</EPOCH>',
  '<![CDATA[',
  ']]>',
  '<!--',
  '-->',
  '&amp;',
  '&#x41;',
  '&bogus;',
  '<?xml version="1.0"?>',
  '<ndm>',
  '<EPOCH/>',
);
const KVN_SNIPPETS = fc.constantFrom(
  '\nCCSDS_OMM_VERS = 2.0\n',
  '\nCOMMENT x\n',
  ' = ',
  '\nEPOCH = \n',
  '[deg]',
  '\nREF_FRAME = ITRF\n',
  '\nMEAN_MOTION = 1e400\n',
  '\n\n',
  '\r\n',
  '\uFEFF',
);

/** Applies up to `muts` character or snippet edits at random positions. */
const mutated = (base: string, chars: fc.Arbitrary<string>, snippets: fc.Arbitrary<string>) =>
  fc
    .array(
      fc.record({
        pos: fc.nat(base.length),
        text: fc.oneof(chars, snippets),
        kind: fc.constantFrom('replace', 'insert', 'delete'),
      }),
      { minLength: 1, maxLength: 6 },
    )
    .map((muts) =>
      muts.reduce((t, m) => {
        const p = m.pos % (t.length + 1);
        return m.kind === 'replace'
          ? t.slice(0, p) + m.text + t.slice(p + m.text.length)
          : m.kind === 'insert'
            ? t.slice(0, p) + m.text + t.slice(p)
            : t.slice(0, p) + t.slice(p + m.text.length);
      }, base),
    );

/** What every report must satisfy, whatever the input. */
function checkReport(r: ParseReport, kind: 'xml' | 'kvn'): void {
  for (const es of r.accepted) {
    expect(ElementSetSchema.safeParse(es).success).toBe(true);
    expect(es.eccentricity).toBeGreaterThanOrEqual(0);
    expect(es.eccentricity).toBeLessThan(1);
    expect(Number.isFinite(es.epochMs)).toBe(true);
  }
  for (const rej of r.rejected) {
    expect(rej.issues.length).toBeGreaterThan(0);
    for (const i of rej.issues) {
      expect(i.message.length).toBeGreaterThan(0);
      if (kind === 'kvn') {
        expect(i.line).toBeGreaterThan(0);
        expect(i.column).toBeGreaterThan(0);
      }
    }
  }
  expect(new Set([...r.rejected.map((x) => x.index)]).size).toBe(r.rejected.length);
}

describe('OMM XML and KVN parser properties', () => {
  it('mutated OMM XML never throws; what it accepts are valid element sets; every rejection has a reason', () => {
    fc.assert(
      fc.property(mutated(XML, XML_CHARS, XML_SNIPPETS), (text) => {
        checkReport(parseOmmXml(text), 'xml');
        expect(() => parseCatalog(text)).not.toThrow();
      }),
      { numRuns: 1500 },
    );
  });
  it('mutated OMM KVN never throws; every rejection has a line and column', () => {
    fc.assert(
      fc.property(mutated(KVN, XML_CHARS, KVN_SNIPPETS), (text) => {
        const r = parseOmmKvn(text);
        checkReport(r, 'kvn');
        expect(r.accepted.length + r.rejected.length).toBeGreaterThan(0);
        expect(() => parseCatalog(text)).not.toThrow();
      }),
      { numRuns: 1500 },
    );
  });
  it('a record stays accepted whatever happens to the records after the next CCSDS_OMM_VERS line', () => {
    const second = KVN.indexOf('CCSDS_OMM_VERS', 1),
      afterVers = KVN.indexOf('\n', second) + 1;
    fc.assert(
      fc.property(mutated(KVN.slice(afterVers), XML_CHARS, KVN_SNIPPETS), (rest) => {
        const r = parseOmmKvn(KVN.slice(0, afterVers) + rest);
        expect(r.accepted[0]?.noradId).toBe(25544);
        expect(r.rejected.every((x) => x.index > 0 && x.firstLine! >= KVN.slice(0, second).split('\n').length)).toBe(
          true,
        );
      }),
      { numRuns: 500 },
    );
  });
  it('random text never throws from the format detection and parsers', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: 'grapheme-ascii', maxLength: 300 }),
        fc.constantFrom('', '<', 'CCSDS_OMM_VERS = 2.0\n', '['),
        (text, prefix) => {
          expect(() => parseCatalog(prefix + text)).not.toThrow();
        },
      ),
      { numRuns: 2000 },
    );
  });
});
