import { describe, expect, it } from 'vitest';
import { decodeCatalogNumber, encodeCatalogNumber } from './alpha5.js';
import { assessElementSet } from './assess.js';
import { elementSetFromOmm, OmmRecordSchema, parseOmmJson } from './omm.js';
import { checksum } from './tle-fields.js';
import { formatTle, fullYear, parseTleText } from './tle-text.js';

const L1 = '1 41731U 16051A   21117.42314584  .00000696  00000-0  30260-4 0  9998';
const L2 = '2 41731  97.3499  30.8507 0012844 347.0485 124.2616 15.25507799261429';
/** Sets `text` at 1-based `column` of `line` and repairs the checksum. */
const patch = (line: string, column: number, text: string, fixChecksum = true) => {
  const l = line.slice(0, column - 1) + text + line.slice(column - 1 + text.length);
  return fixChecksum ? l.slice(0, 68) + String(checksum(l)) : l;
};

describe('TLE text', () => {
  it('parses 2- and 3-line records and formats them back character for character', () => {
    const r = parseTleText(`MICIUS\n${L1}\n${L2}\n\n${L1}\r\n${L2}\n`);
    expect(r.rejected).toEqual([]);
    expect(r.accepted).toHaveLength(2);
    expect(r.accepted[0]!.name).toBe('MICIUS');
    expect(r.accepted[0]!.epoch).toBe('2021-04-27T10:09:19.801Z');
    expect(formatTle(r.accepted[0]!)).toEqual({ line1: L1, line2: L2 });
  });
  it('reports a wrong checksum with line, column 69 and both digits', () => {
    const r = parseTleText(`X\n${L1}\n${L2.slice(0, 68)}0`);
    expect(r.rejected[0]!.issues[0]).toMatchObject({
      code: 'TLE_CHECKSUM',
      line: 3,
      column: 69,
      message: 'wrong checksum of line 2: expected 9, got 0',
    });
  });
  it('reports a corrupted epoch that satellite.js would silently accept', () => {
    const r = parseTleText(`${patch(L1, 21, '4x7')}\n${L2}`);
    expect(r.rejected[0]!.issues[0]).toMatchObject({ code: 'TLE_FORMAT', line: 1, column: 21 });
    const r2 = parseTleText(`${patch(L1, 21, '400')}\n${L2}`);
    expect(r2.rejected[0]!.issues[0]!.message).toMatch(/epoch day 400.* outside/);
  });
  it('reports out-of-range angles, mismatched catalog numbers, short lines and orphans, keeping good records', () => {
    const text = [
      patch(L1, 1, '1'),
      patch(L2, 9, '197.3499'),
      L1,
      patch(L2, 3, '41732'),
      L1.slice(0, 60),
      L2,
      'NAME ONLY',
      L1,
      L2,
    ].join('\n');
    const r = parseTleText(text);
    expect(r.accepted).toHaveLength(1);
    const msgs = r.rejected.flatMap((x) => x.issues.map((i) => `${i.line}:${i.column} ${i.message}`));
    expect(msgs[0]).toMatch(/^2:9 inclination 197.3499 is outside/);
    expect(msgs[1]).toMatch(/^4:3 catalog number 41732 differs/);
    expect(msgs[2]).toMatch(/^5:61 line 1 has 60 characters/);
    expect(msgs.some((m) => /^7:1 name line/.test(m))).toBe(false);
  });
  it('rejects elements SGP4 cannot initialise with the satellite.js reason', () => {
    const r = parseTleText(`${L1}\n${patch(L2, 53, ' 0.00000001')}`);
    expect(r.rejected[0]!.issues[0]!.code).toBe('SGP4_FAILURE');
  });
  it('reads two-digit years 57-99 as 19xx and 00-56 as 20xx', () => {
    expect([fullYear(57), fullYear(99), fullYear(0), fullYear(56)]).toEqual([1957, 1999, 2000, 2056]);
  });
  it('decodes and encodes alpha-5 catalog numbers (I and O are not used)', () => {
    expect(decodeCatalogNumber('A0000')).toBe(100000);
    expect(decodeCatalogNumber('Z9999')).toBe(339999);
    expect(decodeCatalogNumber('I0000')).toBeUndefined();
    expect(encodeCatalogNumber(270001)).toBe('T0001');
    expect(encodeCatalogNumber(340000)).toBeUndefined();
    const r = parseTleText(`${patch(L1, 3, 'T0001')}\n${patch(L2, 3, 'T0001')}`);
    expect(r.accepted[0]!.noradId).toBe(270001);
    expect(formatTle(r.accepted[0]!)!.line1).toBe(patch(L1, 3, 'T0001'));
  });
});

