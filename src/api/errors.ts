/**
 * Errors as RFC 9457 problem+json (status from the error catalogue, src/core/errors.ts), and the
 * express error handler. Bodies name the field and the problem. (ETSI GS QKD 014 routes use their
 * own error body.)
 */
import type { ErrorRequestHandler, Response } from 'express';
import { z } from 'zod';
import { ERROR_CATALOGUE, QkdsatError, type ErrorCode, type Issue } from '../core/errors.js';
import type { Logger } from '../platform/logger.js';

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

const pathString = (path: readonly PropertyKey[]): string => path.map(String).join('.');

export function zodIssues(error: z.ZodError, prefix: string): Issue[] {
  return error.issues.map((issue) => ({
    path: [prefix, ...issue.path.map((key) => (typeof key === 'number' ? key : String(key)))],
    message: issue.message,
  }));
}

const REDIS_TROUBLE =
  /^(Command timed out|Connection is closed|Stream isn't writeable|connect ECONNREFUSED|read ECONNRESET|write EPIPE)/;

/** Redis trouble that ioredis reports as its own errors (refused, closed, timed out, retries exhausted). */
function redisUnavailable(error: { name?: string; message?: string } | undefined): boolean {
  if (!error || typeof error.message !== 'string') return false;
  return error.name === 'MaxRetriesPerRequestError' || REDIS_TROUBLE.test(error.message);
}

/** The problem body of a catalogue code; `status` only where the cause says otherwise (413). */
export function problemBody(code: ErrorCode, detail: string, issues?: Problem['issues'], status?: number): Problem {
  return {
    type: `https://qkdsat.dev/problems/${code.toLowerCase()}`,
    title: code,
    status: status ?? ERROR_CATALOGUE[code].httpStatus,
    detail,
    code,
    ...(issues?.length ? { issues } : {}),
  };
}

/** The body issue of a body express could not read. */
const bodyProblem = (message: string, status?: number): Problem =>
  problemBody('VALIDATION', `body: ${message}`, [{ path: 'body', message }], status);

export function problemOf(error: unknown): Problem {
  if (error instanceof QkdsatError) {
    const issues = error.issues.map((issue) => ({ path: pathString(issue.path), message: issue.message }));
    return problemBody(error.code, error.message, issues);
  }
  const cause = error as { type?: string; status?: number; message?: string; name?: string };
  if (redisUnavailable(cause)) return problemBody('UNAVAILABLE', 'redis: not answering; retry shortly');
  if (cause?.type === 'entity.parse.failed') return bodyProblem('malformed JSON');
  if (cause?.type === 'entity.too.large') return bodyProblem('too large', 413);
  if (typeof cause?.status === 'number' && cause.status >= 400 && cause.status < 500)
    return problemBody('VALIDATION', cause.message ?? 'bad request', undefined, cause.status);
  return problemBody('INTERNAL', 'internal error');
}

export function sendProblem(res: Response, body: Problem): void {
  res.status(body.status).type('application/problem+json').json(body);
}

export const errorHandler =
  (logger: Logger): ErrorRequestHandler =>
  (error, req, res, _next) => {
    const body = problemOf(error);
    if (body.status === 503) logger.warn({ err: (error as Error)?.message, path: req.path }, 'dependency unavailable');
    else if (body.status >= 500) logger.error({ err: error, path: req.path }, 'request failed');
    if (body.status === 503) res.set('Retry-After', '1');
    sendProblem(res, body);
  };
