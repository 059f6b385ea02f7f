/**
 * Prometheus metrics (prom-client). One registry per process: the API, each KME and each worker
 * serves its own on its own port (METRICS_PORT, KME_METRICS_PORT, WORKER_METRICS_PORT) and the API
 * also at GET /metrics. Every name starts with `qkdsat_` and carries its unit (`_seconds`, `_bits`);
 * README "Metrics" lists them. Labels take values from bounded sets only (route patterns, configured
 * SAE IDs and links, queue names): never request paths, key IDs or tokens.
 */
import { createServer, type Server } from 'node:http';
import client from 'prom-client';

export const registry = new client.Registry();
registry.setContentType(client.Registry.PROMETHEUS_CONTENT_TYPE);

let defaultsOn = false;
/**
 * Process metrics (CPU, memory, event-loop lag, GC) as qkdsat_process_*, qkdsat_nodejs_*; `process`
 * labels the emitter.
 */
export function collectProcessMetrics(processName: string): void {
  if (defaultsOn) return;
  defaultsOn = true;
  registry.setDefaultLabels({ process: processName });
  client.collectDefaultMetrics({ register: registry, prefix: 'qkdsat_' });
}

const once = <T extends client.Metric>(name: string, make: () => T): T =>
  (registry.getSingleMetric(name) as T | undefined) ?? make();

const SECONDS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

export const m = {
  httpDuration: once(
    'qkdsat_http_request_duration_seconds',
    () =>
      new client.Histogram({
        name: 'qkdsat_http_request_duration_seconds',
        help: 'REST request duration by method, route pattern and status',
        labelNames: ['method', 'route', 'status'] as const,
        buckets: SECONDS,
        registers: [registry],
      }),
  ),
  etsiRequests: once(
    'qkdsat_etsi_requests_total',
    () =>
      new client.Counter({
        name: 'qkdsat_etsi_requests_total',
        help:
          'ETSI GS QKD 014 requests answered by the KME, by route (status, enc_keys, dec_keys, other) ' +
          'and HTTP status',
        labelNames: ['route', 'status'] as const,
        registers: [registry],
      }),
  ),
  etsiDuration: once(
    'qkdsat_etsi_request_duration_seconds',
    () =>
      new client.Histogram({
        name: 'qkdsat_etsi_request_duration_seconds',
        help: 'ETSI GS QKD 014 request duration by route and HTTP status',
        labelNames: ['route', 'status'] as const,
        buckets: SECONDS,
        registers: [registry],
      }),
  ),
  etsiKeys: once(
    'qkdsat_etsi_keys_total',
    () =>
      new client.Counter({
        name: 'qkdsat_etsi_keys_total',
        help:
          'Keys served by the KME by SAE pair, route and outcome (sent: the response was flushed; ' +
          'unsent: it never left, the keys are voided or bound again)',
        labelNames: ['master', 'slave', 'route', 'outcome'] as const,
        registers: [registry],
      }),
  ),
  etsiBits: once(
    'qkdsat_etsi_bits_total',
    () =>
      new client.Counter({
        name: 'qkdsat_etsi_bits_total',
        help: 'Key bits served by the KME by SAE pair, route and outcome (as qkdsat_etsi_keys_total)',
        labelNames: ['master', 'slave', 'route', 'outcome'] as const,
        registers: [registry],
      }),
  ),
  passes: once(
    'qkdsat_passes_executed_total',
    () =>
      new client.Counter({
        name: 'qkdsat_passes_executed_total',
        help: 'Pass jobs run by this worker by outcome (key, no_key, clouds, stale, skipped, missing)',
        labelNames: ['outcome'] as const,
        registers: [registry],
      }),
  ),
  passBits: once(
    'qkdsat_pass_secure_bits_total',
    () =>
      new client.Counter({
        name: 'qkdsat_pass_secure_bits_total',
        help: 'Secure key bits produced by executed passes',
        registers: [registry],
      }),
  ),
  passLateness: once(
    'qkdsat_pass_job_lateness_seconds',
    () =>
      new client.Histogram({
        name: 'qkdsat_pass_job_lateness_seconds',
        help: 'Pass job start minus (AOS - lead time), in service-clock seconds (negative: early)',
        buckets: [-1, 0, 0.5, 1, 2, 5, 10, 30, 60, 300, 3600],
        registers: [registry],
      }),
  ),
  planSolve: once(
    'qkdsat_planner_solve_seconds',
    () =>
      new client.Histogram({
        name: 'qkdsat_planner_solve_seconds',
        help: 'Wall time of a re-plan (pass search, candidate build, solve, commit) by solver',
        labelNames: ['solver'] as const,
        buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300],
        registers: [registry],
      }),
  ),
  planGap: once(
    'qkdsat_planner_gap_ratio',
    () =>
      new client.Gauge({
        name: 'qkdsat_planner_gap_ratio',
        help: 'Optimality gap of the last plan (0 = proven optimal; the heuristic reports its bound gap)',
        labelNames: ['solver'] as const,
        registers: [registry],
      }),
  ),
};

