/**
 * The one Lua facility for every component (relay, scheduler, tle): loads a script with its
 * component's prelude, declares how many KEYS it takes, maps its negative return codes to
 * `QkdsatError` codes (whose REST, ETSI and job meaning the error catalogue in src/core/errors.ts
 * gives), and, for mutating scripts, makes a replay harmless.
 *
 * Idempotence. ioredis re-sends unanswered commands after a reconnect (`autoResendUnfulfilledCommands`;
 * BullMQ relies on it), so any script may run twice. An idempotent script is called with an
 * operation ID chosen by the caller before the first send; the loader appends the ledger key
 * `<prefix>op:<opId>` as the last KEYS entry and wraps the body: a first run stores its reply
 * there (with a TTL longer than any retry) in the same atomic step, and a replay returns that
 * reply without running the body again. Hot paths that keep their own ledger (the KME's leases)
 * say so with `idempotent: 'own'` and take the operation ID as an argument.
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { Redis } from 'ioredis';
import { QkdsatError, type ErrorCode } from '../core/errors.js';

export interface LuaScriptSpec {
  /** Unique command name, e.g. `relay_deposit`. */
  name: string;
  /** Path of the script body. */
  file: string;
  /** Source prepended to the body (shared helpers), if any. */
  prelude?: string;
  /** KEYS the body declares (not counting the ledger key). */
  keys: number;
  /**
   * TTL of the operation ledger entry in ms; `'own'` when the script keeps its own ledger or its
   * effect is a function of its arguments alone (running it twice leaves what running it once did).
   */
  idempotent: number | 'own';
  /** Negative return codes -> error code and message. */
  errors?: Record<number, { code: ErrorCode; message: string }>;
}

export interface LuaScript extends LuaScriptSpec {
  source: string;
}

function wrap(body: string, ttlMs: number): string {
  return [
    'local function __body()',
    body,
    'end',
    'local __op = KEYS[#KEYS]',
    "local __prior = redis.call('GET', __op)",
    'if __prior then return cjson.decode(__prior) end',
    'local __out = __body()',
    `redis.call('SET', __op, cjson.encode(__out), 'PX', ${Math.round(ttlMs)})`,
    'return __out',
  ].join('\n');
}

export function loadLua(spec: LuaScriptSpec): LuaScript {
  const body = readFileSync(spec.file, 'utf8');
  const wrapped = spec.idempotent === 'own' ? body : wrap(body, spec.idempotent);
  return { ...spec, source: spec.prelude ? `${spec.prelude}\n${wrapped}` : wrapped };
}

/** A fresh operation ID: the issuing time in ms, then a UUID (hot-path ledgers bucket by the time). */
export const newOpId = (nowMs: number = Date.now()): string => `${nowMs}-${randomUUID()}`;

type ScriptFn = (...args: (string | number)[]) => Promise<unknown>;

/** Defines the script as a command on this connection (once) and returns the command's name. */
function commandOf(redis: Redis, script: LuaScript): string {
  const cmd = `qkdsat_${script.name}`;
  if (typeof (redis as unknown as Record<string, unknown>)[cmd] !== 'function') {
    redis.defineCommand(cmd, { numberOfKeys: script.keys + (script.idempotent === 'own' ? 0 : 1), lua: script.source });
  }
  return cmd;
}

/** Redis trouble (refused, timed out, reset, retries exhausted) on the request path: a fast 503. */
export function unavailable(error: unknown, what: string): QkdsatError {
  if (error instanceof QkdsatError) return error;
  return new QkdsatError('UNAVAILABLE', `${what}: ${(error as Error)?.message ?? String(error)}`);
}

export interface RunOptions {
  keys?: string[];
  args: (string | number)[];
  /** The ledger key of an idempotent script: `<prefix>op:<opId>` under the component's prefix. */
  opKey?: string;
  /** Names what the call was about in error messages (e.g. a booking ID). */
  subject?: string;
}

/** The registered command name and argument list of one script call, after checking KEYS and ledger. */
export function scriptCall(
  redis: Redis,
  script: LuaScript,
  options: RunOptions,
): { command: string; argv: (string | number)[] } {
  const keys = options.keys ?? [];
  if (keys.length !== script.keys)
    throw new QkdsatError('INTERNAL', `script ${script.name}: ${keys.length} keys given, ${script.keys} declared`);
  if (script.idempotent !== 'own' && !options.opKey)
    throw new QkdsatError('INTERNAL', `script ${script.name}: idempotent script called without an operation ID`);
  const ledger = options.opKey ? [options.opKey] : [];
  return { command: commandOf(redis, script), argv: [...keys, ...ledger, ...options.args] };
}

/** A script's reply, or (a negative code) the error it stands for: its declared code, else INTERNAL. */
export function scriptReply(script: LuaScript, reply: unknown, subject?: string): unknown {
  if (typeof reply !== 'number' || reply >= 0) return reply;
  const known = script.errors?.[reply];
  if (!known) throw new QkdsatError('INTERNAL', `script ${script.name} returned ${reply}`);
  throw new QkdsatError(known.code, subject ? `${subject}: ${known.message}` : known.message);
}

/**
 * Runs a script and returns its reply; a negative integer reply listed in `errors` throws that
 * error. Connection trouble throws UNAVAILABLE: the outcome is then unknown, and the caller may
 * run the same operation ID again to learn it.
 */
export async function runLua(redis: Redis, script: LuaScript, options: RunOptions): Promise<unknown> {
  const { command, argv } = scriptCall(redis, script, options);
  let reply: unknown;
  try {
    reply = await (redis as unknown as Record<string, ScriptFn>)[command]!.call(redis, ...argv);
  } catch (error) {
    throw unavailable(error, `redis script ${script.name}`);
  }
  return scriptReply(script, reply, options.subject);
}
