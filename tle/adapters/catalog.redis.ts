/**
 * Redis catalog and station store. Keys under `<prefix>:` (the prefix carries a hash tag, so one
 * cluster slot): see put-element-set.lua for the layout; stations in the hash `<prefix>:stations`.
 */
import type { Redis } from 'ioredis';
import { loadLua, runLua } from '../../src/platform/lua.js';
import { ElementSetSchema, StationSchema, type CatalogPort, type ElementSet, type Station, type StationStorePort } from '../domain/index.js';

/** Idempotent by content: storing the same element set twice leaves what storing it once did. */
const PUT = loadLua({ name: 'tle_put_element_set', file: new URL('./put-element-set.lua', import.meta.url).pathname, keys: 4, idempotent: 'own' });

export class RedisCatalog implements CatalogPort {
  constructor(private readonly redis: Redis, private readonly prefix: string) {}
  private k(s: string) { return `${this.prefix}:tle:${s}`; }

  async put(es: ElementSet): Promise<{ current: boolean }> {
    const id = String(es.noradId), epoch = String(es.epochMs);
    const r = await runLua(this.redis, PUT, { keys: [this.k('current'), this.k('epoch'), this.k(`hist:${id}`), this.k(`sets:${id}`)], args: [id, epoch, JSON.stringify(es)] });
    return { current: r === 1 };
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
  constructor(private readonly redis: Redis, private readonly prefix: string) {}
  private get key() { return `${this.prefix}:stations`; }
  async put(s: Station) { return { created: (await this.redis.hset(this.key, s.id, JSON.stringify(s))) === 1 }; }
  async get(id: string) { const s = await this.redis.hget(this.key, id); return s ? StationSchema.parse(JSON.parse(s)) : undefined; }
  async delete(id: string) { return (await this.redis.hdel(this.key, id)) === 1; }
  async list() { return (await this.redis.hvals(this.key)).map((s) => StationSchema.parse(JSON.parse(s))).sort((a, b) => a.id.localeCompare(b.id)); }
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
