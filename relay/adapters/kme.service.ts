/**
 * The key-delivery operations behind ETSI GS QKD 014: status, enc_keys (master side) and dec_keys
 * (slave side), over the Redis pools, each one script call with the per-SAE rate limit inside.
 * Keys handed out are under a lease named by the request's operation ID until the server settles
 * it (`settle`: the response was flushed, or not); enc_keys of a size other than the pools' unit is
 * reserve (Lua) -> decrypt and cut -> commit (Lua) under the same lease. A crash anywhere leaves a
 * reservation that release-stale returns, or a lease that sweepLeases settles: a key is never
 * handed out twice and never vanishes without an audit entry.
 */
import { randomUUID } from 'node:crypto';
import { QkdsatError } from '../../src/core/errors.js';
import type { RelayConfig } from '../domain/config.schema.js';
import { KeyMaterial, zeroiseAll } from '../domain/key-material.js';
import { linkId } from '../domain/links.js';
import { cutKeys } from '../domain/pool.js';
import type { KeyStore } from './key-store.redis.js';
import type { NewSegment } from './store-shapes.js';
import type { LeaseRecord, RateLimit } from './kme-leases.redis.js';

export type RouteType = 'direct' | 'indirect';

/**
 * TEST-ONLY mutation switch for the soak's check of its own checker (README "Reliability"); never
 * set it in a deployment. `QKDSAT_TEST_MUTATION=delete-before-write` re-introduces the defect of
 * issue 8: dec_keys consumes the keys (settled as sent, audited `deliver`) before the response is
 * written, so a client that hangs up, or a KME killed mid-request, loses them. Read here only.
 */
const DELETE_BEFORE_WRITE = process.env.QKDSAT_TEST_MUTATION === 'delete-before-write';

export interface DeliveredKey {
  keyId: string;
  material: KeyMaterial;
}

export interface Status {
  source_KME_ID: string;
  target_KME_ID: string;
  master_SAE_ID: string;
  slave_SAE_ID: string;
  key_size: number;
  stored_key_count: number;
  max_key_count: number;
  max_key_per_request: number;
  max_key_size: number;
  min_key_size: number;
  max_SAE_ID_count: number;
  status_extension?: Record<string, unknown>;
}

export class KmeService {
  readonly saeStation = new Map<string, string>();
  private readonly fibre = new Set<string>();

  private readonly rate: RateLimit;

  constructor(
    private readonly config: RelayConfig,
    private readonly store: KeyStore,
  ) {
    this.rate = {
      points: config.rateLimit.requestsPerSecond * config.rateLimit.windowS,
      windowMs: config.rateLimit.windowS * 1000,
    };
    for (const s of config.saes) this.saeStation.set(s.id, s.stationId);
    for (const l of config.fibreLinks) this.fibre.add(linkId('fibre', l.a, l.b));
  }

  stationOf(sae: string): string | undefined {
    return this.saeStation.get(sae);
  }

  /** Pools that may serve a (master, slave) pair, in order of preference. */
  pools(master: string, slave: string, route: RouteType | undefined): { direct: string[]; all: string[] } {
    const a = this.saeStation.get(master);
    const b = this.saeStation.get(slave);
    if (!a || !b || a === b) return { direct: [], all: [] };
    const direct = this.fibre.has(linkId('fibre', a, b)) ? [linkId('fibre', a, b)] : [];
    return { direct, all: route === 'direct' ? direct : [...direct, linkId('relayed', a, b)] };
  }

  async status(master: string, slave: string): Promise<Status> {
    const k = this.config.keys;
    const { direct, all } = this.pools(master, slave, undefined);
    const bits = await this.store.leases.statusBits(master, direct, all, this.rate);
    const directBits = bits.direct,
      allBits = bits.all;
    return {
      source_KME_ID: this.saeStation.get(master)!,
      target_KME_ID: this.saeStation.get(slave)!,
      master_SAE_ID: master,
      slave_SAE_ID: slave,
      key_size: k.defaultKeySizeBits,
      stored_key_count: Math.min(k.maxKeyCount, Math.floor(allBits / k.defaultKeySizeBits)),
      max_key_count: k.maxKeyCount,
      max_key_per_request: k.maxKeyPerRequest,
      max_key_size: k.maxKeySizeBits,
      min_key_size: k.minKeySizeBits,
      max_SAE_ID_count: 0,
      status_extension: { qkdsat_stored_bits: { direct: directBits, indirect: allBits - directBits } },
    };
  }

