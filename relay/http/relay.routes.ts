/**
 * REST for mission planners: relay requests (role planner), pool overview (never key bytes) and SAEs
 * (viewer), and admin deposits (role admin), through the API's one access control (src/api/auth.ts),
 * checked before the body is read. Relays and deposits name stations and satellites the catalog knows.
 */
import { z } from 'zod';
import type { Api } from '../../src/api/route.js';
import { QkdsatError } from '../../src/core/errors.js';
import { STATION_ID_PATTERN, type RelayConfig } from '../domain/config.schema.js';
import type { KeyBlockSink } from '../adapters/key-block-sink.js';
import { MAX_DEPOSIT_BITS } from '../adapters/key-block-sink.js';
import type { KeyStore } from '../adapters/key-store.redis.js';
import type { KeyEvent } from '../adapters/audit.redis.js';
import type { RelayService } from '../adapters/relay.service.js';

export const MAX_RELAY_BITS = 8 * 1024 * 1024;

const Station = z.string().regex(STATION_ID_PATTERN, 'expected a station ID ([a-z0-9_-])');

const RelayRequestSchema = z
  .object({
    from: Station,
    to: Station,
    bits: z.number().int().min(8).max(MAX_RELAY_BITS).multipleOf(8, 'bits shall be a multiple of 8'),
  })
  .meta({ id: 'RelayRequest' });

const PathSchema = z.object({ nodes: z.array(z.string()), linkIds: z.array(z.string()), bits: z.number().int() });
const RelayResultSchema = z
  .object({
    relayId: z.string().uuid(),
    outcome: z.enum(['relayed', 'voided', 'failed', 'key not present']),
    from: z.string(),
    to: z.string(),
    bits: z.number().int(),
    relayedBits: z
      .number()
      .int()
      .describe('bits stored in the relayed pool by this request (all of bits when relayed)'),
    route: z.object({ paths: z.array(PathSchema) }),
    reason: z.string().optional(),
  })
  .meta({ id: 'RelayResult' });

const PoolSchema = z
  .object({
    link: z.string(),
    kind: z.enum(['satellite', 'fibre', 'relayed']).nullable(),
    ends: z.array(z.string()),
    storedBits: z.number().int(),
    keyRateBps: z.number().nullable(),
    oldestAgeS: z.number().nullable(),
  })
  .meta({ id: 'KeyPool' });

const SaeListSchema = z.array(z.object({ id: z.string(), stationId: z.string() })).meta({ id: 'SaeList' });

const DepositRequestSchema = z
  .object({
    stationId: Station,
    noradId: z.number().int().positive().max(999_999_999),
    bits: z.number().int().min(8).max(MAX_DEPOSIT_BITS),
  })
  .meta({ id: 'DepositRequest' });

export interface RelayRoutesDeps {
  api: Api;
  config: RelayConfig;
  store: KeyStore;
  relay: RelayService;
  sink: KeyBlockSink;
  now: () => number;
  /** Referential integrity: what the catalog knows (400 naming the field otherwise). */
  lookup?: CatalogLookup;
  /** The last key movements (GET /v1/keys/events). */
  keyEvents?: (limit: number) => Promise<KeyEvent[]>;
}

const KeyEventSchema = z
  .object({
    at: z.number().int().describe('epoch ms'),
    type: z.enum(['deposit', 'relay', 'deliver', 'expire', 'void']),
    bits: z.number().int(),
    link: z.string().optional(),
    drawn: z.record(z.string(), z.number()).optional().describe('bits taken from each pool'),
    from: z.string().optional(),
    to: z.string().optional(),
    outcome: z.string().optional(),
    master: z.string().optional(),
    slave: z.string().optional(),
    reason: z.string().optional(),
  })
  .meta({ id: 'KeyEvent' });

/** Does the catalog know this station or satellite? (src/compose.ts builds it from the stores.) */
export interface CatalogLookup {
  stationExists(id: string): Promise<boolean>;
  satelliteExists(noradId: number): Promise<boolean>;
}

