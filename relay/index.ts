/**
 * The relay component's public surface. `openRelay` builds the stores and services (no servers, no
 * timers); `registerRelayRest` adds the planner-facing REST routes to an Api; the KME server, its
 * lease settler and what the KME process composes around them (TLS, fibre key simulation, pool
 * maintenance: src/kme-compose.ts) come from here too.
 */
export { openRelay, registerRelayRest, type RelayCore } from './open-relay.js';
export type { CatalogLookup } from './http/relay.routes.js';
export type { KeyBlockSink } from './adapters/key-block-sink.js';
export { type RelayConfig } from './domain/config.schema.js';
export { verifyAudit, readAudit, sealAudit, deliveriesOf } from './adapters/audit.redis.js';
export { registerRelayMetrics } from './adapters/relay-metrics.js';
export { KeyMaterial } from './domain/key-material.js';
export { linkId } from './domain/links.js';
export { ensureDevPki } from './adapters/pki.js';
export { leaseSettler } from './adapters/lease-settler.js';
export { createKmeServer, type KmeTls } from './http/kme-server.js';
