/**
 * The relay component's public surface. `openRelay` builds the stores and services (for the CLI,
 * no servers, no timers); `registerRelayRest` adds the planner-facing REST routes to an Api;
 * `startKme` runs the ETSI GS QKD 014 KME on its own HTTPS port with its lease settler, the fibre
 * key simulation and the maintenance loop (release stale reservations, settle abandoned leases,
 * expire old key, seal the audit). `npm start` runs `startKme` in its own process (src/kme.ts), so
 * key delivery never shares an event loop with planning; `startRelay` does both in one (tests).
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Server } from 'node:https';
import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { Api } from '../src/api/route.js';
import type { Clock } from '../src/platform/clock.js';
import { configSection, type Config } from '../src/platform/config.js';
import type { Logger } from '../src/platform/logger.js';
import { RelayConfigSchema, type RelayConfig } from './domain/config.schema.js';
import { KeyMaterial } from './domain/key-material.js';
import { linkId } from './domain/links.js';
import { loadOrCreateKek } from './adapters/kek.js';
import { KeyStore } from './adapters/key-store.redis.js';
import { KmeService } from './adapters/kme.service.js';
import { RelayService } from './adapters/relay.service.js';
import { redisKeyBlockSink, type KeyBlockSink } from './adapters/key-block-sink.js';
import { ensureDevPki } from './adapters/pki.js';
import { createKmeServer, type KmeTls } from './http/kme-server.js';
import { leaseSettler } from './adapters/lease-settler.js';
import { registerRelayRoutes, type CatalogLookup } from './http/relay.routes.js';
export type { CatalogLookup } from './http/relay.routes.js';

export type { KeyBlockSink, KeyBlockMeta, DepositResult } from './adapters/key-block-sink.js';
export { RelayConfigSchema, type RelayConfig } from './domain/config.schema.js';
import { recentKeyEvents, sealAudit, type KeyEvent } from './adapters/audit.redis.js';
export { verifyAudit, readAudit, sealAudit, deliveriesOf, type Delivery } from './adapters/audit.redis.js';
export { registerRelayMetrics } from './adapters/relay-metrics.js';

export interface RelayCore {
  relayConfig: RelayConfig;
  prefix: string;
  store: KeyStore;
  kme: KmeService;
  relay: RelayService;
  sink: KeyBlockSink;
  /** HMAC key of the audit seals, derived from the KEK (never in Redis). */
  auditSealKey: Uint8Array;
  /** The last key movements from the audit (dashboard history). */
  keyEvents: (limit: number) => Promise<KeyEvent[]>;
}

export const relayPrefix = (config: Config): string => `${config.env.QKDSAT_PREFIX}:relay:`;

export function openRelay({ config, redis }: { config: Config; redis: Redis }): RelayCore {
  const relayConfig = configSection(config, 'relay', RelayConfigSchema);
  const { kek } = loadOrCreateKek(config.env.QKDSAT_KEK, config.env.QKDSAT_VAR_DIR);
  const prefix = relayPrefix(config);
  // Key lifetimes are security lifetimes: wall-clock time even when the service clock is simulated.
  const store = new KeyStore({
    redis,
    prefix,
    kek,
    ttlMs: relayConfig.keys.ttlS * 1000,
    segmentBits: relayConfig.keys.segmentBits,
    leaseTimeoutMs: relayConfig.keys.leaseTimeoutMs,
    now: Date.now,
  });
  return {
    relayConfig,
    prefix,
    store,
    kme: new KmeService(relayConfig, store),
    relay: new RelayService(store, kek.derive('relay-node-auth'), relayConfig.keys.segmentBits),
    sink: redisKeyBlockSink(store),
    auditSealKey: kek.derive('audit-seal'),
    keyEvents: (limit) => recentKeyEvents(redis, prefix, limit),
  };
}

export interface StartRelayDeps {
  config: Config;
  logger: Logger;
  redis: Redis;
  clock: Clock;
  api: Api;
}

export interface KmeHandle extends RelayCore {
  kmeServer: Server;
  /** The port the KME listens on (useful when KME_PORT is 0). */
  kmePort: number;
  closers: { name: string; close: () => Promise<unknown> | unknown }[];
}

function loadTls(core: RelayCore, config: Config, logger: Logger): KmeTls {
  const t = core.relayConfig.tls;
  if (t) {
    const read = (p: string) => readFileSync(resolve(config.configDir, p), 'utf8');
    return { ca: read(t.caFile), cert: read(t.certFile), key: read(t.keyFile) };
  }
  const pki = ensureDevPki(
    config.env.QKDSAT_VAR_DIR,
    core.relayConfig.saes.map((s) => s.id),
  );
  logger.warn(
    { dir: pki.dir, created: pki.created.length },
    `development PKI in ${pki.dir}: ca.crt, server.crt, sae/<SAE_ID>.crt and .key (set relay.tls for production)`,
  );
  return { ca: pki.ca, cert: pki.server.cert, key: pki.server.key };
}

/**
 * Simulated fibre QKD: every tick each fibre link gains its key rate times the service-clock time
 * since the last tick (simulated time when the clock is, like the passes), up to maxPoolBits.
 */
