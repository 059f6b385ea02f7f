/**
 * GET /v1/passes at catalog scale. Pages walk the selected satellites in NORAD order; each page
 * finds the passes of a run of satellites over the selected stations (in the compute thread pool:
 * one propagated track per satellite, shared by all stations) until it holds `limit` passes or has
 * done its work budget (satellite x station x hour units), so any query pages through in bounded
 * memory and time. Items are ordered by NORAD id, then AOS, then station. A cursor is bound to its
 * query. `?paged=false` answers the whole query in one response when it fits one page's budget
 * (else 422); `Accept: application/x-ndjson` streams every page.
 */
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { decodeCursor, encodeCursor, streamNdjson, wantsNdjson } from '../../src/api/paging.js';
import { QkdsatError, type Issue } from '../../src/core/errors.js';
import type { SatelliteFailure } from '../../src/core/passes/index.js';
import { toIso } from '../../src/core/time/index.js';
import type { Station } from '../domain/index.js';
import type { ComputePassPage, TleRouteDeps } from './deps.js';
import { MAX_WINDOW_DAYS, PassListSchema, PassPageSchema, PassQuerySchema } from './satellites.schemas.js';

/** Default work budget of one page: satellite x station x hour units (~1 s of one core). */
const DEFAULT_PASS_PAGE_WORK = 20_000;

const CursorSchema = z.object({ q: z.string(), n: z.number().int(), k: z.number().int().min(0) });
type Query = z.infer<typeof PassQuerySchema>;

const queryKey = (q: Query) =>
  createHash('sha256')
    .update(
      JSON.stringify([
        q.from,
        q.to,
        q.station ?? null,
        q.satellite ?? null,
        q.terminalsOnly ?? null,
        q.minElevationDeg ?? null,
        q.refraction ?? null,
      ]),
    )
    .digest('base64url')
    .slice(0, 16);

