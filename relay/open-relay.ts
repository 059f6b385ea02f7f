/**
 * The relay's stores and services from config (`openRelay`: no servers, no timers; the CLI, the API,
 * the worker and the KME process each open one) and its planner-facing REST routes.
 */
import type { Redis } from 'ioredis';
import type { Api } from '../src/api/route.js';
import { configSection, type Config } from '../src/platform/config.js';
import { RelayConfigSchema, type RelayConfig } from './domain/config.schema.js';
import { loadOrCreateKek } from './adapters/kek.js';
import { KeyStore } from './adapters/key-store.redis.js';
import { KmeService } from './adapters/kme.service.js';
import { RelayService } from './adapters/relay.service.js';
import { redisKeyBlockSink, type KeyBlockSink } from './adapters/key-block-sink.js';
import { recentKeyEvents, type KeyEvent } from './adapters/audit.redis.js';
import { registerRelayRoutes, type CatalogLookup } from './http/relay.routes.js';

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

const relayPrefix = (config: Config): string => `${config.env.QKDSAT_PREFIX}:relay:`;

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
