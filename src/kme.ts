/**
 * KME process (composition root): the ETSI GS QKD 014 key server on KME_PORT (mutual TLS), its
 * lease settler, the fibre key simulation and the key-pool maintenance (src/kme-compose.ts). It
 * shares nothing with the planner API but Redis, so pass searches, plans and simulations never delay
 * key delivery. Any number of these may run on one Redis; `npm start` runs one as a child of the API.
 */
import { bootProcess, refuseToStart } from './boot.js';
import { startKme } from './kme-compose.js';
import { startMetricsEndpoint } from './platform/metrics.js';
import { exitIfPortInUse } from './platform/port-in-use.js';

// The deployment's one timeline (fibre key accrues on it, as passes do).
const { config, logger, shutdown, redis, clock } = await bootProcess({ processName: 'kme', stderrLabel: 'qkdsat kme' });
const { env } = config;
try {
  const kme = await startKme({ config, logger, redis, clock });
  for (const closer of kme.closers) shutdown.add(closer.name, closer.close);
  // ETSI request, key and bit counters of this KME (qkdsat_etsi_*), open on KME_METRICS_PORT.
  await startMetricsEndpoint(env.KME_METRICS_PORT, env.HOST, logger, (close) => shutdown.add('metrics http', close));
} catch (e) {
  exitIfPortInUse(e, { KME_PORT: env.KME_PORT, KME_METRICS_PORT: env.KME_METRICS_PORT }, env.HOST);
  refuseToStart('qkdsat kme', e, 1);
}
