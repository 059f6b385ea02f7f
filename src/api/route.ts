/**
 * defineRoute: one zod schema per wire shape gives request validation, the handler's types and the
 * OpenAPI document. Components build their routes with `api.route({...})`; the app mounts `api.router`.
 */
import { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import express, { type Request, type Response, type Router } from 'express';
import { z } from 'zod';
import { QkdsatError } from '../core/errors.js';
import type { Authorize, Role } from './auth.js';
import { ProblemSchema, zodIssues } from './errors.js';

type Method = 'get' | 'post' | 'put' | 'delete' | 'patch';
type AnyObject = z.ZodObject<z.ZodRawShape>;

export interface RouteSpec<P extends AnyObject, Q extends AnyObject, B extends z.ZodType, R extends z.ZodType> {
  method: Method;
  /** Express-style path: `/v1/stations/:id`. */
  path: string;
  summary: string;
  tags?: string[];
  params?: P;
  query?: Q;
  body?: B;
  /** Content types the body may arrive as (documented; default JSON only). The same schema validates each. */
  consumes?: string[];
  /** The 2xx response schema (documented; handlers return data of this type). */
  response: R;
  status?: number;
  /** Content type of the success response when not JSON (the handler then writes `res` itself). */
  produces?: string;
  /** Extra documented error statuses besides 400. */
  errors?: number[];
  /** Role the caller's token needs (auth.ts): default viewer for GET, planner otherwise. */
  role?: Role;
  handler: (
    input: { params: z.infer<P>; query: z.infer<Q>; body: z.infer<B> },
    req: Request,
    res: Response,
  ) => Promise<z.infer<R> | undefined> | z.infer<R> | undefined;
}

const toOpenApiPath = (p: string) => p.replace(/:([A-Za-z0-9_]+)/g, '{$1}');

function parsePart<S extends z.ZodType>(schema: S | undefined, value: unknown, where: string): z.infer<S> {
  if (!schema) return {} as z.infer<S>;
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    const issues = zodIssues(parsed.error, where);
    const first = issues[0]!;
    throw new QkdsatError('VALIDATION', `${first.path.join('.')}: ${first.message}`, issues);
  }
  return parsed.data;
}

export class Api {
  readonly registry = new OpenAPIRegistry();
  readonly router: Router = express.Router();
  private authorize: Authorize | undefined;
  private readonly bearer = this.registry.registerComponent('securitySchemes', 'bearer', { type: 'http', scheme: 'bearer', description: 'QKDSAT_VIEWER_TOKEN, QKDSAT_PLANNER_TOKEN, QKDSAT_ADMIN_TOKEN or a token of the config file' });

  /** Checks every route's role from now on (routes registered before are covered too). */
  useAuth(authorize: Authorize): void { this.authorize = authorize; }

  route<P extends AnyObject, Q extends AnyObject, B extends z.ZodType, R extends z.ZodType>(spec: RouteSpec<P, Q, B, R>): void {
    const status = spec.status ?? 200;
    const role: Role = spec.role ?? (spec.method === 'get' ? 'viewer' : 'planner');
    const errorResponses: Record<string, { description: string; content: { 'application/problem+json': { schema: typeof ProblemSchema } } }> = {};
    for (const code of [400, 401, 403, 429, ...(spec.errors ?? [])]) {
      errorResponses[String(code)] = { description: 'problem', content: { 'application/problem+json': { schema: ProblemSchema } } };
    }
    this.registry.registerPath({
      method: spec.method,
      path: toOpenApiPath(spec.path),
      summary: spec.summary,
      description: `Needs role **${role}**${role === 'viewer' ? ' (no token when auth.openReads is set)' : ''}.`,
      security: [{ [this.bearer.name]: [] }],
      tags: spec.tags ?? [],
      request: {
        ...(spec.params ? { params: spec.params } : {}),
        ...(spec.query ? { query: spec.query } : {}),
        ...(spec.body ? { body: { content: Object.fromEntries((spec.consumes ?? ['application/json']).map((t) => [t, { schema: spec.body! }])) } } : {}),
      },
      responses: {
        [String(status)]: { description: 'success', content: { [spec.produces ?? 'application/json']: { schema: spec.response } } },
        ...errorResponses,
      },
    });
    this.router[spec.method](spec.path, async (req: Request, res: Response) => {
      if (this.authorize) res.locals.principal = await this.authorize(req, res, role);
      const input = {
        params: parsePart(spec.params, req.params, 'params'),
        query: parsePart(spec.query, req.query, 'query'),
        body: parsePart(spec.body, req.body ?? {}, 'body'),
      };
      const out = await spec.handler(input as never, req, res);
      if (res.headersSent) return;
      if (out === undefined) res.status(status === 200 ? 204 : status).end();
      else res.status(status).json(out);
    });
  }
}
