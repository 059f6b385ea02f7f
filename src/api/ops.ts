/**
 * Operator surfaces of the REST process: request metrics, GET /metrics, the API reference at /docs
 * (Swagger UI from the installed swagger-ui-dist: no request leaves the host), the Bull Board at
 * /admin/queues behind a guard, and the favicon.
 *
 * Access: `/metrics` is served here behind `metricsGuard` (role viewer) and, open, on METRICS_PORT
 * (src/platform/metrics.ts); `/admin/queues` behind `adminGuard` (role admin): both are the
 * access control of src/api/auth.ts as express middleware (roleGuard).
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, resolve } from 'node:path';
import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { ExpressAdapter } from '@bull-board/express';
import type { Queue } from 'bullmq';
import express, { type Express, type Request, type RequestHandler, type Response } from 'express';
import { QkdsatError } from '../core/errors.js';
import { REPO_ROOT } from '../platform/config.js';
import { m, metricsText, registry } from '../platform/metrics.js';

/** Route label of a finished request: the matched pattern, never the raw path (bounded cardinality). */
function routeLabel(req: Request): string {
  const r = (req as Request & { route?: { path?: unknown } }).route;
  if (r && typeof r.path === 'string') return `${req.baseUrl ?? ''}${r.path}`;
  if (req.path.startsWith('/admin/queues')) return '/admin/queues';
  if (req.path.startsWith('/docs')) return '/docs';
  return req.method === 'GET' && res404(req) ? 'static' : 'unmatched';
}
const res404 = (req: Request) => (req.res?.statusCode ?? 404) !== 404;

export const httpMetrics: RequestHandler = (req, res, next) => {
  const end = m.httpDuration.startTimer();
  res.on('finish', () => end({ method: req.method, route: routeLabel(req), status: String(res.statusCode) }));
  next();
};

const DOCS_HTML = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>qkdsat API reference</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="icon" href="/favicon.svg" type="image/svg+xml">
<link rel="stylesheet" href="/docs/assets/swagger-ui.css">
<style>body{margin:0} .swagger-ui .topbar{display:none}</style>
</head><body><div id="swagger-ui"></div>
<script src="/docs/assets/swagger-ui-bundle.js"></script>
<script src="/docs/init.js"></script>
</body></html>`;

// validatorUrl null: Swagger UI would otherwise send the document to validator.swagger.io.
const DOCS_INIT = `window.ui = SwaggerUIBundle({ url: '/openapi.json', dom_id: '#swagger-ui', deepLinking: true,
  validatorUrl: null, tryItOutEnabled: false, persistAuthorization: false, displayRequestDuration: true,
  docExpansion: 'list', defaultModelsExpandDepth: 0 });`;

export interface OpsDeps {
  /** BullMQ queues shown on the board. */
  queues?: Queue[];
  /** Guard of /admin/queues (required with `queues`). */
  adminGuard?: RequestHandler;
  /** Guard of GET /metrics on this port (none: open; the lead applies the viewer role here). */
  metricsGuard?: RequestHandler;
}

/** The installed swagger-ui-dist (served as files; nothing is fetched from a CDN). */
const SWAGGER_UI_DIR = dirname(createRequire(import.meta.url).resolve('swagger-ui-dist/package.json'));

const favicon = readFileSync(resolve(REPO_ROOT, 'src/web/favicon.svg'));

/** Mounts /metrics, /docs, /admin/queues and the favicon on the app (before the API routes). */
export function mountOps(app: Express, { queues = [], adminGuard, metricsGuard }: OpsDeps): void {
  const icon = (_req: Request, res: Response) => {
    res.type('image/svg+xml').set('cache-control', 'public, max-age=86400').send(favicon);
  };
  app.get('/favicon.ico', icon);
  app.get('/favicon.svg', icon);
  app.get('/metrics', ...(metricsGuard ? [metricsGuard] : []), async (_req, res) => {
    res
      .type(registry.contentType)
      .set('cache-control', 'no-store')
      .send(await metricsText());
  });
  app.get('/docs', (_req, res) => {
    res.type('html').send(DOCS_HTML);
  });
  app.get('/docs/init.js', (_req, res) => {
    res.type('application/javascript').send(DOCS_INIT);
  });
  app.use('/docs/assets', express.static(SWAGGER_UI_DIR, { index: false, maxAge: '1d' }));
  if (queues.length) {
    if (!adminGuard) throw new QkdsatError('INTERNAL', '/admin/queues needs a guard');
    const board = new ExpressAdapter();
    board.setBasePath('/admin/queues');
    createBullBoard({
      queues: queues.map((q) => new BullMQAdapter(q)),
      serverAdapter: board,
      options: { uiConfig: { boardTitle: 'qkdsat queues' } },
    });
    app.use('/admin/queues', adminGuard, board.getRouter() as express.Router);
  }
}
