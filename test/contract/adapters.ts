/**
 * Fresh adapters for the contract suites: each factory builds a new, empty instance; the Redis
 * ones get a unique key prefix on the test Redis (REDIS_URL) and delete it when disposed.
 */
import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import { afterEach, beforeEach } from 'vitest';
import { createRedis } from '../../src/platform/redis.js';
import { deletePrefix } from '../../tle/adapters/catalog.redis.js';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

export interface Fresh<T> {
  adapter: T;
  dispose(): Promise<void>;
}

export interface AdapterFactory<T> {
  name: string;
  create(): Promise<Fresh<T>>;
}

export const inMemory = <T>(name: string, build: () => T): AdapterFactory<T> => ({
  name,
  create: async () => ({ adapter: build(), dispose: async () => undefined }),
});

/** An adapter on its own Redis connection under a prefix no other test uses. */
export const onRedis = <T>(name: string, build: (redis: Redis, prefix: string) => T): AdapterFactory<T> => ({
  name,
  create: async () => {
    const redis = createRedis(REDIS_URL, 'command');
    const prefix = `{qkdsat-contract-${randomBytes(4).toString('hex')}}`;
    return {
      adapter: build(redis, prefix),
      dispose: async () => {
        await deletePrefix(redis, prefix);
        redis.disconnect();
      },
    };
  },
});

/** A fresh adapter from the factory before each test, disposed after it: the getter answers the current one. */
export function freshEach<T>(factory: AdapterFactory<T>): () => T {
  let fresh: Fresh<T> | undefined;
  beforeEach(async () => {
    fresh = await factory.create();
  });
  afterEach(async () => {
    await fresh?.dispose();
    fresh = undefined;
  });
  return () => {
    if (!fresh) throw new Error(`no ${factory.name} adapter outside a test`);
    return fresh.adapter;
  };
}
