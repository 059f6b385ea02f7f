/**
 * CCSDS OMM (CCSDS 502.0-B-3 keywords): one zod schema for the fields, whatever the syntax. JSON
 * (CelesTrak `FORMAT=json`: one object or an array) is validated here; XML (omm-xml.ts) and KVN
 * (omm-kvn.ts) only map their syntax onto the same flat keyword record and call validateOmmRecord.
 * OMM is the only format for catalog numbers above 339999 (alpha-5 ran out), so it is first-class.
 */
import { z } from 'zod';
import { createPropagator, type OmmJson } from '../../src/core/orbit/index.js';
import type { ElementSet, ParseReport, RecordIssue, RejectedRecord } from './element-set.js';
import { MS_PER_DAY } from '../../src/core/units.js';

const NUMBER_TEXT = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
/** Sentinel message for an absent field; validateOmmRecord names the field. */
const REQUIRED = 'required';
const numberish = z
  .union([z.number(), z.string().trim().regex(NUMBER_TEXT).transform(Number)], {
    error: (iss) =>
      iss.input === undefined ? REQUIRED : `expected a number, got ${JSON.stringify(iss.input)?.slice(0, 40)}`,
  })
  .pipe(z.number().finite());
/** A CCSDS metadata value that must be one of `allowed` (trimmed, case-insensitive). */
const oneOf = (keyword: string, allowed: readonly [string, ...string[]], why: string) =>
  z
    .string({ error: (iss) => (iss.input === undefined ? REQUIRED : `${keyword} must be text`) })
    .trim()
    .toUpperCase()
    .pipe(z.enum(allowed, { error: (iss) => `${keyword} '${String(iss.input)}' is not supported: ${why}` }));

/**
 * Mean element theories SGP4 can propagate (CCSDS 502.0-B-3 Table 4-2 names; 'SGP/SGP4' as in B-2's
 * example). SGP4-XP element sets (EPHEMERIS_TYPE 4) are fitted to the XP theory: propagated with
 * plain SGP4 they give wrong positions, and satellite.js implements SGP4 only, so they are rejected.
 */
export const SGP4_THEORIES = ['SGP4', 'SGP', 'SGP/SGP4'] as const;

export const OmmRecordSchema = z
  .object({
    OBJECT_NAME: z.string().max(80).optional(),
    OBJECT_ID: z.string().max(20).optional(),
    /**
     * CCSDS metadata. CelesTrak's JSON leaves these out (always EARTH, TEME, UTC, SGP4); when given,
     * in any syntax, they must say what SGP4 element sets are. XML and KVN must give them (mandatory in CCSDS).
     */
    CENTER_NAME: oneOf('CENTER_NAME', ['EARTH'], 'SGP4 elements are geocentric (EARTH)').optional(),
    REF_FRAME: oneOf('REF_FRAME', ['TEME'], 'SGP4 mean elements are in TEME').optional(),
    TIME_SYSTEM: oneOf('TIME_SYSTEM', ['UTC'], 'SGP4 epochs are UTC').optional(),
    MEAN_ELEMENT_THEORY: oneOf(
      'MEAN_ELEMENT_THEORY',
      SGP4_THEORIES,
      `qkdsat propagates with SGP4 only (${SGP4_THEORIES.join(', ')})`,
    ).optional(),
    EPOCH: z
      .string()
      .regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?Z?$/, 'expected YYYY-MM-DDThh:mm:ss[.ffffff] (UTC)'),
    MEAN_MOTION: numberish.pipe(z.number().gt(0).lt(20)),
    ECCENTRICITY: numberish.pipe(z.number().min(0).lt(1)),
    INCLINATION: numberish.pipe(z.number().min(0).max(180)),
    RA_OF_ASC_NODE: numberish.pipe(z.number().min(0).max(360)),
    ARG_OF_PERICENTER: numberish.pipe(z.number().min(0).max(360)),
    MEAN_ANOMALY: numberish.pipe(z.number().min(0).max(360)),
    EPHEMERIS_TYPE: numberish
      .pipe(z.number().int().min(0).max(9))
      .refine(
        (t) => t !== 4,
        'EPHEMERIS_TYPE 4 is SGP4-XP: its elements need the SGP4-XP propagator (qkdsat propagates with SGP4 only)',
      )
      .default(0),
    CLASSIFICATION_TYPE: z.enum(['U', 'C', 'S']).default('U'),
    NORAD_CAT_ID: numberish.pipe(z.number().int().min(1).max(999_999_999)),
    ELEMENT_SET_NO: numberish.pipe(z.number().int().min(0)).default(999),
    REV_AT_EPOCH: numberish.pipe(z.number().int().min(0)).default(0),
    BSTAR: numberish,
    MEAN_MOTION_DOT: numberish,
    MEAN_MOTION_DDOT: numberish,
  })
  .meta({ id: 'Omm' });
