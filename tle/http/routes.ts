/** REST routes of the catalog component: satellites (TLE/OMM upload), stations, passes. */
import { createHash } from 'node:crypto';
import type { Request, Response } from 'express';
import { z } from 'zod';
import {
  decodeCursor,
  encodeCursor,
  MAX_PAGE_LIMIT,
  pageOf,
  PageQueryShape,
  streamNdjson,
  wantsNdjson,
} from '../../src/api/paging.js';
import { QkdsatError } from '../../src/core/errors.js';
import { toIso } from '../../src/core/time/index.js';
import {
  assessElementSet,
  formatTle,
  parseCatalog,
  passPage,
  StationBodySchema,
  StationIdSchema,
  StationSchema,
  type CatalogPort,
  type ElementSet,
} from '../domain/index.js';
import { groundTrack } from '../domain/ground-track.js';
import {
  NoradIdParamSchema,
  SatelliteDetailSchema,
  SatelliteListQuerySchema,
  SatellitePageSchema,
  SatelliteSummarySchema,
  UploadBodySchema,
  UploadReportSchema,
} from './satellites.schemas.js';
import { registerPassRoutes } from './passes.routes.js';
import type { ReferencePort, TleRouteDeps } from './deps.js';

export {
  combineReferences,
  type ComputePasses,
  type PassesInput,
  type ReferencePort,
  type TleRouteDeps,
} from './deps.js';

const SatCursorSchema = z.object({ after: z.number().int() });
const StationCursorSchema = z.object({ after: z.string() });
const CascadeQuery = z.object({
  cascade: z
    .enum(['cancel'])
    .optional()
    .describe('cancel: cancel the active bookings that name it (audited), then delete'),
});

const noReferences: ReferencePort = { active: async () => [], cancel: async () => [] };

/** Weak ETag of a catalog read: the catalog version and the request's URL. */
const etagOf = (version: string, url: string) =>
  `W/"c${version}-${createHash('sha256').update(url).digest('base64url').slice(0, 12)}"`;

async function notModified(catalog: CatalogPort, req: Request, res: Response): Promise<boolean> {
  const tag = etagOf(await catalog.version(), req.originalUrl);
  res.set('ETag', tag);
  res.set('Cache-Control', 'no-cache');
  const inm = req.get('if-none-match');
  if (
    inm &&
    inm
      .split(',')
      .map((t) => t.trim())
      .includes(tag)
  ) {
    res.status(304).end();
    return true;
  }
  return false;
}

function summaryOf(es: ElementSet, nowMs: number, staleDays?: number): z.infer<typeof SatelliteSummarySchema> {
  const tle = formatTle(es);
  return {
    noradId: es.noradId,
    ...(es.name ? { name: es.name } : {}),
    epoch: es.epoch,
    source: es.source,
    ...(tle ?? {}),
    ...assessElementSet(es, nowMs, staleDays),
  };
}

