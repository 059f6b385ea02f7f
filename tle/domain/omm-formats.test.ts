import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { detectCatalogFormat, parseCatalog } from './catalog-format.js';
import type { ElementSet } from './element-set.js';
import { parseOmmJson } from './omm.js';
import { parseOmmKvn } from './omm-kvn.js';
import { parseOmmXml } from './omm-xml.js';
import { formatTle } from './tle-text.js';

const fixture = (name: string) => readFileSync(new URL(`../../test/fixtures/omm/${name}`, import.meta.url), 'utf8');
const DEMO6 = [25544, 41731, 33591, 44713, 40267, 6791];
const withoutStyle = ({ tleStyle: _style, ...es }: ElementSet): ElementSet => es;
const summary = (r: ReturnType<typeof parseCatalog>) =>
  r.rejected.map((x) => ({
    index: x.index,
    firstLine: x.firstLine,
    noradId: x.noradId,
    issues: x.issues.map(
      (i) => `${i.code} ${i.line ?? '-'}:${i.column ?? '-'} ${i.path?.slice(1).join('.') ?? ''} ${i.message}`,
    ),
  }));

/** One CelesTrak-style XML OMM (ndm wrapper, empty header) with `fields` overriding the metadata/data. */
function xmlOmm(fields: Record<string, string> = {}): string {
  const f = {
    OBJECT_NAME: 'NEW OBJECT',
    OBJECT_ID: '',
    CENTER_NAME: 'EARTH',
    REF_FRAME: 'TEME',
    TIME_SYSTEM: 'UTC',
    MEAN_ELEMENT_THEORY: 'SGP4',
    EPOCH: '2026-07-12T04:27:10.123456',
    MEAN_MOTION: '15.2',
    ECCENTRICITY: '.001',
    INCLINATION: '97.5',
    RA_OF_ASC_NODE: '100',
    ARG_OF_PERICENTER: '90',
    MEAN_ANOMALY: '10',
    EPHEMERIS_TYPE: '0',
    CLASSIFICATION_TYPE: 'U',
    NORAD_CAT_ID: '799500001',
    ELEMENT_SET_NO: '999',
    REV_AT_EPOCH: '1',
    BSTAR: '.1E-3',
    MEAN_MOTION_DOT: '.1E-4',
    MEAN_MOTION_DDOT: '0',
    ...fields,
  };
  const el = (keys: string[]) =>
    keys.map((k) => (f[k as keyof typeof f] === '' ? `<${k}/>` : `<${k}>${f[k as keyof typeof f]}</${k}>`)).join('');
  const metadata = el(['OBJECT_NAME', 'OBJECT_ID', 'CENTER_NAME', 'REF_FRAME', 'TIME_SYSTEM', 'MEAN_ELEMENT_THEORY']);
  const meanElements =
    el(['EPOCH', 'MEAN_MOTION', 'ECCENTRICITY', 'INCLINATION']) +
    el(['RA_OF_ASC_NODE', 'ARG_OF_PERICENTER', 'MEAN_ANOMALY']);
  const tleParameters =
    el(['EPHEMERIS_TYPE', 'CLASSIFICATION_TYPE', 'NORAD_CAT_ID', 'ELEMENT_SET_NO']) +
    el(['REV_AT_EPOCH', 'BSTAR', 'MEAN_MOTION_DOT', 'MEAN_MOTION_DDOT']);
  return (
    `<omm id="CCSDS_OMM_VERS" version="2.0"><header><CREATION_DATE/><ORIGINATOR/></header><body><segment>` +
    `<metadata>${metadata}</metadata><data><meanElements>${meanElements}</meanElements>` +
    `<tleParameters>${tleParameters}</tleParameters></data></segment></body></omm>`
  );
}

describe('catalog format detection (the one function behind POST /v1/satellites and the CLI --tle)', () => {
  it('tells TLE, OMM JSON, XML and KVN apart by their first characters', () => {
    expect(['demo6.tle', 'demo6.json', 'demo6.xml', 'demo6.kvn'].map((f) => detectCatalogFormat(fixture(f)))).toEqual([
      'tle',
      'omm-json',
      'omm-xml',
      'omm-kvn',
    ]);
    expect(detectCatalogFormat('\uFEFF  \n[{}]')).toBe('omm-json');
    expect(detectCatalogFormat('\n<omm/>')).toBe('omm-xml');
    expect(detectCatalogFormat('COMMENT from a file\n\nCCSDS_OMM_VERS = 3.0\n')).toBe('omm-kvn');
    expect(detectCatalogFormat('1 25544U 98067A ...')).toBe('tle');
    expect(detectCatalogFormat('')).toBe('tle');
  });
  it('parses an already parsed JSON body as OMM JSON', () => {
    const r = parseCatalog(JSON.parse(fixture('demo6.json')));
    expect(r.format).toBe('omm-json');
    expect(r.accepted.map((e) => e.noradId)).toEqual(DEMO6);
  });
  it('reports JSON that does not parse with line and column instead of reading it as TLE', () => {
    const r = parseCatalog('[\n  {"NORAD_CAT_ID": 1,,}\n]');
    expect(r.format).toBe('omm-json');
    expect(r.rejected[0]!.issues[0]).toMatchObject({ code: 'OMM_FORMAT', line: 2, column: 22 });
    expect(r.rejected[0]!.issues[0]!.message).toMatch(/^OMM JSON does not parse/);
  });
});

