/**
 * The one table from error codes to HTTP, and the express error handler. Bodies are RFC 9457
 * problem+json naming the field and the problem. (ETSI GS QKD 014 routes use their own error body.)
 */
import type { ErrorRequestHandler } from 'express';
import { z } from 'zod';
import { QkdsatError, type ErrorCode, type Issue } from '../core/errors.js';
import type { Logger } from '../platform/logger.js';

export const HTTP_STATUS: Record<ErrorCode, number> = {
  VALIDATION: 400,
  TLE_FORMAT: 400,
  TLE_CHECKSUM: 400,
  WINDOW_TOO_LONG: 400,
  NOT_FOUND: 404,
  CONFLICT: 409,
  SGP4_FAILURE: 422,
  UNAUTHORIZED: 401,
  FORBIDDEN: 403,
  WORK_LIMIT: 422,
  STALE_ELEMENT_SET: 422,
  RATE_LIMITED: 429,
  INSUFFICIENT_KEY: 503,
  UNAVAILABLE: 503,
  SOLVER: 500,
  INTERNAL: 500,
};

export const ProblemSchema = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.number().int(),
    detail: z.string(),
    code: z.string(),
    issues: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
  })
  .meta({ id: 'Problem' });
export type Problem = z.infer<typeof ProblemSchema>;

const pathString = (p: readonly PropertyKey[]): string => p.map(String).join('.');

export function zodIssues(error: z.ZodError, prefix: string): Issue[] {
  return error.issues.map((i) => ({
    path: [prefix, ...i.path.map((k) => (typeof k === 'number' ? k : String(k)))],
    message: i.message,
  }));
}

/** Redis trouble that ioredis reports as its own errors (refused, closed, timed out, retries exhausted). */
function redisUnavailable(e: { name?: string; message?: string } | undefined): boolean {
  if (!e || typeof e.message !== 'string') return false;
  return (
    e.name === 'MaxRetriesPerRequestError' ||
    /^(Command timed out|Connection is closed|Stream isn't writeable|connect ECONNREFUSED|read ECONNRESET|write EPIPE)/.test(
      e.message,
    )
  );
}

export function problemOf(error: unknown): Problem {
  if (error instanceof QkdsatError) {
    const status = HTTP_STATUS[error.code];
    return {
      type: `https://qkdsat.dev/problems/${error.code.toLowerCase()}`,
      title: error.code,
      status,
      detail: error.message,
      code: error.code,
      ...(error.issues.length
        ? { issues: error.issues.map((i) => ({ path: pathString(i.path), message: i.message })) }
        : {}),
    };
  }
  const e = error as { type?: string; status?: number; message?: string; name?: string };
  if (redisUnavailable(e)) {
    return {
      type: 'https://qkdsat.dev/problems/unavailable',
      title: 'UNAVAILABLE',
      status: 503,
      detail: 'redis: not answering; retry shortly',
      code: 'UNAVAILABLE',
    };
  }
  if (e?.type === 'entity.parse.failed') {
    return {
      type: 'https://qkdsat.dev/problems/validation',
      title: 'VALIDATION',
      status: 400,
      detail: 'body: malformed JSON',
      code: 'VALIDATION',
      issues: [{ path: 'body', message: 'malformed JSON' }],
    };
  }
  if (e?.type === 'entity.too.large') {
    return {
      type: 'https://qkdsat.dev/problems/validation',
      title: 'VALIDATION',
      status: 413,
      detail: 'body: too large',
      code: 'VALIDATION',
      issues: [{ path: 'body', message: 'too large' }],
    };
  }
  if (typeof e?.status === 'number' && e.status >= 400 && e.status < 500) {
    return {
      type: 'https://qkdsat.dev/problems/validation',
      title: 'VALIDATION',
      status: e.status,
      detail: e.message ?? 'bad request',
      code: 'VALIDATION',
    };
  }
  return {
    type: 'https://qkdsat.dev/problems/internal',
    title: 'INTERNAL',
    status: 500,
    detail: 'internal error',
    code: 'INTERNAL',
  };
}

export const errorHandler =
  (logger: Logger): ErrorRequestHandler =>
  (error, req, res, _next) => {
    const problem = problemOf(error);
    if (problem.status === 503)
      logger.warn({ err: (error as Error)?.message, path: req.path }, 'dependency unavailable');
    else if (problem.status >= 500) logger.error({ err: error, path: req.path }, 'request failed');
    if (problem.status === 503) res.set('Retry-After', '1');
    res.status(problem.status).type('application/problem+json').json(problem);
  };