export function registerPassRoutes(deps: TleRouteDeps & { computePassPage: ComputePassPage }): void {
  const { api, catalog, stations } = deps;
  const budget = deps.passPageWork ?? DEFAULT_PASS_PAGE_WORK;
  const compute = deps.computePassPage;

  async function selection(q: Query) {
    const fromMs = Date.parse(q.from),
      toMs = Date.parse(q.to);
    if (!(toMs > fromMs))
      throw new QkdsatError('VALIDATION', 'query.to: must be after from', [
        { path: ['query', 'to'], message: 'must be after from' },
      ]);
    if (toMs - fromMs > MAX_WINDOW_DAYS * 86_400_000)
      throw new QkdsatError('WINDOW_TOO_LONG', `query.to: window longer than ${MAX_WINDOW_DAYS} days`, [
        { path: ['query', 'to'], message: `window longer than ${MAX_WINDOW_DAYS} days` },
      ]);
    let sts: Station[] = await stations.list();
    if (q.station) {
      const known = new Set(sts.map((s) => s.id));
      const unknown = q.station.filter((id) => !known.has(id));
      if (unknown.length)
        throw new QkdsatError('NOT_FOUND', `query.station: unknown station '${unknown[0]}'`, [
          { path: ['query', 'station'], message: `unknown station(s): ${unknown.join(', ')}` },
        ]);
      sts = sts.filter((s) => q.station!.includes(s.id));
    }
    let ids: number[] | undefined = q.satellite;
    if (q.terminalsOnly === 'true') {
      const terminals = deps.terminalIds?.();
      if (terminals) ids = ids ? ids.filter((id) => terminals.includes(id)) : [...terminals];
    }
    if (q.satellite && q.satellite.length === 1 && !(await catalog.get(q.satellite[0]!))) {
      throw new QkdsatError('NOT_FOUND', `query.satellite: no satellite ${q.satellite[0]} in the catalog`, [
        { path: ['query', 'satellite'], message: 'not in the catalog' },
      ]);
    }
    return { fromMs, toMs, sts, ids, hours: (toMs - fromMs) / 3_600_000 };
  }

  const workLimit = (what: string, units: number, fields: string[]): QkdsatError =>
    new QkdsatError(
      'WORK_LIMIT',
      `${fields.join(', ')}: ${what} needs ${Math.ceil(units)} satellite-station-hours; ` +
        `one page may do at most ${budget}: narrow the window or the stations`,
      fields.map((f): Issue => ({
        path: f.split('.'),
        message: `${what} needs ${Math.ceil(units)} satellite-station-hours; the limit per page is ${budget}`,
      })),
    );

  /**
   * One page: satellites in NORAD order from the cursor until `limit` passes or the work budget.
   * Items arrive as wire JSON from the compute thread.
   */
  async function page(q: Query, cursor: z.infer<typeof CursorSchema> | undefined, limit: number, whole: boolean) {
    const sel = await selection(q);
    const perSat = Math.max(1, sel.sts.length) * Math.max(sel.hours, 1 / 60);
    if (perSat > budget)
      throw workLimit('one satellite over these stations and window', perSat, [
        'query.from',
        'query.to',
        'query.station',
      ]);
    const key = queryKey(q);
    const items: string[] = [];
    const failures: SatelliteFailure[] = [];
    let after = cursor ? cursor.n - 1 : undefined;
    let work = 0;
    const chunk = Math.max(1, Math.min(500, Math.floor(budget / perSat)));
    for (;;) {
      const setsJson = await catalog.pageJson(after, chunk, sel.ids);
      if (setsJson.length === 0) return { items, failures, nextCursor: null };
      if (whole && work + setsJson.length * perSat > budget)
        throw workLimit('this query', (work / perSat + setsJson.length) * perSat, [
          'query.paged',
          'query.satellite',
          'query.station',
        ]);
      const r = await compute({
        setsJson,
        stations: sel.sts,
        fromMs: sel.fromMs,
        toMs: sel.toMs,
        ...(deps.staleDays !== undefined ? { staleDays: deps.staleDays } : {}),
        ...(q.minElevationDeg !== undefined ? { minElevationDeg: q.minElevationDeg } : {}),
        ...(q.refraction === 'true' ? { refraction: true } : {}),
      });
      work += setsJson.length * perSat;
      failures.push(...r.failures);
      for (const { noradId, items: own } of r.sats) {
        const from = noradId === cursor?.n ? cursor.k : 0;
        for (let i = from; i < own.length; i += 1) {
          if (!whole && items.length >= limit)
            return { items, failures, nextCursor: encodeCursor({ q: key, n: noradId, k: i }) };
          items.push(own[i]!);
        }
        after = noradId;
      }
      if (!whole && (items.length >= limit || work + chunk * perSat > budget))
        return { items, failures, nextCursor: encodeCursor({ q: key, n: after! + 1, k: 0 }) };
    }
  }

  const failuresJson = (fs: SatelliteFailure[]) =>
    JSON.stringify(fs.map((f) => ({ noradId: f.noradId, at: toIso(f.atMs), reason: f.reason })));

  api.route({
    method: 'get',
    path: '/v1/passes',
    tags: ['catalog'],
    summary:
      `Passes in [from, to] (at most ${MAX_WINDOW_DAYS} days), paged by satellite (NORAD order) ` +
      'with a work budget per page; filters station and satellite (comma lists), minElevationDeg, ' +
      'terminalsOnly; NDJSON with Accept: application/x-ndjson',
    query: PassQuerySchema,
    response: z.union([PassPageSchema, PassListSchema]),
    errors: [404, 422],
    handler: async ({ query }, req, res) => {
      const key = queryKey(query);
      const cursorOf = (c: string | undefined) => {
        if (c === undefined) return undefined;
        const d = decodeCursor(c, CursorSchema);
        if (d.q !== key)
          throw new QkdsatError(
            'VALIDATION',
            'query.cursor: the cursor belongs to another query (same filters and window needed)',
            [{ path: ['query', 'cursor'], message: 'cursor of another query' }],
          );
        return d;
      };
      if (wantsNdjson(req) && query.paged !== 'false') {
        await streamNdjson(
          res,
          query.cursor,
          (c) => page(query, cursorOf(c), query.limit, false),
          (json) => json,
        );
        return undefined;
      }
      // The items are wire JSON already: the response is assembled, not re-serialized.
      const r =
        query.paged === 'false'
          ? await page(query, undefined, Infinity, true)
          : await page(query, cursorOf(query.cursor), query.limit, false);
      const body =
        query.paged === 'false'
          ? `{"passes":[${r.items.join(',')}],"failures":${failuresJson(r.failures)}}`
          : `{"items":[${r.items.join(',')}],"nextCursor":${JSON.stringify(r.nextCursor)},` +
            `"failures":${failuresJson(r.failures)}}`;
      res.status(200).type('application/json').send(body);
      return undefined;
    },
  });
}