export type OmmRecord = z.infer<typeof OmmRecordSchema>;

/** The CCSDS message syntaxes (XML, KVN) must carry the mandatory metadata keywords. */
export const OmmMessageSchema = OmmRecordSchema.required({
  CENTER_NAME: true,
  REF_FRAME: true,
  TIME_SYSTEM: true,
  MEAN_ELEMENT_THEORY: true,
});

const EPOCH_PARTS = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d+)?/;

/**
 * Epoch text (UTC, microseconds kept) -> epoch ms, year and fractional day of year. The day of year
 * is one correctly rounded decimal conversion of the exact fraction (integer arithmetic to the
 * nanosecond), so an OMM converted from a TLE gives the very double that the TLE's "ddd.dddddddd" gives.
 */
function epochOf(text: string): { epochMs: number; year: number; dayOfYear: number } {
  const m = EPOCH_PARTS.exec(text)!;
  const wholeMs = Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!);
  const year = new Date(wholeMs).getUTCFullYear();
  const sinceJan1 = wholeMs - Date.UTC(year, 0, 1);
  const dayIndex = Math.floor(sinceJan1 / MS_PER_DAY);
  const ns = BigInt(sinceJan1 - dayIndex * MS_PER_DAY) * 1_000_000n + BigInt((m[7] ?? '.').slice(1, 10).padEnd(9, '0'));
  const fraction = ((ns * 10n ** 30n) / 86_400_000_000_000n).toString().padStart(30, '0');
  return { epochMs: wholeMs + Number(m[7] ?? 0) * 1000, year, dayOfYear: Number(`${dayIndex + 1}.${fraction}`) };
}

export function elementSetFromOmm(omm: OmmRecord): ElementSet {
  const { epochMs, year, dayOfYear } = epochOf(omm.EPOCH);
  const intl = (omm.OBJECT_ID ?? '').replace(/^\d{2}(\d{2})-(\d{3})([A-Z]*)$/, '$1$2$3');
  return {
    noradId: omm.NORAD_CAT_ID,
    ...(omm.OBJECT_NAME ? { name: omm.OBJECT_NAME } : {}),
    classification: omm.CLASSIFICATION_TYPE,
    intlDesignator: intl,
    epoch: new Date(Math.round(epochMs)).toISOString(),
    epochMs,
    epochYear: year,
    epochDayOfYear: dayOfYear,
    meanMotionRevPerDay: omm.MEAN_MOTION,
    eccentricity: omm.ECCENTRICITY,
    inclinationDeg: omm.INCLINATION,
    raanDeg: omm.RA_OF_ASC_NODE,
    argOfPerigeeDeg: omm.ARG_OF_PERICENTER,
    meanAnomalyDeg: omm.MEAN_ANOMALY,
    meanMotionDot: omm.MEAN_MOTION_DOT,
    meanMotionDdot: omm.MEAN_MOTION_DDOT,
    bstar: omm.BSTAR,
    ephemerisType: omm.EPHEMERIS_TYPE,
    elementSetNo: omm.ELEMENT_SET_NO,
    revAtEpoch: omm.REV_AT_EPOCH,
    source: 'omm',
  };
}

