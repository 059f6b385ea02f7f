/** REST for mission planners: plans, bookings, cancellation, and each station's iCalendar feed. */
import { randomUUID } from 'node:crypto';
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
import type { Clock } from '../../src/platform/clock.js';
import { BookingSchema } from '../domain/booking.js';
import { DemandSchema, demandIssues } from '../domain/candidate.js';
import { PlanWireSchema, planToWire } from '../domain/wire.js';
import type { BookingStore } from '../adapters/booking-store.redis.js';
import type { ReplanRequest, StoredPlan } from '../adapters/planner.service.js';
import { bookingsToIcs } from './ics.js';

export interface SchedulerRouteDeps {
  store: BookingStore;
  clock: Clock;
  stationIds: () => Promise<ReadonlySet<string>>;
  /** Plans now (synchronously). */
  replan: (req: ReplanRequest) => Promise<StoredPlan>;
  /** Queues a plan for a worker (for large ones); absent = always synchronous. */
  enqueuePlan?: (planId: string, req: ReplanRequest) => Promise<void>;
  /** True while a queued plan has not been computed yet. */
  planQueued?: (planId: string) => Promise<boolean>;
  /** Drops a cancelled booking's pending job. */
  dropPass?: (id: string) => Promise<void>;
  /** Which satellites carry a QKD terminal (scheduler.terminals; undefined: every catalogued one). */
  terminals: { preset: string; terminals: Record<string, string> | undefined };
  /** tle.staleDays (default 14): bookings report their element set's age and `stale` beyond it. */
  staleDays?: number;
  /** Job counts per queue and state (the queue overview, role admin). */
  queueCounts?: () => Promise<Record<string, Record<string, number>>>;
}

const iso = (field: string) =>
  z.string().refine((s) => !Number.isNaN(parseIso(s)), `${field}: expected ISO-8601 with a zone`);

const PlanBody = z.object({
  start: iso('start').optional(),
  horizonHours: z.number().positive().max(336).default(72),
  demand: DemandSchema.optional(),
  solver: z.enum(['exact', 'heuristic']).optional(),
  timeLimitSeconds: z.number().positive().max(120).optional(),
  /** Also evaluate the plan under this many seeded weather scenarios (one cloud draw per station-night). */
  weatherScenarios: z.number().int().min(1).max(10_000).optional(),
  weatherSeed: z
    .number()
    .int()
    .min(0)
    .max(2 ** 32 - 1)
    .default(1),
  /** Queue the plan for a worker; default: queued when the horizon exceeds 24 h. */
  async: z.boolean().optional(),
  allowStale: z
    .boolean()
    .default(false)
    .describe(
      'plan passes predicted from element sets more than tle.staleDays from their epoch (refused by default, 422)',
    ),
});

const StoredPlanWire = z
  .object({
    id: z.string(),
    status: z.enum(['done', 'queued']),
    from: z.string().optional(),
    to: z.string().optional(),
    booked: z.number().optional(),
    kept: z.number().optional(),
    superseded: z.number().optional(),
    rejected: z.array(z.string()).optional(),
    plan: PlanWireSchema.optional(),
  })
  .meta({ id: 'StoredPlan' });

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
const storedToWire = (s: StoredPlan) => ({
  id: s.id,
  status: 'done' as const,
  from: toIso(s.fromMs),
  to: toIso(s.toMs),
  booked: s.booked,
  kept: s.kept,
  superseded: s.superseded,
  rejected: s.rejected,
  plan: planToWire(s.plan),
});

