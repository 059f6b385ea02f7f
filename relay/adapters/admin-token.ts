/**
 * The bearer token of `POST /v1/admin/deposits`: QKDSAT_ADMIN_TOKEN or, when unset, a random one in
 * `<var>/admin-token`, created with mode 0600 on first start and kept (like var/kek.hex and var/pki),
 * so that every process sharing var/ accepts the same token. Checked in constant time: SHA-256 of
 * both sides (equal lengths whatever was sent), compared with timingSafeEqual.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { loadOrCreateVarSecret } from './var-secret.js';

/** The same rule as the QKDSAT_ADMIN_TOKEN env entry (src/platform/config.ts). */
export const ADMIN_TOKEN_PATTERN = /^[\x21-\x7e]{16,512}$/;

export interface AdminTokenSource {
  token: string;
  /** `QKDSAT_ADMIN_TOKEN`, or the file's path. */
  source: string;
  created: boolean;
}

export function loadOrCreateAdminToken(envToken: string | undefined, varDir: string): AdminTokenSource {
  if (envToken) return { token: envToken, source: 'QKDSAT_ADMIN_TOKEN', created: false };
  const f = loadOrCreateVarSecret(varDir, 'admin-token', () => randomBytes(32).toString('base64url'), ADMIN_TOKEN_PATTERN, 'an admin token (16-512 printable ASCII characters)');
  return { token: f.value, source: f.path, created: f.created };
}

export type BearerVerdict = 'ok' | 'missing' | 'invalid';

/** Checks an `Authorization` header against the token without leaking, by timing, how much matched. */
export function bearerChecker(token: string): (authorization: string | undefined) => BearerVerdict {
  const expected = createHash('sha256').update(token, 'utf8').digest();
  return (authorization) => {
    const m = /^Bearer +(\S+) *$/i.exec(authorization ?? '');
    if (!m) return 'missing';
    const given = createHash('sha256').update(m[1]!, 'utf8').digest();
    return timingSafeEqual(given, expected) ? 'ok' : 'invalid';
  };
}