/** The OMM JSON form of an element set (what satellite.js json2satrec reads). */
export function ommOf(es: ElementSet): OmmJson {
  return {
    ...(es.name ? { OBJECT_NAME: es.name } : {}),
    EPOCH: new Date(Math.floor(es.epochMs)).toISOString().slice(0, 19) + ((es.epochMs / 1000) % 1).toFixed(6).slice(1),
    MEAN_MOTION: es.meanMotionRevPerDay,
    ECCENTRICITY: es.eccentricity,
    INCLINATION: es.inclinationDeg,
    RA_OF_ASC_NODE: es.raanDeg,
    ARG_OF_PERICENTER: es.argOfPerigeeDeg,
    MEAN_ANOMALY: es.meanAnomalyDeg,
    EPHEMERIS_TYPE: es.ephemerisType,
    CLASSIFICATION_TYPE: es.classification,
    NORAD_CAT_ID: es.noradId,
    ELEMENT_SET_NO: es.elementSetNo,
    REV_AT_EPOCH: es.revAtEpoch,
    BSTAR: es.bstar,
    MEAN_MOTION_DOT: es.meanMotionDot,
    MEAN_MOTION_DDOT: es.meanMotionDdot,
  };
}

/** Where a record came from: its index, and for the line-oriented syntaxes its lines. */
export interface OmmRecordPosition {
  index: number;
  /** 1-based line where the record starts (KVN: CCSDS_OMM_VERS; XML: the <omm> element). */
  firstLine?: number;
  /** 1-based line and column of each keyword's value (KVN). */
  fieldLines?: Record<string, { line: number; column: number }>;
}

const noradIdOf = (raw: unknown): number | undefined => {
  const v = (raw as { NORAD_CAT_ID?: unknown } | null | undefined)?.NORAD_CAT_ID;
  const n = typeof v === 'number' ? v : typeof v === 'string' && NUMBER_TEXT.test(v.trim()) ? Number(v) : NaN;
  return Number.isInteger(n) && n > 0 ? n : undefined;
};

/**
 * Validates one flat OMM keyword record (any syntax) and initialises SGP4 on it; the shared step
 * of the JSON, XML and KVN paths. Issues carry path [index, KEYWORD] and, where known, line/column.
 */
export function validateOmmRecord(
  raw: unknown,
  pos: OmmRecordPosition,
  schema: typeof OmmRecordSchema | typeof OmmMessageSchema = OmmRecordSchema,
): { ok: true; value: ElementSet } | { ok: false; rejected: RejectedRecord } {
  const { index } = pos;
  const noradId = noradIdOf(raw);
  const reject = (issues: RecordIssue[]) => ({
    ok: false as const,
    rejected: {
      index,
      ...(pos.firstLine !== undefined ? { firstLine: pos.firstLine } : {}),
      ...(noradId !== undefined ? { noradId } : {}),
      issues,
    },
  });
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    return reject(
      parsed.error.issues.map((i) => {
        const field = i.path.length ? String(i.path[0]) : undefined;
        const absent =
          field !== undefined && (raw as Record<string, unknown> | null | undefined)?.[field] === undefined;
        const missing =
          i.message === REQUIRED || (i.code === 'invalid_type' && (i.expected === 'nonoptional' || absent));
        const at = field !== undefined ? pos.fieldLines?.[field] : undefined;
        const line = at?.line ?? pos.firstLine;
        return {
          code: 'VALIDATION' as const,
          path: [index, ...i.path.map((p) => (typeof p === 'number' ? p : String(p)))],
          message: missing ? `${field ?? 'record'} is required` : i.message,
          ...(line !== undefined ? { line, column: at?.column ?? 1 } : {}),
        };
      }),
    );
  }
  const es = elementSetFromOmm(parsed.data);
  const sgp4 = createPropagator({ kind: 'omm', omm: ommOf(es) });
  if (!sgp4.ok)
    return reject([
      {
        code: 'SGP4_FAILURE',
        path: [index],
        ...(pos.firstLine !== undefined ? { line: pos.firstLine, column: 1 } : {}),
        message: `SGP4 cannot initialise these elements: ${sgp4.reason}`,
      },
    ]);
  return { ok: true, value: es };
}

/** Parses OMM JSON (an object or an array of them); keeps the good records, reports the bad by path. */
export function parseOmmJson(value: unknown): ParseReport {
  const records = Array.isArray(value) ? value : [value];
  const report: ParseReport = { accepted: [], rejected: [] };
  records.forEach((raw, index) => {
    const r = validateOmmRecord(raw, { index });
    if (r.ok) report.accepted.push(r.value);
    else report.rejected.push(r.rejected);
  });
  return report;
}
