/** REST for mission planners: plans (synchronous, or queued for a worker) and the QKD terminals. */
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { QkdsatError } from '../../src/core/errors.js';
import { parseIso, toIso } from '../../src/core/time/index.js';
import type { Api } from '../../src/api/route.js';
import { DemandSchema, demandIssues } from '../domain/candidate.js';
import { PlanWireSchema, planToWire } from '../domain/wire.js';
import type { ReplanRequest, StoredPlan } from '../adapters/planner.service.js';
import { iso, type SchedulerRouteDeps } from './route-deps.js';

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

export function registerPlanRoutes(api: Api, deps: SchedulerRouteDeps): void {
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
      const issues = body.demand ? demandIssues(body.demand, await deps.stationIds(), 'body.demand') : [];
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
      if ((body.async ?? body.horizonHours > 24) && deps.enqueuePlan) {
        const id = `plan_${randomUUID()}`;
        await deps.enqueuePlan(id, { ...req, planId: id });
        res.status(202).json({ id, status: 'queued' });
        return undefined;
      }
      return storedToWire(await deps.replan(req));
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
      const s = (await deps.store.getPlan(params.id)) as StoredPlan | undefined;
      if (!s && (await deps.planQueued?.(params.id))) return { id: params.id, status: 'queued' as const };
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
      preset: deps.terminals.preset,
      terminals: deps.terminals.terminals
        ? Object.entries(deps.terminals.terminals).map(([id, preset]) => ({ noradId: Number(id), preset }))
        : null,
    }),
  });
}
