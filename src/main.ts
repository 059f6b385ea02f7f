/**
 * API process: REST for mission planners and the dashboard (PORT). It starts, as child processes,
 * the ETSI GS QKD 014 KME (src/kme.ts, KME_PORT) and QKDSAT_WORKERS BullMQ workers (src/worker.ts),
 * so key delivery and planning never share an event loop with each other or with this API.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { bootProcess } from './boot.js';
import { composeServices } from './compose.js';
import { createApp } from './api/app.js';
import { REPO_ROOT } from './platform/config.js';
import { startMetricsEndpoint } from './platform/metrics.js';
import { exitIfPortInUse } from './platform/port-in-use.js';
import { nthMetricsPort, superviseChild } from './platform/supervise.js';
import { QkdsatError } from './core/errors.js';

const packageFile = resolve(REPO_ROOT, 'package.json');
const version = (JSON.parse(readFileSync(packageFile, 'utf8')) as { version: string }).version;

const base = await bootProcess({
  processName: 'api',
  stderrLabel: 'qkdsat',
  mayStartRedis: true,
  resetClock: process.argv.includes('--reset-clock'),
});
const { config, logger, shutdown, clock } = base;
const { env } = config;

async function composeOrExit() {
  try {
    return await composeServices({ ...base, reseed: process.argv.includes('--reseed') });
  } catch (e) {
    exitIfPortInUse(e, { PORT: env.PORT, KME_PORT: env.KME_PORT }, env.HOST);
    if (!(e instanceof QkdsatError)) throw e;
    process.stderr.write(`qkdsat: ${e.message}\n`);
    await shutdown.run('refused to start');
    return process.exit(e.code === 'VALIDATION' ? 2 : 1);
  }
}
const services = await composeOrExit();
for (const closer of services.closers) shutdown.add(closer.name, closer.close);
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
  // Children start once REST is bound: a REST port in use (exit 1 above) leaves no orphaned child.
  startChildren();
});
shutdown.add('http', () => new Promise((closed) => server.close(() => closed(undefined))));

// The KME and the workers run as their own processes; docker compose runs them as their own services.
function startChildren(): void {
  const childKinds = [
    { name: 'kme', entry: 'src/kme.ts', count: env.QKDSAT_KMES, portVariable: 'KME_METRICS_PORT' },
    { name: 'worker', entry: 'src/worker.ts', count: env.QKDSAT_WORKERS, portVariable: 'WORKER_METRICS_PORT' },
  ] as const;
  for (const kind of childKinds)
    for (let index = 0; index < kind.count; index += 1) {
      const metricsPort = nthMetricsPort(env[kind.portVariable], index);
      superviseChild(
        { name: `${kind.name} ${index}`, entry: kind.entry, env: { [kind.portVariable]: metricsPort } },
        logger,
        shutdown,
      );
    }
}
