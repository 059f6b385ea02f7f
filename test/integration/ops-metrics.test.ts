/**
 * Issue 11: /metrics parses as Prometheus text and moves as the test deposits, relays and serves
 * keys; the separate metrics port serves the same; Bull Board answers 401 without the admin token
 * and 200 with it; /docs and the favicon are served from the host.
 */
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { Queue } from 'bullmq';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerRelayMetrics } from '../../relay/index.js';
import { createApp } from '../../src/api/app.js';
import { AuthConfigSchema, createAuth, roleGuard } from '../../src/api/auth.js';
import { Api } from '../../src/api/route.js';
import { createLogger } from '../../src/platform/logger.js';
import { serveMetrics } from '../../src/platform/metrics.js';
import { registerPlatformMetrics } from '../../src/platform/platform-metrics.js';
import { registerRelayRest } from '../../relay/index.js';
import { etsi, fixture, logSink, serveRelay, type Fixture, type ServedRelay } from './relay-support.js';

const PLANNER = 'planner-token-0123456789';

type Family = {
  name: string;
  type: string;
  metrics: { value?: string; labels?: Record<string, string>; buckets?: Record<string, string> }[];
};
const parse = createRequire(import.meta.url)('parse-prometheus-text-format') as (text: string) => Family[];

/** Sum of a family's samples whose labels include `match`. */
function value(families: Family[], name: string, match: Record<string, string> = {}): number {
  const f = families.find((x) => x.name === name);
  if (!f) return 0;
  return f.metrics
    .filter((s) => Object.entries(match).every(([k, v]) => s.labels?.[k] === v))
    .reduce((n, s) => n + Number(s.value ?? 0), 0);
}

