/**
 * Redis key pools. Every multi-key change is one Lua script (lua/*.lua) that also appends its audit
 * entry; key material is stored only as AES-256-GCM ciphertext (kek.ts). Layout under `prefix`:
 *   pool:<link>      LIST of available segment IDs (FIFO)     poolbits  HASH link -> available bits
 *   seg:<id>         HASH link, bits, ct, state, createdAt, expiresAt, and for keys master, slave,
 *                    route, lease; state available | reserved | bound (awaiting the slave) | taken
 *   res:<id>         LIST of reserved segment IDs              reservations ZSET resId -> reservedAt
 *   lease:<bucket>   HASH opId -> KME lease record until settled (1 s buckets by the opId's time)
 *   op:<opId>        the reply of an idempotent operation (src/platform/lua.ts)
 *   expiry           ZSET 's:<id>' -> expiresAt                links  HASH link -> JSON metadata
 *   audit            STREAM (hash-chained, lua/prelude.lua)    audit:head, audit:seq
 *
 * Exactly once. Every mutation carries an operation ID chosen before its first send, so a script
 * that ioredis re-sends after a lost reply answers its first outcome and changes nothing; when a
 * reply is lost the store asks again under the same ID. Blocks are written in chunks of bounded
 * argument lists. A record whose ciphertext fails authentication is never handed out: a void
 * script destroys it, puts back whatever else the request had taken, and audits a `void` with
 * reason `integrity`; then KeyIntegrityError (IDs, pools, sizes; never bytes) is thrown.
 */
import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import { QkdsatError } from '../../src/core/errors.js';
import { loadLua, newOpId, runLua, type LuaScript } from '../../src/platform/lua.js';
import { batchedLua, type LuaRunner } from '../../src/platform/lua-batch.js';
import { KeyIntegrityError } from '../domain/integrity.js';
import { KeyMaterial, zeroiseAll } from '../domain/key-material.js';
import { segment } from '../domain/pool.js';
import type { Kek } from './kek.js';
import { RELAY_SCRIPTS as S } from './scripts.js';

export interface LinkMeta {
  kind: 'satellite' | 'fibre' | 'relayed';
  a: string;
  b: string;
  rateBps?: number;
}

export interface ReservedSegment {
  group: number;
  id: string;
  pool: string;
  bits: number;
  createdAt: number;
  material: KeyMaterial;
}

export interface NewSegment {
  pool: string;
  material: KeyMaterial;
  createdAt?: number;
  /** Put back at the front of the pool (remainders: used first). */
  front?: boolean;
}

export interface NewKey {
  keyId: string;
  master: string;
  slave: string;
  material: KeyMaterial;
  route: 'direct' | 'indirect';
}

export interface PoolStat {
  link: string;
  meta: LinkMeta | undefined;
  storedBits: number;
  oldestCreatedAt: number | undefined;
}

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

/** A stored record as a script returned it: ID (the AAD), ciphertext, recorded length. */
interface Sealed {
  id: string;
  ct: string;
  bits: number;
}

export interface KeyStoreOptions {
  redis: Redis;
  /** Redis key prefix for this component, e.g. `{qkdsat}:relay:`. */
  prefix: string;
  kek: Kek;
  ttlMs: number;
  segmentBits: number;
  now: () => number;
  /**
   * A KME lease not settled within this is settled as unknown by sweepLeases (default 20 s). It also
   * bounds how late a KME script may run after its operation ID was made (a re-sent one arriving
   * later is refused): a lease can then never be written into a bucket the sweep has passed.
   */
  leaseTimeoutMs?: number;
  /** Re-asks of an operation whose reply was lost (default 3, 150 ms apart). */
  retries?: number;
}

