/**
 * Loads the Lua scripts (each with the shared audit prelude) and maps their negative return codes
 * to errors in one place.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Redis } from 'ioredis';
import { QkdsatError } from '../../src/core/errors.js';

const dir = join(dirname(fileURLToPath(import.meta.url)), 'lua');
const prelude = readFileSync(join(dir, 'audit.lua'), 'utf8');

export const SCRIPT_NAMES = [
  'deposit', 'reserve', 'commit', 'take-for-slave', 'take-units', 'release-stale', 'sweep-expired',
  'void-reserved', 'void-units', 'void-taken',
] as const;
export type ScriptName = (typeof SCRIPT_NAMES)[number];

const commandName = (name: ScriptName) => `qkdsatRelay_${name.replace(/-/g, '_')}`;

/** Registers every script on the connection (EVALSHA with EVAL fallback, by ioredis). */
export function defineScripts(redis: Redis): void {
  for (const name of SCRIPT_NAMES) {
    const cmd = commandName(name);
    if (typeof (redis as unknown as Record<string, unknown>)[cmd] === 'function') continue;
    redis.defineCommand(cmd, { numberOfKeys: 0, lua: `${prelude}\n${readFileSync(join(dir, `${name}.lua`), 'utf8')}` });
  }
}

export async function runScript(redis: Redis, name: ScriptName, args: (string | number)[]): Promise<unknown> {
  const fn = (redis as unknown as Record<string, (...a: (string | number)[]) => Promise<unknown>>)[commandName(name)]!;
  try {
    return await fn.call(redis, ...args);
  } catch (e) {
    throw new QkdsatError('UNAVAILABLE', `key store: ${(e as Error).message}`);
  }
}

/** The one mapping from scripts' negative return codes to errors. */
export function scriptFailure(name: ScriptName, code: number): QkdsatError {
  switch (code) {
    case -1:
      return name === 'take-for-slave'
        ? new QkdsatError('NOT_FOUND', 'one or more keys specified are not found on KME')
        : new QkdsatError('INSUFFICIENT_KEY', 'insufficient key material');
    case -2:
      return new QkdsatError('CONFLICT', 'reservation expired before commit');
    case -3:
      return new QkdsatError('UNAUTHORIZED', 'unauthorized');
    case -4:
      return new QkdsatError('CONFLICT', 'pool units differ from the requested size');
    default:
      return new QkdsatError('INTERNAL', `script ${name} returned ${code}`);
  }
}
