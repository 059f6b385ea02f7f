/**
 * CCSDS OMM in KVN (CCSDS 502.0-B-3 section 7, CelesTrak `FORMAT=kvn`): `KEYWORD = value` lines,
 * one message per satellite, each starting with `CCSDS_OMM_VERS`; `COMMENT` lines, blank lines and
 * units in square brackets (`15.5 [rev/day]`) are allowed. This file only maps the syntax onto the
 * flat keyword record; the fields are validated by the one OMM schema (omm.ts), as for JSON.
 */
import type { ParseReport, RecordIssue } from './element-set.js';
import { OmmMessageSchema, OmmRecordSchema, validateOmmRecord } from './omm.js';

/** Keywords that reach the schema; header keywords, GM, covariance, USER_DEFINED_* ... are ignored. */
const OMM_KEYWORDS = new Set(Object.keys(OmmRecordSchema.shape));
const KEY_VALUE = /^([A-Za-z][A-Za-z0-9_]*)\s*=\s*(.*)$/;
/** Block delimiters some writers add although the OMM has none (OEM style); skipped. */
const DELIMITER = /^(META|DATA)_(START|STOP)$/;

interface KvnRecord {
  firstLine: number;
  fields: Record<string, string>;
  fieldLines: Record<string, { line: number; column: number }>;
  issues: RecordIssue[];
}

/** Parses KVN text holding one or more OMMs; keeps the good records, reports the bad by index and line. */
export function parseOmmKvn(text: string): ParseReport {
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  const records: KvnRecord[] = [];
  let current: KvnRecord | undefined;
  const start = (line: number) => {
    current = { firstLine: line, fields: {}, fieldLines: {}, issues: [] };
    records.push(current);
    return current;
  };

  lines.forEach((raw, i) => {
    const lineNo = i + 1;
    const t = raw.trim();
    if (t === '' || /^COMMENT(\s|$)/.test(t) || DELIMITER.test(t)) return;
    const lead = raw.length - raw.trimStart().length;
    const m = KEY_VALUE.exec(t);
    if (!m) {
      (current ?? start(lineNo)).issues.push({
        code: 'OMM_FORMAT',
        line: lineNo,
        column: lead + 1,
        message: `expected 'KEYWORD = value', got '${t.slice(0, 40)}'`,
      });
      return;
    }
    const key = m[1]!.toUpperCase();
    if (key === 'CCSDS_OMM_VERS') start(lineNo);
    const rec = current ?? start(lineNo);
    if (rec.issues.length === 0 && key !== 'CCSDS_OMM_VERS' && rec.firstLine === lineNo) {
      rec.issues.push({
        code: 'OMM_FORMAT',
        line: lineNo,
        column: lead + 1,
        message: `an OMM must start with 'CCSDS_OMM_VERS = x.y', got keyword ${key}`,
      });
    }
    const column = lead + t.length - m[2]!.length + 1;
    if (key === 'CCSDS_OMM_VERS') {
      if (!/^\d+\.\d+$/.test(m[2]!.trim()))
        rec.issues.push({
          code: 'OMM_FORMAT',
          line: lineNo,
          column,
          message: `CCSDS_OMM_VERS '${m[2]!.slice(0, 20)}' is not a version x.y`,
        });
      return;
    }
    if (!OMM_KEYWORDS.has(key)) return;
    const seen = rec.fieldLines[key];
    if (seen) {
      rec.issues.push({
        code: 'OMM_FORMAT',
        line: lineNo,
        column: lead + 1,
        path: [records.length - 1, key],
        message: `${key} is given twice in one OMM (first on line ${seen.line})`,
      });
      return;
    }
    rec.fieldLines[key] = { line: lineNo, column };
    // Units in brackets are informative (CCSDS 502.0-B-3 7.7.1); a blank value is an absent one
    // (CelesTrak leaves OBJECT_NAME / OBJECT_ID blank for analyst objects).
    const value = m[2]!.replace(/\s*\[[^\]]*\]\s*$/, '').trim();
    if (value !== '') rec.fields[key] = value;
  });

  const report: ParseReport = { accepted: [], rejected: [] };
  records.forEach((rec, index) => {
    const r = validateOmmRecord(
      rec.fields,
      { index, firstLine: rec.firstLine, fieldLines: rec.fieldLines },
      OmmMessageSchema,
    );
    if (r.ok && rec.issues.length === 0) {
      report.accepted.push(r.value);
      return;
    }
    const issues = [
      ...rec.issues.map((i) => ({ ...i, path: [index, ...(i.path?.slice(1) ?? [])] })),
      ...(r.ok ? [] : r.rejected.issues),
    ];
    const noradId = r.ok ? r.value.noradId : r.rejected.noradId;
    report.rejected.push({ index, firstLine: rec.firstLine, ...(noradId !== undefined ? { noradId } : {}), issues });
  });
  return report;
}
