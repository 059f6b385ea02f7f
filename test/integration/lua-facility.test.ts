/**
 * The one Lua facility (src/platform/lua.ts): an idempotent script run twice under one operation ID
 * (as ioredis re-sends it after a lost reply) takes effect once and answers its first reply; its
 * error codes map to QkdsatError; and no component runs Lua any other way (the class rule).
 */
import { mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { loadLua, newOpId, runLua } from '../../src/platform/lua.js';
import { batchedLua } from '../../src/platform/lua-batch.js';
import { ROOT } from '../support/service.js';
import { FaultProxy } from '../support/fault-proxy.js';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const prefix = `luatest${Date.now()}:`;
const dir = mkdtempSync(join(tmpdir(), 'qkdsat-lua-'));
writeFileSync(
  join(dir, 'bump.lua'),
  "if tonumber(ARGV[1]) < 0 then return -1 end\nreturn { redis.call('INCRBY', KEYS[1], ARGV[1]), 'bumped' }\n",
);
const bump = loadLua({
  name: 'test_bump',
  file: join(dir, 'bump.lua'),
  keys: 1,
  idempotent: 60_000,
  errors: { [-1]: { code: 'VALIDATION', message: 'negative step' } },
});

describe('the Lua facility', () => {
  const redis = new Redis(REDIS_URL);
  afterAll(async () => {
    const keys = await redis.keys(`${prefix}*`);
    if (keys.length) await redis.del(...keys);
    redis.disconnect();
  });
  const run = (opId: string, step: number, client: Redis = redis) =>
    runLua(client, bump, { keys: [`${prefix}counter`], args: [step], opKey: `${prefix}op:${opId}` });

  it('a replay under the same operation ID answers the first reply and changes nothing', async () => {
    const op = newOpId();
    expect(await run(op, 5)).toEqual([5, 'bumped']);
    expect(await run(op, 5)).toEqual([5, 'bumped']);
    expect(await run(newOpId(), 5)).toEqual([10, 'bumped']);
    expect(await redis.get(`${prefix}counter`)).toBe('10');
    expect(await redis.pttl(`${prefix}op:${op}`)).toBeGreaterThan(0);
  });

  it('a reply lost after Redis ran the script: ioredis re-sends it, and it takes effect once', async () => {
    const u = new URL(REDIS_URL);
    const proxy = await FaultProxy.start({ host: u.hostname, port: Number(u.port || 6379) });
    const viaProxy = new Redis(proxy.url);
    try {
      await viaProxy.ping();
      proxy.dropReply('lost-reply-marker');
      const before = Number(await redis.get(`${prefix}counter`));
      expect(await run(`lost-reply-marker-${newOpId()}`, 3, viaProxy)).toEqual([before + 3, 'bumped']);
      expect(proxy.fired['drop-reply']).toBe(1);
      expect(Number(await redis.get(`${prefix}counter`))).toBe(before + 3);
    } finally {
      viaProxy.disconnect();
      await proxy.close();
    }
  });

  it("negative codes map to the script's declared errors; an idempotent script needs an operation ID", async () => {
    await expect(run(newOpId(), -1)).rejects.toMatchObject({ code: 'VALIDATION', message: 'negative step' });
    await expect(runLua(redis, bump, { keys: [`${prefix}counter`], args: [1] })).rejects.toMatchObject({
      code: 'INTERNAL',
    });
  });

  it('batched: calls of one event-loop turn share one pipeline write, each with its own reply or error', async () => {
    const batched = batchedLua(redis);
    const pipelines: number[] = [];
    const original = redis.pipeline.bind(redis);
    redis.pipeline = ((...a: Parameters<Redis['pipeline']>) => {
      const p = original(...a);
      const exec = p.exec.bind(p);
      p.exec = (...e: Parameters<typeof exec>) => {
        pipelines.push(p.length);
        return exec(...e);
      };
      return p;
    }) as Redis['pipeline'];
    try {
      const key = `${prefix}batched`;
      const steps = [1, 2, -1, 3];
      const replies = await Promise.allSettled(
        steps.map((step) => batched(bump, { keys: [key], args: [step], opKey: `${prefix}op:${newOpId()}` })),
      );
      expect(pipelines).toEqual([4]);
      expect(replies.map((r) => (r.status === 'fulfilled' ? r.value : (r.reason as { code: string }).code))).toEqual([
        [1, 'bumped'],
        [3, 'bumped'],
        'VALIDATION',
        [6, 'bumped'],
      ]);
      await expect(batched(bump, { keys: [key], args: [1] })).rejects.toMatchObject({ code: 'INTERNAL' });
    } finally {
      redis.pipeline = original;
    }
  });

  it('batched: Redis unreachable answers UNAVAILABLE to every call of the batch', async () => {
    const dead = new Redis({ port: 1, lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
    dead.on('error', () => undefined);
    const batched = batchedLua(dead);
    const calls = [1, 2].map((step) =>
      batched(bump, { keys: [`${prefix}never`], args: [step], opKey: `${prefix}op:${newOpId()}` }),
    );
    for (const c of calls) await expect(c).rejects.toMatchObject({ code: 'UNAVAILABLE' });
    dead.disconnect();
  });

  it('no component runs Lua but through it (every .lua file is loaded by loadLua)', () => {
    const sources: string[] = [];
    const walk = (d: string) => {
      for (const name of readdirSync(d)) {
        const p = join(d, name);
        if (name === 'node_modules' || name.startsWith('.')) continue;
        if (statSync(p).isDirectory()) walk(p);
        else if (p.endsWith('.ts') && !p.endsWith('.test.ts')) sources.push(p);
      }
    };
    for (const d of ['src', 'relay', 'scheduler', 'tle', 'network']) walk(join(ROOT, d));
    const offenders = sources.filter(
      (p) => !p.endsWith('src/platform/lua.ts') && /\.(eval|evalsha|defineCommand)\(/.test(readFileSync(p, 'utf8')),
    );
    expect(offenders).toEqual([]);
  });
});