describe('OMM JSON', () => {
  const omm = {
    OBJECT_NAME: 'MICIUS',
    OBJECT_ID: '2016-051A',
    EPOCH: '2021-04-27T10:09:19.800576',
    MEAN_MOTION: 15.25507799,
    ECCENTRICITY: 0.0012844,
    INCLINATION: 97.3499,
    RA_OF_ASC_NODE: 30.8507,
    ARG_OF_PERICENTER: 347.0485,
    MEAN_ANOMALY: 124.2616,
    EPHEMERIS_TYPE: 0,
    CLASSIFICATION_TYPE: 'U',
    NORAD_CAT_ID: 41731,
    ELEMENT_SET_NO: 999,
    REV_AT_EPOCH: 26142,
    BSTAR: 3.026e-5,
    MEAN_MOTION_DOT: 6.96e-6,
    MEAN_MOTION_DDOT: 0,
  };
  it('gives the same elements as the equivalent TLE', () => {
    const es = elementSetFromOmm(OmmRecordSchema.parse(omm));
    const tle = parseTleText(`${L1}\n${L2}`).accepted[0]!;
    expect(es.intlDesignator).toBe('16051A');
    expect(Math.abs(es.epochMs - tle.epochMs)).toBeLessThan(1);
    expect(formatTle(es)!.line2.slice(0, 63)).toBe(L2.slice(0, 63));
  });
  it('reports bad records by path and keeps the good', () => {
    const r = parseOmmJson([omm, { ...omm, INCLINATION: 200 }, { ...omm, EPOCH: 'yesterday' }]);
    expect(r.accepted).toHaveLength(1);
    expect(r.rejected.map((x) => x.issues[0]!.path)).toEqual([
      [1, 'INCLINATION'],
      [2, 'EPOCH'],
    ]);
  });
});

describe('assessment', () => {
  it('reports epoch age and flags stale sets and low perigees', () => {
    const es = parseTleText(`${L1}\n${L2}`).accepted[0]!;
    const a = assessElementSet(es, es.epochMs + 20 * 86_400_000);
    expect(a.epochAgeDays).toBeCloseTo(20, 9);
    expect(a.stale).toBe(true);
    expect(a.perigeeAltitudeKm).toBeGreaterThan(450);
    expect(a.lowPerigee).toBe(false);
    expect(assessElementSet({ ...es, meanMotionRevPerDay: 16.4 }, es.epochMs).lowPerigee).toBe(true);
  });
});

describe('SGP4-XP TLEs', () => {
  it('ephemeris type 4 is rejected at line 1 column 63 with the reason; type 0 is accepted', async () => {
    const { parseTleText: parse, checksum: sum } = await import('./index.js');
    const l1 = '1 41731U 16051A   21117.42314584  .00000696  00000-0  30260-4 0  999';
    const l2 = '2 41731  97.3499  30.8507 0012844 347.0485 124.2616 15.25507799261429';
    const xp = `${l1.slice(0, 62)}4${l1.slice(63)}`;
    expect(parse(`${l1}${sum(l1)}\n${l2}`).accepted).toHaveLength(1);
    const r = parse(`${xp}${sum(xp)}\n${l2}`);
    expect(r.accepted).toHaveLength(0);
    expect(r.rejected[0]!.issues[0]).toMatchObject({ code: 'VALIDATION', line: 1, column: 63 });
    expect(r.rejected[0]!.issues[0]!.message).toMatch(/^ephemeris type 4 is SGP4-XP/);
  });
});
