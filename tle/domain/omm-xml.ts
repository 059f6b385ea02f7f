/**
 * CCSDS OMM in XML (CCSDS 505.0 NDM/XML, CelesTrak `FORMAT=xml`): `<ndm>` holding `<omm>` elements
 * (or one bare `<omm>`), each `<header/><body><segment><metadata/><data><meanElements/>
 * <tleParameters/></data></segment></body>`. fast-xml-parser reads the XML; this file only maps
 * the element tree onto the flat keyword record that the one OMM schema (omm.ts) validates.
 */
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import type { ParseReport, RecordIssue } from './element-set.js';
import { OmmMessageSchema, validateOmmRecord } from './omm.js';

type Node = Record<string, unknown>;
const isNode = (v: unknown): v is Node => typeof v === 'object' && v !== null && !Array.isArray(v);

const META = XMLParser.getMetaDataSymbol() as unknown as string;
const parser = new XMLParser({
  ignoreAttributes: true,
  parseTagValue: false, // keep the text: the schema reads numbers ('.1845686', '-.22483E-4')
  trimValues: true,
  removeNSPrefix: true,
  ignoreDeclaration: true,
  ignorePiTags: true,
  captureMetaData: true,
  isArray: (name) => name === 'omm',
});

const lineAt = (text: string, offset: number): number => {
  let line = 1;
  for (let i = 0; i < offset && i < text.length; i += 1) if (text.charCodeAt(i) === 10) line += 1;
  return line;
};

const documentError = (message: string, line?: number, column?: number): ParseReport => ({
  accepted: [],
  rejected: [
    {
      index: 0,
      ...(line !== undefined ? { firstLine: line } : {}),
      issues: [{ code: 'OMM_FORMAT', message, ...(line !== undefined ? { line, column: column ?? 1 } : {}) }],
    },
  ],
});

/** Child element `name` of `node`, or an issue when it is missing or repeated. */
function child(
  node: unknown,
  name: string,
  where: string,
  issues: RecordIssue[],
  index: number,
  optional = false,
): Node | undefined {
  const v = isNode(node) ? node[name] : undefined;
  if (Array.isArray(v)) {
    issues.push({
      code: 'OMM_FORMAT',
      path: [index],
      message: `${where} holds ${v.length} <${name}> elements, expected one`,
    });
    return undefined;
  }
  if (isNode(v)) return v;
  if (!optional) issues.push({ code: 'OMM_FORMAT', path: [index], message: `${where} has no <${name}> element` });
  return undefined;
}

/** Parses OMM XML (one or more <omm>); keeps the good records, reports the bad by index (and the line of its <omm>). */
export function parseOmmXml(text: string): ParseReport {
  const xml = text.replace(/^\uFEFF/, '');
  const doctype = /<!DOCTYPE/i.exec(xml);
  // No OMM needs a DTD; refusing it also rules out entity-expansion tricks.
  if (doctype) return documentError('a DOCTYPE declaration is not accepted in OMM XML', lineAt(xml, doctype.index));
  const valid = XMLValidator.validate(xml);
  if (valid !== true) return documentError(`XML is not well-formed: ${valid.err.msg}`, valid.err.line, valid.err.col);
  let doc: unknown;
  try {
    doc = parser.parse(xml);
  } catch (e) {
    return documentError(`XML does not parse: ${(e as Error).message}`);
  }
  const root = isNode(doc) ? doc : {};
  const omms = (isNode(root.ndm) ? root.ndm.omm : undefined) ?? root.omm;
  if (!Array.isArray(omms) || omms.length === 0) {
    const top = Object.keys(root).filter((k) => !k.startsWith('?'))[0];
    return documentError(
      `no <omm> element: expected <ndm><omm>...</omm></ndm> or <omm>...</omm>${top ? `, got <${top}>` : ''}`,
    );
  }

  const report: ParseReport = { accepted: [], rejected: [] };
  omms.forEach((omm: unknown, index) => {
    const start = isNode(omm) ? (omm[META] as { startIndex?: number } | undefined)?.startIndex : undefined;
    const firstLine = start !== undefined ? lineAt(xml, start) : undefined;
    const issues: RecordIssue[] = [];
    const segment = child(child(omm, 'body', '<omm>', issues, index), 'segment', '<body>', issues, index);
    const metadata = child(segment, 'metadata', '<segment>', issues, index);
    const data = child(segment, 'data', '<segment>', issues, index);
    const mean = child(data, 'meanElements', '<data>', issues, index);
    const tle = child(data, 'tleParameters', '<data>', issues, index, true);
    const fields: Record<string, unknown> = {};
    for (const section of [metadata, mean, tle]) {
      for (const [key, value] of Object.entries(section ?? {})) {
        if (key === 'COMMENT') continue;
        if (Array.isArray(value)) {
          issues.push({
            code: 'OMM_FORMAT',
            path: [index, key],
            message: `<${key}> appears ${value.length} times in one OMM`,
          });
          continue;
        }
        // An empty element is an absent value (CelesTrak: <OBJECT_ID/> for analyst objects).
        if (value !== '') fields[key] = value;
      }
    }
    const withLine = (i: RecordIssue): RecordIssue =>
      firstLine !== undefined && i.line === undefined ? { ...i, line: firstLine, column: 1 } : i;
    if (issues.length) {
      report.rejected.push({ index, ...(firstLine !== undefined ? { firstLine } : {}), issues: issues.map(withLine) });
      return;
    }
    const r = validateOmmRecord(fields, { index, ...(firstLine !== undefined ? { firstLine } : {}) }, OmmMessageSchema);
    if (r.ok) report.accepted.push(r.value);
    else report.rejected.push(r.rejected);
  });
  return report;
}
