/**
 * The KME's side of the key store: the ETSI GS QKD 014 operations, each one script call (rate limit
 * included) under a lease named by the request's operation ID, and the settling of those leases
 * (the response was flushed, or not) and the sweep of leases whose process died. Layout and
 * exactly-once rules are key-store.redis.ts's; its lease buckets are lease:<bucket>, as in
 * lua/prelude.lua. Calls of one event-loop turn reach Redis as one pipeline write (lua-batch.ts).
 */
import { newOpId } from '../../src/platform/lua.js';
import { batchedLua, type LuaRunner } from '../../src/platform/lua-batch.js';
import { KeyIntegrityError } from '../domain/integrity.js';
import type { KeyMaterial } from '../domain/key-material.js';
import { openSealed, runIdempotent, type KeyStoreOptions, type Sealed } from './store-base.js';
import { RELAY_SCRIPTS as S } from './scripts.js';

/** The per-SAE request limit the KME scripts enforce (points per window). */
export interface RateLimit {
  points: number;
  windowMs: number;
}

/** Outcome of a KME response: flushed to the socket, or not. */
export type LeaseOutcome = 'sent' | 'unsent';

/** What a KME lease holds, as its audit entry names it (never key bytes). */
export interface LeaseRecord {
  side: 'master' | 'slave';
  master: string;
  slave: string;
  keyIds: string[];
  route?: 'direct' | 'indirect';
  sizeBits?: number;
  /** Master side: bits drawn from each pool. */
  drawn?: Record<string, number>;
}

/** Lease buckets (lease:<bucket>), as in lua/prelude.lua. */
const LEASE_BUCKET_MS = 1000;

export class KmeLeaseStore {
  private readonly leaseTimeoutMs: number;
  /** Calls of one event-loop turn share a write. */
  private readonly hotPath: LuaRunner;

  constructor(private readonly options: KeyStoreOptions) {
    this.leaseTimeoutMs = options.leaseTimeoutMs ?? 20_000;
    this.hotPath = batchedLua(options.redis);
  }

  /** The arguments kme-enc and kme-dec begin with. */
  private leaseArgs(opId: string, master: string, slave: string): (string | number)[] {
    return [this.options.prefix, this.options.now(), opId, master, slave];
  }

  /**
   * enc_keys fast path, one round trip: the rate limit and `number` whole units of `sizeBits`
   * bound to (master, slave) under the lease `opId`. Undefined when a unit of another size is in
   * the way (use reserve/commit). Not retried: a lease whose reply was lost is settled by
   * sweepLeases (voided), never served twice.
   */
  async encUnits(
    master: string,
    slave: string,
    sizeBits: number,
    number: number,
    pools: string[],
    opId: string,
    rate: RateLimit,
  ): Promise<
    | {
        route: 'direct' | 'indirect';
        keys: { keyId: string; pool: string; material: KeyMaterial }[];
        lease: LeaseRecord;
      }
    | undefined
  > {
    const out = await this.hotPath(S.kmeEnc, {
      args: [
        ...this.leaseArgs(opId, master, slave),
        sizeBits,
        number,
        this.leaseTimeoutMs,
        rate.points,
        rate.windowMs,
        pools.length,
        ...pools,
      ],
    });
    if (out === 0) return undefined;
    const [route, ...flat] = out as string[];
    const rows: (Sealed & { pool: string })[] = [];
    for (let i = 0; i < flat.length; i += 3)
      rows.push({ id: flat[i]!, ct: flat[i + 1]!, pool: flat[i + 2]!, bits: sizeBits });
    const opened = openSealed(this.options.kek, rows);
    if (!opened.ok) {
      await this.voidLease(
        opId,
        { side: 'master', master, slave, sizeBits },
        rows.map((r, i) => ({ id: r.id, failed: opened.failed[i]! })),
      );
      throw new KeyIntegrityError(
        rows.filter((_, i) => opened.failed[i]).map((r) => ({ id: r.id, pool: r.pool, bits: r.bits })),
      );
    }
    const drawn: Record<string, number> = {};
    for (const r of rows) drawn[r.pool] = (drawn[r.pool] ?? 0) + sizeBits;
    const keyIds = rows.map((r) => r.id);
    return {
      route: route as 'direct' | 'indirect',
      keys: rows.map((r, i) => ({ keyId: r.id, pool: r.pool, material: opened.materials[i]! })),
      lease: { side: 'master', master, slave, keyIds, route: route as 'direct' | 'indirect', sizeBits, drawn },
    };
  }

