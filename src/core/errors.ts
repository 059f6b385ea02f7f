/**
 * The one catalogue of error codes. Pure code returns expected failures as values (`Result`);
 * exceptional ones throw `QkdsatError`. Per code, the catalogue says everything the edges derive
 * from it: the HTTP status of the REST answer (RFC 9457 problem+json, src/api/errors.ts), whether
 * a BullMQ job failing with it may run again (scheduler/adapters/pass.processor.ts), and how the
 * ETSI GS QKD 014 KME answers it (relay/http/etsi.requests.ts; 014 defines only 400, 401 and 503).
 */

/** The KME's answer to a code: status and message (absent: the error's own message). */
export interface EtsiRendering {
  status: 400 | 401 | 503;
  message?: string;
  /** Retry-After in seconds, when the code sets its own. */
  retryAfterS?: number;
}

export interface ErrorCodeSpec {
  /** The default message. */
  title: string;
  httpStatus: number;
  /** Whether a job that fails with this code may run again (false: BullMQ's UnrecoverableError). */
  retryable: boolean;
  /** null: not expected on the key path; the KME logs it and answers 503 `internal error`. */
  etsi: EtsiRendering | null;
}

/** ETSI GS QKD 014 messages that clients match on. */
export const ETSI_MESSAGES = {
  notFound: 'one or more keys specified are not found on KME',
  extUnmet: 'not all extension_mandatory request options could be met',
  unauthorized: 'unauthorized',
  insufficient: 'insufficient key material',
  unavailable: 'key store unavailable',
  rateLimited: 'too many requests',
} as const;

/** The KME's answers the catalogue uses. */
const KME = {
  invalid: { status: 400 },
  notFound: { status: 400, message: ETSI_MESSAGES.notFound },
  unmet: { status: 400, message: ETSI_MESSAGES.extUnmet },
  unauthorized: { status: 401, message: ETSI_MESSAGES.unauthorized },
  insufficient: { status: 503, message: ETSI_MESSAGES.insufficient },
  unavailable: { status: 503, message: ETSI_MESSAGES.unavailable, retryAfterS: 1 },
  rateLimited: { status: 503, message: ETSI_MESSAGES.rateLimited },
} as const satisfies Record<string, EtsiRendering>;

/**
 * The generic code of each status comes first: it is the one the OpenAPI examples show for that
 * status (src/api/route.ts).
 */
const CATALOGUE = {
  VALIDATION: { title: 'invalid input', httpStatus: 400, retryable: false, etsi: KME.invalid },
  UNAUTHORIZED: { title: 'unauthorized', httpStatus: 401, retryable: true, etsi: KME.unauthorized },
  FORBIDDEN: { title: "the token's role may not do this", httpStatus: 403, retryable: true, etsi: null },
  NOT_FOUND: { title: 'resource not found', httpStatus: 404, retryable: false, etsi: KME.notFound },
  CONFLICT: { title: 'conflicting state', httpStatus: 409, retryable: false, etsi: KME.unmet },
  SGP4_FAILURE: { title: 'SGP4 propagation failed', httpStatus: 422, retryable: true, etsi: null },
  RATE_LIMITED: { title: 'too many requests', httpStatus: 429, retryable: true, etsi: KME.rateLimited },
  INTERNAL: { title: 'internal error', httpStatus: 500, retryable: true, etsi: null },
  UNAVAILABLE: { title: 'dependency unavailable', httpStatus: 503, retryable: true, etsi: KME.unavailable },
  TLE_FORMAT: { title: 'malformed element set', httpStatus: 400, retryable: true, etsi: null },
  TLE_CHECKSUM: { title: 'wrong checksum', httpStatus: 400, retryable: true, etsi: null },
  WINDOW_TOO_LONG: { title: 'time window too long', httpStatus: 400, retryable: true, etsi: null },
  WORK_LIMIT: { title: 'request needs more work than one page allows', httpStatus: 422, retryable: true, etsi: null },
  STALE_ELEMENT_SET: { title: 'element set too old for the time asked', httpStatus: 422, retryable: true, etsi: null },
  INSUFFICIENT_KEY: { title: 'insufficient key material', httpStatus: 503, retryable: true, etsi: KME.insufficient },
  SOLVER: { title: 'solver failure', httpStatus: 500, retryable: true, etsi: null },
} satisfies Record<string, ErrorCodeSpec>;

export type ErrorCode = keyof typeof CATALOGUE;
export const ERROR_CATALOGUE: Readonly<Record<ErrorCode, ErrorCodeSpec>> = CATALOGUE;

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
    message: string = ERROR_CATALOGUE[code].title,
    readonly issues: Issue[] = [],
  ) {
    super(message);
  }
}

export type Result<T, E = Issue[]> = { ok: true; value: T } | { ok: false; error: E };
export const ok = <T>(value: T): Result<T, never> => ({ ok: true, value });
export const err = <E>(error: E): Result<never, E> => ({ ok: false, error });
