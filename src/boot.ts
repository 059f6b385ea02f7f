/**
 * What every process of a deployment starts from (API, KME, worker): the config read once, a pino
 * logger named after the process, its metrics, the shutdown sequence, one Redis command connection
 * and the deployment's one timeline. A process that cannot start says why in one line on stderr and
 * exits 2 (bad configuration) or 1 (no Redis), the codes `npm start` reads from its children.
 */
import type { Redis } from 'ioredis';
import { sharedClockOf, type Clock } from './platform/clock.js';
import { loadConfig, type Config } from './platform/config.js';
import { createLogger, type Logger } from './platform/logger.js';
import { collectProcessMetrics } from './platform/metrics.js';
import { createRedis, ensureRedis } from './platform/redis.js';
import { installProcessGuards, Shutdown } from './platform/shutdown.js';

export interface ProcessBase {
  config: Config;
  logger: Logger;
  shutdown: Shutdown;
  redis: Redis;
  clock: Clock;
}

export interface BootOptions {
  /** The process's name in logs and metrics. */
  processName: 'api' | 'kme' | 'worker';
  /** How its one-line refusals on stderr start (`qkdsat`, `qkdsat kme`). */
  stderrLabel: string;
  /** How long the shutdown waits for its steps (default: Shutdown's). */
  shutdownTimeoutMs?: number;
  /** Start a child redis-server when none answers (the API of `npm start`); others never do. */
  mayStartRedis?: boolean;
  /** Restart the simulated timeline at its configured start (`--reset-clock`). */
  resetClock?: boolean;
}

/** Writes one line naming why the process cannot run, then exits with `code`. */
export function refuseToStart(stderrLabel: string, error: unknown, code: 1 | 2): never {
  process.stderr.write(`${stderrLabel}: ${(error as Error).message}\n`);
  process.exit(code);
}

function loadConfigOrExit(stderrLabel: string): Config {
  try {
    return loadConfig();
  } catch (e) {
    return refuseToStart(stderrLabel, e, 2);
  }
}

export async function bootProcess(options: BootOptions): Promise<ProcessBase> {
  const config = loadConfigOrExit(options.stderrLabel);
  const { env } = config;
  const logger = createLogger(env.LOG_LEVEL).child({ process: options.processName });
  collectProcessMetrics(options.processName);
  const shutdown = new Shutdown(logger, options.shutdownTimeoutMs);
  shutdown.installSignals();
  installProcessGuards(logger);
  try {
    const spawnMode = options.mayStartRedis ? env.QKDSAT_SPAWN_REDIS : 'never';
    const redisServer = await ensureRedis(env.REDIS_URL, env.QKDSAT_VAR_DIR, logger, spawnMode);
    if (redisServer) shutdown.add('redis-server child', () => redisServer.kill('SIGTERM'));
  } catch (e) {
    refuseToStart(options.stderrLabel, e, 1);
  }
  const redis = createRedis(env.REDIS_URL, 'command', {}, logger);
  shutdown.add('redis', () => redis.quit());
  // One simulated timeline for all processes of the deployment (see sharedClockOf).
  const { clock, keepAlive } = await sharedClockOf(config, redis, `${env.QKDSAT_PREFIX}:clock`, Date.now, {
    reset: options.resetClock ?? false,
  });
  shutdown.add('clock anchor', keepAlive());
  return { config, logger, shutdown, redis, clock };
}
