/**
 * Redis catalog and station store. Keys under `<prefix>:` (the prefix carries a hash tag, so one
 * cluster slot): see put-element-set.lua for the layout; stations in the hash `<prefix>:stations`.
 */
import type { Redis } from 'ioredis';
import { loadLua, runLua } from '../../src/platform/lua.js';
import { execAll } from '../../src/platform/redis.js';
import {
  ElementSetSchema,
  StationSchema,
  type CatalogPort,
  type ElementSet,
  type Station,
  type StationStorePort,
} from '../domain/index.js';

/**
 * Idempotent by content: storing the same element set twice leaves the data as storing it once did
 * (a replay only bumps the catalog version once more, which invalidates caches and nothing else).
 */
const PUT = loadLua({
  name: 'tle_put_element_set',
  file: new URL('./put-element-set.lua', import.meta.url).pathname,
  keys: 6,
  idempotent: 'own',
});

const parseSet = (s: string): ElementSet => ElementSetSchema.parse(JSON.parse(s));

export class RedisCatalog implements CatalogPort {
  private indexed: Promise<void> | undefined;
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {}
  private k(s: string) {
    return `${this.prefix}:tle:${s}`;
  }

  async put(es: ElementSet): Promise<{ current: boolean }> {
    await this.ensureIndex();
    const id = String(es.noradId),
      epoch = String(es.epochMs);
    const r = await runLua(this.redis, PUT, {
      keys: [
        this.k('current'),
        this.k('epoch'),
        this.k(`hist:${id}`),
        this.k(`sets:${id}`),
        this.k('ids'),
        this.k('version'),
      ],
      args: [id, epoch, JSON.stringify(es)],
    });
    return { current: r === 1 };
  }
  /** Catalogs written before the paging index existed get it built once. */
  private ensureIndex(): Promise<void> {
    return (this.indexed ??= (async () => {
      if ((await this.redis.zcard(this.k('ids'))) > 0) return;
      const ids = await this.redis.hkeys(this.k('current'));
      for (let i = 0; i < ids.length; i += 1000) {
        const chunk = ids.slice(i, i + 1000);
        if (chunk.length) await this.redis.zadd(this.k('ids'), ...chunk.flatMap((id) => [id, id]));
      }
    })().catch((e: unknown) => {
      this.indexed = undefined;
      throw e;
    }));
  }
  async page(after: number | undefined, limit: number, ids?: readonly number[]): Promise<ElementSet[]> {
    return (await this.pageJson(after, limit, ids)).map(parseSet);
  }
  async pageJson(after: number | undefined, limit: number, ids?: readonly number[]): Promise<string[]> {
    await this.ensureIndex();
    // A selection's IDs not in the catalog take no place in the page: all are read, then the limit applies.
    const wanted = ids
      ? [...new Set(ids)]
          .filter((id) => after === undefined || id > after)
          .sort((a, b) => a - b)
          .map(String)
      : await this.redis.zrangebyscore(
          this.k('ids'),
          after === undefined ? '-inf' : `(${after}`,
          '+inf',
          'LIMIT',
          0,
          limit,
        );
    if (wanted.length === 0) return [];
    const raw = await this.redis.hmget(this.k('current'), ...wanted);
    return raw.filter((s): s is string => !!s).slice(0, limit);
  }
  async delete(noradId: number): Promise<boolean> {
    const id = String(noradId);
    const [removed] = (await execAll(
      this.redis
        .multi()
        .hdel(this.k('current'), id)
        .hdel(this.k('epoch'), id)
        .zrem(this.k('ids'), id)
        .del(this.k(`hist:${id}`), this.k(`sets:${id}`))
        .incr(this.k('version')),
    )) as number[];
    return removed === 1;
  }
  async version(): Promise<string> {
    return (await this.redis.get(this.k('version'))) ?? '0';
  }
  async clear(): Promise<void> {
    const version = await this.redis.incr(this.k('version'));
    await deletePrefix(this.redis, `${this.prefix}:tle`);
    await this.redis.set(this.k('version'), String(version + 1));
    this.indexed = undefined;
  }
  async get(noradId: number): Promise<ElementSet | undefined> {
    const s = await this.redis.hget(this.k('current'), String(noradId));
    return s ? ElementSetSchema.parse(JSON.parse(s)) : undefined;
  }
  async history(noradId: number, limit = 100): Promise<ElementSet[]> {
    const epochs = await this.redis.zrange(this.k(`hist:${noradId}`), -limit, -1);
    if (epochs.length === 0) return [];
    const sets = await this.redis.hmget(this.k(`sets:${noradId}`), ...epochs);
    return sets.filter((s): s is string => !!s).map((s) => ElementSetSchema.parse(JSON.parse(s)));
  }
  async list(): Promise<ElementSet[]> {
    const all = await this.redis.hvals(this.k('current'));
    return all.map((s) => ElementSetSchema.parse(JSON.parse(s))).sort((a, b) => a.noradId - b.noradId);
  }
}

export class RedisStationStore implements StationStorePort {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {}
  private get key() {
    return `${this.prefix}:stations`;
  }
  async put(station: Station) {
    return { created: (await this.redis.hset(this.key, station.id, JSON.stringify(station))) === 1 };
  }
  async get(id: string) {
    const s = await this.redis.hget(this.key, id);
    return s ? StationSchema.parse(JSON.parse(s)) : undefined;
  }
  async delete(id: string) {
    return (await this.redis.hdel(this.key, id)) === 1;
  }
  async seeded() {
    return (await this.redis.exists(`${this.key}:seeded`)) === 1;
  }
  async markSeeded() {
    await this.redis.set(`${this.key}:seeded`, String(Date.now()));
  }
  async clear() {
    await this.redis.del(this.key, `${this.key}:seeded`);
  }
  async list() {
    return (await this.redis.hvals(this.key))
      .map((s) => StationSchema.parse(JSON.parse(s)))
      .sort((a, b) => a.id.localeCompare(b.id));
  }
}

/** Deletes every key under the prefix (tests). */
export async function deletePrefix(redis: Redis, prefix: string): Promise<void> {
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 500);
    if (keys.length) await redis.del(...keys);
    cursor = next;
  } while (cursor !== '0');
}
