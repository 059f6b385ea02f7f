import { randomBytes } from 'node:crypto';
import request from 'supertest';
import { afterAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/api/app.js';
import { Api } from '../../src/api/route.js';
import { createLogger } from '../../src/platform/logger.js';
import { createRedis } from '../../src/platform/redis.js';
import {
  anchoredClock,
  candidatesAt,
  deletePrefix,
  REDIS_URL,
  testSettings,
  testScheduler,
} from './scheduler-harness.js';

const redis = createRedis(REDIS_URL, 'command');
const prefix = `{t${randomBytes(5).toString('hex')}}`;
const clock = anchoredClock(Date.UTC(2026, 0, 10, 20), Date.now());
const t0 = clock.now() + 3_600_000;
const scheduler = testScheduler({
  redis,
  prefix,
  clock,
  settings: testSettings(),
  candidates: async () => candidatesAt(t0, 12),
  stationIds: async () => new Set(['gs0', 'gs1', 'gs2', 'gs3']),
});
const api = new Api();
scheduler.registerRoutes(api);
const app = createApp({ logger: createLogger('silent'), api, version: 'test' });

afterAll(async () => {
  await scheduler.close();
  await deletePrefix(redis, prefix);
  await redis.quit();
});

describe('scheduler REST', () => {
  it('plans, lists, cancels and serves an iCalendar feed', async () => {
    const r = await request(app)
      .post('/v1/plans')
      .send({
        horizonHours: 6,
        solver: 'exact',
        timeLimitSeconds: 2,
        demand: { stations: {}, pairs: [{ a: 'gs0', b: 'gs1', bits: 50_000 }] },
        weatherScenarios: 200,
        weatherSeed: 9,
      });
    expect(r.status).toBe(201);
    expect(r.body.plan.bookings.length).toBeGreaterThan(0);
    expect(r.body.plan.weather).toMatchObject({ scenarios: 200, seed: 9 });
    expect(r.body.plan.weather.worstPairFraction.p90).toBeLessThanOrEqual(1);
    expect(r.body.plan.weather.pairStarvedProbability).toBeGreaterThanOrEqual(0);
    expect(r.body.plan.pairs[0]).toMatchObject({ a: 'gs0', b: 'gs1', demandBits: 50_000 });
    expect((await request(app).get(`/v1/plans/${r.body.id}`)).body.id).toBe(r.body.id);
    const list = await request(app).get('/v1/bookings').query({ station: 'gs0' });
    expect(list.body.items.every((b: { stationId: string }) => b.stationId === 'gs0')).toBe(true);
    const id = list.body.items[0].id;
    // Pages of 2 by (start, id) hold exactly what the deprecated unpaged shape holds.
    const all = (await request(app).get('/v1/bookings').query({ paged: 'false' })).body.bookings;
    expect(all.length).toBeGreaterThan(2);
    const paged: { id: string }[] = [];
    let cursor: string | null = null;
    do {
      const r = await request(app)
        .get('/v1/bookings')
        .query({ limit: 2, ...(cursor ? { cursor } : {}) });
      expect(r.body.items.length).toBeLessThanOrEqual(2);
      paged.push(...r.body.items);
      cursor = r.body.nextCursor;
    } while (cursor);
    expect(paged.map((b) => b.id)).toEqual(all.map((b: { id: string }) => b.id));
    const two = await request(app).get('/v1/bookings').query({ station: 'gs0,gs1', limit: 1000 });
    expect(new Set(two.body.items.map((b: { stationId: string }) => b.stationId))).toEqual(
      new Set(['gs0', 'gs1'].filter((g) => all.some((b: { stationId: string }) => b.stationId === g))),
    );
    const c = await request(app).post(`/v1/bookings/${id}/cancel`).send({ reason: 'maintenance' });
    expect(c.body).toMatchObject({ state: 'CANCELLED', reason: 'maintenance' });
    expect((await request(app).post(`/v1/bookings/${id}/cancel`).send({})).status).toBe(200);
    const ics = await request(app).get('/v1/stations/gs0/bookings.ics');
    expect(ics.headers['content-type']).toMatch(/text\/calendar/);
    expect(ics.text).toContain('BEGIN:VEVENT');
    expect(ics.text).toContain(`UID:${id}@qkdsat`);
    // One word per meaning in every view (issue 11): clear-sky key and key times clear-sky probability.
    const b0 = list.body.items[0] as {
      expectedSecureBits: number;
      expectedSecureBitsWeather: number;
      clearSkyProbability: number;
    };
    expect(b0.expectedSecureBitsWeather).toBe(Math.round(b0.expectedSecureBits * b0.clearSkyProbability));
    const unfolded = ics.text.replace(/\r\n /g, '');
    expect(unfolded).toContain(
      `expectedSecureBits ${Math.round(b0.expectedSecureBits)} (if the sky is clear)\\; ` +
        `expectedSecureBitsWeather ${b0.expectedSecureBitsWeather}`,
    );
    expect(r.body.plan.bookings[0].expectedSecureBitsWeather).toBe(
      Math.round(r.body.plan.bookings[0].expectedSecureBits * r.body.plan.bookings[0].clearSkyProbability),
    );
  });
  it('a long horizon is queued for a worker and reported as queued until planned', async () => {
    const r = await request(app).post('/v1/plans').send({ horizonHours: 48 });
    expect(r.status).toBe(202);
    expect((await request(app).get(`/v1/plans/${r.body.id}`)).body).toEqual({ id: r.body.id, status: 'queued' });
  });
  it('bad input is a 4xx naming the field: impossible horizon, unknown station, negative demand', async () => {
    const h = await request(app).post('/v1/plans').send({ horizonHours: -3 });
    expect(h.status).toBe(400);
    expect(h.body.issues[0].path).toBe('body.horizonHours');
    const u = await request(app)
      .post('/v1/plans')
      .send({ demand: { pairs: [{ a: 'gs0', b: 'atlantis', bits: 5 }] } });
    expect(u.status).toBe(400);
    expect(u.body.issues[0].path).toBe('body.demand.pairs.0.b');
    const w = await request(app).post('/v1/plans').send({ horizonHours: 2, weatherScenarios: 0 });
    expect(w.status).toBe(400);
    expect(w.body.issues[0].path).toBe('body.weatherScenarios');
    const n = await request(app)
      .post('/v1/plans')
      .send({ demand: { stations: { gs0: -1 } } });
    expect(n.status).toBe(400);
    expect(n.body.issues[0].path).toBe('body.demand.stations.gs0');
    expect(
      (await request(app).get('/v1/bookings').query({ from: '2026-01-02T00:00:00Z', to: '2026-01-01T00:00:00Z' }))
        .status,
    ).toBe(400);
    expect((await request(app).get('/v1/stations/atlantis/bookings.ics')).status).toBe(404);
    expect((await request(app).post('/v1/bookings/pass_gs0_1_2/cancel').send({})).status).toBe(404);
  });
});
