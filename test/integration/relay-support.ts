/**
 * Shared set-up for the relay suites: a throw-away CA and certificates, a config file with SAEs
 * at graz, matera and xinglong, a random Redis prefix and admin token, an mTLS HTTPS client, cleanup,
 * and the relay served on such a fixture (`serveRelay`).
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { Agent, request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import type { Redis } from 'ioredis';
import { createCa, issueCert, type Pem } from '../../relay/adapters/pki.js';
import { KeyMaterial } from '../../relay/domain/key-material.js';
import { linkId } from '../../relay/domain/links.js';
import { startRelay, type KmeHandle } from '../../src/kme-compose.js';
import { createApp } from '../../src/api/app.js';
import { Api } from '../../src/api/route.js';
import { realClock } from '../../src/platform/clock.js';
import { createLogger } from '../../src/platform/logger.js';
import { loadConfig, type Config } from '../../src/platform/config.js';
import { createRedis } from '../../src/platform/redis.js';

const TEST_SAES = [
  { id: 'sae-graz-a', stationId: 'graz' },
  { id: 'sae-graz-b', stationId: 'graz' },
  { id: 'sae-matera-a', stationId: 'matera' },
  { id: 'sae-matera-b', stationId: 'matera' },
  { id: 'sae-xinglong-a', stationId: 'xinglong' },
];

export interface Fixture {
  dir: string;
  prefix: string;
  kekHex: string;
  /** QKDSAT_ADMIN_TOKEN (bearer token of POST /v1/admin/deposits). */
  adminToken: string;
  configPath: string;
  env: Record<string, string>;
  config: Config;
  redis: Redis;
  ca: Pem;
  certs: Map<string, Pem>;
  cleanup: () => Promise<void>;
}

let caCache: { ca: Pem; server: Pem; certs: Map<string, Pem>; stranger: Pem } | undefined;

/** One CA per test process (RSA key generation dominates otherwise). */
export function testPki(): NonNullable<typeof caCache> {
  if (!caCache) {
    const ca = createCa('qkdsat test CA');
    const certs = new Map(TEST_SAES.map((s) => [s.id, issueCert(ca, s.id, 'client')]));
    const otherCa = createCa('someone else');
    caCache = {
      ca,
      server: issueCert(ca, 'localhost', 'server'),
      certs,
      stranger: issueCert(otherCa, 'sae-graz-a', 'client'),
    };
  }
  return caCache;
}