  /** enc_keys: `number` keys of `sizeBits` bound to (master, slave) under the lease `opId`; all or nothing. */
  async encKeys(
    master: string,
    slave: string,
    number: number,
    sizeBits: number,
    route: RouteType | undefined,
    opId: string,
  ): Promise<{ keys: DeliveredKey[]; route: RouteType; lease: LeaseRecord }> {
    const { all } = this.pools(master, slave, route);
    if (all.length === 0 && route === 'direct') {
      throw new QkdsatError('CONFLICT', 'not all extension_mandatory request options could be met');
    }
    if (all.length === 0) throw new QkdsatError('INSUFFICIENT_KEY', 'insufficient key material');
    if (sizeBits === this.config.keys.segmentBits) {
      const units = await this.store.leases.encUnits(master, slave, sizeBits, number, all, opId, this.rate);
      if (units)
        return {
          keys: units.keys.map((u) => ({ keyId: u.keyId, material: u.material })),
          route: units.route,
          lease: units.lease,
        };
    } else {
      // The rate limit, as the fast path's script applies it.
      await this.store.leases.statusBits(master, [], [], this.rate);
    }
    const need = number * sizeBits;
    const res = await this.store.reserve(
      [{ needBits: need, pools: all }],
      { side: 'master', master, slave, bits: need },
      `enc:${opId}`,
    );
    const joined = KeyMaterial.concat(res.segments.map((s) => s.material));
    zeroiseAll(...res.segments.map((s) => s.material));
    const { keys, remainder } = cutKeys(joined, number, sizeBits);
    joined.zeroise();
    const usedRoute: RouteType = res.segments.every((s) => s.pool.startsWith('fibre:')) ? 'direct' : 'indirect';
    const last = res.segments[res.segments.length - 1]!;
    const back: NewSegment[] = remainder
      ? [{ pool: last.pool, material: remainder, createdAt: last.createdAt, front: true }]
      : [];
    const delivered = keys.map((material) => ({ keyId: randomUUID(), material }));
    // Bits drawn from each pool (the audit's account of where key went).
    const drawn: Record<string, number> = {};
    for (const s of res.segments) drawn[s.pool] = (drawn[s.pool] ?? 0) + s.bits;
    if (remainder) drawn[last.pool]! -= remainder.lengthBits;
    const lease: LeaseRecord = {
      side: 'master',
      master,
      slave,
      route: usedRoute,
      sizeBits,
      drawn,
      keyIds: delivered.map((d) => d.keyId),
    };
    try {
      await this.store.commit(
        res.resId,
        'deliver',
        { ...lease },
        back,
        delivered.map((d) => ({ ...d, master, slave, route: usedRoute })),
        opId,
      );
    } catch (e) {
      zeroiseAll(...keys);
      if (e instanceof QkdsatError && e.code === 'CONFLICT')
        throw new QkdsatError('UNAVAILABLE', 'key store unavailable');
      throw e;
    } finally {
      zeroiseAll(remainder);
    }
    return { keys: delivered, route: usedRoute, lease };
  }

  /** dec_keys: the keys with these IDs, bound to (master, caller as slave), under the lease `opId`; each only once. */
  async decKeys(
    master: string,
    slave: string,
    keyIds: string[],
    opId: string,
  ): Promise<{ keys: DeliveredKey[]; lease: LeaseRecord }> {
    const materials = await this.store.leases.decKeys(master, slave, keyIds, opId, this.rate);
    const lease: LeaseRecord = { side: 'slave', master, slave, keyIds };
    if (DELETE_BEFORE_WRITE) await this.store.leases.settle([{ opId, outcome: 'sent', lease }]);
    return { keys: materials.map((material, i) => ({ keyId: keyIds[i]!, material })), lease };
  }
}
