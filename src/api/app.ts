/**
 * The express app for mission planners: JSON body limits, a child logger per request, health and
 * readiness, the generated OpenAPI document, the dashboard, the component routes, one error handler.
 */
import { randomUUID } from 'node:crypto';
import express, { type Express } from 'express';
import type { Logger } from '../platform/logger.js';
import { withLogContext } from '../platform/log-context.js';
import { errorHandler, problemBody, sendProblem } from './errors.js';
import { openApiDocument } from './openapi.js';
import { httpMetrics, mountOps, type OpsDeps } from './ops.js';
import type { Api } from './route.js';

export interface AppDeps {
  logger: Logger;
  api: Api;
  version: string;
  /** Named readiness checks (Redis ping, ...); ready when all resolve true. */
  readiness?: Record<string, () => Promise<boolean>>;
  staticDir?: string;
  /** Extra static folders by URL prefix (e.g. vendored map data for the dashboard). */
  staticMounts?: Record<string, string>;
  /** /metrics, /docs, /admin/queues (src/api/ops.ts). */
  ops?: OpsDeps;
}

export function createApp({
  logger,
  api,
  version,
  readiness = {},
  staticDir,
  staticMounts = {},
  ops = {},
}: AppDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('query parser', 'simple');
  app.use(httpMetrics);
  app.use((req, res, next) => {
    const started = process.hrtime.bigint();
    // Every line logged while serving this request carries its reqId (log-context.ts), whichever component logs it.
    const reqId = randomUUID();
    res.locals.log = logger;
    res.set('x-request-id', reqId);
    res.on('finish', () => {
      logger.info(
        {
          reqId,
          method: req.method,
          path: req.path,
          status: res.statusCode,
          ms: Number(process.hrtime.bigint() - started) / 1e6,
        },
        'request',
      );
    });
    withLogContext({ reqId }, next);
  });
  // Catalog uploads: a whole public catalog (30,000 objects: ~5 MB of TLE, ~15 MB of OMM JSON or XML)
  // in one request; every other body stays small.
  app.post(
    '/v1/satellites',
    express.json({ limit: '48mb' }),
    express.text({ type: ['text/plain', 'application/xml', 'text/xml'], limit: '48mb' }),
  );
  mountOps(app, ops);
  app.use(express.json({ limit: '2mb' }));
  // Catalog uploads: TLE, OMM KVN and OMM XML arrive as text (tle/domain/catalog-format.ts detects which).
  app.use(express.text({ type: ['text/plain', 'application/xml', 'text/xml'], limit: '8mb' }));

  app.get('/health/live', (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.get('/health/ready', async (_req, res) => {
    const checks: Record<string, boolean> = {};
    await Promise.all(
      Object.entries(readiness).map(async ([name, check]) => {
        checks[name] = await check().catch(() => false);
      }),
    );
    const ready = Object.values(checks).every(Boolean);
    res.status(ready ? 200 : 503).json({ status: ready ? 'ready' : 'not ready', checks });
  });
  let doc: object | undefined;
  app.get('/openapi.json', (_req, res) => {
    res.json((doc ??= openApiDocument(api, version)));
  });
  app.use(api.router);
  if (staticDir) app.use(express.static(staticDir));
  for (const [prefix, dir] of Object.entries(staticMounts)) app.use(prefix, express.static(dir));
  app.use((req, res) => {
    sendProblem(res, problemBody('NOT_FOUND', `no route ${req.method} ${req.path}`));
  });
  app.use(errorHandler(logger));
  return app;
}