describe('the same satellites from TLE, OMM JSON, OMM XML and OMM KVN', () => {
  const reports = Object.fromEntries(
    ['tle', 'json', 'xml', 'kvn'].map((ext) => [ext, parseCatalog(fixture(`demo6.${ext}`))]),
  );
  it('are all accepted, in file order', () => {
    for (const r of Object.values(reports)) {
      expect(r.rejected).toEqual([]);
      expect(r.accepted.map((e) => e.noradId)).toEqual(DEMO6);
    }
  });
  it('give identical element sets: JSON, XML and KVN bit for bit, and the TLE in every field but source', () => {
    const json = reports.json!.accepted;
    expect(reports.xml!.accepted).toEqual(json);
    expect(reports.kvn!.accepted).toEqual(json);
    reports.tle!.accepted.forEach((tle, i) => {
      expect(json[i]!.source).toBe('omm');
      // toStrictEqual: every number the same double (epoch ms, day of year, B*, n-dot ...).
      expect({ ...json[i]!, source: 'tle' }).toStrictEqual(withoutStyle(tle));
    });
  });
  it('format back to the same TLE lines (canonically; the ISS set writes its zero n-ddot as 00000+0)', () => {
    const tleLines = fixture('demo6.tle')
      .split('\n')
      .filter((l) => /^[12] /.test(l));
    reports.kvn!.accepted.forEach((es, i) => {
      const tle = reports.tle!.accepted[i]!;
      expect(formatTle(es)).toEqual(formatTle(withoutStyle(tle)));
      expect(formatTle({ ...es, ...(tle.tleStyle ? { tleStyle: tle.tleStyle } : {}) })).toEqual({
        line1: tleLines[2 * i],
        line2: tleLines[2 * i + 1],
      });
    });
  });
});

describe('OMM KVN bad records', () => {
  it('reports each bad record with its index, first line, line and column of the bad value; keeps the good', () => {
    const r = parseCatalog(fixture('bad.kvn'));
    expect(r.format).toBe('omm-kvn');
    expect(r.accepted.map((e) => e.noradId)).toEqual([41731, 6791]);
    expect(summary(r)).toEqual([
      {
        index: 1,
        firstLine: 26,
        noradId: 25544,
        issues: ["VALIDATION 33:13 REF_FRAME REF_FRAME 'ITRF' is not supported: SGP4 mean elements are in TEME"],
      },
      {
        index: 2,
        firstLine: 51,
        noradId: 33591,
        issues: [
          "VALIDATION 59:15 TIME_SYSTEM TIME_SYSTEM 'TAI' is not supported: SGP4 epochs are UTC",
          "VALIDATION 60:23 MEAN_ELEMENT_THEORY MEAN_ELEMENT_THEORY 'DSST' is not supported: qkdsat " +
            'propagates with SGP4 only (SGP4, SGP, SGP/SGP4)',
        ],
      },
      {
        index: 3,
        firstLine: 76,
        noradId: 44713,
        issues: [
          'VALIDATION 76:1 EPOCH EPOCH is required',
          'VALIDATION 86:15 MEAN_MOTION expected a number, got "fast"',
        ],
      },
      {
        index: 4,
        firstLine: 100,
        noradId: 40267,
        issues: [
          "OMM_FORMAT 112:1  expected 'KEYWORD = value', got 'THIS LINE IS NOT A KEYWORD'",
          'OMM_FORMAT 126:1 INCLINATION INCLINATION is given twice in one OMM (first on line 114)',
        ],
      },
    ]);
  });
  it('reads units in brackets, COMMENT lines, blank values as absent and case-insensitive metadata values', () => {
    const kvn = [
      'COMMENT leading comment',
      'CCSDS_OMM_VERS = 3.0',
      'CREATION_DATE = 2026-07-12T05:00:00',
      'ORIGINATOR = ',
      'OBJECT_NAME = ',
      'OBJECT_ID = ',
      'CENTER_NAME = Earth',
      'REF_FRAME = teme',
      'TIME_SYSTEM = UTC',
      'MEAN_ELEMENT_THEORY = sgp4',
      'COMMENT mean elements',
      'EPOCH = 2026-07-12T04:27:10.123456',
      'MEAN_MOTION = 15.2 [rev/day]',
      'ECCENTRICITY = 0.001',
      'INCLINATION = 97.5 [deg]',
      'RA_OF_ASC_NODE = 100 [deg]',
      'ARG_OF_PERICENTER = 90 [deg]',
      'MEAN_ANOMALY = 10 [deg]',
      'GM = 398600.4418 [km**3/s**2]',
      'NORAD_CAT_ID = 799500001',
      'BSTAR = 0.0001 [1/ER]',
      'MEAN_MOTION_DOT = 1e-5 [rev/day**2]',
      'MEAN_MOTION_DDOT = 0 [rev/day**3]',
      'USER_DEFINED_X = y',
    ].join('\r\n');
    const r = parseOmmKvn(kvn);
    expect(r.rejected).toEqual([]);
    expect(r.accepted[0]).toMatchObject({
      noradId: 799500001,
      intlDesignator: '',
      meanMotionRevPerDay: 15.2,
      inclinationDeg: 97.5,
      bstar: 1e-4,
      elementSetNo: 999,
    });
    expect(r.accepted[0]!.name).toBeUndefined();
  });
  it('insists on the mandatory CCSDS metadata and on CCSDS_OMM_VERS first', () => {
    const r = parseOmmKvn('OBJECT_NAME = X\nCCSDS_OMM_VERS = two\n');
    expect(summary(r as ReturnType<typeof parseCatalog>)[0]!.issues[0]).toBe(
      "OMM_FORMAT 1:1  an OMM must start with 'CCSDS_OMM_VERS = x.y', got keyword OBJECT_NAME",
    );
    expect(r.rejected[1]!.issues[0]).toMatchObject({ code: 'OMM_FORMAT', line: 2, column: 18 });
    expect(r.rejected[1]!.issues.map((i) => i.message)).toContain('REF_FRAME is required');
  });
});