export function registerTleRoutes(deps: TleRouteDeps): void {
  const { api, catalog, stations } = deps;
  const now = deps.now ?? Date.now;
  const tags = ['catalog'];
  const refs = deps.references ?? noReferences;

  /** 409 naming what still refers to it, or (cascade=cancel) cancels those, logged as an audit record. */
  async function releaseReferences(
    kind: 'station' | 'satellite',
    id: string,
    cascade: 'cancel' | undefined,
    path: string[],
  ) {
    const active = await refs.active(kind, id);
    if (active.length === 0) return;
    if (cascade !== 'cancel') {
      throw new QkdsatError(
        'CONFLICT',
        `${path.join('.')}: ${active.length} active booking(s) name ${kind} ${id} (${active.slice(0, 5).join(', ')}${active.length > 5 ? ', ...' : ''}); cancel them first or pass ?cascade=cancel`,
        [{ path, message: `named by ${active.length} active booking(s)` }],
      );
    }
    const cancelled = await refs.cancel(kind, id, `${kind} ${id} deleted (cascade=cancel)`);
    deps.logger.info(
      { audit: 'cascade-cancel', kind, id, cancelled },
      `deleting ${kind} ${id} cancelled ${cancelled.length} booking(s)`,
    );
  }

  api.route({
    method: 'post',
    path: '/v1/satellites',
    tags,
    summary:
      'Upload element sets (TLE, OMM JSON, OMM XML or OMM KVN, detected from the body); per-record report, 207 when some were rejected',
    body: UploadBodySchema,
    consumes: ['application/json', 'text/plain', 'application/xml', 'text/xml'],
    response: UploadReportSchema,
    errors: [207],
    handler: async ({ body }, _req, res) => {
      const report = deps.parseUpload ? await deps.parseUpload(body) : parseCatalog(body);
      const accepted: z.infer<typeof UploadReportSchema>['accepted'] = [];
      // Stored in batches (one round trip of scripts each) with a turn of the event loop in between.
      for (let i = 0; i < report.accepted.length; i += 500) {
        const batch = report.accepted.slice(i, i + 500);
        const puts = await Promise.all(batch.map((es) => catalog.put(es)));
        const t = now();
        batch.forEach((es, j) =>
          accepted.push({ index: accepted.length, ...summaryOf(es, t, deps.staleDays), current: puts[j]!.current }),
        );
        await new Promise((r) => setImmediate(r));
      }
      const rejected = report.rejected.map((r) => ({
        index: r.index,
        ...(r.noradId !== undefined ? { noradId: r.noradId } : {}),
        ...(r.firstLine !== undefined ? { line: r.firstLine } : {}),
        issues: r.issues.map((i) => ({
          code: i.code,
          message: i.message,
          ...(i.line ? { line: i.line } : {}),
          ...(i.column ? { column: i.column } : {}),
          ...(i.path ? { path: ['body', ...i.path].join('.') } : {}),
        })),
      }));
      if (accepted.length === 0) {
        const issues = rejected.flatMap((r) =>
          r.issues.map((i) => ({
            path: i.path ? i.path.split('.') : ['body'],
            message: i.message,
            ...(i.line ? { line: i.line } : {}),
            ...(i.column ? { column: i.column } : {}),
          })),
        );
        if (issues.length === 0)
          throw new QkdsatError('VALIDATION', 'body: no element sets found', [
            { path: ['body'], message: 'no element sets found' },
          ]);
        const first = rejected[0]!.issues[0]!;
        const code =
          first.code === 'TLE_CHECKSUM' ? 'TLE_CHECKSUM' : first.code === 'TLE_FORMAT' ? 'TLE_FORMAT' : 'VALIDATION';
        throw new QkdsatError(
          code,
          `body${first.line ? ` line ${first.line}${first.column ? ` column ${first.column}` : ''}` : ''}: ${first.message}`,
          issues.map((i) => ({ ...i, path: i.line ? ['body', `line ${i.line}`, `column ${i.column ?? 1}`] : i.path })),
        );
      }
      const fresh = accepted.filter((a) => a.current);
      if (fresh.length && deps.onNewElementSets) {
        // The batch key names the newest epochs, so re-uploading the same sets asks for no new plan.
        const batchKey = fresh
          .map((a) => `${a.noradId}-${Date.parse(a.epoch)}`)
          .sort()
          .join('_')
          .slice(0, 200);
        await deps
          .onNewElementSets(batchKey)
          .catch((e: Error) => deps.logger.warn({ err: e.message }, 'could not request a re-plan'));
      }
      res.status(rejected.length ? 207 : 200).json({ format: report.format, accepted, rejected });
      return undefined;
    },
  });

  api.route({
    method: 'get',
    path: '/v1/satellites',
    tags,
    summary:
      'Current element set of each satellite, with epoch age and flags; paged (NORAD order), ETag/304, NDJSON with Accept: application/x-ndjson',
    query: SatelliteListQuerySchema,
    response: z.union([SatellitePageSchema, z.object({ satellites: z.array(SatelliteSummarySchema) })]),
    errors: [304],
    handler: async ({ query }, req, res) => {
      if (!wantsNdjson(req) && (await notModified(catalog, req, res))) return undefined;
      let ids = query.satellite;
      if (query.terminalsOnly === 'true') {
        const terminals = deps.terminalIds?.();
        if (terminals) ids = ids ? ids.filter((id) => terminals.includes(id)) : [...terminals];
      }
      const t = now();
      const pageAt = async (cursor: string | undefined, limit: number) => {
        const after = cursor === undefined ? undefined : decodeCursor(cursor, SatCursorSchema).after;
        const sets = await catalog.page(after, limit + 1, ids);
        const more = sets.length > limit;
        const items = sets.slice(0, limit).map((es) => summaryOf(es, t, deps.staleDays));
        return { items, nextCursor: more ? encodeCursor({ after: items[items.length - 1]!.noradId }) : null };
      };
      if (query.paged === 'false')
        return {
          satellites: (ids ? await catalog.page(undefined, ids.length, ids) : await catalog.list()).map((es) =>
            summaryOf(es, t, deps.staleDays),
          ),
        };
      if (wantsNdjson(req)) {
        await streamNdjson(res, query.cursor, (c) => pageAt(c, MAX_PAGE_LIMIT));
        return undefined;
      }
      return pageAt(query.cursor, query.limit);
    },
  });

  api.route({
    method: 'delete',
    path: '/v1/satellites/:noradId',
    tags,
    summary:
      'Delete a satellite and its history (409 while active bookings name it, unless cascade=cancel cancels them)',
    params: NoradIdParamSchema,
    query: CascadeQuery,
    response: z.null(),
    status: 204,
    errors: [404, 409],
    handler: async ({ params, query }) => {
      if (!(await catalog.get(params.noradId)))
        throw new QkdsatError('NOT_FOUND', `noradId: no satellite ${params.noradId} in the catalog`, [
          { path: ['params', 'noradId'], message: 'not in the catalog' },
        ]);
      await releaseReferences('satellite', String(params.noradId), query.cascade, ['params', 'noradId']);
      await catalog.delete(params.noradId);
      return undefined;
    },
  });

  api.route({
    method: 'get',
    path: '/v1/satellites/:noradId',
    tags,
    summary: 'Current element set of one satellite and its history',
    params: NoradIdParamSchema,
    response: SatelliteDetailSchema,
    errors: [404],
    handler: async ({ params }, req, res) => {
      if (await notModified(catalog, req, res)) return undefined;
      const es = await catalog.get(params.noradId);
      if (!es)
        throw new QkdsatError('NOT_FOUND', `noradId: no satellite ${params.noradId} in the catalog`, [
          { path: ['params', 'noradId'], message: 'not in the catalog' },
        ]);
      const history = (await catalog.history(params.noradId)).map((h) => ({ epoch: h.epoch, source: h.source }));
      const { tleStyle: _style, ...elements } = es;
      return { ...summaryOf(es, now(), deps.staleDays), elements, history };
    },
  });

  api.route({
    method: 'get',
    path: '/v1/satellites/:noradId/track',
    tags,
    summary: 'Ground track (WGS84 latitude, longitude, height) from an instant',
    params: NoradIdParamSchema,
    query: z.object({
      from: z.string().datetime({ offset: true }),
      minutes: z.coerce.number().positive().max(1440).default(95),
      stepS: z.coerce.number().min(1).max(600).default(60),
    }),
    response: z.object({
      noradId: z.number().int(),
      points: z.array(
        z.object({ t: z.string(), latitudeDeg: z.number(), longitudeDeg: z.number(), altitudeKm: z.number() }),
      ),
      failure: z.string().optional(),
    }),
    errors: [404],
    handler: async ({ params, query }) => {
      const es = await catalog.get(params.noradId);
      if (!es)
        throw new QkdsatError('NOT_FOUND', `noradId: no satellite ${params.noradId} in the catalog`, [
          { path: ['params', 'noradId'], message: 'not in the catalog' },
        ]);
      const track = groundTrack(es, Date.parse(query.from), query.minutes, query.stepS);
      return {
        noradId: es.noradId,
        points: track.points.map(({ tMs, ...rest }) => ({ t: toIso(tMs), ...rest })),
        ...(track.failure ? { failure: track.failure } : {}),
      };
    },
  });

  const StationIdParams = z.object({ id: StationIdSchema });
  api.route({
    method: 'put',
    path: '/v1/stations/:id',
    tags,
    summary: 'Create or replace an optical ground station',
    params: StationIdParams,
    body: StationBodySchema,
    response: StationSchema,
    errors: [201],
    handler: async ({ params, body }, _req, res) => {
      const station = StationSchema.parse({ ...body, id: params.id });
      const { created } = await stations.put(station);
      res.status(created ? 201 : 200).json(station);
      return undefined;
    },
  });
  api.route({
    method: 'get',
    path: '/v1/stations/:id',
    tags,
    summary: 'One station',
    params: StationIdParams,
    response: StationSchema,
    errors: [404],
    handler: async ({ params }) => {
      const s = await stations.get(params.id);
      if (!s)
        throw new QkdsatError('NOT_FOUND', `id: no station '${params.id}'`, [
          { path: ['params', 'id'], message: 'unknown station' },
        ]);
      return s;
    },
  });
  api.route({
    method: 'delete',
    path: '/v1/stations/:id',
    tags,
    summary: 'Delete a station (409 while active bookings name it, unless cascade=cancel cancels them)',
    params: StationIdParams,
    query: CascadeQuery,
    response: z.null(),
    status: 204,
    errors: [404, 409],
    handler: async ({ params, query }) => {
      if (!(await stations.get(params.id)))
        throw new QkdsatError('NOT_FOUND', `id: no station '${params.id}'`, [
          { path: ['params', 'id'], message: 'unknown station' },
        ]);
      await releaseReferences('station', params.id, query.cascade, ['params', 'id']);
      await stations.delete(params.id);
      return undefined;
    },
  });
  api.route({
    method: 'get',
    path: '/v1/stations',
    tags,
    summary: 'Stations by id; paged',
    query: z.object({ ...PageQueryShape }),
    response: z.union([pageOf(StationSchema, 'StationPage'), z.object({ stations: z.array(StationSchema) })]),
    handler: async ({ query }) => {
      const all = await stations.list();
      if (query.paged === 'false') return { stations: all };
      const after = query.cursor === undefined ? undefined : decodeCursor(query.cursor, StationCursorSchema).after;
      const rest = after === undefined ? all : all.filter((s) => s.id > after);
      const items = rest.slice(0, query.limit);
      return {
        items,
        nextCursor: rest.length > items.length ? encodeCursor({ after: items[items.length - 1]!.id }) : null,
      };
    },
  });

  registerPassRoutes({ ...deps, computePassPage: deps.computePassPage ?? (async (q) => passPage(q)) });
}
