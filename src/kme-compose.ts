/**
 * What the KME process composes around the relay (src/kme.ts; tests run it in-process): the ETSI
 * GS QKD 014 server on KME_PORT with its TLS material and lease settler, the simulated fibre key
 * and the key-pool maintenance timers (release stale reservations, settle abandoned leases, expire
 * old key, seal the audit). `startRelay` adds the relay's REST routes for single-process use.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Server } from 'node:https';
import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { Api } from './api/route.js';
import type { Clock } from './platform/clock.js';
import type { Config } from './platform/config.js';
import type { Logger } from './platform/logger.js';
import { logConnectionErrors } from './platform/redis.js';
import {
  createKmeServer,
  ensureDevPki,
  KeyMaterial,
  leaseSettler,
  linkId,
  openRelay,
  registerRelayRest,
  sealAudit,
  type KmeTls,
  type RelayCore,
} from '../relay/index.js';

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
  const tlsFiles = core.relayConfig.tls;
  if (tlsFiles) {
    const read = (path: string) => readFileSync(resolve(config.configDir, path), 'utf8');
    return { ca: read(tlsFiles.caFile), cert: read(tlsFiles.certFile), key: read(tlsFiles.keyFile) };
  }
  const pki = ensureDevPki(
    config.env.QKDSAT_VAR_DIR,
    core.relayConfig.saes.map((sae) => sae.id),
  );
  logger.warn(
    { dir: pki.dir, created: pki.created.length },
    `development PKI in ${pki.dir}: ca.crt, server.crt, sae/<SAE_ID>.crt and .key ` + '(set relay.tls for production)',
  );
  return { ca: pki.ca, cert: pki.server.cert, key: pki.server.key };
}

type FibreLink = RelayCore['relayConfig']['fibreLinks'][number];

/** Deposits one tick's fibre key on a link: its rate times `elapsedS`, up to the pool's maxPoolBits. */
async function depositFibreKey(core: RelayCore, link: FibreLink, elapsedS: number, tickId: string): Promise<void> {
  const id = linkId('fibre', link.a, link.b);
  const storedBits = await core.store.availableBits([id]);
  const maxPoolBits = core.relayConfig.fibre.maxPoolBits;
  const bytes = Math.floor(Math.min(link.keyRateBps * elapsedS, maxPoolBits - storedBits) / 8);
  if (bytes <= 0) return;
  const [first, second] = link.a < link.b ? [link.a, link.b] : [link.b, link.a];
  const material = KeyMaterial.adopt(new Uint8Array(randomBytes(bytes)));
  try {
    // One operation ID per link and tick: a deposit re-sent after a lost reply is not doubled.
    const linkMeta = { kind: 'fibre' as const, a: first, b: second, rateBps: link.keyRateBps };
    await core.store.deposit(id, linkMeta, material, { source: 'fibre' }, `fibre:${id}:${tickId}`);
  } finally {
    material.zeroise();
  }
}

/**
 * Simulated fibre QKD: every tick each fibre link gains its key rate times the service-clock time
 * since the last tick (simulated time when the clock is, like the passes), up to maxPoolBits.
 */
function startFibreSimulation(core: RelayCore, clock: Clock, logger: Logger): () => void {
  const { fibre, fibreLinks } = core.relayConfig;
  if (fibre.tickMs === 0 || fibreLinks.length === 0) return () => undefined;
  let ticks = 0;
  let lastTickMs = clock.now();
  const timer = setInterval(() => {
    const tickId = `${Date.now()}-${(ticks += 1)}`;
    const nowMs = clock.now();
    const elapsedS = Math.max(0, nowMs - lastTickMs) / 1000;
    lastTickMs = nowMs;
    void (async () => {
      for (const link of fibreLinks) await depositFibreKey(core, link, elapsedS, tickId);
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

/**
 * The KME's own connection. Not auto-pipelined: ioredis's auto-pipelining loses track of replies
 * when a batch fails (redis/ioredis#1931: an uncaught TypeError, the whole process down), and
 * commands on one connection are pipelined by Redis's protocol anyway.
 */
function kmeConnection(redis: Redis, log: Logger): Redis {
  const kmeRedis = redis.duplicate();
  logConnectionErrors(kmeRedis, log, 'kme redis connection error');
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
  for (const link of core.relayConfig.fibreLinks) {
    const [a, b] = link.a < link.b ? [link.a, link.b] : [link.b, link.a];
    await core.store.registerLink(linkId('fibre', a, b), { kind: 'fibre', a, b, rateBps: link.keyRateBps });
  }
  const settler = leaseSettler(core.store.leases, log);
  const kmeServer = createKmeServer({
    config: core.relayConfig,
    kme: core.kme,
    logger: log,
    tls: loadTls(core, config, log),
    settler,
  });
  await new Promise<void>((listening, failed) => {
    kmeServer.once('error', failed);
    kmeServer.listen(config.env.KME_PORT, config.env.HOST, () => listening());
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
          await new Promise((closed) => {
            kmeServer.close(() => closed(undefined));
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
