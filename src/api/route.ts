/**
 * defineRoute: one zod schema per wire shape gives request validation, the handler's types and the
 * OpenAPI document. Components build their routes with `api.route({...})`; the app mounts `api.router`.
 */
import { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import express, { type Request, type Response, type Router } from 'express';
import { z } from 'zod';
import { QkdsatError } from '../core/errors.js';
import type { Authorize, Role } from './auth.js';
import { zodIssues } from './errors.js';
import { watchResponse, type ViolationHandler } from './response-contract.js';
import { openApiResponses, type DeclaredResponse } from './route-docs.js';

export type { ResponseViolation } from './response-contract.js';

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
  /** Extra documented statuses besides 400, 500 and 503 (a 2xx here answers `response`'s shape, e.g. 207). */
  errors?: number[];
  /** Other success statuses with their own shape (e.g. 202 of an async plan). */
  responses?: Record<number, z.ZodType>;
  /** Role the caller's token needs (auth.ts): default viewer for GET, planner otherwise. */
  role?: Role;
  handler: (
    input: { params: z.infer<P>; query: z.infer<Q>; body: z.infer<B> },
    req: Request,
    res: Response,
  ) => Promise<z.infer<R> | undefined> | z.infer<R> | undefined;
}

const toOpenApiPath = (path: string) => path.replace(/:([A-Za-z0-9_]+)/g, '{$1}');

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

/** The security scheme of routes that need a bearer token (QKDSAT_*_TOKEN). */
const BEARER_SCHEME = 'bearerAuth';

const BEARER_DESCRIPTION =
  'Authorization: Bearer <token>: QKDSAT_VIEWER_TOKEN, QKDSAT_PLANNER_TOKEN, QKDSAT_ADMIN_TOKEN ' +
  'or a token of the config file';

/** Every status a route may answer, with what it answers: its own, and the problems every route has. */
function declaredResponses(spec: RouteSpec<AnyObject, AnyObject, z.ZodType, z.ZodType>): Map<number, DeclaredResponse> {
  const status = spec.status ?? 200;
  const codes = new Map<number, DeclaredResponse>();
  codes.set(status, status === 204 ? 'empty' : spec.produces ? 'text' : spec.response);
  for (const [code, schema] of Object.entries(spec.responses ?? {})) codes.set(Number(code), schema);
  // Every route is behind the access control: 401 (no or unknown token), 403 (role too low),
  // 429 (per-token rate).
  for (const code of [400, 401, 403, 429, ...(spec.body ? [413] : []), ...(spec.errors ?? []), 500, 503])
    codes.set(code, code < 400 ? spec.response : 'problem');
  return codes;
}

export class Api {
  constructor() {
    this.registry.registerComponent('securitySchemes', BEARER_SCHEME, {
      type: 'http',
      scheme: 'bearer',
      description: BEARER_DESCRIPTION,
    });
  }

  private authorize: Authorize | undefined;

  /** Checks every route's role from now on (routes registered before are covered too). */
  useAuth(authorize: Authorize): void {
    this.authorize = authorize;
  }

  readonly registry = new OpenAPIRegistry();
  readonly router: Router = express.Router();

  /**
   * Called when a handler (or the error handler on its behalf) sends a status its route does not
   * declare, or a JSON body its schema for that status does not accept. Tests set it (see
   * test/integration/openapi-contract.test.ts); see also src/api/response-contract.ts.
   */
  onViolation: ViolationHandler | undefined = undefined;

  route<P extends AnyObject, Q extends AnyObject, B extends z.ZodType, R extends z.ZodType>(
    spec: RouteSpec<P, Q, B, R>,
  ): void {
    const status = spec.status ?? 200;
    const codes = declaredResponses(spec);
    const role: Role = spec.role ?? (spec.method === 'get' ? 'viewer' : 'planner');
    this.registry.registerPath({
      method: spec.method,
      path: toOpenApiPath(spec.path),
      summary: spec.summary,
      tags: spec.tags ?? [],
      description: `Needs role **${role}**${role === 'viewer' ? ' (no token when auth.openReads is set)' : ''}.`,
      security: [{ [BEARER_SCHEME]: [] }],
      request: {
        ...(spec.params ? { params: spec.params } : {}),
        ...(spec.query ? { query: spec.query } : {}),
        ...(spec.body
          ? {
              body: {
                content: Object.fromEntries(
                  (spec.consumes ?? ['application/json']).map((type) => [type, { schema: spec.body! }]),
                ),
              },
            }
          : {}),
      },
      responses: openApiResponses(codes, spec) as never,
    });
    const where = `${spec.method.toUpperCase()} ${toOpenApiPath(spec.path)}`;
    this.router[spec.method](spec.path, async (req: Request, res: Response) => {
      watchResponse(res, where, codes, this.onViolation);
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
