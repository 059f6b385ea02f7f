import { randomBytes } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/platform/config.js';
import { sharedClockOf } from '../../src/platform/clock.js';
import { createRedis } from '../../src/platform/redis.js';

const redis = createRedis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', 'command');
afterAll(async () => {
  await redis.quit();
});

const config = (start: string, speed = '60') =>
  loadConfig({ QKDSAT_CLOCK: 'simulated', QKDSAT_CLOCK_START: start, QKDSAT_CLOCK_SPEED: speed }, {});

describe('shared simulated clock', () => {
  it('processes booted at other wall times share one simulated timeline; a new start setting replaces it', async () => {
    const key = `{t${randomBytes(5).toString('hex')}}:clock`;
    let wall = 1_000_000;
    const api = await sharedClockOf(config('2022-08-10T00:00:00Z'), redis, key, () => wall);
    expect(api.adopted).toBe(false);
    wall += 2_000; // the worker boots 2 s later
    const worker = await sharedClockOf(config('2022-08-10T00:00:00Z'), redis, key, () => wall);
    expect(worker.adopted).toBe(true);
    expect(worker.clock.now()).toBe(api.clock.now());
    expect(worker.clock.now()).toBe(Date.parse('2022-08-10T00:00:00Z') + 2_000 * 60);
    const other = await sharedClockOf(config('2023-01-01T00:00:00Z'), redis, key, () => wall);
    expect(other.adopted).toBe(false);
    expect(other.clock.now()).toBe(Date.parse('2023-01-01T00:00:00Z'));
    const late = await sharedClockOf(config('2023-01-01T00:00:00Z'), redis, key, () => wall + 1_000);
    expect(late.adopted).toBe(true);
    expect(late.clock.now()).toBe(Date.parse('2023-01-01T00:00:00Z') + 60_000);
    await redis.del(key);
  });

  it('the anchor persists while every process is down (no expiry) until reset explicitly', async () => {
    const key = `{t${randomBytes(5).toString('hex')}}:clock`;
    let wall = 1_000_000;
    await sharedClockOf(config('2022-08-10T00:00:00Z'), redis, key, () => wall);
    expect(await redis.pttl(key)).toBe(-1);
    wall += 3_600_000; // an hour later, nothing ran in between
    const again = await sharedClockOf(config('2022-08-10T00:00:00Z'), redis, key, () => wall);
    expect(again.adopted).toBe(true);
    expect(again.clock.now()).toBe(Date.parse('2022-08-10T00:00:00Z') + 3_600_000 * 60);
    const reset = await sharedClockOf(config('2022-08-10T00:00:00Z'), redis, key, () => wall, { reset: true });
    expect(reset.clock.now()).toBe(Date.parse('2022-08-10T00:00:00Z'));
    expect((await sharedClockOf(config('2022-08-10T00:00:00Z'), redis, key, () => wall + 1000)).clock.now()).toBe(
      Date.parse('2022-08-10T00:00:00Z') + 60_000,
    );
    await redis.del(key);
  });

  it('the real clock needs no anchor', async () => {
    const key = `{t${randomBytes(5).toString('hex')}}:clock`;
    const r = await sharedClockOf(loadConfig({ QKDSAT_CLOCK: 'real' }, {}), redis, key);
    expect(r.clock.kind).toBe('real');
    expect(await redis.exists(key)).toBe(0);
  });
});
