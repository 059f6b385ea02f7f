/**
 * TLE column layout (Space-Track "Basic Description of the Two Line Element Set Format"; columns
 * 1-based, inclusive) with the pattern each field must match, and the canonical formatting.
 */
export interface FieldSpec {
  name: string;
  line: 1 | 2;
  from: number;
  to: number;
  pattern: RegExp;
  expect: string;
}

const exp = /^[ +-][0-9]{5}[+-][0-9]$/;
const angle = (name: string, from: number): FieldSpec => ({
  name,
  line: 2,
  from,
  to: from + 7,
  pattern: /^[ 0-9]{2}[0-9]\.[0-9]{4}$/,
  expect: 'an angle ddd.dddd',
});

const catalogNumber = (line: 1 | 2): FieldSpec => ({
  name: 'catalogNumber',
  line,
  from: 3,
  to: 7,
  pattern: /^(?:[ 0-9]{4}[0-9]|[A-HJ-NP-Z][0-9]{4})$/,
  expect: 'a 5-digit or alpha-5 catalog number',
});

export const FIELDS: FieldSpec[] = [
  { name: 'lineNumber', line: 1, from: 1, to: 1, pattern: /^1$/, expect: "'1'" },
  catalogNumber(1),
  { name: 'classification', line: 1, from: 8, to: 8, pattern: /^[UCS ]$/, expect: 'U, C or S' },
  { name: 'intlDesignator', line: 1, from: 10, to: 17, pattern: /^[0-9 ]{5}[A-Z ]{3}$/, expect: 'YYNNNPPP' },
  { name: 'epochYear', line: 1, from: 19, to: 20, pattern: /^[0-9]{2}$/, expect: 'a two-digit year' },
  {
    name: 'epochDay',
    line: 1,
    from: 21,
    to: 32,
    pattern: /^[ 0-9]{2}[0-9]\.[0-9]{8}$/,
    expect: 'a day of year ddd.dddddddd',
  },
  {
    name: 'meanMotionDot',
    line: 1,
    from: 34,
    to: 43,
    pattern: /^[ +-]\.[0-9]{8}$/,
    expect: 'a signed decimal s.dddddddd',
  },
  { name: 'meanMotionDdot', line: 1, from: 45, to: 52, pattern: exp, expect: 'an exponent field sddddd-d' },
  { name: 'bstar', line: 1, from: 54, to: 61, pattern: exp, expect: 'an exponent field sddddd-d' },
  { name: 'ephemerisType', line: 1, from: 63, to: 63, pattern: /^[0-9 ]$/, expect: 'a digit' },
  { name: 'elementSetNo', line: 1, from: 65, to: 68, pattern: /^[ 0-9]{3}[0-9]$/, expect: 'up to 4 digits' },
  { name: 'checksum', line: 1, from: 69, to: 69, pattern: /^[0-9]$/, expect: 'a checksum digit' },
  { name: 'lineNumber', line: 2, from: 1, to: 1, pattern: /^2$/, expect: "'2'" },
  catalogNumber(2),
  angle('inclination', 9),
  angle('raan', 18),
  {
    name: 'eccentricity',
    line: 2,
    from: 27,
    to: 33,
    pattern: /^[0-9]{7}$/,
    expect: 'seven digits (implied leading decimal point)',
  },
  angle('argOfPerigee', 35),
  angle('meanAnomaly', 44),
  {
    name: 'meanMotion',
    line: 2,
    from: 53,
    to: 63,
    pattern: /^[ 0-9][0-9]\.[0-9]{8}$/,
    expect: 'revolutions per day dd.dddddddd',
  },
  { name: 'revAtEpoch', line: 2, from: 64, to: 68, pattern: /^[ 0-9]{4}[0-9]$/, expect: 'up to 5 digits' },
  { name: 'checksum', line: 2, from: 69, to: 69, pattern: /^[0-9]$/, expect: 'a checksum digit' },
];

/** Columns that must be blank. */
export const BLANKS: Record<1 | 2, number[]> = { 1: [2, 9, 18, 33, 44, 53, 62, 64], 2: [2, 8, 17, 26, 34, 43, 52] };

export const field = (line: string, columns: { from: number; to: number }): string =>
  line.slice(columns.from - 1, columns.to);

/** Checksum: digits count their value, '-' counts 1, everything else 0; modulo 10 over columns 1-68. */
export function checksum(line: string): number {
  let sum = 0;
  for (let i = 0; i < 68 && i < line.length; i += 1) {
    const c = line.charCodeAt(i);
    if (c >= 48 && c <= 57) sum += c - 48;
    else if (c === 45) sum += 1;
  }
  return sum % 10;
}

/** "sddddd-d" -> number (implied decimal point before the mantissa). */
export function parseExpField(text: string): number {
  // One decimal conversion (correctly rounded), not 0.mmmmm * 10^e: the same double as the
  // value written in OMM ('.3026E-4', 3.026e-5), so a TLE and its OMM give identical elements.
  return Number(`${text[0] === '-' ? '-' : ''}0.${text.slice(1, 6)}e${Number(text.slice(6, 8))}`);
}

/** number -> "sddddd-d" canonical (zero is " 00000-0" as Space-Track writes it). */
export function formatExpField(value: number): string {
  if (value === 0) return ' 00000-0';
  let e = Math.floor(Math.log10(Math.abs(value))) + 1;
  let mant = Math.round((Math.abs(value) / 10 ** e) * 1e5);
  if (mant >= 100000) {
    mant = 10000;
    e += 1;
  }
  if (e > 9 || e < -9) return ' 00000-0';
  return `${value < 0 ? '-' : ' '}${String(mant).padStart(5, '0')}${e < 0 ? '-' : '+'}${Math.abs(e)}`;
}

/** ".dddddddd" with sign (ndot/2). */
export function formatDecimalField(value: number): string {
  const s = Math.abs(value).toFixed(8).replace(/^0/, '');
  return (value < 0 ? '-' : ' ') + s;
}
