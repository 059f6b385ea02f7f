/**
 * The one catalogue of error codes. Pure code returns expected failures as values (`Result`);
 * exceptional ones throw `QkdsatError`. Exactly two tables map codes onward: to HTTP
 * (src/api/errors.ts) and to BullMQ retry/no-retry (scheduler adapters).
 */
const ERROR_CODES = {
  VALIDATION: 'invalid input',
  NOT_FOUND: 'resource not found',
  CONFLICT: 'conflicting state',
  TLE_FORMAT: 'malformed element set',
  TLE_CHECKSUM: 'wrong checksum',
  SGP4_FAILURE: 'SGP4 propagation failed',
  WINDOW_TOO_LONG: 'time window too long',
  INSUFFICIENT_KEY: 'insufficient key material',
  UNAUTHORIZED: 'unauthorized',
  FORBIDDEN: "the token's role may not do this",
  WORK_LIMIT: 'request needs more work than one page allows',
  STALE_ELEMENT_SET: 'element set too old for the time asked',
  RATE_LIMITED: 'too many requests',
  UNAVAILABLE: 'dependency unavailable',
  SOLVER: 'solver failure',
  INTERNAL: 'internal error',
} as const;

export type ErrorCode = keyof typeof ERROR_CODES;

/** One problem with an input: where (a field path, or line/column) and what. */
export interface Issue {
  path: (string | number)[];
  message: string;
  line?: number;
  column?: number;
}

export class QkdsatError extends Error {
  override readonly name = 'QkdsatError';
  constructor(
    readonly code: ErrorCode,
    message: string = ERROR_CODES[code],
    readonly issues: Issue[] = [],
  ) {
    super(message);
  }
}

export type Result<T, E = Issue[]> = { ok: true; value: T } | { ok: false; error: E };
export const ok = <T>(value: T): Result<T, never> => ({ ok: true, value });
export const err = <E>(error: E): Result<never, E> => ({ ok: false, error });