/** Segments per deposit or commit call: bounds every script's argument list (~3-7 per segment). */
export const SEGMENTS_PER_CALL = 512;
/** Lease buckets (lease:<bucket>), as in lua/prelude.lua. */
const LEASE_BUCKET_MS = 1000;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * TEST-ONLY mutation switch for the soak's check of its own checker (README "Reliability"); never
 * set it in a deployment. `QKDSAT_TEST_MUTATION=nonidempotent-deposit` re-introduces the defect of
 * issue 8: the deposit script runs without its operation ledger, so a re-sent or retried deposit
 * (lost reply, worker takeover) stores the block twice. Read here only.
 */
const NONIDEMPOTENT_DEPOSIT: LuaScript | undefined =
  process.env.QKDSAT_TEST_MUTATION === 'nonidempotent-deposit'
    ? loadLua({
        name: 'relay_deposit_test_mutant',
        file: S.deposit.file,
        ...(S.deposit.prelude ? { prelude: S.deposit.prelude } : {}),
        keys: 0,
        idempotent: 'own',
      })
    : undefined;

export class KeyStore {
  private readonly leaseTimeoutMs: number;
  /** The KME's scripts (enc, dec, status, void, settle): calls of one event-loop turn share a write. */
  private readonly hotPath: LuaRunner;

  constructor(private readonly o: KeyStoreOptions) {
    this.leaseTimeoutMs = o.leaseTimeoutMs ?? 20_000;
    this.hotPath = batchedLua(o.redis);
  }

  get prefix(): string {
    return this.o.prefix;
  }

  /**
   * Runs an idempotent script under `opId`; when the reply is lost (connection trouble) asks again
   * under the same ID, so the operation takes effect at most once and its first reply is returned.
   */
  private async op(script: LuaScript, opId: string, args: (string | number)[]): Promise<unknown> {
    const attempts = 1 + (this.o.retries ?? 3);
    for (let i = 1; ; i += 1) {
      try {
        if (NONIDEMPOTENT_DEPOSIT && script === S.deposit)
          return await runLua(this.o.redis, NONIDEMPOTENT_DEPOSIT, { args });
        return await runLua(this.o.redis, script, { opKey: `${this.o.prefix}op:${opId}`, args });
      } catch (e) {
        if (!(e instanceof QkdsatError && e.code === 'UNAVAILABLE') || i >= attempts) throw e;
        await sleep(150 * i);
      }
    }
  }

  /**
   * Stores a block in a link pool, cut into segments, in chunks of SEGMENTS_PER_CALL; `material`
   * stays the caller's to zeroise. `opId` (default: new) makes the whole deposit idempotent: a pass
   * job retried by another worker deposits under the same ID and gets the first result.
   */
  async deposit(
    link: string,
    meta: LinkMeta,
    material: KeyMaterial,
    auditData: Record<string, unknown>,
    opId: string = newOpId(this.o.now()),
  ): Promise<{ blockId: string; bits: number; segments: number }> {
    const parts = segment(material, this.o.segmentBits);
    const chunks = Math.ceil(parts.length / SEGMENTS_PER_CALL);
    let bits = 0;
    try {
      for (let c = 0; c < chunks; c += 1) {
        const now = this.o.now();
        const slice = parts.slice(c * SEGMENTS_PER_CALL, (c + 1) * SEGMENTS_PER_CALL);
        const args: (string | number)[] = [];
        let chunkBits = 0;
        for (const p of slice) {
          const id = randomUUID();
          args.push(id, p.lengthBits, this.o.kek.encrypt(p, id));
          chunkBits += p.lengthBits;
        }
        const audit = JSON.stringify({
          blockId: opId,
          link,
          bits: chunkBits,
          segments: slice.length,
          ...(chunks > 1 ? { chunk: c + 1, chunks } : {}),
          ...auditData,
        });
        bits += Number(
          await this.op(S.deposit, `${opId}:${c}`, [
            this.o.prefix,
            now,
            link,
            JSON.stringify(meta),
            audit,
            now + this.o.ttlMs,
            slice.length,
            ...args,
          ]),
        );
      }
    } finally {
      zeroiseAll(...parts);
    }
    return { blockId: opId, bits, segments: parts.length };
  }

