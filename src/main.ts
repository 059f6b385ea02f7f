/**
 * API process: REST for mission planners and the dashboard (PORT). It starts, as child processes,
 * the ETSI GS QKD 014 KME (src/kme.ts, KME_PORT) and QKDSAT_WORKERS BullMQ workers (src/worker.ts),
 * so key delivery and planning never share an event loop with each other or with this API.
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { composeServices } from './compose.js';
import { createApp } from './api/app.js';
import { sharedClockOf } from './platform/clock.js';
import { loadConfig, REPO_ROOT, type Config } from './platform/config.js';
import { createLogger } from './platform/logger.js';
import { createRedis, ensureRedis } from './platform/redis.js';
import { installProcessGuards, Shutdown } from './platform/shutdown.js';
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
const logger = createLogger(env.LOG_LEVEL);
const shutdown = new Shutdown(logger);
shutdown.installSignals();
installProcessGuards(logger);

try {
  const child = await ensureRedis(env.REDIS_URL, env.QKDSAT_VAR_DIR, logger, env.QKDSAT_SPAWN_REDIS);
  if (child) shutdown.add('redis-server child', () => { child.kill('SIGTERM'); });
} catch (e) {
  process.stderr.write(`qkdsat: ${(e as QkdsatError).message}\n`);
  process.exit(1);
}
const redis = createRedis(env.REDIS_URL, 'command');
shutdown.add('redis', () => redis.quit());
// One simulated timeline for all processes of the deployment (see sharedClockOf).
const { clock, keepAlive } = await sharedClockOf(config, redis, `${env.QKDSAT_PREFIX}:clock`);
shutdown.add('clock anchor', keepAlive());

const services = await composeServices({ config, logger, clock, redis });
for (const c of services.closers) shutdown.add(c.name, c.close);
const app = createApp({ logger, api: services.api, version, readiness: services.readiness, staticDir: resolve(REPO_ROOT, 'src/web'),
  staticMounts: {
    '/vendor/world-atlas': resolve(REPO_ROOT, 'node_modules/world-atlas'),
    '/vendor/topojson-client': resolve(REPO_ROOT, 'node_modules/topojson-client/dist'),
  },
});
const server = app.listen(env.PORT, env.HOST, () => {
  logger.info({ port: env.PORT, clock: clock.kind, config: env.QKDSAT_CONFIG }, `qkdsat REST listening on http://127.0.0.1:${env.PORT} (OpenAPI at /openapi.json)`);
});
shutdown.add('http', () => new Promise((r) => server.close(() => r(undefined))));

/** Starts a child process of this deployment and stops it at shutdown. */
function startChild(name: string, entry: string): void {
  const child = spawn(process.execPath, ['--import', 'tsx', resolve(REPO_ROOT, entry)], { stdio: 'inherit', env: process.env });
  logger.info({ pid: child.pid }, `started ${name} process`);
  shutdown.add(name, () => new Promise((r) => {
    if (child.exitCode !== null) return r(undefined);
    child.once('exit', () => r(undefined));
    child.kill('SIGTERM');
  }));
}

// The KME and the workers run as their own processes; docker compose runs them as their own services.
if (env.QKDSAT_SPAWN_KME === 'auto') startChild('kme', 'src/kme.ts');
for (let i = 0; i < env.QKDSAT_WORKERS; i += 1) startChild(`worker ${i}`, 'src/worker.ts');
