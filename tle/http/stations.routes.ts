/** REST routes of the stations: create or replace, read, delete (referential integrity), list (paged). */
import { z } from 'zod';
import { decodeCursor, encodeCursor, pageOf, PageQueryShape } from '../../src/api/paging.js';
import { StationBodySchema, StationIdSchema, StationSchema } from '../domain/index.js';
import type { TleRouteDeps } from './deps.js';
import { cascadeDeleteRoute, stationNotFound } from './references.js';

const StationCursorSchema = z.object({ after: z.string() });
const StationIdParams = z.object({ id: StationIdSchema });

const DELETE_STATION = {
  path: '/v1/stations/:id',
  summary: 'Delete a station (409 while active bookings name it, unless cascade=cancel cancels them)',
  params: StationIdParams,
  kind: 'station',
} as const;

export function registerStationRoutes(deps: TleRouteDeps): void {
  const { api, stations } = deps;
  const tags = ['catalog'];
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
      const station = await stations.get(params.id);
      if (!station) throw stationNotFound(params.id);
      return station;
    },
  });
  api.route(cascadeDeleteRoute(deps, DELETE_STATION, stations, stationNotFound));
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
      const rest = after === undefined ? all : all.filter((station) => station.id > after);
      const items = rest.slice(0, query.limit);
      return {
        items,
        nextCursor: rest.length > items.length ? encodeCursor({ after: items[items.length - 1]!.id }) : null,
      };
    },
  });
}
