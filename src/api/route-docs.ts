/**
 * The OpenAPI responses of a route (src/api/route.ts): a description per status, the declared
 * schema of each success, and for each problem status the Problem schema with an example body.
 */
import { z } from 'zod';
import { ERROR_CATALOGUE, type ErrorCode } from '../core/errors.js';
import { problemBody, ProblemSchema } from './errors.js';

/** What a route answers with a status: a JSON schema, a problem, nothing, or text of its own type. */
export type DeclaredResponse = z.ZodType | 'problem' | 'empty' | 'text';

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

const SUCCESS_DESCRIPTIONS: Record<number, string> = {
  201: 'created',
  202: 'accepted: queued for a worker',
  207: 'multi-status: some items rejected',
};

const EXAMPLE_DETAILS: Record<number, (path: string) => string> = {
  400: () => 'body.bits: Too small: expected number to be >=8',
  401: () => 'authorization: missing bearer token',
  403: () => "authorization: this token's role may not do this",
  404: (path) => `no such item at ${path}`,
  409: () => 'conflict: the item changed meanwhile',
  413: () => 'body: too large',
  422: () => 'satellite decayed before the requested window',
  429: () => 'too many requests',
  500: () => 'internal error',
  503: () => 'redis: not answering; retry shortly',
};

/** The code a status's example shows: the catalogue's first (generic) code of that status. */
function exampleCode(status: number): ErrorCode {
  const codes = Object.keys(ERROR_CATALOGUE) as ErrorCode[];
  return (
    codes.find((code) => ERROR_CATALOGUE[code].httpStatus === status) ?? (status < 500 ? 'VALIDATION' : 'INTERNAL')
  );
}

/** An example problem body per status (documentation). */
function problemExample(status: number, path: string): object {
  const issues = status === 400 ? [{ path: 'body.bits', message: 'Too small: expected number to be >=8' }] : undefined;
  return problemBody(exampleCode(status), EXAMPLE_DETAILS[status]?.(path) ?? 'problem', issues, status);
}

/** The OpenAPI `responses` object of a route's declared statuses, ascending. */
export function openApiResponses(
  declared: ReadonlyMap<number, DeclaredResponse>,
  route: { path: string; response: z.ZodType; produces?: string | undefined },
): Record<string, object> {
  const responses: Record<string, object> = {};
  for (const [status, kind] of [...declared].sort((a, b) => a[0] - b[0])) {
    if (kind === 'problem') {
      const content = { schema: ProblemSchema, example: problemExample(status, route.path) };
      responses[String(status)] = {
        description: PROBLEM_DESCRIPTIONS[status] ?? 'problem',
        content: { 'application/problem+json': content },
      };
    } else if (kind === 'empty') {
      responses[String(status)] = { description: 'no content' };
    } else if (kind === 'text') {
      const content = { [route.produces ?? 'text/plain']: { schema: route.response } };
      responses[String(status)] = { description: 'success', content };
    } else {
      const description = SUCCESS_DESCRIPTIONS[status] ?? 'success';
      responses[String(status)] = { description, content: { 'application/json': { schema: kind } } };
    }
  }
  return responses;
}
