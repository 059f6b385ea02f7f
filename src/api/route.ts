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

export interface ResponseViolation {
  route: string;
  status: number;
  problem: string;
}

/** The security scheme of routes that need a bearer token (QKDSAT_*_TOKEN). */
export const BEARER_SCHEME = 'bearerAuth';

const PROBLEM_DESCRIPTIONS: Record<number, string> = {
  400: 'invalid input: `issues` names each field',
  401: 'missing or invalid bearer token',
  403: "the token's role may not do this",
  404: 'not found',
  409: 'conflict with the current state',
  413: 'body too large',
  422: 'valid input the physics cannot honour',
  429: 'too many requests: retry after Retry-After',
  500: 'internal error (logged)',
  503: 'a dependency (Redis, solver) is unavailable: retry after Retry-After',
};

const CODE_OF: Record<number, string> = {
  400: 'VALIDATION',
  401: 'UNAUTHORIZED',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  409: 'CONFLICT',
  413: 'VALIDATION',
  422: 'SGP4_FAILURE',
  429: 'RATE_LIMITED',
  500: 'INTERNAL',
  503: 'UNAVAILABLE',
};

/** An example problem body per status (documentation). */
function problemExample(code: number, path: string): object {
  const c = CODE_OF[code] ?? 'INTERNAL';
  const detail: Record<number, string> = {
    400: 'body.bits: Too small: expected number to be >=8',
    401: 'authorization: missing bearer token',
    403: "authorization: this token's role may not do this",
    404: `no such item at ${path}`,
    413: 'body: too large',
    409: 'conflict: the item changed meanwhile',
    422: 'satellite decayed before the requested window',
    429: 'too many requests',
    500: 'internal error',
    503: 'redis: not answering; retry shortly',
  };
  return {
    type: `https://qkdsat.dev/problems/${c.toLowerCase()}`,
    title: c,
    status: code,
    detail: detail[code] ?? 'problem',
    code: c,
    ...(code === 400 ? { issues: [{ path: 'body.bits', message: 'Too small: expected number to be >=8' }] } : {}),
  };
}

export class Api {
  constructor() {
    this.onViolation = undefined;
    this.registry.registerComponent('securitySchemes', BEARER_SCHEME, {
      type: 'http',
      scheme: 'bearer',
      description:
        'Authorization: Bearer <token>: QKDSAT_VIEWER_TOKEN, QKDSAT_PLANNER_TOKEN, QKDSAT_ADMIN_TOKEN or a token of the config file',
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
   * test/integration/openapi-contract.test.ts); unset, nothing is checked.
   */
  onViolation: ((v: ResponseViolation) => void) | undefined;
  /** Declared statuses per `METHOD path` (OpenAPI paths), for the contract check. */
  readonly declared = new Map<string, Map<number, z.ZodType | 'problem' | 'empty' | 'text'>>();

  route<P extends AnyObject, Q extends AnyObject, B extends z.ZodType, R extends z.ZodType>(
    spec: RouteSpec<P, Q, B, R>,
  ): void {
    const status = spec.status ?? 200;
    const codes = new Map<number, z.ZodType | 'problem' | 'empty' | 'text'>();
    codes.set(status, status === 204 ? 'empty' : spec.produces ? 'text' : spec.response);
    for (const [code, schema] of Object.entries(spec.responses ?? {})) codes.set(Number(code), schema);
    const role: Role = spec.role ?? (spec.method === 'get' ? 'viewer' : 'planner');
    // Every route is behind the access control: 401 (no or unknown token), 403 (role too low), 429 (per-token rate).
    for (const code of [400, 401, 403, 429, ...(spec.body ? [413] : []), ...(spec.errors ?? []), 500, 503])
      codes.set(code, code < 400 ? spec.response : 'problem');
    const responses: Record<string, object> = {};
    for (const [code, kind] of [...codes].sort((a, b) => a[0] - b[0])) {
      if (kind === 'problem') {
        responses[String(code)] = {
          description: PROBLEM_DESCRIPTIONS[code] ?? 'problem',
          content: { 'application/problem+json': { schema: ProblemSchema, example: problemExample(code, spec.path) } },
        };
      } else if (kind === 'empty') {
        responses[String(code)] = { description: 'no content' };
      } else if (kind === 'text') {
        responses[String(code)] = { description: 'success', content: { [spec.produces!]: { schema: spec.response } } };
      } else {
        responses[String(code)] = {
          description:
            code === 202
              ? 'accepted: queued for a worker'
              : code === 207
                ? 'multi-status: some items rejected'
                : code === 201
                  ? 'created'
                  : 'success',
          content: { 'application/json': { schema: kind } },
        };
      }
    }
    this.declared.set(`${spec.method.toUpperCase()} ${toOpenApiPath(spec.path)}`, codes);
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
                  (spec.consumes ?? ['application/json']).map((t) => [t, { schema: spec.body! }]),
                ),
              },
            }
          : {}),
      },
      responses: responses as never,
    });
    const where = `${spec.method.toUpperCase()} ${toOpenApiPath(spec.path)}`;
    const checkResponse = (res: Response) => {
      const onViolation = this.onViolation;
      if (!onViolation) return;
      const json = res.json.bind(res);
      res.json = (body: unknown) => {
        const kind = codes.get(res.statusCode);
        if (kind && kind !== 'empty' && kind !== 'text') {
          const parsed = (kind === 'problem' ? ProblemSchema : kind).safeParse(body);
          if (!parsed.success)
            onViolation({
              route: where,
              status: res.statusCode,
              problem: `body does not match the declared schema: ${parsed.error.issues[0]?.path.join('.')}: ${parsed.error.issues[0]?.message}`,
            });
        }
        return json(body);
      };
      res.once('finish', () => {
        if (!codes.has(res.statusCode))
          onViolation({ route: where, status: res.statusCode, problem: `status ${res.statusCode} is not declared` });
      });
    };
    this.router[spec.method](spec.path, async (req: Request, res: Response) => {
      checkResponse(res);
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