describe('OMM XML bad records', () => {
  it('reports each bad record with its index (and the line of its <omm>); keeps the good', () => {
    const r = parseCatalog(fixture('bad.xml'));
    expect(r.format).toBe('omm-xml');
    expect(r.accepted.map((e) => e.noradId)).toEqual([41731, 6791]);
    expect(summary(r)).toEqual([
      {
        index: 1,
        firstLine: 37,
        noradId: 25544,
        issues: ["VALIDATION 37:1 REF_FRAME REF_FRAME 'ITRF' is not supported: SGP4 mean elements are in TEME"],
      },
      {
        index: 2,
        firstLine: 71,
        noradId: 33591,
        issues: [
          "VALIDATION 71:1 TIME_SYSTEM TIME_SYSTEM 'TT' is not supported: SGP4 epochs are UTC",
          "VALIDATION 71:1 MEAN_ELEMENT_THEORY MEAN_ELEMENT_THEORY 'DSST' is not supported: qkdsat " +
            'propagates with SGP4 only (SGP4, SGP, SGP/SGP4)',
        ],
      },
      {
        index: 3,
        firstLine: 105,
        noradId: 44713,
        issues: [
          'VALIDATION 105:1 EPOCH EPOCH is required',
          'VALIDATION 105:1 ECCENTRICITY Too big: expected number to be <1',
        ],
      },
      {
        index: 4,
        firstLine: 138,
        noradId: undefined,
        issues: ['NORAD_CAT_ID', 'BSTAR', 'MEAN_MOTION_DOT', 'MEAN_MOTION_DDOT'].map(
          (k) => `VALIDATION 138:1 ${k} ${k} is required`,
        ),
      },
    ]);
  });
  it('reads a bare <omm> root and a 9-digit analyst object with an empty OBJECT_ID (as CelesTrak serves it)', () => {
    const r = parseOmmXml(`<?xml version="1.0" encoding="UTF-8"?>\n${xmlOmm()}`);
    expect(r.rejected).toEqual([]);
    expect(r.accepted[0]).toMatchObject({
      noradId: 799500001,
      name: 'NEW OBJECT',
      intlDesignator: '',
      bstar: 1e-4,
      epoch: '2026-07-12T04:27:10.123Z',
    });
  });
  it('rejects a document that is not well-formed with the parser reason, line and column', () => {
    const r = parseOmmXml(`<ndm>\n${xmlOmm()}\n<omm><body>\n</ndm>`);
    expect(r.accepted).toEqual([]);
    expect(r.rejected[0]!.issues[0]).toMatchObject({ code: 'OMM_FORMAT', line: 4 });
    expect(r.rejected[0]!.issues[0]!.message).toMatch(/^XML is not well-formed: .*closing tag/);
  });
  it('refuses DTDs (no entity expansion), documents without <omm>, repeated and missing elements', () => {
    expect(
      parseOmmXml('<?xml version="1.0"?>\n<!DOCTYPE ndm [<!ENTITY a "aaaa">]>\n<ndm/>').rejected[0]!.issues[0],
    ).toMatchObject({ line: 2, message: 'a DOCTYPE declaration is not accepted in OMM XML' });
    expect(parseOmmXml('<opm/>').rejected[0]!.issues[0]!.message).toBe(
      'no <omm> element: expected <ndm><omm>...</omm></ndm> or <omm>...</omm>, got <opm>',
    );
    const epochTwice = xmlOmm().replace('<EPOCH>', '<EPOCH>2026-07-12T00:00:00</EPOCH><EPOCH>');
    const twice = parseOmmXml(`<ndm>${epochTwice}${xmlOmm({ NORAD_CAT_ID: '5' })}</ndm>`);
    expect(twice.accepted.map((e) => e.noradId)).toEqual([5]);
    expect(twice.rejected[0]!.issues[0]!.message).toBe('<EPOCH> appears 2 times in one OMM');
    expect(parseOmmXml('<omm><body/></omm>').rejected[0]!.issues.map((i) => i.message)).toEqual([
      '<omm> has no <body> element',
      '<body> has no <segment> element',
      '<segment> has no <metadata> element',
      '<segment> has no <data> element',
      '<data> has no <meanElements> element',
    ]);
  });
  it('rejects elements SGP4 cannot initialise, like the JSON path', () => {
    const r = parseOmmXml(xmlOmm({ MEAN_MOTION: '.00000001' }));
    expect(r.rejected[0]!.issues[0]!.code).toBe('SGP4_FAILURE');
  });
});

