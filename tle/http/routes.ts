/** REST routes of the catalog component: satellites (TLE/OMM upload), stations, passes. */
import { z } from 'zod';
import type { Api } from '../../src/api/route.js';
import { QkdsatError } from '../../src/core/errors.js';
import { toIso } from '../../src/core/time/index.js';
import type { Logger } from '../../src/platform/logger.js';
import {
  assessElementSet, formatTle, parseCatalog, passesOf, passToDetailWire, StationBodySchema, StationIdSchema, StationSchema,
  type CatalogPort, type ElementSet, type StationStorePort,
} from '../domain/index.js';
import { groundTrack } from '../domain/ground-track.js';
import { MAX_WINDOW_DAYS, NoradIdParamSchema, PassListSchema, PassQuerySchema, SatelliteDetailSchema, SatelliteSummarySchema, UploadBodySchema, UploadReportSchema } from './satellites.schemas.js';

export interface TleRouteDeps {
  api: Api;
  catalog: CatalogPort;
  stations: StationStorePort;
  logger: Logger;
  /** Wall or simulated clock for epoch ages (defaults to Date.now). */
  now?: () => number;
  staleAfterDays?: number;
  /** Called after an upload made some element set current (the scheduler re-plans). */
  onNewElementSets?: (batchKey: string) => Promise<unknown>;
}

function summaryOf(es: ElementSet, nowMs: number, staleAfterDays?: number): z.infer<typeof SatelliteSummarySchema> {
  const tle = formatTle(es);
  return { noradId: es.noradId, ...(es.name ? { name: es.name } : {}), epoch: es.epoch, source: es.source, ...(tle ?? {}), ...assessElementSet(es, nowMs, staleAfterDays) };
}

