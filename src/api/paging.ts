/**
 * Cursor paging for list routes: query `limit` and `cursor`, response `{ items, nextCursor }`
 * (null on the last page); `?paged=false` keeps the old array shape for one release; with
 * `Accept: application/x-ndjson` the route streams every item of every page, one JSON object per
 * line, page by page (bounded memory, back-pressure honoured). Cursors are opaque base64url JSON.
 */
import type { Request, Response } from 'express';
import { z } from 'zod';
import { QkdsatError } from '../core/errors.js';

export const MAX_PAGE_LIMIT = 1000;
const DEFAULT_PAGE_LIMIT = 100;

export const PageQueryShape = {
  limit: z.coerce
    .number()
    .int()
    .min(1)
    .max(MAX_PAGE_LIMIT)
    .default(DEFAULT_PAGE_LIMIT)
    .describe(`items per page (1-${MAX_PAGE_LIMIT})`),
  cursor: z.string().max(2000).optional().describe('nextCursor of the previous page'),
  paged: z
    .enum(['true', 'false'])
    .optional()
    .describe('false: the pre-paging response shape (deprecated, one release)'),
};

/** Comma list query parameter (`satellite=41731,25544`) parsed with `item`. */
export const commaList = <T extends z.ZodType>(item: T) =>
  z.string().transform((s, ctx) => {
    const out: z.infer<T>[] = [];
    for (const part of s
      .split(',')
      .map((p) => p.trim())
      .filter(Boolean)) {
      const r = item.safeParse(part);
      if (!r.success) {
        ctx.addIssue({ code: 'custom', message: `'${part}': ${r.error.issues[0]?.message ?? 'invalid'}` });
        return z.NEVER;
      }
      out.push(r.data);
    }
    return out;
  });

export const pageOf = <T extends z.ZodType>(item: T, id: string) =>
  z
    .object({
      items: z.array(item),
      nextCursor: z.string().nullable().describe('pass as `cursor` for the next page; null on the last'),
    })
    .meta({ id });

export function encodeCursor(state: object): string {
  return Buffer.from(JSON.stringify(state), 'utf8').toString('base64url');
}

/** Decodes a cursor made by encodeCursor for this route; anything else is a 400 naming query.cursor. */
export function decodeCursor<S extends z.ZodType>(cursor: string, schema: S): z.infer<S> {
  let raw: unknown;
  try {
    raw = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    raw = undefined;
  }
  const r = schema.safeParse(raw);
  if (!r.success)
    throw new QkdsatError('VALIDATION', 'query.cursor: not a cursor of this list (pass nextCursor as it came)', [
      { path: ['query', 'cursor'], message: 'invalid cursor' },
    ]);
  return r.data;
}

export const wantsNdjson = (req: Request): boolean => /application\/x-ndjson/i.test(req.get('accept') ?? '');

/**
 * Streams pages as NDJSON: `next(cursor)` gives one page; stops when nextCursor is null. An error
 * after the first line ends the stream with a last line `{"error": problem}`.
 */
export async function streamNdjson<T>(
  res: Response,
  first: string | undefined,
  next: (cursor: string | undefined) => Promise<{ items: T[]; nextCursor: string | null }>,
  line: (item: T) => string = (item) => JSON.stringify(item),
): Promise<void> {
  res.status(200).type('application/x-ndjson');
  let cursor = first;
  let closed = false;
  res.on('close', () => {
    closed = true;
  });
  try {
    for (;;) {
      const page = await next(cursor);
      let chunk = '';
      for (const item of page.items) chunk += line(item) + '\n';
      if (chunk && !res.write(chunk)) await new Promise((r) => res.once('drain', r));
      if (closed || page.nextCursor === null) break;
      cursor = page.nextCursor;
    }
  } catch (e) {
    if (!res.headersSent) throw e;
    const err =
      e instanceof QkdsatError ? { code: e.code, detail: e.message } : { code: 'INTERNAL', detail: 'internal error' };
    res.write(JSON.stringify({ error: err }) + '\n');
  }
  res.end();
}
