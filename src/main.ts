/**
 * API process: REST for mission planners and the dashboard (PORT). It starts, as child processes,
 * the ETSI GS QKD 014 KME (src/kme.ts, KME_PORT) and QKDSAT_WORKERS BullMQ workers (src/worker.ts),
 * so key delivery and planning never share an event loop with each other or with this API.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { composeServices } from './compose.js';
import { createApp } from './api/app.js';
import { sharedClockOf } from './platform/clock.js';
import { loadConfig, REPO_ROOT, type Config } from './platform/config.js';
import { createLogger } from './platform/logger.js';
import { collectProcessMetrics, startMetricsEndpoint } from './platform/metrics.js';
import { createRedis, ensureRedis } from './platform/redis.js';
import { installProcessGuards, Shutdown } from './platform/shutdown.js';
import { exitIfPortInUse } from './platform/port-in-use.js';
import { QkdsatError } from './core/errors.js';

const version = (JSON.parse(readFileSync(resolve(REPO_ROOT, 'package.json'), 'utf8')) as { version: string }).version;

let config: Config;
try {
  config = loadConfig();
} catch (e) {
  process.stderr.write(`qkdsat: ${(e as Error).message}\n`);
  process.exit(2);
}
const { env } = config;
const logger = createLogger(env.LOG_LEVEL).child({ process: 'api' });
collectProcessMetrics('api');
const shutdown = new Shutdown(logger);
shutdown.installSignals();
installProcessGuards(logger);

try {
  const child = await ensureRedis(env.REDIS_URL, env.QKDSAT_VAR_DIR, logger, env.QKDSAT_SPAWN_REDIS);
  if (child)
    shutdown.add('redis-server child', () => {
      child.kill('SIGTERM');
    });
} catch (e) {
  process.stderr.write(`qkdsat: ${(e as QkdsatError).message}\n`);
  process.exit(1);
}
const redis = createRedis(env.REDIS_URL, 'command');
shutdown.add('redis', () => redis.quit());
// One simulated timeline for all processes of the deployment (see sharedClockOf).
const { clock, keepAlive } = await sharedClockOf(config, redis, `${env.QKDSAT_PREFIX}:clock`, Date.now, {
  reset: process.argv.includes('--reset-clock'),
});
shutdown.add('clock anchor', keepAlive());

const portVars = { PORT: env.PORT, KME_PORT: env.KME_PORT };
let services: Awaited<ReturnType<typeof composeServices>>;
try {
  services = await composeServices({ config, logger, clock, redis, reseed: process.argv.includes('--reseed') });
} catch (e) {
  exitIfPortInUse(e, portVars, env.HOST);
  if (!(e instanceof QkdsatError)) throw e;
  process.stderr.write(`qkdsat: ${e.message}\n`);
  await shutdown.run('refused to start');
  process.exit(e.code === 'VALIDATION' ? 2 : 1);
}
for (const c of services.closers) shutdown.add(c.name, c.close);
const app = createApp({
  logger,
  api: services.api,
  version,
  readiness: services.readiness,
  staticDir: resolve(REPO_ROOT, 'src/web'),
  staticMounts: {
    '/vendor/world-atlas': resolve(REPO_ROOT, 'node_modules/world-atlas'),
    '/vendor/topojson-client': resolve(REPO_ROOT, 'node_modules/topojson-client/dist'),
    '/vendor/chart.js': resolve(REPO_ROOT, 'node_modules/chart.js/dist'),
  },
  // /admin/queues needs the admin role; GET /metrics on PORT the viewer role (METRICS_PORT is open).
  ops: services.ops,
});
await startMetricsEndpoint(env.METRICS_PORT, env.HOST, logger, (close) => shutdown.add('metrics http', close));
// Express 5 calls back with the error when listening fails: only a bound server is "listening".
const server = app.listen(env.PORT, env.HOST, (err?: Error) => {
  if (err) {
    exitIfPortInUse(Object.assign(err, { port: env.PORT }), { PORT: env.PORT }, env.HOST);
    throw err;
  }
  logger.info(
    { port: env.PORT, host: env.HOST, clock: clock.kind, config: env.QKDSAT_CONFIG },
    `qkdsat REST listening on http://${env.HOST}:${env.PORT} (OpenAPI at /openapi.json)`,
  );
});
shutdown.add('http', () => new Promise((r) => server.close(() => r(undefined))));

/**
 * Supervises a child process of this deployment: stopped at shutdown; one that refuses to run (exit
 * 1 or 2: a port in use, bad configuration, no Redis; it has said why on stderr) ends the whole
 * deployment with its code; one that dies otherwise (a crash, a kill) is started again after 1 s.
 */
function startChild(name: string, entry: string, childEnv: Record<string, string> = {}): void {
  let stopping = false;
  let child: ChildProcess;
  const run = () => {
    child = spawn(process.execPath, ['--import', 'tsx', resolve(REPO_ROOT, entry)], {
      stdio: 'inherit',
      env: { ...process.env, ...childEnv },
    });
    logger.info({ pid: child.pid }, `started ${name} process`);
    child.once('exit', (code, signal) => {
      if (stopping) return;
      if (code === 1 || code === 2) {
        stopping = true;
        void shutdown.run(`${name} exited with code ${code}`).then(() => process.exit(code));
        return;
      }
      logger.warn({ code, signal }, `${name} process ended; starting it again in 1 s`);
      setTimeout(() => {
        if (!stopping) run();
      }, 1000).unref();
    });
  };
  run();
  shutdown.add(
    name,
    () =>
      new Promise((r) => {
        stopping = true;
        if (child.exitCode !== null || child.signalCode !== null) return r(undefined);
        child.once('exit', () => r(undefined));
        child.kill('SIGTERM');
      }),
  );
}

// The KME and the workers run as their own processes; docker compose runs them as their own services.
// Child n serves its metrics on the base port + n (0 stays off).
const nth = (base: number, i: number) => String(base === 0 ? 0 : base + i);
for (let i = 0; i < env.QKDSAT_KMES; i += 1)
  startChild(`kme ${i}`, 'src/kme.ts', { KME_METRICS_PORT: nth(env.KME_METRICS_PORT, i) });
for (let i = 0; i < env.QKDSAT_WORKERS; i += 1)
  startChild(`worker ${i}`, 'src/worker.ts', { WORKER_METRICS_PORT: nth(env.WORKER_METRICS_PORT, i) });
