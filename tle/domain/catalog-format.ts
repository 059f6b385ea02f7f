/**
 * One entry point for every catalog input (HTTP upload, CLI files): detects the format and parses
 * it. TLE (2- and 3-line), CCSDS OMM as JSON (CelesTrak `FORMAT=json`), XML (`FORMAT=xml`) and
 * KVN (`FORMAT=kvn`); every path keeps the good records and reports the bad ones.
 */
import type { ParseReport } from './element-set.js';
import { parseOmmJson } from './omm.js';
import { parseOmmKvn } from './omm-kvn.js';
import { parseOmmXml } from './omm-xml.js';
import { parseTleText } from './tle-text.js';

export const CATALOG_FORMATS = ['tle', 'omm-json', 'omm-xml', 'omm-kvn'] as const;
export type CatalogFormat = (typeof CATALOG_FORMATS)[number];
export interface CatalogParseReport extends ParseReport {
  format: CatalogFormat;
}

/**
 * The format of a catalog text, from its first non-blank characters: `{` or `[` is OMM JSON, `<`
 * is OMM XML, a first keyword line `CCSDS_OMM_VERS =` (after COMMENT lines) is OMM KVN, anything
 * else is TLE text (whose parser then reports what is wrong, line by line).
 */
export function detectCatalogFormat(text: string): CatalogFormat {
  const t = text.replace(/^\uFEFF/, '').trimStart();
  if (t.startsWith('{') || t.startsWith('[')) return 'omm-json';
  if (t.startsWith('<')) return 'omm-xml';
  const first = t
    .split(/\r?\n/)
    .map((l) => l.trim())
    .find((l) => l !== '' && !/^COMMENT(\s|$)/.test(l));
  if (first !== undefined && /^CCSDS_OMM_VERS\s*=/i.test(first)) return 'omm-kvn';
  return 'tle';
}

function jsonSyntaxError(text: string, e: Error): ParseReport {
  const at = /position (\d+)/.exec(e.message);
  const offset = at ? Number(at[1]) : undefined;
  const before = offset !== undefined ? text.slice(0, offset).split(/\r?\n/) : undefined;
  const where = before ? { line: before.length, column: before[before.length - 1]!.length + 1 } : {};
  return {
    accepted: [],
    rejected: [
      {
        index: 0,
        ...(before ? { firstLine: before.length } : {}),
        issues: [{ code: 'OMM_FORMAT', message: `OMM JSON does not parse: ${e.message}`, ...where }],
      },
    ],
  };
}

/**
 * Parses a catalog upload or file: text in any of the four formats, or an already parsed JSON
 * value (an OMM object or an array of them, as express hands over an application/json body).
 */
export function parseCatalog(input: unknown): CatalogParseReport {
  if (typeof input !== 'string') return { format: 'omm-json', ...parseOmmJson(input) };
  const format = detectCatalogFormat(input);
  switch (format) {
    case 'omm-json': {
      const text = input.replace(/^\uFEFF/, '');
      let value: unknown;
      try {
        value = JSON.parse(text);
      } catch (e) {
        return { format, ...jsonSyntaxError(text, e as Error) };
      }
      return { format, ...parseOmmJson(value) };
    }
    case 'omm-xml':
      return { format, ...parseOmmXml(input) };
    case 'omm-kvn':
      return { format, ...parseOmmKvn(input) };
    default:
      return { format, ...parseTleText(input) };
  }
}
