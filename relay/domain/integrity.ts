/**
 * Stored key material that fails its AES-GCM authentication (tampered in Redis, or sealed under
 * another KEK) is never delivered: the store voids it atomically and throws this error, which
 * carries record IDs, pools and sizes only, never bytes. ETSI GS QKD 014 answers it with a 503.
 */
import { QkdsatError } from '../../src/core/errors.js';

export const INTEGRITY_MESSAGE = 'stored key material failed its integrity check and was voided; retry';

export interface VoidedRecord {
  /** Segment ID (pool side) or key ID (awaiting its slave). */
  id: string;
  /** The pool it was drawn from; absent for keys already bound to a (master, slave) pair. */
  pool?: string;
  bits: number;
}

export class KeyIntegrityError extends QkdsatError {
  constructor(
    readonly voided: readonly VoidedRecord[],
    /** Key IDs the caller named itself (dec_keys), which the answer may therefore list. */
    readonly callerKeyIds: readonly string[] = [],
  ) {
    super('UNAVAILABLE', INTEGRITY_MESSAGE);
  }
}