function startFibreSimulation(core: RelayCore, clock: Clock, logger: Logger): () => void {
  const { fibre, fibreLinks } = core.relayConfig;
  if (fibre.tickMs === 0 || fibreLinks.length === 0) return () => undefined;
  let ticks = 0;
  let last = clock.now();
  const timer = setInterval(() => {
    // One operation ID per link and tick: a deposit re-sent after a lost reply is not doubled.
    const tick = `${Date.now()}-${(ticks += 1)}`;
    const now = clock.now();
    const elapsedS = Math.max(0, now - last) / 1000;
    last = now;
    void (async () => {
      for (const l of fibreLinks) {
        const id = linkId('fibre', l.a, l.b);
        const stored = await core.store.availableBits([id]);
        const bytes = Math.floor(Math.min(l.keyRateBps * elapsedS, fibre.maxPoolBits - stored) / 8);
        if (bytes <= 0) continue;
        const m = KeyMaterial.adopt(new Uint8Array(randomBytes(bytes)));
        try {
          await core.store.deposit(
            id,
            { kind: 'fibre', a: l.a < l.b ? l.a : l.b, b: l.a < l.b ? l.b : l.a, rateBps: l.keyRateBps },
            m,
            { source: 'fibre' },
            `fibre:${id}:${tick}`,
          );
        } finally {
          m.zeroise();
        }
      }
    })().catch((e: unknown) => logger.warn({ err: e }, 'fibre key simulation tick failed'));
  }, fibre.tickMs);
  timer.unref();
  return () => clearInterval(timer);
}

/** Releases stale reservations, sweeps expired key and seals the audit chain (see sealAudit). */
function startMaintenance(core: RelayCore, redis: Redis, logger: Logger): () => void {
  const timeout = Math.min(core.relayConfig.keys.reservationTimeoutMs, core.relayConfig.keys.leaseTimeoutMs);
  const timer = setInterval(
    () => {
      void Promise.all([
        core.store.releaseStale(core.relayConfig.keys.reservationTimeoutMs),
        core.store.leases.sweepLeases(),
        core.store.sweepExpired(),
        sealAudit(redis, core.prefix, core.auditSealKey, Date.now()),
      ])
        .then(([released, leases, expired]) => {
          if (released || leases || expired) logger.info({ released, leases, expired }, 'key pool maintenance');
        })
        .catch((e: unknown) => logger.warn({ err: e }, 'key pool maintenance failed'));
    },
    Math.max(200, Math.min(5_000, Math.floor(timeout / 2))),
  );
  timer.unref();
  return () => clearInterval(timer);
}

/** The relay's REST routes (relays, pools, SAEs, admin deposits) on the planner API. */
export function registerRelayRest({ api, core, lookup }: { api: Api; core: RelayCore; lookup?: CatalogLookup }): void {
  registerRelayRoutes({
    api,
    config: core.relayConfig,
    store: core.store,
    relay: core.relay,
    sink: core.sink,
    now: Date.now,
    ...(lookup ? { lookup } : {}),
    keyEvents: core.keyEvents,
  });
}

/**
 * The KME's own connection. Not auto-pipelined: ioredis's auto-pipelining loses track of replies
 * when a batch fails (redis/ioredis#1931: an uncaught TypeError, the whole process down), and
 * commands on one connection are pipelined by Redis's protocol anyway.
 */
function kmeConnection(redis: Redis, log: Logger): Redis {
  const kmeRedis = redis.duplicate();
  kmeRedis.on('error', (e: Error) => log.warn({ err: e.message }, 'kme redis connection error'));
  return kmeRedis;
}

/** The ETSI GS QKD 014 KME, its lease settler, the fibre simulation and the pool maintenance. */
export async function startKme({
  config,
  logger,
  redis,
  clock,
}: {
  config: Config;
  logger: Logger;
  redis: Redis;
  clock: Clock;
}): Promise<KmeHandle> {
  const log = logger.child({ component: 'kme' });
  const kmeRedis = kmeConnection(redis, log);
  const core = openRelay({ config, redis: kmeRedis });
  for (const l of core.relayConfig.fibreLinks) {
    const [a, b] = l.a < l.b ? [l.a, l.b] : [l.b, l.a];
    await core.store.registerLink(linkId('fibre', a, b), { kind: 'fibre', a, b, rateBps: l.keyRateBps });
  }
  const settler = leaseSettler(core.store.leases, log);
  const kmeServer = createKmeServer({
    config: core.relayConfig,
    kme: core.kme,
    logger: log,
    tls: loadTls(core, config, log),
    settler,
  });
  await new Promise<void>((res, rej) => {
    kmeServer.once('error', rej);
    kmeServer.listen(config.env.KME_PORT, config.env.HOST, () => res());
  });
  const address = kmeServer.address();
  const kmePort = typeof address === 'object' && address ? address.port : config.env.KME_PORT;
  log.info(
    { port: kmePort },
    `ETSI GS QKD 014 KME listening on https://127.0.0.1:${kmePort}/api/v1/keys/ (mutual TLS)`,
  );
  const stopFibre = startFibreSimulation(core, clock, log);
  const stopMaintenance = startMaintenance(core, kmeRedis, log);
  return {
    ...core,
    kmeServer,
    kmePort,
    // One closer, in order: stop the timers, stop taking requests, settle what was answered, then drop the connection.
    closers: [
      {
        name: 'kme (timers, https, leases, redis)',
        close: async () => {
          stopFibre();
          stopMaintenance();
          await new Promise((r) => {
            kmeServer.close(() => r(undefined));
            kmeServer.closeAllConnections();
          });
          await settler.drain();
          await kmeRedis.quit().catch(() => kmeRedis.disconnect());
        },
      },
    ],
  };
}

/** REST routes and the KME in one process (tests and single-process use). */
export async function startRelay({ config, logger, redis, api, clock }: StartRelayDeps): Promise<KmeHandle> {
  const kme = await startKme({ config, logger, redis, clock });
  registerRelayRest({ api, core: kme });
  return kme;
}
