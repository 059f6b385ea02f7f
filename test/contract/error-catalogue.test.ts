/**
 * The error catalogue (src/core/errors.ts) is the one table from codes to statuses: every code has
 * every mapping, and the REST problem, the ETSI answer and the job's retry all derive from it.
 */
import { UnrecoverableError } from 'bullmq';
import { describe, expect, it } from 'vitest';
import { problemOf } from '../../src/api/errors.js';
import { ERROR_CATALOGUE, QkdsatError, type ErrorCode } from '../../src/core/errors.js';
import { RELAY_SCRIPTS } from '../../relay/adapters/scripts.js';
import { etsiErrorOf } from '../../relay/http/etsi.requests.js';
import { jobFailureOf } from '../../scheduler/adapters/pass.processor.js';

const CODES = Object.keys(ERROR_CATALOGUE) as ErrorCode[];

/** The three tables as they stood before the catalogue (HTTP, job retry, ETSI status): unchanged. */
const BEFORE: Record<ErrorCode, [http: number, retry: boolean, etsi: number | null]> = {
  VALIDATION: [400, false, 400],
  UNAUTHORIZED: [401, true, 401],
  FORBIDDEN: [403, true, null],
  NOT_FOUND: [404, false, 400],
  CONFLICT: [409, false, 400],
  SGP4_FAILURE: [422, true, null],
  RATE_LIMITED: [429, true, 503],
  INTERNAL: [500, true, null],
  UNAVAILABLE: [503, true, 503],
  TLE_FORMAT: [400, true, null],
  TLE_CHECKSUM: [400, true, null],
  WINDOW_TOO_LONG: [400, true, null],
  WORK_LIMIT: [422, true, null],
  STALE_ELEMENT_SET: [422, true, null],
  INSUFFICIENT_KEY: [503, true, 503],
  SOLVER: [500, true, null],
};

describe.each(CODES)('error code %s', (code) => {
  const spec = ERROR_CATALOGUE[code];
  const error = new QkdsatError(code, `a ${code} happened`);

  it('has a title, an HTTP error status, a retry rule and an ETSI 014 status or none', () => {
    expect(spec.title.length).toBeGreaterThan(0);
    expect(spec.httpStatus).toBeGreaterThanOrEqual(400);
    expect(spec.httpStatus).toBeLessThan(600);
    expect(typeof spec.retryable).toBe('boolean');
    if (spec.etsi) expect([400, 401, 503]).toContain(spec.etsi.status);
    expect([spec.httpStatus, spec.retryable, spec.etsi?.status ?? null]).toEqual(BEFORE[code]);
  });

  it('REST answers the catalogue status as problem+json of that code', () => {
    expect(problemOf(error)).toEqual({
      type: `https://qkdsat.dev/problems/${code.toLowerCase()}`,
      title: code,
      status: spec.httpStatus,
      detail: `a ${code} happened`,
      code,
    });
  });

  it('the KME answers the catalogue rendering, or nothing (logged, 503) when it has none', () => {
    const etsi = etsiErrorOf(error);
    if (!spec.etsi) return expect(etsi).toBeUndefined();
    expect(etsi?.status).toBe(spec.etsi.status);
    expect(etsi?.message).toBe(spec.etsi.message ?? error.message);
    expect(etsi?.retryAfterS).toBe(spec.etsi.retryAfterS);
  });

  it('a job retries it exactly when the catalogue says it may', () => {
    const failure = jobFailureOf(error);
    expect(failure instanceof UnrecoverableError).toBe(!spec.retryable);
    if (spec.retryable) expect(failure).toBe(error);
    else expect((failure as Error).message).toBe(`${code}: a ${code} happened`);
  });
});

describe('codes from the key path', () => {
  it('every error code a relay Lua script returns has an ETSI 014 rendering', () => {
    const scriptCodes = Object.values(RELAY_SCRIPTS).flatMap((script) =>
      Object.values(script.errors ?? {}).map((known) => known.code),
    );
    expect(scriptCodes.length).toBeGreaterThan(0);
    for (const code of scriptCodes) expect(ERROR_CATALOGUE[code].etsi, code).not.toBeNull();
  });

  it('errors that are not QkdsatErrors stay as they are for jobs and unrendered for the KME', () => {
    const plain = new Error('boom');
    expect(jobFailureOf(plain)).toBe(plain);
    expect(etsiErrorOf(plain)).toBeUndefined();
  });
});
