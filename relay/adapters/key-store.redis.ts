/**
 * Redis key pools. Every multi-key change is one Lua script (lua/*.lua) that also appends its audit
 * entry; key material is stored only as AES-256-GCM ciphertext (kek.ts). Layout under `prefix`:
 *   pool:<link>      LIST of available segment IDs (FIFO)     poolbits  HASH link -> available bits
 *   seg:<id>         HASH link, bits, ct, state, createdAt, expiresAt, res
 *   res:<id>         LIST of reserved segment IDs              reservations ZSET resId -> reservedAt
 *   key:<uuid>       HASH master, slave, bits, ct, route, expiresAt, state (awaiting the slave)
 *   expiry           ZSET 's:<seg>' | 'k:<key>' -> expiresAt   links  HASH link -> JSON metadata
 *   audit            STREAM (hash-chained, audit.lua)          audit:head, audit:seq
 * A record whose ciphertext fails authentication (tampered, or another KEK) is never handed out:
 * one void-*.lua script destroys it, puts back whatever else the request had taken, and audits a
 * `void` with reason `integrity`; then KeyIntegrityError (IDs, pools, sizes; never bytes) is thrown.
 */
import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import { QkdsatError } from '../../src/core/errors.js';
import { KeyIntegrityError } from '../domain/integrity.js';
import { KeyMaterial, zeroiseAll } from '../domain/key-material.js';
import { segment } from '../domain/pool.js';
import type { Kek } from './kek.js';
import { defineScripts, runScript, scriptFailure } from './scripts.js';

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
}

export class KeyStore {
  constructor(private readonly o: KeyStoreOptions) {
    defineScripts(o.redis);
  }

  get prefix(): string {
    return this.o.prefix;
  }

  /** Stores a block in a link pool, cut into segments; `material` stays the caller's to zeroise. */
  async deposit(link: string, meta: LinkMeta, material: KeyMaterial, auditData: Record<string, unknown>): Promise<{ blockId: string; bits: number; segments: number }> {
    const now = this.o.now();
    const blockId = randomUUID();
    const parts = segment(material, this.o.segmentBits);
    const args: (string | number)[] = [];
    for (const p of parts) {
      const id = randomUUID();
      args.push(id, p.lengthBits, this.o.kek.encrypt(p, id));
    }
    zeroiseAll(...parts);
    const audit = JSON.stringify({ blockId, link, bits: material.lengthBits, segments: parts.length, ...auditData });
    const bits = await runScript(this.o.redis, 'deposit', [this.o.prefix, now, link, JSON.stringify(meta), audit, now + this.o.ttlMs, parts.length, ...args]);
    return { blockId, bits: Number(bits), segments: parts.length };
  }

  /** Reserves `needBits` per group from its pools in order; all or nothing (INSUFFICIENT_KEY). */
  async reserve(groups: { needBits: number; pools: string[] }[], auditData: Record<string, unknown>): Promise<{ resId: string; segments: ReservedSegment[] }> {
    const resId = randomUUID();
    const args: (string | number)[] = [this.o.prefix, this.o.now(), resId, JSON.stringify({ reservation: resId, ...auditData }), groups.length];
    for (const g of groups) args.push(g.needBits, g.pools.length, ...g.pools);
    const out = await runScript(this.o.redis, 'reserve', args);
    if (typeof out === 'number') throw scriptFailure('reserve', out);
    const flat = out as (string | number)[];
    const rows: (Sealed & { group: number; pool: string; createdAt: number })[] = [];
    for (let i = 0; i < flat.length; i += 6) {
      rows.push({ group: Number(flat[i]), id: String(flat[i + 1]), pool: String(flat[i + 2]), bits: Number(flat[i + 3]), ct: String(flat[i + 4]), createdAt: Number(flat[i + 5]) });
    }
    const opened = this.open(rows);
    if (!opened.ok) {
      const bad = rows.filter((_, i) => opened.failed[i]);
      await runScript(this.o.redis, 'void-reserved', [this.o.prefix, this.o.now(), resId, JSON.stringify({ reservation: resId, ...auditData }), bad.length, ...bad.map((r) => r.id)]);
      throw new KeyIntegrityError(bad.map((r) => ({ id: r.id, pool: r.pool, bits: r.bits })));
    }
    const segments = rows.map(({ ct: _ct, ...r }, i): ReservedSegment => ({ ...r, material: opened.materials[i]! }));
    return { resId, segments };
  }