const unknown = (path: string, what: string) =>
  new QkdsatError('VALIDATION', `${path}: unknown ${what}`, [{ path: path.split('.'), message: `unknown ${what}` }]);

export function registerRelayRoutes({
  api,
  config,
  store,
  relay,
  sink,
  now,
  lookup,
  keyEvents,
}: RelayRoutesDeps): void {
  if (keyEvents) {
    api.route({
      method: 'get',
      path: '/v1/keys/events',
      tags: ['relay'],
      summary:
        'The last key movements from the audit: deposits, relays, deliveries to SAEs (by pair), expiries, ' +
        'voids (no key IDs or bytes)',
      query: z.object({ limit: z.coerce.number().int().min(1).max(5000).default(1000) }),
      response: z.object({ events: z.array(KeyEventSchema) }),
      handler: async ({ query }) => ({ events: await keyEvents(query.limit) }),
    });
  }
  const configuredStations = new Set([
    ...config.saes.map((s) => s.stationId),
    ...config.fibreLinks.flatMap((l) => [l.a, l.b]),
  ]);
  api.route({
    method: 'post',
    path: '/v1/relays',
    summary: 'Relay key between two stations through trusted nodes',
    tags: ['relay'],
    body: RelayRequestSchema,
    response: RelayResultSchema,
    handler: async ({ body }) => {
      const known = new Set(configuredStations);
      for (const e of await relay.edges()) known.add(e.a).add(e.b);
      for (const field of ['from', 'to'] as const) {
        const station = body[field];
        if (!known.has(station) && !(await lookup?.stationExists(station))) throw unknown(`body.${field}`, 'station');
      }
      return relay.relay(body.from, body.to, body.bits);
    },
  });
  api.route({
    method: 'get',
    path: '/v1/keys/pools',
    summary: 'Key pools per link: stored bits, rate, age (no key bytes)',
    tags: ['relay'],
    response: z.object({ pools: z.array(PoolSchema) }),
    handler: async () => {
      const rates = new Map(config.fibreLinks.map((l) => [[l.a, l.b].sort().join('~'), l.keyRateBps]));
      const t = now();
      return {
        pools: (await store.poolStats()).map((p) => ({
          link: p.link,
          kind: p.meta?.kind ?? null,
          ends: p.meta ? [p.meta.a, p.meta.b] : [],
          storedBits: p.storedBits,
          keyRateBps: p.meta?.kind === 'fibre' ? (rates.get([p.meta.a, p.meta.b].sort().join('~')) ?? null) : null,
          oldestAgeS: p.oldestCreatedAt === undefined ? null : Math.max(0, (t - p.oldestCreatedAt) / 1000),
        })),
      };
    },
  });
  api.route({
    method: 'get',
    path: '/v1/saes',
    summary: 'Configured secure application entities (key consumers)',
    tags: ['relay'],
    response: SaeListSchema,
    handler: () => config.saes.map((s) => ({ id: s.id, stationId: s.stationId })),
  });
  if (config.adminDeposits) {
    api.route({
      method: 'post',
      path: '/v1/admin/deposits',
      tags: ['relay'],
      role: 'admin',
      summary: 'Deposit a key block from a simulated pass (demos, tests); needs an admin bearer token',
      body: DepositRequestSchema,
      status: 201,
      errors: [401, 403],
      response: z.object({ blockId: z.string(), link: z.string(), bits: z.number().int(), segments: z.number().int() }),
      handler: async ({ body }) => {
        if (lookup && !(await lookup.stationExists(body.stationId))) throw unknown('body.stationId', 'station');
        if (lookup && !(await lookup.satelliteExists(body.noradId))) throw unknown('body.noradId', 'satellite');
        return sink.deposit(body.stationId, body.noradId, body.bits, { source: 'admin' });
      },
    });
  }
}
