/**
 * A development secret kept in a file under the var directory (var/kek.hex, var/admin-token):
 * created with mode 0600 on first use (exclusive create, so racing processes keep one value),
 * then read back and checked against `pattern`. Production passes the secret through env instead.
 */
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { QkdsatError } from '../../src/core/errors.js';

export interface VarSecret { value: string; path: string; created: boolean }

export function loadOrCreateVarSecret(varDir: string, name: string, generate: () => string, pattern: RegExp, what: string): VarSecret {
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
