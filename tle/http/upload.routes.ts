/**
 * POST /v1/satellites: element sets in any supported format (TLE, OMM JSON, XML or KVN, detected
 * from the body), stored in batches, answered with a per-record report: 200, 207 when some records
 * were rejected, 400 (naming the first bad line and column) when none was valid.
 */
import type { z } from 'zod';
import { QkdsatError } from '../../src/core/errors.js';
import { parseCatalog, type CatalogParseReport, type ElementSet } from '../domain/index.js';
import type { TleRouteDeps } from './deps.js';
import { summaryOf } from './satellite-summary.js';
import { UploadBodySchema, UploadReportSchema } from './satellites.schemas.js';

type UploadReport = z.infer<typeof UploadReportSchema>;
type Rejected = UploadReport['rejected'][number];

/** Element sets stored per round trip; the event loop gets a turn between batches. */
const STORE_BATCH = 500;

async function storeAccepted(deps: TleRouteDeps, elementSets: ElementSet[]): Promise<UploadReport['accepted']> {
  const now = deps.now ?? Date.now;
  const accepted: UploadReport['accepted'] = [];
  for (let start = 0; start < elementSets.length; start += STORE_BATCH) {
    const batch = elementSets.slice(start, start + STORE_BATCH);
    const stored = await Promise.all(batch.map((elementSet) => deps.catalog.put(elementSet)));
    const nowMs = now();
    batch.forEach((elementSet, index) => {
      const summary = summaryOf(elementSet, nowMs, deps.staleDays);
      accepted.push({ index: accepted.length, ...summary, current: stored[index]!.current });
    });
    await new Promise((resolveTurn) => setImmediate(resolveTurn));
  }
  return accepted;
}

function rejectedOf(report: CatalogParseReport): Rejected[] {
  return report.rejected.map((record) => ({
    index: record.index,
    ...(record.noradId !== undefined ? { noradId: record.noradId } : {}),
    ...(record.firstLine !== undefined ? { line: record.firstLine } : {}),
    issues: record.issues.map((issue) => ({
      code: issue.code,
      message: issue.message,
      ...(issue.line ? { line: issue.line } : {}),
      ...(issue.column ? { column: issue.column } : {}),
      ...(issue.path ? { path: ['body', ...issue.path].join('.') } : {}),
    })),
  }));
}

/** The 400 of an upload with no valid record: named after its first issue, listing them all. */
function nothingValid(rejected: Rejected[]): QkdsatError {
  const issues = rejected.flatMap((record) => record.issues);
  const first = issues[0];
  if (!first)
    return new QkdsatError('VALIDATION', 'body: no element sets found', [
      { path: ['body'], message: 'no element sets found' },
    ]);
  const code = first.code === 'TLE_CHECKSUM' || first.code === 'TLE_FORMAT' ? first.code : 'VALIDATION';
  const column = first.column ? ` column ${first.column}` : '';
  const where = first.line ? ` line ${first.line}${column}` : '';
  return new QkdsatError(
    code,
    `body${where}: ${first.message}`,
    issues.map((issue) => ({
      path: issue.line
        ? ['body', `line ${issue.line}`, `column ${issue.column ?? 1}`]
        : issue.path
          ? issue.path.split('.')
          : ['body'],
      message: issue.message,
      ...(issue.line ? { line: issue.line } : {}),
      ...(issue.column ? { column: issue.column } : {}),
    })),
  );
}

/** Names the newest epochs of an upload, so re-uploading the same sets asks for no new plan. */
const batchKeyOf = (current: UploadReport['accepted']): string =>
  current
    .map((summary) => `${summary.noradId}-${Date.parse(summary.epoch)}`)
    .sort()
    .join('_')
    .slice(0, 200);

export function registerUploadRoute(deps: TleRouteDeps): void {
  deps.api.route({
    method: 'post',
    path: '/v1/satellites',
    tags: ['catalog'],
    summary:
      'Upload element sets (TLE, OMM JSON, OMM XML or OMM KVN, detected from the body); ' +
      'per-record report, 207 when some were rejected',
    body: UploadBodySchema,
    consumes: ['application/json', 'text/plain', 'application/xml', 'text/xml'],
    response: UploadReportSchema,
    errors: [207],
    handler: async ({ body }, _req, res) => {
      const report = deps.parseUpload ? await deps.parseUpload(body) : parseCatalog(body);
      const accepted = await storeAccepted(deps, report.accepted);
      const rejected = rejectedOf(report);
      if (accepted.length === 0) throw nothingValid(rejected);
      const current = accepted.filter((summary) => summary.current);
      if (current.length && deps.onNewElementSets)
        await deps
          .onNewElementSets(batchKeyOf(current))
          .catch((e: Error) => deps.logger.warn({ err: e.message }, 'could not request a re-plan'));
      res.status(rejected.length ? 207 : 200).json({ format: report.format, accepted, rejected });
      return undefined;
    },
  });
}
