/**
 * POST /v1/network-simulations (202, a BullMQ job), GET /v1/network-simulations/{id} (state,
 * progress, the report when completed), GET /v1/network-simulations/{id}/report.html (charts).
 */
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { QkdsatError } from '../../src/core/errors.js';
import { parseIso } from '../../src/core/time/index.js';
import type { Api } from '../../src/api/route.js';
import {
  NetworkConfigSchema,
  NetworkReportSchema,
  PlanningSchema,
  type NetworkConfig,
  type NetworkReport,
} from '../domain/index.js';
import type { NetworkJobData } from '../adapters/jobs.js';

export interface NetworkRouteDeps {
  /** The server's own network config (file paths resolved against its directory). */
  defaultConfig: () => { config: NetworkConfig; baseDir: string };
  enqueue: (id: string, data: NetworkJobData) => Promise<void>;
  status: (
    id: string,
  ) => Promise<{ state: string; progress: number; report?: NetworkReport; error?: string } | undefined>;
  renderHtml: (r: NetworkReport) => string;
}

const Body = z.object({
  config: NetworkConfigSchema.optional().describe(
    'an inline network config; files (stationsFile, tleFiles) are not read from a request: absent = the ' +
      "server's network config",
  ),
  start: z.string().refine((s) => !Number.isNaN(parseIso(s)), 'ISO-8601 with a zone'),
  days: z.number().int().min(1).max(3660),
  seed: z
    .number()
    .int()
    .min(0)
    .max(2 ** 32 - 1),
  solver: z.enum(['exact', 'heuristic']).default('heuristic'),
  planning: PlanningSchema.default('expected'),
});

const Status = z
  .object({
    id: z.string(),
    state: z.enum(['queued', 'running', 'completed', 'failed']),
    progress: z.number().describe('percent of simulated time done'),
    report: NetworkReportSchema.optional(),
    error: z.string().optional(),
  })
  .meta({ id: 'NetworkSimulationStatus' });

const Id = z.object({ id: z.string().regex(/^netsim_[0-9a-f-]{36}$/) });
const STATE: Record<string, z.infer<typeof Status>['state']> = {
  waiting: 'queued',
  delayed: 'queued',
  prioritized: 'queued',
  'waiting-children': 'queued',
  active: 'running',
  completed: 'completed',
  failed: 'failed',
};

export function registerNetworkRoutes(api: Api, deps: NetworkRouteDeps): void {
  api.route({
    method: 'post',
    path: '/v1/network-simulations',
    summary: 'Simulate the network over days in virtual time (a job; poll its status)',
    tags: ['network'],
    body: Body,
    response: z.object({ id: z.string(), state: z.literal('queued') }),
    status: 202,
    handler: async ({ body }) => {
      let config: NetworkConfig, baseDir: string;
      if (body.config) {
        for (const f of ['stationsFile', 'tleFiles'] as const) {
          if (f === 'stationsFile' ? body.config.stationsFile !== undefined : body.config.tleFiles.length > 0) {
            throw new QkdsatError(
              'VALIDATION',
              `body.config.${f}: files are not read from a request; give stations inline and satellites ` +
                `as constellationPreset or walker`,
              [{ path: ['body', 'config', f], message: 'not allowed in a request' }],
            );
          }
        }
        const i = body.config.satellites.findIndex((x) => x.noradId !== undefined);
        if (i >= 0)
          throw new QkdsatError(
            'VALIDATION',
            `body.config.satellites.${i}.noradId: a request reads no tleFiles; give constellationPreset or walker`,
            [{ path: ['body', 'config', 'satellites', i, 'noradId'], message: 'needs tleFiles' }],
          );
        ({ config, baseDir } = { config: body.config, baseDir: '.' });
      } else ({ config, baseDir } = deps.defaultConfig());
      const id = `netsim_${randomUUID()}`;
      await deps.enqueue(id, {
        config,
        baseDir,
        startMs: parseIso(body.start),
        days: body.days,
        seed: body.seed,
        solver: body.solver,
        planning: body.planning,
      });
      return { id, state: 'queued' as const };
    },
  });
  const find = async (id: string) => {
    const s = await deps.status(id);
    if (!s) throw new QkdsatError('NOT_FOUND', `network simulation ${id} not found`);
    return s;
  };
  api.route({
    method: 'get',
    path: '/v1/network-simulations/:id',
    summary: 'A network simulation: state, progress, and its report when completed',
    tags: ['network'],
    params: Id,
    response: Status,
    errors: [404],
    handler: async ({ params }) => {
      const s = await find(params.id);
      return {
        id: params.id,
        state: STATE[s.state] ?? 'queued',
        progress: s.progress,
        ...(s.report ? { report: s.report } : {}),
        ...(s.error ? { error: s.error } : {}),
      };
    },
  });
  api.route({
    method: 'get',
    path: '/v1/network-simulations/:id/report.html',
    summary: "The completed simulation's HTML report (charts)",
    tags: ['network'],
    params: Id,
    response: z.string(),
    produces: 'text/html',
    errors: [404, 409],
    handler: async ({ params }, _req, res) => {
      const s = await find(params.id);
      if (!s.report)
        throw new QkdsatError(
          'CONFLICT',
          `network simulation ${params.id} is ${STATE[s.state] ?? s.state}, not completed`,
        );
      res.type('text/html').send(deps.renderHtml(s.report));
      return undefined;
    },
  });
}
