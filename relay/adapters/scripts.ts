/**
 * The relay's Lua scripts (lua/*.lua, each with lua/prelude.lua), loaded through the one Lua
 * facility (src/platform/lua.ts) with their error codes. Mutating scripts are idempotent under the
 * caller's operation ID: the loader's ledger, or the KME's own leases.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadLua, type LuaScript, type LuaScriptSpec } from '../../src/platform/lua.js';

const dir = join(dirname(fileURLToPath(import.meta.url)), 'lua');
const prelude = readFileSync(join(dir, 'prelude.lua'), 'utf8');

/** Ledger TTL of pool operations: far longer than any retry (a pass job may be retried for hours). */
const POOL_OP_TTL_MS = 7 * 86_400_000;
/** Ledger TTL of maintenance runs (each tick is a new operation). */
const MAINTENANCE_OP_TTL_MS = 600_000;

const insufficient = { code: 'INSUFFICIENT_KEY', message: 'insufficient key material' } as const;
const notFound = { code: 'NOT_FOUND', message: 'one or more keys specified are not found on KME' } as const;
const staleOp = { code: 'UNAVAILABLE', message: 'operation ID outside its time window' } as const;
const rateLimited = { code: 'RATE_LIMITED', message: 'too many requests' } as const;

const spec = (name: string, idempotent: number | 'own', errors: LuaScriptSpec['errors'] = {}): LuaScript =>
  loadLua({
    name: `relay_${name.replace(/-/g, '_')}`,
    file: join(dir, `${name}.lua`),
    prelude,
    keys: 0,
    idempotent,
    errors,
  });

export const RELAY_SCRIPTS = {
  deposit: spec('deposit', POOL_OP_TTL_MS),
  reserve: spec('reserve', POOL_OP_TTL_MS, { [-1]: insufficient }),
  commit: spec('commit', POOL_OP_TTL_MS, { [-2]: { code: 'CONFLICT', message: 'reservation expired before commit' } }),
  releaseStale: spec('release-stale', MAINTENANCE_OP_TTL_MS),
  sweepExpired: spec('sweep-expired', MAINTENANCE_OP_TTL_MS),
  sweepLeases: spec('sweep-leases', MAINTENANCE_OP_TTL_MS),
  voidReserved: spec('void-reserved', POOL_OP_TTL_MS),
  kmeEnc: spec('kme-enc', 'own', { [-1]: insufficient, [-7]: staleOp, [-8]: staleOp, [-9]: rateLimited }),
  kmeDec: spec('kme-dec', 'own', {
    [-1]: notFound,
    [-3]: { code: 'UNAUTHORIZED', message: 'unauthorized' },
    [-4]: { code: 'UNAVAILABLE', message: 'a key is held by another request not yet settled; retry' },
    [-7]: staleOp,
    [-9]: rateLimited,
  }),
  kmeStatus: spec('kme-status', 'own', { [-9]: rateLimited }),
  kmeSettle: spec('kme-settle', 'own'),
  kmeVoid: spec('kme-void', 'own'),
} satisfies Record<string, LuaScript>;
