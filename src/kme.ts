/**
 * KME process (composition root): the ETSI GS QKD 014 key server on KME_PORT (mutual TLS), its
 * lease settler, the fibre key simulation and the key-pool maintenance. It shares nothing with the
 * planner API but Redis, so pass searches, plans and simulations never delay key delivery. Any
 * number of these may run on one Redis; `npm start` runs one as a child of the API process.
 */
import { startKme } from '../relay/index.js';
import { sharedClockOf } from './platform/clock.js';
import { loadConfig, type Config } from './platform/config.js';
import { createLogger } from './platform/logger.js';
import { collectProcessMetrics, startMetricsEndpoint } from './platform/metrics.js';
import { createRedis, ensureRedis } from './platform/redis.js';
import { exitIfPortInUse } from './platform/port-in-use.js';
import { installProcessGuards, Shutdown } from './platform/shutdown.js';

let config: Config;
try {
  config = loadConfig();
} catch (e) {
  process.stderr.write(`qkdsat kme: ${(e as Error).message}\n`);
  process.exit(2);
}
const { env } = config;
const logger = createLogger(env.LOG_LEVEL).child({ process: 'kme' });
collectProcessMetrics('kme');
const shutdown = new Shutdown(logger);
shutdown.installSignals();
installProcessGuards(logger);

try {
  await ensureRedis(env.REDIS_URL, env.QKDSAT_VAR_DIR, logger, 'never');
} catch (e) {
  process.stderr.write(`qkdsat kme: ${(e as Error).message}\n`);
  process.exit(1);
}
const redis = createRedis(env.REDIS_URL, 'command');
shutdown.add('redis', () => redis.quit());
// The deployment's one timeline (fibre key accrues on it, as passes do).
const { clock, keepAlive } = await sharedClockOf(config, redis, `${env.QKDSAT_PREFIX}:clock`);
shutdown.add('clock anchor', keepAlive());
try {
  const kme = await startKme({ config, logger, redis, clock });
  for (const c of kme.closers) shutdown.add(c.name, c.close);
  // ETSI request, key and bit counters of this KME (qkdsat_etsi_*), open on KME_METRICS_PORT.
  await startMetricsEndpoint(env.KME_METRICS_PORT, env.HOST, logger, (close) => shutdown.add('metrics http', close));
} catch (e) {
  exitIfPortInUse(e, { KME_PORT: env.KME_PORT, KME_METRICS_PORT: env.KME_METRICS_PORT }, env.HOST);
  process.stderr.write(`qkdsat kme: ${(e as Error).message}\n`);
  process.exit(1);
}