  /** Reserves `needBits` per group from its pools in order; all or nothing (INSUFFICIENT_KEY). */
  async reserve(
    groups: { needBits: number; pools: string[] }[],
    auditData: Record<string, unknown>,
    resId: string = randomUUID(),
  ): Promise<{ resId: string; segments: ReservedSegment[] }> {
    const args: (string | number)[] = [
      this.o.prefix,
      this.o.now(),
      resId,
      JSON.stringify({ reservation: resId, ...auditData }),
      groups.length,
    ];
    for (const g of groups) args.push(g.needBits, g.pools.length, ...g.pools);
    const flat = (await this.op(S.reserve, `reserve:${resId}`, args)) as (string | number)[];
    const rows: (Sealed & { group: number; pool: string; createdAt: number })[] = [];
    for (let i = 0; i < flat.length; i += 6) {
      rows.push({
        group: Number(flat[i]),
        id: String(flat[i + 1]),
        pool: String(flat[i + 2]),
        bits: Number(flat[i + 3]),
        ct: String(flat[i + 4]),
        createdAt: Number(flat[i + 5]),
      });
    }
    const opened = this.open(rows);
    if (!opened.ok) {
      const bad = rows.filter((_, i) => opened.failed[i]);
      await this.op(S.voidReserved, `void:${resId}`, [
        this.o.prefix,
        this.o.now(),
        resId,
        JSON.stringify({ reservation: resId, ...auditData }),
        bad.length,
        ...bad.map((r) => r.id),
      ]);
      throw new KeyIntegrityError(bad.map((r) => ({ id: r.id, pool: r.pool, bits: r.bits })));
    }
    const segments = rows.map(({ ct: _ct, ...r }, i): ReservedSegment => ({ ...r, material: opened.materials[i]! }));
    return { resId, segments };
  }

