/**
 * REST reads and deletes of the satellite catalog: the list (paged, NORAD order, ETag/304, NDJSON),
 * one satellite with its history, its ground track, and delete (referential integrity).
 */
import type { Request, Response } from 'express';
import { z } from 'zod';
import { decodeCursor, encodeCursor, MAX_PAGE_LIMIT, streamNdjson, wantsNdjson } from '../../src/api/paging.js';
import { toIso } from '../../src/core/time/index.js';
import { groundTrack } from '../domain/ground-track.js';
import type { TleRouteDeps } from './deps.js';
import { cascadeDeleteRoute, satelliteNotFound } from './references.js';
import { notModified, summaryOf } from './satellite-summary.js';
import {
  NoradIdParamSchema,
  SatelliteDetailSchema,
  SatelliteListQuerySchema,
  SatellitePageSchema,
  SatelliteSummarySchema,
} from './satellites.schemas.js';

const SatCursorSchema = z.object({ after: z.number().int() });
type ListQuery = z.infer<typeof SatelliteListQuerySchema>;

const TrackQuerySchema = z.object({
  from: z.string().datetime({ offset: true }),
  minutes: z.coerce.number().positive().max(1440).default(95),
  stepS: z.coerce.number().min(1).max(600).default(60),
});
const TrackSchema = z.object({
  noradId: z.number().int(),
  points: z.array(
    z.object({ t: z.string(), latitudeDeg: z.number(), longitudeDeg: z.number(), altitudeKm: z.number() }),
  ),
  failure: z.string().optional(),
});

const DELETE_SATELLITE = {
  path: '/v1/satellites/:noradId',
  summary: 'Delete a satellite and its history (409 while active bookings name it, unless cascade=cancel cancels them)',
  params: NoradIdParamSchema,
  kind: 'satellite',
} as const;

/** GET /v1/satellites: the satellites asked for (and with a terminal, if asked), paged or whole. */
async function listSatellites(deps: TleRouteDeps, query: ListQuery, req: Request, res: Response) {
  const { catalog } = deps;
  if (!wantsNdjson(req) && (await notModified(catalog, req, res))) return undefined;
  let ids = query.satellite;
  if (query.terminalsOnly === 'true') {
    const terminals = deps.terminalIds?.();
    if (terminals) ids = ids ? ids.filter((id) => terminals.includes(id)) : [...terminals];
  }
  const nowMs = (deps.now ?? Date.now)();
  const summarise = (elementSet: Parameters<typeof summaryOf>[0]) => summaryOf(elementSet, nowMs, deps.staleDays);
  const pageAt = async (cursor: string | undefined, limit: number) => {
    const after = cursor === undefined ? undefined : decodeCursor(cursor, SatCursorSchema).after;
    const sets = await catalog.page(after, limit + 1, ids);
    const items = sets.slice(0, limit).map(summarise);
    const nextCursor = sets.length > limit ? encodeCursor({ after: items[items.length - 1]!.noradId }) : null;
    return { items, nextCursor };
  };
  if (query.paged === 'false') {
    const sets = ids ? await catalog.page(undefined, ids.length, ids) : await catalog.list();
    return { satellites: sets.map(summarise) };
  }
  if (!wantsNdjson(req)) return pageAt(query.cursor, query.limit);
  await streamNdjson(res, query.cursor, (cursor) => pageAt(cursor, MAX_PAGE_LIMIT));
  return undefined;
}

export function registerSatelliteRoutes(deps: TleRouteDeps): void {
  const { api, catalog } = deps;
  const now = deps.now ?? Date.now;
  const tags = ['catalog'];
  api.route({
    method: 'get',
    path: '/v1/satellites',
    tags,
    summary:
      'Current element set of each satellite, with epoch age and flags; paged (NORAD order), ETag/304, ' +
      'NDJSON with Accept: application/x-ndjson',
    query: SatelliteListQuerySchema,
    response: z.union([SatellitePageSchema, z.object({ satellites: z.array(SatelliteSummarySchema) })]),
    errors: [304],
    handler: ({ query }, req, res) => listSatellites(deps, query, req, res),
  });
  api.route(cascadeDeleteRoute(deps, DELETE_SATELLITE, catalog, satelliteNotFound));
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
      const elementSet = await catalog.get(params.noradId);
      if (!elementSet) throw satelliteNotFound(params.noradId);
      const history = (await catalog.history(params.noradId)).map(({ epoch, source }) => ({ epoch, source }));
      const { tleStyle: _style, ...elements } = elementSet;
      return { ...summaryOf(elementSet, now(), deps.staleDays), elements, history };
    },
  });
  api.route({
    method: 'get',
    path: '/v1/satellites/:noradId/track',
    tags,
    summary: 'Ground track (WGS84 latitude, longitude, height) from an instant',
    params: NoradIdParamSchema,
    query: TrackQuerySchema,
    response: TrackSchema,
    errors: [404],
    handler: async ({ params, query }) => {
      const elementSet = await catalog.get(params.noradId);
      if (!elementSet) throw satelliteNotFound(params.noradId);
      const track = groundTrack(elementSet, Date.parse(query.from), query.minutes, query.stepS);
      return {
        noradId: elementSet.noradId,
        points: track.points.map(({ tMs, ...rest }) => ({ t: toIso(tMs), ...rest })),
        ...(track.failure ? { failure: track.failure } : {}),
      };
    },
  });
}