describe('operator surfaces (metrics, queue board, docs)', () => {
  let f: Fixture;
  let served: ServedRelay;
  let app: ReturnType<typeof createApp>;
  let queue: Queue;
  const logs = logSink();

  beforeAll(async () => {
    f = fixture({ adminDeposits: true });
    served = await serveRelay(f, logs);
    const api = new Api();
    const logger = createLogger('info', logs.stream);
    // The API's access control, open reads as in the demo: the admin token opens the queue board.
    const authorize = createAuth({
      config: AuthConfigSchema.parse({ openReads: true }),
      tokens: { viewer: 'viewer-token-0123456789', planner: PLANNER, admin: f.adminToken },
    });
    api.useAuth(authorize);
    registerRelayRest({ api, core: served.relay });
    const redisUrl = new URL(f.env.REDIS_URL!);
    queue = new Queue('ops_test', {
      connection: { host: redisUrl.hostname, port: Number(redisUrl.port || 6379) },
      prefix: f.prefix,
    });
    await queue.add('demo', { n: 1 }, { delay: 60_000 });
    registerRelayMetrics(f.redis, served.relay.store);
    registerPlatformMetrics(f.redis, [queue]);
    app = createApp({
      logger,
      api,
      version: 'test',
      ops: { queues: [queue], adminGuard: roleGuard(authorize, 'admin'), metricsGuard: roleGuard(authorize, 'viewer') },
    });
  });
  afterAll(async () => {
    await queue.obliterate({ force: true }).catch(() => undefined);
    await queue.close();
    await served.close();
    await f.cleanup();
  });

  const scrape = async () => {
    const r = await request(app).get('/metrics').expect(200);
    expect(r.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
    return parse(r.text);
  };

  it('parses, names with qkdsat_ and units, and moves with deposits, relays and keys served', async () => {
    const before = await scrape();
    for (const fam of before) expect(fam.name).toMatch(/^qkdsat_/);
    await request(app)
      .post('/v1/admin/deposits')
      .set('authorization', `Bearer ${f.adminToken}`)
      .send({ stationId: 'graz', noradId: 42, bits: 4096 })
      .expect(201);
    await served.depositFibre(8192);
    const relayed = await request(app)
      .post('/v1/relays')
      .set('authorization', `Bearer ${PLANNER}`)
      .send({ from: 'graz', to: 'matera', bits: 512 })
      .expect(200);
    expect(relayed.body.outcome).toBe('relayed');
    const enc = await etsi(served.port, 'sae-graz-a', 'POST', '/api/v1/keys/sae-matera-a/enc_keys', {
      number: 2,
      size: 256,
    });
    expect(enc.status).toBe(200);
    const bad = await etsi(served.port, 'sae-graz-a', 'POST', '/api/v1/keys/sae-matera-a/enc_keys', {
      number: 1,
      size: 7,
    });
    expect(bad.status).toBe(400);
    await new Promise((r) => setTimeout(r, 300)); // the lease settler's flush
    const after = await scrape();
    const grew = (name: string, labels: Record<string, string> = {}) =>
      value(after, name, labels) - value(before, name, labels);
    expect(grew('qkdsat_key_deposited_bits_total')).toBeGreaterThanOrEqual(4096 + 8192);
    expect(grew('qkdsat_key_relayed_bits_total')).toBe(512);
    expect(grew('qkdsat_etsi_keys_total', { master: 'sae-graz-a', slave: 'sae-matera-a', outcome: 'sent' })).toBe(2);
    expect(grew('qkdsat_etsi_bits_total', { master: 'sae-graz-a', outcome: 'sent' })).toBe(512);
    expect(grew('qkdsat_etsi_requests_total', { route: 'enc_keys', status: '200' })).toBe(1);
    expect(grew('qkdsat_etsi_requests_total', { route: 'enc_keys', status: '400' })).toBe(1);
    expect(grew('qkdsat_key_delivered_bits_total')).toBe(512);
    expect(value(after, 'qkdsat_pool_bits', { link: 'relayed:graz~matera' })).toBe(512);
    expect(value(after, 'qkdsat_queue_jobs', { queue: 'ops_test', state: 'delayed' })).toBe(1);
    expect(value(after, 'qkdsat_redis_roundtrip_seconds')).toBeGreaterThan(0);
    const http = after.find((x) => x.name === 'qkdsat_http_request_duration_seconds')!;
    expect(http.type).toBe('HISTOGRAM');
    // Route patterns only: no raw path or token reaches a label (the parser keeps no histogram labels: read the text).
    const text = (await request(app).get('/metrics')).text;
    expect(text).toMatch(
      /^qkdsat_http_request_duration_seconds_count\{method="POST",route="\/v1\/relays",status="200"\} 1$/m,
    );
    expect(text).not.toContain(f.adminToken);
    // The dashboard's history: the same movements from the audit, by pair, without key IDs.
    const ev = (await request(app).get('/v1/keys/events?limit=50').expect(200)).body.events as {
      type: string;
      bits: number;
      master?: string;
    }[];
    expect(ev.filter((e) => e.type === 'relay').map((e) => e.bits)).toEqual([512]);
    expect(ev.find((e) => e.type === 'deliver')).toMatchObject({
      master: 'sae-graz-a',
      slave: 'sae-matera-a',
      bits: 512,
    });
    expect(JSON.stringify(ev)).not.toMatch(/keyId|key_ID/);
    // KME lines: one component each.
    const etsiLines = logs.lines.filter((l) => l.includes('"etsi request"'));
    expect(etsiLines.length).toBeGreaterThan(0);
    for (const l of etsiLines) expect(l.split('"component":').length - 1).toBe(1);
  });

  it('serves the same registry on a separate metrics port', async () => {
    const server = await serveMetrics(0, '127.0.0.1');
    try {
      const port = (server.address() as AddressInfo).port;
      const r = await fetch(`http://127.0.0.1:${port}/metrics`);
      expect(r.status).toBe(200);
      expect(parse(await r.text()).some((x) => x.name === 'qkdsat_etsi_keys_total')).toBe(true);
      expect((await fetch(`http://127.0.0.1:${port}/`)).status).toBe(404);
    } finally {
      server.close();
    }
  });

  it('Bull Board: 401 without the admin token, 401 with a wrong one, 200 with it', async () => {
    const none = await request(app).get('/admin/queues').expect(401);
    expect(none.headers['www-authenticate']).toMatch(/^Bearer/);
    expect(none.body.issues[0].path).toBe('headers.authorization');
    await request(app)
      .get('/admin/queues/api/queues')
      .set('authorization', 'Bearer wrong-token-wrong-token')
      .expect(401);
    const page = await request(app).get('/admin/queues').set('authorization', `Bearer ${f.adminToken}`).expect(200);
    expect(page.text).toContain('qkdsat queues');
    const api = await request(app)
      .get('/admin/queues/api/queues')
      .set('authorization', `Bearer ${f.adminToken}`)
      .expect(200);
    expect(JSON.stringify(api.body)).toContain('ops_test');
  });

  it('serves /docs from the installed Swagger UI and a favicon', async () => {
    const page = await request(app).get('/docs').expect(200);
    expect(page.text).not.toMatch(/https?:\/\//);
    await request(app).get('/docs/assets/swagger-ui-bundle.js').expect(200);
    const init = await request(app).get('/docs/init.js').expect(200);
    expect(init.text).toContain('validatorUrl: null');
    const icon = await request(app).get('/favicon.ico').expect(200);
    expect(icon.headers['content-type']).toMatch(/image\/svg\+xml/);
  });
});
