/**
 * The response contract of a route: every status it sends is declared, and every JSON body matches
 * the schema declared for its status. Checked only when asked: by a test's `Api.onViolation`, and
 * in every test once the vitest setup (test/support/response-contract.setup.ts) has called
 * `enforceResponseContract()`; a violation is then logged and answered 500 instead. Unasked (in
 * production), no response is wrapped.
 */
import type { Response } from 'express';
import type { Logger } from '../platform/logger.js';
import { problemBody, ProblemSchema } from './errors.js';
import type { DeclaredResponse } from './route-docs.js';

export interface ResponseViolation {
  route: string;
  status: number;
  problem: string;
}

export type ViolationHandler = (violation: ResponseViolation) => void;

let enforced = false;

/** Test-only (vitest setup): from now on every route checks its answers and fails loudly. */
export function enforceResponseContract(): void {
  enforced = true;
}

const undeclared = (status: number) => `status ${status} is not declared`;

/** The path of the first field `sent` has and the schema's output (which drops undeclared fields) has not. */
function undeclaredField(sent: unknown, declared: unknown, path: string[] = []): string[] | undefined {
  if (Array.isArray(sent) && Array.isArray(declared)) {
    for (const [index, item] of sent.entries()) {
      const found = undeclaredField(item, declared[index], [...path, String(index)]);
      if (found) return found;
    }
  } else if (sent && declared && typeof sent === 'object' && typeof declared === 'object') {
    for (const [key, value] of Object.entries(sent)) {
      if (value === undefined) continue;
      if (!(key in declared)) return [...path, key];
      const found = undeclaredField(value, (declared as Record<string, unknown>)[key], [...path, key]);
      if (found) return found;
    }
  }
  return undefined;
}

function bodyViolation(kind: DeclaredResponse, body: unknown): string | undefined {
  if (kind === 'empty' || kind === 'text') return undefined;
  const parsed = (kind === 'problem' ? ProblemSchema : kind).safeParse(body);
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    return `body does not match the declared schema: ${first?.path.join('.')}: ${first?.message}`;
  }
  const extra = undeclaredField(body, parsed.data);
  return extra && `body has a field its schema does not declare: ${extra.join('.')}`;
}

/** Checks one response of `route` against its declared statuses and bodies, when asked (see above). */
export function watchResponse(
  res: Response,
  route: string,
  declared: ReadonlyMap<number, DeclaredResponse>,
  onViolation: ViolationHandler | undefined,
): void {
  if (!onViolation && !enforced) return;
  const report = (status: number, problem: string) => {
    onViolation?.({ route, status, problem });
    if (enforced) (res.locals.log as Logger | undefined)?.error({ route, status, problem }, 'response contract broken');
  };
  const json = res.json.bind(res);
  res.json = (body: unknown) => {
    const status = res.statusCode;
    const kind = declared.get(status);
    // Unenforced, an undeclared status is reported once, when the response finishes.
    const problem = kind ? bodyViolation(kind, body) : enforced ? undeclared(status) : undefined;
    if (!problem) return json(body);
    report(status, problem);
    if (!enforced) return json(body);
    res.status(500).type('application/problem+json');
    return json(problemBody('INTERNAL', `response contract of ${route} broken: ${status}: ${problem}`));
  };
  res.once('finish', () => {
    if (!declared.has(res.statusCode)) report(res.statusCode, undeclared(res.statusCode));
  });
}
