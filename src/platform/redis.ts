/**
 * Redis connections. Three roles, per BullMQ's advice: `command` and `queue` fail fast when Redis is
 * away; `worker` (blocking BullMQ workers) retries forever (`maxRetriesPerRequest: null`).
 * Fail fast: a command unanswered within REQUEST_TIMEOUT_MS (Redis stopped, paused or unreachable)
 * rejects, and the request answers 503 within a second; reconnection is retried every
 * RECONNECT_MS at most, so service resumes within a second of Redis returning. ioredis's re-send of
 * unanswered commands after a reconnect stays on: every mutating script is idempotent under its
 * operation ID (src/platform/lua.ts), so a re-sent one changes nothing.
 * `ensureRedis` makes `npm start` work on a fresh machine: when nothing answers at REDIS_URL and
 * `redis-server` is on the PATH, it starts one with its data under var/redis (AOF on).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { Redis, type RedisOptions } from 'ioredis';
import { pino } from 'pino';
import { QkdsatError } from '../core/errors.js';
import { createLogger, type Logger } from './logger.js';

export type RedisRole = 'command' | 'queue' | 'worker';

export const REQUEST_TIMEOUT_MS = 700;
const RECONNECT_MS = 200;

/** Between two logged connection errors of one connection: an outage logs a line per 10 s, not per retry. */
const ERROR_LOG_INTERVAL_MS = 10_000;

/**
 * Logs a connection's errors at a bounded rate: the first at once, then at most one per
 * ERROR_LOG_INTERVAL_MS with how many were not logged. Only the message and code: never the URL,
 * which may carry a password. Without a listener ioredis prints "Unhandled error event" on each retry.
 */
export function logConnectionErrors(redis: Redis, logger: Logger, message = 'redis connection error'): void {
  let lastLoggedMs = -Infinity;
  let unlogged = 0;
  redis.on('error', (error: NodeJS.ErrnoException) => {
    const nowMs = Date.now();
    if (nowMs - lastLoggedMs < ERROR_LOG_INTERVAL_MS) {
      unlogged += 1;
      return;
    }
    logger.warn({ err: error.message, code: error.code, unlogged }, message);
    lastLoggedMs = nowMs;
    unlogged = 0;
  });
}

/**
 * A connection in one of the three roles. Its errors go to `logger` at a bounded rate (default: a
 * logger on stderr, so no connection error ever lands in a CLI verb's stdout).
 */
export function createRedis(
  url: string,
  role: RedisRole = 'command',
  extra: RedisOptions = {},
  logger: Logger = createLogger('info', pino.destination(2)),
): Redis {
  const retryStrategy = (times: number) => Math.min(times * 50, RECONNECT_MS);
  const options: RedisOptions =
    role === 'worker'
      ? { maxRetriesPerRequest: null, enableReadyCheck: true, retryStrategy }
      : {
          maxRetriesPerRequest: 1,
          enableOfflineQueue: role === 'command',
          connectTimeout: 1000,
          commandTimeout: REQUEST_TIMEOUT_MS,
          retryStrategy,
        };
  const redis = new Redis(url, { lazyConnect: false, ...options, ...extra });
  logConnectionErrors(redis, logger.child({ component: 'redis', role }));
  return redis;
}

/** Where a Redis is and how to log in to it. */
export interface RedisEndpoint {
  host: string;
  port: number;
  password?: string;
  db?: number;
}

/**
 * Connection options of REDIS_URL for BullMQ queues and workers, which open their own connections:
 * host, port, and the password and database when the URL names them.
 */
export function redisConnectionOptions(url: string): RedisEndpoint {
  const parsed = new URL(url);
  return {
    host: parsed.hostname,
    port: Number(parsed.port || 6379),
    ...(parsed.password ? { password: decodeURIComponent(parsed.password) } : {}),
    ...(parsed.pathname.length > 1 ? { db: Number(parsed.pathname.slice(1)) } : {}),
  };
}

/** True when a Redis answers PING at `url` within `timeoutMs`. */
async function redisAnswers(url: string, timeoutMs = 1500): Promise<boolean> {
  const probe = new Redis(url, {
    lazyConnect: true,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
    connectTimeout: timeoutMs,
  });
  probe.on('error', () => undefined);
  try {
    await probe.connect();
    return (await probe.ping()) === 'PONG';
  } catch {
    return false;
  } finally {
    probe.disconnect();
  }
}

const HOW_TO_GET_REDIS =
  'Start Redis 7 and set REDIS_URL: `docker compose up -d redis` (see docker-compose.yml), ' +
  'or `sudo apt-get install redis-server` and `redis-server --port 6379`.';

/**
 * Returns the child process it started (to stop at shutdown), or undefined when Redis already answered.
 * Throws UNAVAILABLE with instructions when no Redis can be had.
 */
export async function ensureRedis(
  url: string,
  varDir: string,
  logger: Logger,
  spawnMode: 'auto' | 'never' = 'auto',
): Promise<ChildProcess | undefined> {
  if (await redisAnswers(url)) return undefined;
  const u = new URL(url);
  const local = ['127.0.0.1', 'localhost', '::1', '[::1]'].includes(u.hostname);
  const hasServer = spawnSync('redis-server', ['--version'], { stdio: 'ignore' }).status === 0;
  if (spawnMode === 'never' || !local || !hasServer) {
    throw new QkdsatError('UNAVAILABLE', `no Redis answers at ${url}. ${HOW_TO_GET_REDIS}`);
  }
  const dir = resolve(varDir, 'redis');
  mkdirSync(dir, { recursive: true });
  const port = u.port || '6379';
  const child = spawn(
    'redis-server',
    [
      '--port',
      port,
      '--bind',
      '127.0.0.1',
      '--dir',
      dir,
      '--appendonly',
      'yes',
      '--appendfsync',
      'always',
      '--maxmemory-policy',
      'noeviction',
      '--hz',
      '100',
      '--save',
      '',
    ],
    // Its own process group: Ctrl-C reaches the services, which close their connections first;
    // the server is stopped last by the shutdown (no error lines from connections cut mid-close).
    { stdio: 'ignore', detached: true },
  );
  logger.warn({ url, dir, pid: child.pid }, 'no Redis answered: started redis-server as a child process (AOF on)');
  for (let i = 0; i < 50; i += 1) {
    if (await redisAnswers(url, 500)) return child;
    await new Promise((r) => setTimeout(r, 100));
  }
  child.kill();
  throw new QkdsatError('UNAVAILABLE', `started redis-server but it does not answer at ${url}. ${HOW_TO_GET_REDIS}`);
}

/**
 * Runs a pipeline or MULTI and returns its replies; the first failed command's error is thrown
 * (a timed-out or reset connection fails every command of it), never a reply read as data.
 */
export async function execAll(batch: { exec(): Promise<[Error | null, unknown][] | null> }): Promise<unknown[]> {
  const res = await batch.exec();
  if (!res) throw new QkdsatError('UNAVAILABLE', 'redis: transaction aborted');
  const failed = res.find(([e]) => e);
  if (failed) throw failed[0];
  return res.map(([, v]) => v);
}