/** The text exposition of this process's registry. */
export async function metricsText(): Promise<string> {
  return registry.metrics();
}

/** A scrape-time metric's options, registered once: one of that name already there is replaced. */
function registeredOnce<L extends string>(name: string, help: string, labelNames: readonly L[]) {
  if (registry.getSingleMetric(name)) registry.removeSingleMetric(name);
  return { name, help, labelNames, registers: [registry] };
}

/** An extra gauge filled at scrape time (pool bits, queue counts, Redis round trip); registered once. */
export function scrapeGauge<L extends string>(
  name: string,
  help: string,
  labelNames: readonly L[],
  collect: (gauge: client.Gauge<L>) => Promise<void>,
): client.Gauge<L> {
  return new client.Gauge<L>({
    ...registeredOnce(name, help, labelNames),
    async collect() {
      try {
        await collect(this);
      } catch {
        // A source that cannot answer (Redis away) leaves the gauge out of this scrape rather than failing it.
        this.reset();
      }
    },
  });
}

/** An extra counter whose value comes from an external monotonic source at scrape time. */
export function scrapeCounter<L extends string>(
  name: string,
  help: string,
  labelNames: readonly L[],
  collect: (counter: client.Counter<L>) => Promise<void>,
): client.Counter<L> {
  return new client.Counter<L>({
    ...registeredOnce(name, help, labelNames),
    async collect() {
      await collect(this).catch(() => undefined);
    },
  });
}

/**
 * The process's metrics on their own port (open: put it on a network only Prometheus reaches).
 * Port 0 picks a free port; the returned server's address says which.
 */
export function serveMetrics(port: number, host: string): Promise<Server> {
  const server = createServer((req, res) => {
    if (req.method !== 'GET' || (req.url ?? '/').split('?')[0] !== '/metrics') {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('metrics are at /metrics\n');
      return;
    }
    metricsText().then(
      (text) => res.writeHead(200, { 'content-type': registry.contentType, 'cache-control': 'no-store' }).end(text),
      () => res.writeHead(500, { 'content-type': 'text/plain' }).end('metrics collection failed\n'),
    );
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve(server));
  });
}

/** Serves this process's metrics on `port` (0: off) and registers its close; logs where. */
export async function startMetricsEndpoint(
  port: number,
  host: string,
  log: { info: (fields: object, msg: string) => void },
  onClose: (close: () => Promise<unknown>) => void,
): Promise<void> {
  if (port === 0) return;
  const server = await serveMetrics(port, host);
  log.info({ port }, `Prometheus metrics on http://127.0.0.1:${port}/metrics`);
  onClose(
    () =>
      new Promise((closed) => {
        server.close(() => closed(undefined));
        server.closeAllConnections();
      }),
  );
}