  /**
   * dec_keys, one round trip: the rate limit and the keys bound to (master, slave), taken under the
   * lease `opId` until `settle`; NOT_FOUND or UNAUTHORIZED otherwise. A key that fails
   * authentication is voided; the request's others are bound again, and KeyIntegrityError names
   * the voided IDs.
   */
  async decKeys(
    master: string,
    slave: string,
    keyIds: string[],
    opId: string,
    rate: RateLimit,
  ): Promise<KeyMaterial[]> {
    const flat = (await this.hotPath(S.kmeDec, {
      args: [
        ...this.leaseArgs(opId, master, slave),
        this.leaseTimeoutMs,
        rate.points,
        rate.windowMs,
        keyIds.length,
        ...keyIds,
      ],
    })) as string[];
    const rows = keyIds.map((id, i) => ({ id, ct: flat[2 * i]!, bits: Number(flat[2 * i + 1]) }));
    const opened = openSealed(this.options.kek, rows);
    if (opened.ok) return opened.materials;
    await this.voidLease(
      opId,
      { side: 'slave', master, slave },
      rows.map((r, i) => ({ id: r.id, failed: opened.failed[i]! })),
    );
    const bad = rows.filter((_, i) => opened.failed[i]);
    throw new KeyIntegrityError(
      bad.map((r) => ({ id: r.id, bits: r.bits })),
      bad.map((r) => r.id),
    );
  }

  /**
   * status, one round trip: the rate limit and the available bits of the direct and of all pools
   * (direct first in `all`).
   */
  async statusBits(
    caller: string,
    direct: string[],
    all: string[],
    rate: RateLimit,
  ): Promise<{ direct: number; all: number }> {
    const [d, a] = (await this.hotPath(S.kmeStatus, {
      args: [
        this.options.prefix,
        this.options.now(),
        caller,
        rate.points,
        rate.windowMs,
        direct.length,
        all.length,
        ...all,
      ],
    })) as number[];
    return { direct: Number(d), all: Number(a) };
  }

  private async voidLease(
    opId: string,
    context: Record<string, unknown>,
    rows: { id: string; failed: boolean }[],
  ): Promise<void> {
    await this.hotPath(S.kmeVoid, {
      args: [
        this.options.prefix,
        this.options.now(),
        opId,
        JSON.stringify(context),
        rows.length,
        ...rows.flatMap((r) => [r.id, r.failed ? 1 : 0]),
      ],
    });
  }

  /** Settles KME leases with their outcomes (one script for the batch); returns how many settled now. */
  async settle(leases: { opId: string; outcome: LeaseOutcome; lease: LeaseRecord }[]): Promise<number> {
    if (leases.length === 0) return 0;
    const args = leases.flatMap((l) => [l.opId, l.outcome, JSON.stringify(l.lease)]);
    return Number(
      await this.hotPath(S.kmeSettle, { args: [this.options.prefix, this.options.now(), leases.length, ...args] }),
    );
  }

  /** Settles as unknown the leases left past their deadline (their process died or lost Redis). */
  async sweepLeases(): Promise<number> {
    const now = this.options.now();
    const cutoff = Math.floor((now - this.leaseTimeoutMs) / LEASE_BUCKET_MS) - 1;
    const opKey = `${this.options.prefix}op:${newOpId(now)}`;
    const args = [this.options.prefix, now, cutoff, 86_400];
    return Number(await runIdempotent(this.options.redis, S.sweepLeases, opKey, args, this.options.retries ?? 3));
  }
}