  /** Consumes the reservation and stores what it became; CONFLICT when it was released meanwhile. */
  async commit(resId: string, kind: string, auditData: Record<string, unknown>, newSegments: NewSegment[], keys: NewKey[]): Promise<void> {
    const now = this.o.now();
    const expiresAt = now + this.o.ttlMs;
    const args: (string | number)[] = [this.o.prefix, now, resId, kind, JSON.stringify({ reservation: resId, ...auditData }), newSegments.length];
    for (const s of newSegments) {
      const id = randomUUID();
      args.push(s.pool, id, s.material.lengthBits, this.o.kek.encrypt(s.material, id), s.createdAt ?? now, expiresAt, s.front ? 1 : 0);
    }
    args.push(keys.length);
    for (const k of keys) args.push(k.keyId, k.master, k.slave, k.material.lengthBits, this.o.kek.encrypt(k.material, k.keyId), k.route, expiresAt);
    const out = Number(await runScript(this.o.redis, 'commit', args));
    if (out !== 1) throw scriptFailure('commit', out);
  }

  /**
   * enc_keys fast path: `number` whole units of `sizeBits` become keys bound to (master, slave) in
   * one script. Returns undefined when a unit of another size is in the way (use reserve/commit).
   */
  async takeUnits(master: string, slave: string, sizeBits: number, number: number, pools: string[]): Promise<{ keyId: string; pool: string; material: KeyMaterial }[] | undefined> {
    const now = this.o.now();
    const out = await runScript(this.o.redis, 'take-units', [this.o.prefix, now, master, slave, sizeBits, number, now + this.o.ttlMs, pools.length, ...pools]);
    if (out === -4) return undefined;
    if (typeof out === 'number') throw scriptFailure('take-units', out);
    const flat = out as string[];
    const rows: (Sealed & { pool: string })[] = [];
    for (let i = 0; i < flat.length; i += 3) rows.push({ id: flat[i]!, ct: flat[i + 1]!, pool: flat[i + 2]!, bits: sizeBits });
    const opened = this.open(rows);
    if (!opened.ok) {
      const flags = rows.flatMap((r, i) => [r.id, opened.failed[i] ? 1 : 0]);
      await runScript(this.o.redis, 'void-units', [this.o.prefix, this.o.now(), JSON.stringify({ side: 'master', master, slave, sizeBits }), rows.length, ...flags]);
      throw new KeyIntegrityError(rows.filter((_, i) => opened.failed[i]).map((r) => ({ id: r.id, pool: r.pool, bits: r.bits })));
    }
    return rows.map((r, i) => ({ keyId: r.id, pool: r.pool, material: opened.materials[i]! }));
  }

  /**
   * dec_keys: the keys bound to (master, slave), once; NOT_FOUND or UNAUTHORIZED otherwise. A key
   * that fails authentication is voided (it can never be served); the request's others are bound
   * again for a retry, and KeyIntegrityError names the voided IDs.
   */
  async takeForSlave(master: string, slave: string, keyIds: string[]): Promise<KeyMaterial[]> {
    const out = await runScript(this.o.redis, 'take-for-slave', [this.o.prefix, this.o.now(), master, slave, keyIds.length, ...keyIds]);
    if (typeof out === 'number') throw scriptFailure('take-for-slave', out);
    const flat = out as string[];
    const rows = keyIds.map((id, i) => ({ id, ct: flat[4 * i]!, bits: Number(flat[4 * i + 1]), route: flat[4 * i + 2]!, expiresAt: flat[4 * i + 3]! }));
    const opened = this.open(rows);
    if (opened.ok) return opened.materials;
    const records = rows.flatMap((r, i) => [r.id, opened.failed[i] ? 1 : 0, r.bits, r.ct, r.route, r.expiresAt]);
    await runScript(this.o.redis, 'void-taken', [this.o.prefix, this.o.now(), master, slave, JSON.stringify({ side: 'slave', master, slave }), rows.length, ...records]);
    const bad = rows.filter((_, i) => opened.failed[i]);
    throw new KeyIntegrityError(bad.map((r) => ({ id: r.id, bits: r.bits })), bad.map((r) => r.id));
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
    return Number(await runScript(this.o.redis, 'release-stale', [this.o.prefix, now, now - timeoutMs]));
  }

  async sweepExpired(limit = 1000): Promise<number> {
    return Number(await runScript(this.o.redis, 'sweep-expired', [this.o.prefix, this.o.now(), limit]));
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
    const created = await Promise.all(heads.map((h) => (h ? this.o.redis.hget(`${this.o.prefix}seg:${h}`, 'createdAt') : null)));
    return ids.map((link, i) => ({
      link,
      meta: links[link] ? (JSON.parse(links[link]) as LinkMeta) : undefined,
      storedBits: Number(bits[link] ?? 0),
      oldestCreatedAt: created[i] ? Number(created[i]) : undefined,
    }));
  }
}
