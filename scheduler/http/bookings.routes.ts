/** REST for mission planners: bookings (paged), cancellation, queue counts and each station's iCalendar feed. */
import { z } from 'zod';
import { expectedSecureBitsWeather } from '../domain/candidate.js';
import { QkdsatError } from '../../src/core/errors.js';
import { parseIso, toIso } from '../../src/core/time/index.js';
import type { Api } from '../../src/api/route.js';
import {
  commaList,
  decodeCursor,
  encodeCursor,
  MAX_PAGE_LIMIT,
  pageOf,
  PageQueryShape,
  streamNdjson,
  wantsNdjson,
} from '../../src/api/paging.js';
import { BookingSchema } from '../domain/booking.js';
import { bookingsToIcs } from './ics.js';
import { iso, type SchedulerRouteDeps } from './route-deps.js';

const BookingWire = BookingSchema.extend({
  start: z.string(),
  end: z.string(),
  elementSetEpoch: z.string().optional().describe('epoch of the element set the pass was predicted from'),
  epochAgeDays: z.number().optional().describe('mid-pass minus that epoch, days'),
  stale: z.boolean().optional().describe('|epochAgeDays| > tle.staleDays'),
  expectedSecureBitsWeather: z.number().describe('expectedSecureBits (if the sky is clear) times clearSkyProbability'),
}).meta({ id: 'Booking' });
const BookingCursor = z.object({ s: z.number(), id: z.string() });
const NoradItem = z.coerce.number().int().min(1).max(999_999_999);
type Booking = z.infer<typeof BookingSchema>;

/** A booking on the wire: ISO instants, weather-weighted key, and its element set's age at mid-pass. */
function bookingToWire(booking: Booking, staleDays: number) {
  const epochMs = booking.elementSetEpochMs;
  const ageDays = epochMs === undefined ? undefined : ((booking.startMs + booking.endMs) / 2 - epochMs) / 86_400_000;
  return {
    ...booking,
    start: toIso(booking.startMs),
    end: toIso(booking.endMs),
    expectedSecureBitsWeather: expectedSecureBitsWeather(booking),
    ...(epochMs === undefined || ageDays === undefined
      ? {}
      : {
          elementSetEpoch: toIso(epochMs),
          epochAgeDays: Math.round(ageDays * 1000) / 1000,
          stale: Math.abs(ageDays) > staleDays,
        }),
  };
}

const BookingQuery = z.object({
  ...PageQueryShape,
  station: commaList(z.string().min(1)).optional().describe('station ids, comma separated'),
  satellite: commaList(NoradItem).optional().describe('NORAD ids, comma separated'),
  from: iso('from').optional(),
  to: iso('to').optional(),
});

/** The store's filter of a bookings query; 400 naming `query.to` or `query.station` when they are wrong. */
async function bookingFilterOf(query: z.infer<typeof BookingQuery>, stationIds: SchedulerRouteDeps['stationIds']) {
  const fromMs = query.from ? parseIso(query.from) : undefined;
  const toMs = query.to ? parseIso(query.to) : undefined;
  if (fromMs !== undefined && toMs !== undefined && !(toMs > fromMs))
    throw new QkdsatError('VALIDATION', 'query.to: must be after from', [
      { path: ['query', 'to'], message: 'must be after from' },
    ]);
  if (query.station) {
    const known = await stationIds();
    const unknown = query.station.filter((stationId) => !known.has(stationId));
    if (unknown.length)
      throw new QkdsatError('VALIDATION', `query.station: unknown station '${unknown[0]}'`, [
        { path: ['query', 'station'], message: `unknown station(s): ${unknown.join(', ')}` },
      ]);
  }
  return {
    ...(query.station ? { stations: query.station } : {}),
    ...(query.satellite ? { satellites: query.satellite } : {}),
    ...(fromMs !== undefined ? { fromMs } : {}),
    ...(toMs !== undefined ? { toMs } : {}),
  };
}

export function registerBookingRoutes(api: Api, deps: SchedulerRouteDeps): void {
  const toWire = (booking: Booking) => bookingToWire(booking, deps.staleDays ?? 14);
  api.route({
    method: 'get',
    path: '/v1/bookings',
    summary:
      'Bookings starting in [from, to), by start then id; paged; filters station and satellite (comma lists); ' +
      'NDJSON with Accept: application/x-ndjson',
    tags: ['scheduler'],
    query: BookingQuery,
    response: z.union([pageOf(BookingWire, 'BookingPage'), z.object({ bookings: z.array(BookingWire) })]),
    handler: async ({ query }, req) => {
      const filter = await bookingFilterOf(query, deps.stationIds);
      const pageAt = async (cursor: string | undefined, limit: number) => {
        const after = cursor === undefined ? undefined : decodeCursor(cursor, BookingCursor);
        const page = await deps.store.page({
          ...filter,
          limit,
          ...(after ? { after: { startMs: after.s, id: after.id } } : {}),
        });
        const last = page.items[page.items.length - 1];
        return {
          items: page.items.map(toWire),
          nextCursor: page.more && last ? encodeCursor({ s: last.startMs, id: last.id }) : null,
        };
      };
      if (query.paged === 'false') {
        const all = await deps.store.page({ ...filter, limit: Number.MAX_SAFE_INTEGER });
        return { bookings: all.items.map(toWire) };
      }
      if (wantsNdjson(req)) {
        await streamNdjson(req.res!, query.cursor, (cursor) => pageAt(cursor, MAX_PAGE_LIMIT));
        return undefined;
      }
      return pageAt(query.cursor, query.limit);
    },
  });
  if (deps.queueCounts) {
    const counts = deps.queueCounts;
    api.route({
      method: 'get',
      path: '/v1/admin/queues',
      summary: 'Job counts of the scheduler queues (passes, plans) by state',
      tags: ['scheduler'],
      role: 'admin',
      response: z.object({ queues: z.record(z.string(), z.record(z.string(), z.number())) }),
      handler: async () => ({ queues: await counts() }),
    });
  }
  api.route({
    method: 'post',
    path: '/v1/bookings/:id/cancel',
    summary: 'Cancel a booking that has not started tracking',
    tags: ['scheduler'],
    params: z.object({ id: z.string().regex(/^pass_[A-Za-z0-9_-]+$/) }),
    body: z.object({ reason: z.string().max(200).default('cancelled by operator') }),
    response: BookingWire,
    errors: [404, 409],
    handler: async ({ params, body }) => {
      await deps.store.transition(params.id, 'CANCELLED', body.reason, deps.clock.now());
      await deps.dropPass?.(params.id);
      return toWire((await deps.store.get(params.id))!);
    },
  });
  api.route({
    method: 'get',
    path: '/v1/stations/:id/bookings.ics',
    summary: "A station's bookings as an iCalendar feed",
    tags: ['scheduler'],
    params: z.object({ id: z.string() }),
    response: z.string(),
    produces: 'text/calendar',
    errors: [404],
    handler: async ({ params }, _req, res) => {
      if (!(await deps.stationIds()).has(params.id))
        throw new QkdsatError('NOT_FOUND', `station ${params.id} not found`);
      const now = deps.clock.now();
      const list = await deps.store.list({ station: params.id, fromMs: now - 86_400_000 });
      res.type('text/calendar; charset=utf-8').send(bookingsToIcs(params.id, list, now));
      return undefined;
    },
  });
}