describe('OMM JSON shares the schema', () => {
  it('accepts CelesTrak JSON without the redundant metadata but checks it when given', () => {
    const [omm] = JSON.parse(fixture('demo6.json')) as Record<string, unknown>[];
    const r = parseOmmJson([
      omm,
      { ...omm, CENTER_NAME: 'EARTH', REF_FRAME: 'TEME', TIME_SYSTEM: 'UTC', MEAN_ELEMENT_THEORY: 'SGP4' },
      { ...omm, REF_FRAME: 'GCRF' },
      { ...omm, MEAN_ELEMENT_THEORY: 'USM' },
    ]);
    expect(r.accepted).toHaveLength(2);
    expect(r.rejected.map((x) => x.issues[0]!.path)).toEqual([
      [2, 'REF_FRAME'],
      [3, 'MEAN_ELEMENT_THEORY'],
    ]);
  });
});

describe('SGP4-XP element sets', () => {
  it('are rejected with the reason, in every OMM syntax (plain SGP4 would propagate them wrongly)', () => {
    const kvn = (theory: string, type: string) =>
      [
        'CCSDS_OMM_VERS = 3.0',
        'CREATION_DATE = 2026-07-12T05:00:00',
        'ORIGINATOR = X',
        'OBJECT_NAME = X',
        'OBJECT_ID = 2026-001A',
        'CENTER_NAME = EARTH',
        'REF_FRAME = TEME',
        'TIME_SYSTEM = UTC',
        `MEAN_ELEMENT_THEORY = ${theory}`,
        'EPOCH = 2026-07-12T04:27:10.123456',
        'MEAN_MOTION = 15.2',
        'ECCENTRICITY = 0.001',
        'INCLINATION = 97.5',
        'RA_OF_ASC_NODE = 100',
        'ARG_OF_PERICENTER = 90',
        'MEAN_ANOMALY = 10',
        `EPHEMERIS_TYPE = ${type}`,
        'NORAD_CAT_ID = 99001',
        'BSTAR = 0.0001',
        'MEAN_MOTION_DOT = 1e-5',
        'MEAN_MOTION_DDOT = 0',
      ].join('\n');
    expect(parseOmmKvn(kvn('SGP4', '0')).accepted).toHaveLength(1);
    const xp = parseOmmKvn(kvn('SGP4-XP', '4'));
    expect(xp.accepted).toHaveLength(0);
    const messages = xp.rejected[0]!.issues.map((i) => i.message);
    expect(messages.some((m) => m.startsWith("MEAN_ELEMENT_THEORY 'SGP4-XP' is not supported"))).toBe(true);
    expect(messages.some((m) => m.startsWith('EPHEMERIS_TYPE 4 is SGP4-XP'))).toBe(true);
  });
});