export function registerTleRoutes(deps: TleRouteDeps): void {
  const { api, catalog, stations } = deps;
  const now = deps.now ?? Date.now;
  const tags = ['catalog'];

  api.route({
    method: 'post', path: '/v1/satellites', tags, summary: 'Upload element sets (TLE, OMM JSON, OMM XML or OMM KVN, detected from the body); per-record report, 207 when some were rejected',
    body: UploadBodySchema, consumes: ['application/json', 'text/plain', 'application/xml', 'text/xml'], response: UploadReportSchema, errors: [207],
    handler: async ({ body }, _req, res) => {
      const report = parseCatalog(body);
      const accepted = [];
      for (const es of report.accepted) {
        const { current } = await catalog.put(es);
        accepted.push({ index: accepted.length, ...summaryOf(es, now(), deps.staleAfterDays), current });
      }
      const rejected = report.rejected.map((r) => ({
        index: r.index, ...(r.noradId !== undefined ? { noradId: r.noradId } : {}), ...(r.firstLine !== undefined ? { line: r.firstLine } : {}),
        issues: r.issues.map((i) => ({ code: i.code, message: i.message, ...(i.line ? { line: i.line } : {}), ...(i.column ? { column: i.column } : {}), ...(i.path ? { path: ['body', ...i.path].join('.') } : {}) })),
      }));
      if (accepted.length === 0) {
        const issues = rejected.flatMap((r) => r.issues.map((i) => ({ path: i.path ? i.path.split('.') : ['body'], message: i.message, ...(i.line ? { line: i.line } : {}), ...(i.column ? { column: i.column } : {}) })));
        if (issues.length === 0) throw new QkdsatError('VALIDATION', 'body: no element sets found', [{ path: ['body'], message: 'no element sets found' }]);
        const first = rejected[0]!.issues[0]!;
        const code = first.code === 'TLE_CHECKSUM' ? 'TLE_CHECKSUM' : first.code === 'TLE_FORMAT' ? 'TLE_FORMAT' : 'VALIDATION';
        throw new QkdsatError(code, `body${first.line ? ` line ${first.line}${first.column ? ` column ${first.column}` : ''}` : ''}: ${first.message}`, issues.map((i) => ({ ...i, path: i.line ? ['body', `line ${i.line}`, `column ${i.column ?? 1}`] : i.path })));
      }
      const fresh = accepted.filter((a) => a.current);
      if (fresh.length && deps.onNewElementSets) {
        // The batch key names the newest epochs, so re-uploading the same sets asks for no new plan.
        const batchKey = fresh.map((a) => `${a.noradId}-${Date.parse(a.epoch)}`).sort().join('_').slice(0, 200);
        await deps.onNewElementSets(batchKey).catch((e: Error) => deps.logger.warn({ err: e.message }, 'could not request a re-plan'));
      }
      res.status(rejected.length ? 207 : 200).json({ format: report.format, accepted, rejected });
      return undefined;
    },
  });

  api.route({
    method: 'get', path: '/v1/satellites', tags, summary: 'Current element set of every satellite, with epoch age and flags',
    response: z.object({ satellites: z.array(SatelliteSummarySchema) }),
    handler: async () => ({ satellites: (await catalog.list()).map((es) => summaryOf(es, now(), deps.staleAfterDays)) }),
  });

  api.route({
    method: 'get', path: '/v1/satellites/:noradId', tags, summary: 'Current element set of one satellite and its history',
    params: NoradIdParamSchema, response: SatelliteDetailSchema, errors: [404],
    handler: async ({ params }) => {
      const es = await catalog.get(params.noradId);
      if (!es) throw new QkdsatError('NOT_FOUND', `noradId: no satellite ${params.noradId} in the catalog`, [{ path: ['params', 'noradId'], message: 'not in the catalog' }]);
      const history = (await catalog.history(params.noradId)).map((h) => ({ epoch: h.epoch, source: h.source }));
      const { tleStyle: _style, ...elements } = es;
      return { ...summaryOf(es, now(), deps.staleAfterDays), elements, history };
    },
  });

  api.route({
    method: 'get', path: '/v1/satellites/:noradId/track', tags, summary: 'Ground track (WGS84 latitude, longitude, height) from an instant',
    params: NoradIdParamSchema,
    query: z.object({
      from: z.string().datetime({ offset: true }),
      minutes: z.coerce.number().positive().max(1440).default(95),
      stepS: z.coerce.number().min(1).max(600).default(60),
    }),
    response: z.object({
      noradId: z.number().int(),
      points: z.array(z.object({ t: z.string(), latitudeDeg: z.number(), longitudeDeg: z.number(), altitudeKm: z.number() })),
      failure: z.string().optional(),
    }),
    errors: [404],
    handler: async ({ params, query }) => {
      const es = await catalog.get(params.noradId);
      if (!es) throw new QkdsatError('NOT_FOUND', `noradId: no satellite ${params.noradId} in the catalog`, [{ path: ['params', 'noradId'], message: 'not in the catalog' }]);
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
    method: 'put', path: '/v1/stations/:id', tags, summary: 'Create or replace an optical ground station',
    params: StationIdParams, body: StationBodySchema, response: StationSchema, errors: [201],
    handler: async ({ params, body }, _req, res) => {
      const station = StationSchema.parse({ ...body, id: params.id });
      const { created } = await stations.put(station);
      res.status(created ? 201 : 200).json(station);
      return undefined;
    },
  });
  api.route({
    method: 'get', path: '/v1/stations/:id', tags, summary: 'One station', params: StationIdParams, response: StationSchema, errors: [404],
    handler: async ({ params }) => {
      const s = await stations.get(params.id);
      if (!s) throw new QkdsatError('NOT_FOUND', `id: no station '${params.id}'`, [{ path: ['params', 'id'], message: 'unknown station' }]);
      return s;
    },
  });
  api.route({
    method: 'delete', path: '/v1/stations/:id', tags, summary: 'Delete a station', params: StationIdParams, response: z.null(), status: 204, errors: [404],
    handler: async ({ params }) => {
      if (!(await stations.delete(params.id))) throw new QkdsatError('NOT_FOUND', `id: no station '${params.id}'`, [{ path: ['params', 'id'], message: 'unknown station' }]);
      return undefined;
    },
  });
  api.route({
    method: 'get', path: '/v1/stations', tags, summary: 'All stations', response: z.object({ stations: z.array(StationSchema) }),
    handler: async () => ({ stations: await stations.list() }),
  });

  api.route({
    method: 'get', path: '/v1/passes', tags, summary: `Passes in [from, to] (at most ${MAX_WINDOW_DAYS} days), optionally for one station and/or satellite`,
    query: PassQuerySchema, response: PassListSchema, errors: [404],
    handler: async ({ query }) => {
      const fromMs = Date.parse(query.from), toMs = Date.parse(query.to);
      if (!(toMs > fromMs)) throw new QkdsatError('VALIDATION', 'to: must be after from', [{ path: ['query', 'to'], message: 'must be after from' }]);
      if (toMs - fromMs > MAX_WINDOW_DAYS * 86_400_000) throw new QkdsatError('WINDOW_TOO_LONG', `to: window longer than ${MAX_WINDOW_DAYS} days`, [{ path: ['query', 'to'], message: `window longer than ${MAX_WINDOW_DAYS} days` }]);
      let stationList = await stations.list();
      if (query.station !== undefined) {
        stationList = stationList.filter((s) => s.id === query.station);
        if (!stationList.length) throw new QkdsatError('NOT_FOUND', `station: unknown station '${query.station}'`, [{ path: ['query', 'station'], message: 'unknown station' }]);
      }
      let sets = await catalog.list();
      if (query.satellite !== undefined) {
        sets = sets.filter((s) => s.noradId === query.satellite);
        if (!sets.length) throw new QkdsatError('NOT_FOUND', `satellite: no satellite ${query.satellite} in the catalog`, [{ path: ['query', 'satellite'], message: 'not in the catalog' }]);
      }
      const r = passesOf(sets, stationList, { fromMs, toMs, ...(query.minElevationDeg !== undefined ? { minElevationDeg: query.minElevationDeg } : {}), refraction: query.refraction === 'true' });
      return { passes: r.passes.map(passToDetailWire), failures: r.failures.map((f) => ({ noradId: f.noradId, at: toIso(f.atMs), reason: f.reason })) };
    },
  });
}
