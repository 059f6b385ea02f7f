/**
 * Parsing of ETSI GS QKD 014 requests into checked values, with the spec's exact messages (docs/etsi-qkd-014.md).
 * Hand-written rather than zod so that each failure gets the message clients match on, unknown
 * fields are ignored, and nothing malformed can reach the store.
 */
import { ERROR_CATALOGUE, ETSI_MESSAGES, QkdsatError } from '../../src/core/errors.js';
import type { RelayConfig } from '../domain/config.schema.js';
import { INTEGRITY_MESSAGE, KeyIntegrityError } from '../domain/integrity.js';
import type { RouteType } from '../adapters/kme.service.js';

export const MSG = {
  ...ETSI_MESSAGES,
  sizeMultiple: 'size shall be a multiple of 8',
  extUnsupported: 'not all extension_mandatory parameters are supported',
  integrity: INTEGRITY_MESSAGE,
} as const;

export const ROUTE_EXTENSION = 'qkdsat_route_type';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export class EtsiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly details?: Record<string, unknown>[],
    readonly retryAfterS?: number,
  ) {
    super(message);
  }
}

const bad = (message: string, details?: Record<string, unknown>[]) => new EtsiError(400, message, details);

export interface EncRequest {
  number: number;
  size: number;
  route: RouteType | undefined;
}

function intField(value: unknown, name: string): number | undefined {
  if (value === undefined || value === null) return undefined;
  const number = typeof value === 'string' && /^\d{1,10}$/.test(value) ? Number(value) : value;
  if (typeof number !== 'number' || !Number.isSafeInteger(number)) throw bad(`${name} shall be an integer`);
  return number;
}

function routeValue(value: unknown, where: string): RouteType {
  if (value === 'direct' || value === 'indirect') return value;
  throw bad(`${where}: ${ROUTE_EXTENSION} shall be "direct" or "indirect"`);
}

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

function extensions(value: unknown, where: string): [string, unknown][] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value) || !value.every(isPlainObject)) throw bad(`${where} shall be an array of objects`);
  return value.flatMap((extension: Record<string, unknown>) => Object.entries(extension));
}

/** enc_keys from a JSON body or the GET query (strings); unknown fields are ignored. */
export function parseEncRequest(body: Record<string, unknown>, limits: RelayConfig['keys']): EncRequest {
  const number = intField(body.number, 'number') ?? 1;
  if (number < 1) throw bad('number shall be a positive integer');
  if (number > limits.maxKeyPerRequest)
    throw bad(`number shall not exceed max_key_per_request (${limits.maxKeyPerRequest})`);
  const size = intField(body.size, 'size') ?? limits.defaultKeySizeBits;
  if (size % 8 !== 0) throw bad(MSG.sizeMultiple);
  if (size < limits.minKeySizeBits || size > limits.maxKeySizeBits)
    throw bad(
      `size shall be between min_key_size (${limits.minKeySizeBits}) and max_key_size (${limits.maxKeySizeBits})`,
    );
  const extra = body.additional_slave_SAE_IDs;
  if (extra !== undefined && extra !== null) {
    if (!Array.isArray(extra)) throw bad('additional_slave_SAE_IDs shall be an array');
    if (extra.length > 0) throw bad('additional_slave_SAE_IDs: at most max_SAE_ID_count (0) additional slaves');
  }
  let route: RouteType | undefined;
  const unsupported: Record<string, unknown>[] = [];
  for (const [name, value] of extensions(body.extension_mandatory, 'extension_mandatory')) {
    if (name === ROUTE_EXTENSION) route = routeValue(value, 'extension_mandatory');
    else unsupported.push({ unsupported_extension_parameter: name });
  }
  if (unsupported.length) throw bad(MSG.extUnsupported, unsupported);
  let preferred: RouteType | undefined;
  for (const [name, value] of extensions(body.extension_optional, 'extension_optional')) {
    if (name === ROUTE_EXTENSION && value !== undefined) preferred = routeValue(value, 'extension_optional');
  }
  return { number, size, route: route ?? (preferred === 'direct' ? undefined : preferred) };
}

/** dec_keys key IDs from `{ key_IDs: [{ key_ID }] }` or GET `?key_ID=`; lower-cased canonical UUIDs. */
export function parseDecRequest(
  body: Record<string, unknown>,
  limits: RelayConfig['keys'],
  fromQuery: boolean,
): string[] {
  if (fromQuery) {
    const id = body.key_ID;
    if (typeof id !== 'string' || id === '') throw bad('key_ID is required');
    if (!UUID.test(id)) throw bad('key_ID shall be a UUID');
    return [id.toLowerCase()];
  }
  const list = body.key_IDs;
  if (!Array.isArray(list) || list.length === 0) throw bad('key_IDs shall be a non-empty array');
  if (list.length > limits.maxKeyPerRequest)
    throw bad(`key_IDs shall hold at most max_key_per_request (${limits.maxKeyPerRequest}) entries`);
  return list.map((entry: unknown, index) => {
    const id = typeof entry === 'object' && entry !== null ? (entry as Record<string, unknown>).key_ID : undefined;
    if (typeof id !== 'string' || !UUID.test(id)) throw bad(`key_IDs[${index}].key_ID shall be a UUID`);
    return id.toLowerCase();
  });
}

/**
 * An error of the services -> ETSI status and message: a QkdsatError as the error catalogue renders
 * its code (src/core/errors.ts); undefined when the catalogue expects no such code on the key path.
 */
export function etsiErrorOf(error: unknown): EtsiError | undefined {
  if (error instanceof EtsiError) return error;
  // Voided key material: 503 (the store cannot serve it); dec_keys lists the caller's voided IDs.
  if (error instanceof KeyIntegrityError) {
    const voided = error.callerKeyIds.map((id) => ({ voided_key_ID: id }));
    return new EtsiError(503, MSG.integrity, voided.length ? voided : undefined);
  }
  if (!(error instanceof QkdsatError)) return undefined;
  const rendering = ERROR_CATALOGUE[error.code].etsi;
  if (!rendering) return undefined;
  return new EtsiError(rendering.status, rendering.message ?? error.message, undefined, rendering.retryAfterS);
}
