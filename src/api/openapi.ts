import { OpenAPIRegistry, OpenApiGeneratorV31 } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';
import type { Api } from './route.js';

/** The platform's own paths (served by app.ts and ops.ts, not by Api routes), documented alongside. */
function platformPaths(): OpenAPIRegistry {
  const r = new OpenAPIRegistry();
  r.registerPath({
    method: 'get',
    path: '/health/live',
    summary: 'Liveness: the process answers',
    tags: ['platform'],
    responses: {
      200: {
        description: 'alive',
        content: { 'application/json': { schema: z.object({ status: z.literal('ok') }), example: { status: 'ok' } } },
      },
    },
  });
  const Ready = z.object({ status: z.enum(['ready', 'not ready']), checks: z.record(z.string(), z.boolean()) });
  r.registerPath({
    method: 'get',
    path: '/health/ready',
    summary: 'Readiness: every check (Redis ping, ...) passes',
    tags: ['platform'],
    responses: {
      200: {
        description: 'ready',
        content: { 'application/json': { schema: Ready, example: { status: 'ready', checks: { redis: true } } } },
      },
      503: {
        description: 'not ready',
        content: { 'application/json': { schema: Ready, example: { status: 'not ready', checks: { redis: false } } } },
      },
    },
  });
  r.registerPath({
    method: 'get',
    path: '/metrics',
    summary: 'Prometheus metrics of the API process (qkdsat_*; README "Metrics")',
    tags: ['platform'],
    responses: {
      200: {
        description: 'Prometheus text format 0.0.4',
        content: {
          'text/plain': {
            schema: z.string(),
            example: 'qkdsat_pool_bits{link="fibre:graz~matera",kind="fibre",process="api"} 65536\n',
          },
        },
      },
    },
  });
  r.registerPath({
    method: 'get',
    path: '/openapi.json',
    summary: 'This document',
    tags: ['platform'],
    responses: {
      200: {
        description: 'OpenAPI 3.1',
        content: { 'application/json': { schema: z.object({ openapi: z.string() }).passthrough() } },
      },
    },
  });
  return r;
}

export function openApiDocument(api: Api, version: string): object {
  return new OpenApiGeneratorV31([...platformPaths().definitions, ...api.registry.definitions]).generateDocument({
    openapi: '3.1.0',
    info: {
      title: 'qkdsat',
      version,
      description:
        'Satellite QKD planning, execution and key relay for mission planners. ' +
        'Operators: /metrics, /admin/queues (admin bearer), this reference at /docs.',
    },
    servers: [{ url: '/' }],
  });
}