export function fixture(relayOverrides: Record<string, unknown> = {}, extraEnv: Record<string, string> = {}): Fixture {
  const dir = mkdtempSync(join(tmpdir(), 'qkdsat-relay-'));
  const pki = testPki();
  writeFileSync(join(dir, 'ca.crt'), pki.ca.cert);
  writeFileSync(join(dir, 'server.crt'), pki.server.cert);
  writeFileSync(join(dir, 'server.key'), pki.server.key);
  const relay = {
    saes: TEST_SAES,
    fibreLinks: [{ a: 'graz', b: 'matera', keyRateBps: 1000 }],
    keys: { segmentBits: 256, reservationTimeoutMs: 2000, leaseTimeoutMs: 2000 },
    fibre: { tickMs: 0 },
    rateLimit: { requestsPerSecond: 100_000 },
    maxBodyBytes: 4096,
    tls: { caFile: 'ca.crt', certFile: 'server.crt', keyFile: 'server.key' },
    ...relayOverrides,
  };
  const configPath = join(dir, 'config.json');
  writeFileSync(configPath, JSON.stringify({ relay }));
  const prefix = `qkdsattest${randomBytes(6).toString('hex')}`;
  const kekHex = randomBytes(32).toString('hex');
  const adminToken = randomBytes(24).toString('base64url');
  const env = {
    QKDSAT_CONFIG: configPath,
    QKDSAT_VAR_DIR: join(dir, 'var'),
    QKDSAT_PREFIX: prefix,
    QKDSAT_KEK: kekHex,
    QKDSAT_ADMIN_TOKEN: adminToken,
    KME_PORT: '0',
    PORT: '0',
    HOST: '127.0.0.1',
    REDIS_URL: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
    LOG_LEVEL: 'info',
    ...extraEnv,
  };
  const config = loadConfig(env, {});
  const redis = createRedis(env.REDIS_URL);
  return {
    dir,
    prefix,
    kekHex,
    adminToken,
    configPath,
    env,
    config,
    redis,
    ca: pki.ca,
    certs: pki.certs,
    cleanup: async () => {
      let cursor = '0';
      do {
        const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
        if (keys.length) await redis.del(...keys);
        cursor = next;
      } while (cursor !== '0');
      redis.disconnect();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: any; // eslint-disable-line @typescript-eslint/no-explicit-any
  text: string;
}

const agents = new Map<string, Agent>();

/** An mTLS call as `sae` (a test SAE, 'stranger' = a certificate from another CA, 'none' = no certificate). */
export function etsi(
  port: number,
  sae: string,
  method: 'GET' | 'POST',
  path: string,
  body?: unknown,
  rawBody?: string,
): Promise<Reply> {
  const pki = testPki();
  const cred = sae === 'none' ? undefined : sae === 'stranger' ? pki.stranger : pki.certs.get(sae);
  const agentKey = `${port}:${sae}`;
  let agent = agents.get(agentKey);
  if (!agent) {
    agent = new Agent({
      keepAlive: true,
      maxSockets: 64,
      ca: pki.ca.cert,
      ...(cred ? { cert: cred.cert, key: cred.key } : {}),
    });
    agents.set(agentKey, agent);
  }
  const payload = rawBody ?? (body === undefined ? undefined : JSON.stringify(body));
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        method,
        path,
        agent,
        headers:
          payload === undefined
            ? {}
            : { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let parsed: unknown;
          try {
            parsed = JSON.parse(text);
          } catch {
            parsed = undefined;
          }
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: parsed, text });
        });
      },
    );
    req.on('error', reject);
    if (payload !== undefined) req.write(payload);
    req.end();
  });
}

export function closeAgents(): void {
  for (const a of agents.values()) a.destroy();
  agents.clear();
}

/** A pino destination that keeps every line. */
export function logSink(): { stream: Writable; lines: string[] } {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, cb) {
      lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
      cb();
    },
  });
  return { stream, lines };
}

export interface ServedRelay {
  relay: KmeHandle;
  /** The KME's HTTPS port. */
  port: number;
  /** The REST app (supertest). */
  app: ReturnType<typeof createApp>;
  /** Deposits `bits` of fresh random key on the graz~matera fibre link. */
  depositFibre: (bits: number) => Promise<void>;
  close: () => Promise<void>;
}

/** Starts the relay (KME on an ephemeral port, REST app) on a fixture, logging at debug level into `logs`. */
export async function serveRelay(f: Fixture, logs: { stream: Writable }): Promise<ServedRelay> {
  const logger = createLogger('debug', logs.stream);
  const api = new Api();
  const relay = await startRelay({ config: f.config, logger, redis: f.redis, clock: realClock(), api });
  const link = linkId('fibre', 'graz', 'matera');
  return {
    relay,
    port: relay.kmePort,
    app: createApp({
      logger,
      api,
      version: 'test',
      readiness: { redis: async () => (await f.redis.ping()) === 'PONG' },
    }),
    depositFibre: async (bits) => {
      const m = KeyMaterial.adopt(new Uint8Array(randomBytes(bits / 8)));
      try {
        await relay.store.deposit(link, { kind: 'fibre', a: 'graz', b: 'matera' }, m, { source: 'test' });
      } finally {
        m.zeroise();
      }
    },
    close: async () => {
      closeAgents();
      for (const c of relay.closers) await c.close();
    },
  };
}