  /**
   * Consumes the reservation and stores what it became; CONFLICT when it was released meanwhile.
   * With `leaseOpId` (enc_keys) the keys stay under that KME lease until `settle`.
   */
  async commit(
    resId: string,
    kind: string,
    auditData: Record<string, unknown>,
    newSegments: NewSegment[],
    keys: NewKey[],
    leaseOpId = '',
  ): Promise<void> {
    const now = this.o.now();
    const expiresAt = now + this.o.ttlMs;
    const lease = leaseOpId ? JSON.stringify({ ...auditData, side: 'master', keyIds: keys.map((k) => k.keyId) }) : '';
    const args: (string | number)[] = [
      this.o.prefix,
      now,
      resId,
      kind,
      JSON.stringify({ reservation: resId, ...auditData }),
      leaseOpId,
      lease,
      newSegments.length,
    ];
    for (const s of newSegments) {
      const id = randomUUID();
      args.push(
        s.pool,
        id,
        s.material.lengthBits,
        this.o.kek.encrypt(s.material, id),
        s.createdAt ?? now,
        expiresAt,
        s.front ? 1 : 0,
      );
    }
    args.push(keys.length);
    for (const k of keys)
      args.push(
        k.keyId,
        k.master,
        k.slave,
        k.material.lengthBits,
        this.o.kek.encrypt(k.material, k.keyId),
        k.route,
        expiresAt,
      );
    await this.op(S.commit, `commit:${resId}`, args);
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
        this.o.prefix,
        this.o.now(),
        opId,
        master,
        slave,
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
    const opened = this.open(rows);
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
        this.o.prefix,
        this.o.now(),
        opId,
        master,
        slave,
        this.leaseTimeoutMs,
        rate.points,
        rate.windowMs,
        keyIds.length,
        ...keyIds,
      ],
    })) as string[];
    const rows = keyIds.map((id, i) => ({ id, ct: flat[2 * i]!, bits: Number(flat[2 * i + 1]) }));
    const opened = this.open(rows);
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

  /** status, one round trip: the rate limit and the available bits of the direct and of all pools (direct first in `all`). */
  async statusBits(
    caller: string,
    direct: string[],
    all: string[],
    rate: RateLimit,
  ): Promise<{ direct: number; all: number }> {
    const [d, a] = (await this.hotPath(S.kmeStatus, {
      args: [this.o.prefix, this.o.now(), caller, rate.points, rate.windowMs, direct.length, all.length, ...all],
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
        this.o.prefix,
        this.o.now(),
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
    return Number(await this.hotPath(S.kmeSettle, { args: [this.o.prefix, this.o.now(), leases.length, ...args] }));
  }

  /** Settles as unknown the leases left past their deadline (their process died or lost Redis). */
  async sweepLeases(): Promise<number> {
    const now = this.o.now();
    const cutoff = Math.floor((now - this.leaseTimeoutMs) / LEASE_BUCKET_MS) - 1;
    return Number(await this.op(S.sweepLeases, newOpId(now), [this.o.prefix, now, cutoff, 86_400]));
  }

  /**
   * Decrypts every record. One that fails authentication or does not hold its recorded length is
   * corrupt: then no material is returned and whatever was decrypted is zeroised.
   */
  private open(records: readonly Sealed[]): { ok: true; materials: KeyMaterial[] } | { ok: false; failed: boolean[] } {
    const materials: KeyMaterial[] = [];
    const failed = records.map((r) => {
      const m = this.o.kek.tryDecrypt(r.ct, r.id);
      if (m && m.lengthBits === r.bits) {
        materials.push(m);
        return false;
      }
      zeroiseAll(m);
      return true;
    });
    if (!failed.includes(true)) return { ok: true, materials };
    zeroiseAll(...materials);
    return { ok: false, failed };
  }

  /** Returns reservations older than `timeoutMs` to their pools (after a crash or a stall). */
  async releaseStale(timeoutMs: number): Promise<number> {
    const now = this.o.now();
    return Number(await this.op(S.releaseStale, newOpId(now), [this.o.prefix, now, now - timeoutMs]));
  }

  async sweepExpired(limit = 1000): Promise<number> {
    const now = this.o.now();
    return Number(await this.op(S.sweepExpired, newOpId(now), [this.o.prefix, now, limit]));
  }

  /** Records a link's metadata (first write wins), so empty pools are listed too. */
  async registerLink(link: string, meta: LinkMeta): Promise<void> {
    await this.o.redis.hsetnx(`${this.o.prefix}links`, link, JSON.stringify(meta));
  }

  async availableBits(pools: string[]): Promise<number> {
    if (pools.length === 0) return 0;
    try {
      const v = await this.o.redis.hmget(`${this.o.prefix}poolbits`, ...pools);
      return v.reduce((s, x) => s + Number(x ?? 0), 0);
    } catch (e) {
      throw new QkdsatError('UNAVAILABLE', `key store: ${(e as Error).message}`);
    }
  }

  async poolStats(): Promise<PoolStat[]> {
    const [bits, links] = await Promise.all([
      this.o.redis.hgetall(`${this.o.prefix}poolbits`),
      this.o.redis.hgetall(`${this.o.prefix}links`),
    ]);
    const ids = [...new Set([...Object.keys(bits), ...Object.keys(links)])].sort();
    const heads = await Promise.all(ids.map((l) => this.o.redis.lindex(`${this.o.prefix}pool:${l}`, 0)));
    const created = await Promise.all(
      heads.map((h) => (h ? this.o.redis.hget(`${this.o.prefix}seg:${h}`, 'createdAt') : null)),
    );
    return ids.map((link, i) => ({
      link,
      meta: links[link] ? (JSON.parse(links[link]) as LinkMeta) : undefined,
      storedBits: Number(bits[link] ?? 0),
      oldestCreatedAt: created[i] ? Number(created[i]) : undefined,
    }));
  }
}
