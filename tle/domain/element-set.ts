/** An element set (mean elements for SGP4), from TLE or OMM; one schema gives type and wire shape. */
import { z } from 'zod';

/** Highest catalog number a TLE can carry: alpha-5 "Z9999". */
export const MAX_TLE_NORAD_ID = 339_999;

export const ElementSetSchema = z.object({
  noradId: z.number().int().min(1).max(999_999_999),
  name: z.string().optional(),
  classification: z.string().length(1),
  /** International designator, e.g. "16051A" (TLE columns 10-17, trimmed). */
  intlDesignator: z.string(),
  epoch: z.string().describe('ISO-8601 UTC with milliseconds'),
  epochMs: z.number(),
  /** Epoch year and fractional day of year (1.0 = Jan 1 00:00 UTC), as written in the TLE. */
  epochYear: z.number().int(),
  epochDayOfYear: z.number(),
  meanMotionRevPerDay: z.number(),
  eccentricity: z.number(),
  inclinationDeg: z.number(),
  raanDeg: z.number(),
  argOfPerigeeDeg: z.number(),
  meanAnomalyDeg: z.number(),
  /** First and second derivatives of mean motion as in the TLE (ndot/2 rev/day^2, nddot/6 rev/day^3). */
  meanMotionDot: z.number(),
  meanMotionDdot: z.number(),
  bstar: z.number(),
  ephemerisType: z.number().int(),
  elementSetNo: z.number().int(),
  revAtEpoch: z.number().int(),
  source: z.enum(['tle', 'omm']),
  /** Original TLE field text where it differs from the canonical formatting (exact round trip). */
  tleStyle: z.record(z.string(), z.string()).optional(),
});
export type ElementSet = z.infer<typeof ElementSetSchema>;

/**
 * A rejected input record: where and why (line and column are 1-based; OMM uses path, OMM KVN also
 * line and column). OMM_FORMAT: the XML or KVN syntax itself is broken (not a field's value).
 */
export interface RecordIssue {
  code: 'TLE_FORMAT' | 'TLE_CHECKSUM' | 'SGP4_FAILURE' | 'VALIDATION' | 'OMM_FORMAT';
  message: string;
  line?: number;
  column?: number;
  path?: (string | number)[];
}

export interface RejectedRecord {
  index: number;
  firstLine?: number;
  noradId?: number;
  text?: string;
  issues: RecordIssue[];
}
export interface ParseReport {
  accepted: ElementSet[];
  rejected: RejectedRecord[];
}