export function registerSchedulerRoutes(api: Api, d: SchedulerRouteDeps): void {
  const staleDays = d.staleDays ?? 14;
  const toWire = (b: z.infer<typeof BookingSchema>) => {
    const age =
      b.elementSetEpochMs === undefined ? undefined : ((b.startMs + b.endMs) / 2 - b.elementSetEpochMs) / 86_400_000;
    return {
      ...b,
      start: toIso(b.startMs),
      end: toIso(b.endMs),
      expectedSecureBitsWeather: expectedSecureBitsWeather(b),
      ...(age === undefined
        ? {}
        : {
            elementSetEpoch: toIso(b.elementSetEpochMs!),
            epochAgeDays: Math.round(age * 1000) / 1000,
            stale: Math.abs(age) > staleDays,
          }),
    };
  };
  api.route({
    method: 'post',
    path: '/v1/plans',
    summary: 'Plan the horizon (conflict-free bookings; async for large ones)',
    tags: ['scheduler'],
    body: PlanBody,
    response: StoredPlanWire,
    status: 201,
    errors: [404, 409, 500],
    responses: {
      202: z
        .object({ id: z.string(), status: z.literal('queued') })
        .meta({ id: 'PlanQueued', example: { id: 'plan_0b9f4c8e-6a43-4d59-a4a5-3f0f1c2d9e11', status: 'queued' } }),
    },
    handler: async ({ body }, _req, res) => {
      const issues = body.demand ? demandIssues(body.demand, await d.stationIds(), 'body.demand') : [];
      if (issues.length)
        throw new QkdsatError('VALIDATION', `${issues[0]!.path.join('.')}: ${issues[0]!.message}`, issues);
      const req: ReplanRequest = {
        ...(body.start ? { fromMs: parseIso(body.start) } : {}),
        horizonHours: body.horizonHours,
        ...(body.demand ? { demand: body.demand } : {}),
        ...(body.solver ? { solver: body.solver } : {}),
        ...(body.timeLimitSeconds ? { timeLimitS: body.timeLimitSeconds } : {}),
        ...(body.weatherScenarios ? { weather: { scenarios: body.weatherScenarios, seed: body.weatherSeed } } : {}),
        ...(body.allowStale ? { allowStale: true } : {}),
      };
      if ((body.async ?? body.horizonHours > 24) && d.enqueuePlan) {
        const id = `plan_${randomUUID()}`;
        await d.enqueuePlan(id, { ...req, planId: id });
        res.status(202).json({ id, status: 'queued' });
        return undefined;
      }
      return storedToWire(await d.replan(req));
    },
  });
  api.route({
    method: 'get',
    path: '/v1/plans/:id',
    summary: 'A plan (status queued until a worker has planned it)',
    tags: ['scheduler'],
    params: z.object({ id: z.string().regex(/^plan_[A-Za-z0-9_-]+$/) }),
    response: StoredPlanWire,
    errors: [404],
    handler: async ({ params }) => {
      const s = (await d.store.getPlan(params.id)) as StoredPlan | undefined;
      if (!s && (await d.planQueued?.(params.id))) return { id: params.id, status: 'queued' as const };
      if (!s) throw new QkdsatError('NOT_FOUND', `plan ${params.id} not found (or still queued)`);
      return storedToWire(s);
    },
  });
  api.route({
    method: 'get',
    path: '/v1/terminals',
    summary: 'Satellites that carry a QKD terminal, with their presets (only these are planned)',
    tags: ['scheduler'],
    response: z
      .object({
        terminals: z
          .array(z.object({ noradId: z.number().int(), preset: z.string() }))
          .nullable()
          .describe('null: no terminals are configured and every catalogued satellite is assumed to carry `preset`'),
        preset: z.string(),
      })
      .meta({ id: 'Terminals' }),
    handler: () => ({
      preset: d.terminals.preset,
      terminals: d.terminals.terminals
        ? Object.entries(d.terminals.terminals).map(([id, preset]) => ({ noradId: Number(id), preset }))
        : null,
    }),
  });
  api.route({
    method: 'get',
    path: '/v1/bookings',
    summary:
      'Bookings starting in [from, to), by start then id; paged; filters station and satellite (comma lists); NDJSON with Accept: application/x-ndjson',
    tags: ['scheduler'],
    query: z.object({
      ...PageQueryShape,
      station: commaList(z.string().min(1)).optional().describe('station ids, comma separated'),
      satellite: commaList(NoradItem).optional().describe('NORAD ids, comma separated'),
      from: iso('from').optional(),
      to: iso('to').optional(),
    }),
    response: z.union([pageOf(BookingWire, 'BookingPage'), z.object({ bookings: z.array(BookingWire) })]),
    handler: async ({ query }, req) => {
      const fromMs = query.from ? parseIso(query.from) : undefined,
        toMs = query.to ? parseIso(query.to) : undefined;
      if (fromMs !== undefined && toMs !== undefined && !(toMs > fromMs))
        throw new QkdsatError('VALIDATION', 'query.to: must be after from', [
          { path: ['query', 'to'], message: 'must be after from' },
        ]);
      if (query.station) {
        const known = await d.stationIds();
        const unknown = query.station.filter((s) => !known.has(s));
        if (unknown.length)
          throw new QkdsatError('VALIDATION', `query.station: unknown station '${unknown[0]}'`, [
            { path: ['query', 'station'], message: `unknown station(s): ${unknown.join(', ')}` },
          ]);
      }
      const filter = {
        ...(query.station ? { stations: query.station } : {}),
        ...(query.satellite ? { satellites: query.satellite } : {}),
        ...(fromMs !== undefined ? { fromMs } : {}),
        ...(toMs !== undefined ? { toMs } : {}),
      };
      const pageAt = async (cursor: string | undefined, limit: number) => {
        const c = cursor === undefined ? undefined : decodeCursor(cursor, BookingCursor);
        const r = await d.store.page({ ...filter, limit, ...(c ? { after: { startMs: c.s, id: c.id } } : {}) });
        const last = r.items[r.items.length - 1];
        return {
          items: r.items.map(toWire),
          nextCursor: r.more && last ? encodeCursor({ s: last.startMs, id: last.id }) : null,
        };
      };
      if (query.paged === 'false') {
        const all = await d.store.page({ ...filter, limit: Number.MAX_SAFE_INTEGER });
        return { bookings: all.items.map(toWire) };
      }
      if (wantsNdjson(req)) {
        await streamNdjson(req.res!, query.cursor, (c) => pageAt(c, MAX_PAGE_LIMIT));
        return undefined;
      }
      return pageAt(query.cursor, query.limit);
    },
  });
  if (d.queueCounts) {
    const counts = d.queueCounts;
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
      await d.store.transition(params.id, 'CANCELLED', body.reason, d.clock.now());
      await d.dropPass?.(params.id);
      return toWire((await d.store.get(params.id))!);
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
      if (!(await d.stationIds()).has(params.id)) throw new QkdsatError('NOT_FOUND', `station ${params.id} not found`);
      const now = d.clock.now();
      const list = await d.store.list({ station: params.id, fromMs: now - 86_400_000 });
      res.type('text/calendar; charset=utf-8').send(bookingsToIcs(params.id, list, now));
      return undefined;
    },
  });
}
