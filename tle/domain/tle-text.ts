/**
 * TLE text (2- and 3-line) -> element sets, each bad record reported with line, column and reason
 * (satellite.js checks no checksum and accepts a corrupted epoch silently, so we check everything);
 * element sets -> TLE lines, exact round trip (original field text kept where not canonical).
 */
import { createPropagator } from '../../src/core/orbit/index.js';
import { decodeCatalogNumber, encodeCatalogNumber } from './alpha5.js';
import type { ElementSet, ParseReport, RecordIssue, RejectedRecord } from './element-set.js';
import { BLANKS, checksum, field, FIELDS, formatDecimalField, formatExpField, parseExpField } from './tle-fields.js';
import { MS_PER_DAY } from '../../src/core/units.js';

/** Two-digit years: 57-99 -> 1957-1999, 00-56 -> 2000-2056 (the Space-Track convention). */
export const fullYear = (yy: number): number => (yy < 57 ? 2000 + yy : 1900 + yy);
const isLeap = (y: number) => (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;

function checkLine(text: string, n: 1 | 2, lineNo: number): RecordIssue[] {
  const issues: RecordIssue[] = [];
  if (text.length !== 69) {
    issues.push({
      code: 'TLE_FORMAT',
      line: lineNo,
      column: Math.min(text.length, 69) + 1,
      message: `line ${n} has ${text.length} characters, expected 69`,
    });
    return issues;
  }
  for (const f of FIELDS) {
    if (f.line !== n) continue;
    if (!f.pattern.test(field(text, f)))
      issues.push({
        code: 'TLE_FORMAT',
        line: lineNo,
        column: f.from,
        message: `${f.name}: '${field(text, f)}' is not ${f.expect}`,
      });
  }
  for (const c of BLANKS[n])
    if (text[c - 1] !== ' ')
      issues.push({ code: 'TLE_FORMAT', line: lineNo, column: c, message: `column ${c} must be blank` });
  if (issues.length === 0) {
    const expected = checksum(text),
      got = Number(text[68]);
    if (expected !== got)
      issues.push({
        code: 'TLE_CHECKSUM',
        line: lineNo,
        column: 69,
        message: `wrong checksum of line ${n}: expected ${expected}, got ${got}`,
      });
  }
  return issues;
}

const num = (l: string, from: number, to: number) => Number(l.slice(from - 1, to));

/** Parses one record whose lines are already split; `lineNo` is the 1-based line of line 1. */
export function parseTleRecord(
  name: string | undefined,
  line1: string,
  line2: string,
  lineNo: number,
): { ok: true; value: ElementSet } | { ok: false; issues: RecordIssue[] } {
  const issues = [...checkLine(line1, 1, lineNo), ...checkLine(line2, 2, lineNo + 1)];
  if (issues.length) return { ok: false, issues };
  const id1 = decodeCatalogNumber(line1.slice(2, 7)),
    id2 = decodeCatalogNumber(line2.slice(2, 7));
  if (id1 !== id2)
    issues.push({
      code: 'TLE_FORMAT',
      line: lineNo + 1,
      column: 3,
      message: `catalog number ${line2.slice(2, 7).trim()} differs from line 1 (${line1.slice(2, 7).trim()})`,
    });
  const year = fullYear(num(line1, 19, 20));
  const day = num(line1, 21, 32);
  if (!(day >= 1 && day < (isLeap(year) ? 367 : 366)))
    issues.push({
      code: 'TLE_FORMAT',
      line: lineNo,
      column: 21,
      message: `epoch day ${day} is outside 1..${isLeap(year) ? 366 : 365} of ${year}`,
    });
  const ranges: [string, number, number, number, number][] = [
    ['inclination', num(line2, 9, 16), 0, 180, 9],
    ['raan', num(line2, 18, 25), 0, 360, 18],
    ['argOfPerigee', num(line2, 35, 42), 0, 360, 35],
    ['meanAnomaly', num(line2, 44, 51), 0, 360, 44],
  ];
  for (const [what, v, lo, hi, col] of ranges)
    if (!(v >= lo && v <= hi))
      issues.push({
        code: 'TLE_FORMAT',
        line: lineNo + 1,
        column: col,
        message: `${what} ${v} is outside ${lo}..${hi} degrees`,
      });
  const meanMotion = num(line2, 53, 63);
  if (!(meanMotion > 0))
    issues.push({
      code: 'TLE_FORMAT',
      line: lineNo + 1,
      column: 53,
      message: `mean motion ${meanMotion} must be positive`,
    });
  // Ephemeris type 4 marks SGP4-XP elements (as in OMM's EPHEMERIS_TYPE): plain SGP4 would propagate them wrongly.
  if (line1[62] === '4')
    issues.push({
      code: 'VALIDATION',
      line: lineNo,
      column: 63,
      message:
        'ephemeris type 4 is SGP4-XP: its elements need the SGP4-XP propagator (qkdsat propagates with SGP4 only)',
    });
  if (issues.length) return { ok: false, issues };
  const epochMs = Date.UTC(year, 0, 1) + (day - 1) * MS_PER_DAY;
  const es: ElementSet = {
    noradId: id1!,
    ...(name ? { name } : {}),
    classification: line1[7]!,
    intlDesignator: line1.slice(9, 17).trim(),
    epoch: new Date(Math.round(epochMs)).toISOString(),
    epochMs,
    epochYear: year,
    epochDayOfYear: day,
    meanMotionRevPerDay: meanMotion,
    eccentricity: Number(`0.${line2.slice(26, 33)}`),
    inclinationDeg: num(line2, 9, 16),
    raanDeg: num(line2, 18, 25),
    argOfPerigeeDeg: num(line2, 35, 42),
    meanAnomalyDeg: num(line2, 44, 51),
    meanMotionDot: (line1[33] === '-' ? -1 : 1) * Number(`0${line1.slice(34, 43)}`),
    meanMotionDdot: parseExpField(line1.slice(44, 52)),
    bstar: parseExpField(line1.slice(53, 61)),
    ephemerisType: line1[62] === ' ' ? 0 : Number(line1[62]),
    elementSetNo: num(line1, 65, 68),
    revAtEpoch: num(line2, 64, 68),
    source: 'tle',
  };
  const sgp4 = createPropagator({ kind: 'tle', line1, line2 });
  if (!sgp4.ok)
    return {
      ok: false,
      issues: [
        {
          code: 'SGP4_FAILURE',
          line: lineNo,
          column: 1,
          message: `SGP4 cannot initialise these elements: ${sgp4.reason}`,
        },
      ],
    };
  // Keep the original text of fields whose canonical formatting differs: exact round trip.
  const canon = formatTle(es);
  if (canon) {
    const style: Record<string, string> = {};
    for (const f of FIELDS) {
      if (f.name === 'checksum' || f.name === 'lineNumber') continue;
      const orig = field(f.line === 1 ? line1 : line2, f),
        mine = field(f.line === 1 ? canon.line1 : canon.line2, f);
      if (orig !== mine) style[`${f.line}:${f.name}`] = orig;
    }
    if (Object.keys(style).length) es.tleStyle = style;
  }
  return { ok: true, value: es };
}

const withChecksum = (l: string) => l + String(checksum(l));

/** TLE lines for an element set, or undefined when its catalog number does not fit (> Z9999). */
export function formatTle(es: ElementSet): { line1: string; line2: string } | undefined {
  const cat = encodeCatalogNumber(es.noradId);
  if (!cat) return undefined;
  const style = es.tleStyle ?? {};
  // A field as the source text wrote it when that differs from the canonical form (see tleStyle).
  const s = (line: 1 | 2, name: string, canonical: string) => style[`${line}:${name}`] ?? canonical;
  const yy = String(es.epochYear % 100).padStart(2, '0');
  const ang = (v: number) => v.toFixed(4).padStart(8);
  const l1 =
    `1 ${s(1, 'catalogNumber', cat)}${s(1, 'classification', es.classification)} ` +
    `${s(1, 'intlDesignator', es.intlDesignator.padEnd(8))} ` +
    `${s(1, 'epochYear', yy)}${s(1, 'epochDay', es.epochDayOfYear.toFixed(8).padStart(12, '0'))} ` +
    `${s(1, 'meanMotionDot', formatDecimalField(es.meanMotionDot))} ` +
    `${s(1, 'meanMotionDdot', formatExpField(es.meanMotionDdot))} ${s(1, 'bstar', formatExpField(es.bstar))} ` +
    `${s(1, 'ephemerisType', String(es.ephemerisType))} ` +
    `${s(1, 'elementSetNo', String(es.elementSetNo % 10000).padStart(4))}`;
  const l2 =
    `2 ${s(2, 'catalogNumber', cat)} ${s(2, 'inclination', ang(es.inclinationDeg))} ` +
    `${s(2, 'raan', ang(es.raanDeg))} ` +
    `${s(2, 'eccentricity', String(Math.round(es.eccentricity * 1e7)).padStart(7, '0'))} ` +
    `${s(2, 'argOfPerigee', ang(es.argOfPerigeeDeg))} ${s(2, 'meanAnomaly', ang(es.meanAnomalyDeg))} ` +
    `${s(2, 'meanMotion', es.meanMotionRevPerDay.toFixed(8).padStart(11))}` +
    `${s(2, 'revAtEpoch', String(es.revAtEpoch % 100000).padStart(5))}`;
  return { line1: withChecksum(l1), line2: withChecksum(l2) };
}

const isLine = (l: string | undefined, n: '1' | '2') => l !== undefined && l[0] === n && l[1] === ' ';

/** Parses a text of TLE records (names optional, blank lines ignored); keeps the good, reports the bad. */
export function parseTleText(text: string): ParseReport {
  const lines = text.split(/\r?\n/).map((l) => l.replace(/\s+$/, ''));
  const report: ParseReport = { accepted: [], rejected: [] };
  let index = 0;
  const reject = (firstLine: number, issues: RecordIssue[], snippet?: string) => {
    const r: RejectedRecord = {
      index,
      firstLine,
      issues,
      ...(snippet !== undefined ? { text: snippet.slice(0, 80) } : {}),
    };
    report.rejected.push(r);
    index += 1;
  };
  /** A record whose line structure is wrong, reported at `issueLine` (1-based) from column 1. */
  const rejectFormat = (firstLine: number, issueLine: number, message: string, snippet: string | undefined) =>
    reject(firstLine, [{ code: 'TLE_FORMAT', line: issueLine, column: 1, message }], snippet);
  for (let i = 0; i < lines.length;) {
    const l = lines[i]!;
    if (l.trim() === '') {
      i += 1;
      continue;
    }
    let name: string | undefined;
    let at = i;
    if (!isLine(l, '1') && !isLine(l, '2')) {
      name = l.replace(/^0 /, '').trim();
      at = i + 1;
      if (!isLine(lines[at], '1')) {
        rejectFormat(i + 1, at + 1, `name line '${name.slice(0, 24)}' is not followed by a line starting '1 '`, l);
        i = at;
        continue;
      }
    }
    if (isLine(lines[at], '2')) {
      rejectFormat(at + 1, at + 1, 'line 2 without a preceding line 1', lines[at]);
      i = at + 1;
      continue;
    }
    if (!isLine(lines[at + 1], '2')) {
      rejectFormat(at + 1, at + 2, "line 1 is not followed by a line starting '2 '", lines[at]);
      i = at + 1;
      continue;
    }
    const r = parseTleRecord(name, lines[at]!, lines[at + 1]!, at + 1);
    if (r.ok) {
      report.accepted.push(r.value);
      index += 1;
    } else {
      const id = decodeCatalogNumber(lines[at]!.slice(2, 7));
      reject(at + 1, r.issues, lines[at]);
      if (id !== undefined) report.rejected[report.rejected.length - 1]!.noradId = id;
    }
    i = at + 2;
  }
  return report;
}
