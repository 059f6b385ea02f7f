/**
 * CCSDS OMM in CelesTrak JSON form (CCSDS 502.0-B-3 keywords): one object or an array. OMM is
 * the only format for catalog numbers above 339999 (alpha-5 ran out), so it is first-class here.
 */
import { z } from 'zod';
import { createPropagator, type OmmJson } from '../../src/core/orbit/index.js';
import type { ElementSet, ParseReport } from './element-set.js';

const MS_PER_DAY = 86_400_000;
const numberish = z.union([z.number(), z.string().trim().regex(/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/).transform(Number)]).pipe(z.number().finite());

export const OmmRecordSchema = z.object({
  OBJECT_NAME: z.string().max(80).optional(),
  OBJECT_ID: z.string().max(20).optional(),
  EPOCH: z.string().regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?Z?$/, 'expected YYYY-MM-DDThh:mm:ss[.ffffff] (UTC)'),
  MEAN_MOTION: numberish.pipe(z.number().gt(0).lt(20)),
  ECCENTRICITY: numberish.pipe(z.number().min(0).lt(1)),
  INCLINATION: numberish.pipe(z.number().min(0).max(180)),
  RA_OF_ASC_NODE: numberish.pipe(z.number().min(0).max(360)),
  ARG_OF_PERICENTER: numberish.pipe(z.number().min(0).max(360)),
  MEAN_ANOMALY: numberish.pipe(z.number().min(0).max(360)),
  EPHEMERIS_TYPE: numberish.pipe(z.number().int().min(0).max(9)).default(0),
  CLASSIFICATION_TYPE: z.enum(['U', 'C', 'S']).default('U'),
  NORAD_CAT_ID: numberish.pipe(z.number().int().min(1).max(999_999_999)),
  ELEMENT_SET_NO: numberish.pipe(z.number().int().min(0)).default(999),
  REV_AT_EPOCH: numberish.pipe(z.number().int().min(0)).default(0),
  BSTAR: numberish,
  MEAN_MOTION_DOT: numberish,
  MEAN_MOTION_DDOT: numberish,
}).meta({ id: 'Omm' });
export type OmmRecord = z.infer<typeof OmmRecordSchema>;

/** Epoch text (UTC, microseconds kept) -> epoch ms. */
function epochMsOf(text: string): number {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d+)?/.exec(text)!;
  return Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!) + Number(m[7] ?? 0) * 1000;
}

export function elementSetFromOmm(o: OmmRecord): ElementSet {
  const epochMs = epochMsOf(o.EPOCH);
  const year = new Date(epochMs).getUTCFullYear();
  const intl = (o.OBJECT_ID ?? '').replace(/^\d{2}(\d{2})-(\d{3})([A-Z]*)$/, '$1$2$3');
  return {
    noradId: o.NORAD_CAT_ID,
    ...(o.OBJECT_NAME ? { name: o.OBJECT_NAME } : {}),
    classification: o.CLASSIFICATION_TYPE,
    intlDesignator: intl,
    epoch: new Date(Math.round(epochMs)).toISOString(),
    epochMs,
    epochYear: year,
    epochDayOfYear: (epochMs - Date.UTC(year, 0, 1)) / MS_PER_DAY + 1,
    meanMotionRevPerDay: o.MEAN_MOTION,
    eccentricity: o.ECCENTRICITY,
    inclinationDeg: o.INCLINATION,
    raanDeg: o.RA_OF_ASC_NODE,
    argOfPerigeeDeg: o.ARG_OF_PERICENTER,
    meanAnomalyDeg: o.MEAN_ANOMALY,
    meanMotionDot: o.MEAN_MOTION_DOT,
    meanMotionDdot: o.MEAN_MOTION_DDOT,
    bstar: o.BSTAR,
    ephemerisType: o.EPHEMERIS_TYPE,
    elementSetNo: o.ELEMENT_SET_NO,
    revAtEpoch: o.REV_AT_EPOCH,
    source: 'omm',
  };
}

/** The OMM JSON form of an element set (what satellite.js json2satrec reads). */
export function ommOf(es: ElementSet): OmmJson {
  return {
    ...(es.name ? { OBJECT_NAME: es.name } : {}),
    EPOCH: new Date(Math.floor(es.epochMs)).toISOString().slice(0, 19) + (es.epochMs / 1000 % 1).toFixed(6).slice(1),
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

/** Parses OMM JSON (an object or an array of them); keeps the good records, reports the bad by path. */
export function parseOmmJson(value: unknown): ParseReport {
  const records = Array.isArray(value) ? value : [value];
  const report: ParseReport = { accepted: [], rejected: [] };
  records.forEach((raw, index) => {
    const parsed = OmmRecordSchema.safeParse(raw);
    const noradId = typeof (raw as { NORAD_CAT_ID?: unknown })?.NORAD_CAT_ID === 'number' ? (raw as { NORAD_CAT_ID: number }).NORAD_CAT_ID : undefined;
    if (!parsed.success) {
      report.rejected.push({ index, ...(noradId !== undefined ? { noradId } : {}), issues: parsed.error.issues.map((i) => ({ code: 'VALIDATION', path: [index, ...i.path.map((p) => (typeof p === 'number' ? p : String(p)))], message: i.message })) });
      return;
    }
    const es = elementSetFromOmm(parsed.data);
    const sgp4 = createPropagator({ kind: 'omm', omm: ommOf(es) });
    if (!sgp4.ok) { report.rejected.push({ index, noradId: es.noradId, issues: [{ code: 'SGP4_FAILURE', path: [index], message: `SGP4 cannot initialise these elements: ${sgp4.reason}` }] }); return; }
    report.accepted.push(es);
  });
  return report;
}
