/**
 * Development secrets kept in files under the var directory (var/admin-token, var/planner-token,
 * var/viewer-token): created with mode 0600 on first use (exclusive create, so racing processes
 * keep one value), then read back and checked. Production passes them through the environment.
 * (Same files and rules as relay/adapters/var-secret.ts, so the relay and the API share the admin token.)
 */
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { QkdsatError } from '../core/errors.js';
import type { Env } from './config.js';

const TOKEN_PATTERN = /^[\x21-\x7e]{16,512}$/;

export interface VarSecret {
  value: string;
  path: string;
  created: boolean;
}

export function loadOrCreateVarSecret(
  varDir: string,
  name: string,
  generate: () => string,
  pattern: RegExp,
  what: string,
): VarSecret {
  const path = join(varDir, name);
  let created = false;
  if (!existsSync(path)) {
    mkdirSync(varDir, { recursive: true });
    try {
      writeFileSync(path, generate() + '\n', { mode: 0o600, flag: 'wx' });
      created = true;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
  }
  chmodSync(path, 0o600);
  const value = readFileSync(path, 'utf8').trim();
  if (!pattern.test(value)) throw new QkdsatError('VALIDATION', `${path} does not hold ${what}`);
  return { value, path, created };
}

export interface RoleTokens {
  tokens: { viewer: string; planner: string; admin: string };
  /** Per role: the environment variable, or the file it was read from (never the token). */
  sources: { viewer: string; planner: string; admin: string };
}

/** QKDSAT_{VIEWER,PLANNER,ADMIN}_TOKEN, each else generated into `<var>/<role>-token`. */
export function loadRoleTokens(
  env: Pick<Env, 'QKDSAT_VIEWER_TOKEN' | 'QKDSAT_PLANNER_TOKEN' | 'QKDSAT_ADMIN_TOKEN' | 'QKDSAT_VAR_DIR'>,
): RoleTokens {
  const one = (role: 'viewer' | 'planner' | 'admin', fromEnv: string | undefined, envName: string) => {
    if (fromEnv) return { token: fromEnv, source: envName };
    const f = loadOrCreateVarSecret(
      env.QKDSAT_VAR_DIR,
      `${role}-token`,
      () => randomBytes(32).toString('base64url'),
      TOKEN_PATTERN,
      `a ${role} token (16-512 printable ASCII characters)`,
    );
    return { token: f.value, source: f.path };
  };
  const v = one('viewer', env.QKDSAT_VIEWER_TOKEN, 'QKDSAT_VIEWER_TOKEN');
  const p = one('planner', env.QKDSAT_PLANNER_TOKEN, 'QKDSAT_PLANNER_TOKEN');
  const a = one('admin', env.QKDSAT_ADMIN_TOKEN, 'QKDSAT_ADMIN_TOKEN');
  return {
    tokens: { viewer: v.token, planner: p.token, admin: a.token },
    sources: { viewer: v.source, planner: p.source, admin: a.source },
  };
}
