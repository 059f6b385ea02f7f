/**
 * Catalog scale: every list pages, passes page through a large catalog under a work budget, ETag/304, NDJSON. Real
 * Redis, random prefix.
 */
import { randomBytes } from 'node:crypto';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/api/app.js';
import { Api } from '../../src/api/route.js';
import { createLogger } from '../../src/platform/logger.js';
import { createRedis } from '../../src/platform/redis.js';
import { deletePrefix, RedisCatalog, RedisStationStore } from '../../tle/adapters/index.js';
import { registerTleRoutes } from '../../tle/http/index.js';
import { StationListSchema } from '../../tle/domain/index.js';
import { syntheticCatalog } from '../support/synthetic-catalog.js';
import { readFileSync } from 'node:fs';

const prefix = `{qkdsat-scale-${randomBytes(4).toString('hex')}}`;
const redis = createRedis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', 'command');
const catalog = new RedisCatalog(redis, prefix);
const stations = new RedisStationStore(redis, prefix);
const N = 3000;
const logger = createLogger('silent');
const NOW = Date.parse('2022-08-10T00:00:00Z');

/** Two apps on one store: a small pass work budget (600 satellite-station-hours a page) and the default. */
const small = new Api();
registerTleRoutes({ api: small, catalog, stations, logger, now: () => NOW, passPageWork: 600 });
const appSmall = createApp({ logger, api: small, version: 'test' });
const big = new Api();
registerTleRoutes({ api: big, catalog, stations, logger, now: () => NOW });
const appBig = createApp({ logger, api: big, version: 'test' });

const window = { from: '2022-08-10T00:00:00Z', to: '2022-08-10T01:00:00Z' };

beforeAll(async () => {
  for (const es of syntheticCatalog(N)) await catalog.put(es);
  const all = StationListSchema.parse(
    JSON.parse(readFileSync(new URL('../../tle/data/stations.json', import.meta.url), 'utf8')),
  );
  for (const s of all) await stations.put(s);
}, 60_000);
afterAll(async () => {
  await deletePrefix(redis, prefix);
  redis.disconnect();
});

describe('GET /v1/satellites at scale', () => {
  it(`pages through ${N} satellites in NORAD order, each page at most limit, the last nextCursor null`, async () => {
    const seen: number[] = [];
    let cursor: string | null | undefined,
      pages = 0;
    do {
      const r = await request(appSmall)
        .get('/v1/satellites')
        .query({ limit: 700, ...(cursor ? { cursor } : {}) });
      expect(r.status).toBe(200);
      expect(r.body.items.length).toBeLessThanOrEqual(700);
      seen.push(...r.body.items.map((s: { noradId: number }) => s.noradId));
      cursor = r.body.nextCursor;
      pages += 1;
    } while (cursor);
    expect(pages).toBe(5);
    expect(seen).toHaveLength(N);
    expect([...seen].sort((a, b) => a - b)).toEqual(seen);
  });
  it('filters by a comma list of NORAD ids and answers 400 naming query.satellite for a bad one', async () => {
    const r = await request(appSmall).get('/v1/satellites').query({ satellite: '100005,100001,999' });
    expect(r.body.items.map((s: { noradId: number }) => s.noradId)).toEqual([100001, 100005]);
    const bad = await request(appSmall).get('/v1/satellites').query({ satellite: '100005,x' });
    expect(bad.status).toBe(400);
    expect(bad.body.issues[0].path).toBe('query.satellite');
  });
  it('answers 304 to a matching If-None-Match until the catalog changes', async () => {
    const first = await request(appSmall).get('/v1/satellites').query({ limit: 5 });
    const tag = first.headers.etag as string;
    expect(tag).toMatch(/^W\//);
    expect((await request(appSmall).get('/v1/satellites').query({ limit: 5 }).set('if-none-match', tag)).status).toBe(
      304,
    );
    expect((await request(appSmall).get('/v1/satellites').query({ limit: 6 }).set('if-none-match', tag)).status).toBe(
      200,
    );
    await catalog.put({ ...syntheticCatalog(1, 99_000)[0]! });
    expect((await request(appSmall).get('/v1/satellites').query({ limit: 5 }).set('if-none-match', tag)).status).toBe(
      200,
    );
    await catalog.delete(99_000);
  });
  it('streams every satellite as NDJSON', async () => {
    const r = await request(appSmall)
      .get('/v1/satellites')
      .set('accept', 'application/x-ndjson')
      .buffer(true)
      .parse((res, cb) => {
        let text = '';
        res.on('data', (c: Buffer) => {
          text += c;
        });
        res.on('end', () => cb(null, text));
      });
    expect(r.headers['content-type']).toMatch(/application\/x-ndjson/);
    const lines = (r.body as string).trim().split('\n');
    expect(lines).toHaveLength(N);
    expect(JSON.parse(lines[0]!).noradId).toBe(100_000);
  });
  it('refuses a cursor that is not one (400 naming query.cursor)', async () => {
    const r = await request(appSmall).get('/v1/satellites').query({ cursor: 'not-a-cursor' });
    expect(r.status).toBe(400);
    expect(r.body.issues[0].path).toBe('query.cursor');
  });
});

describe('GET /v1/passes at scale', () => {
  it(
    `pages a ${N}-satellite x 1-station x 1-hour query under a per-page work budget and finds what one ` +
      `page of a larger budget finds`,
    async () => {
      const q = { ...window, station: 'graz' };
      const items: { noradId: number; aos: string }[] = [];
      let cursor: string | null | undefined,
        pages = 0;
      do {
        const r = await request(appSmall)
          .get('/v1/passes')
          .query({ ...q, limit: 40, ...(cursor ? { cursor } : {}) });
        expect(r.status).toBe(200);
        expect(r.body.items.length).toBeLessThanOrEqual(40);
        items.push(...r.body.items);
        cursor = r.body.nextCursor;
        pages += 1;
      } while (cursor);
      expect(pages).toBeGreaterThanOrEqual(N / 600);
      const whole = await request(appBig)
        .get('/v1/passes')
        .query({ ...q, paged: 'false' });
      expect(whole.status).toBe(200);
      expect(items).toEqual([...whole.body.passes].sort((a, b) => a.noradId - b.noradId || a.aos.localeCompare(b.aos)));
      expect(items.length).toBeGreaterThan(50);
    },
    120_000,
  );
  it('streams the same passes as NDJSON, page after page', async () => {
    const q = { ...window, station: 'graz' };
    const whole = await request(appBig)
      .get('/v1/passes')
      .query({ ...q, paged: 'false' });
    const r = await request(appSmall)
      .get('/v1/passes')
      .query({ ...q, limit: 40 })
      .set('accept', 'application/x-ndjson')
      .buffer(true)
      .parse((res, cb) => {
        let text = '';
        res.on('data', (c: Buffer) => {
          text += c;
        });
        res.on('end', () => cb(null, text));
      });
    expect(r.headers['content-type']).toMatch(/application\/x-ndjson/);
    const lines = (r.body as string)
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { noradId: number; aos: string });
    expect(lines).toEqual([...whole.body.passes].sort((a, b) => a.noradId - b.noradId || a.aos.localeCompare(b.aos)));
  }, 120_000);
  it('answers 422 naming the fields and the limit when one response cannot hold the work', async () => {
    const r = await request(appSmall)
      .get('/v1/passes')
      .query({ ...window, station: 'graz', paged: 'false' });
    expect(r.status).toBe(422);
    expect(r.body.code).toBe('WORK_LIMIT');
    expect(r.body.issues.map((i: { path: string }) => i.path)).toEqual([
      'query.paged',
      'query.satellite',
      'query.station',
    ]);
    expect(r.body.detail).toContain('600');
    const one = await request(appSmall)
      .get('/v1/passes')
      .query({ from: '2022-08-10T00:00:00Z', to: '2022-08-24T00:00:00Z' });
    expect(one.status).toBe(422);
    expect(one.body.issues.map((i: { path: string }) => i.path)).toEqual(['query.from', 'query.to', 'query.station']);
  });
  it('binds a cursor to its query (400 naming query.cursor for another window)', async () => {
    const r = await request(appSmall)
      .get('/v1/passes')
      .query({ ...window, station: 'graz', limit: 1 });
    const other = await request(appSmall)
      .get('/v1/passes')
      .query({ ...window, to: '2022-08-10T02:00:00Z', station: 'graz', cursor: r.body.nextCursor });
    expect(other.status).toBe(400);
    expect(other.body.issues[0].path).toBe('query.cursor');
  });
  it('filters by comma lists of stations and satellites', async () => {
    const r = await request(appBig).get('/v1/passes').query({
      from: window.from,
      to: '2022-08-10T06:00:00Z',
      station: 'graz,matera',
      satellite: '100001,100002,100003,100004',
      limit: 1000,
    });
    expect(r.status).toBe(200);
    for (const p of r.body.items) {
      expect(['graz', 'matera']).toContain(p.stationId);
      expect([100001, 100002, 100003, 100004]).toContain(p.noradId);
    }
    const unknown = await request(appBig)
      .get('/v1/passes')
      .query({ ...window, station: 'graz,atlantis' });
    expect(unknown.status).toBe(404);
    expect(unknown.body.issues[0].path).toBe('query.station');
  });
});

describe('POST /v1/satellites at scale', () => {
  it('accepts a 30,000-object OMM JSON catalog (over the 2 MB limit of other bodies), pages through it', async () => {
    const api = new Api();
    const p2 = `{qkdsat-scale30-${randomBytes(4).toString('hex')}}`;
    const cat = new RedisCatalog(redis, p2),
      sts = new RedisStationStore(redis, p2);
    registerTleRoutes({ api, catalog: cat, stations: sts, logger, now: () => NOW });
    const app = createApp({ logger, api, version: 'test' });
    const records = syntheticCatalog(30_000, 200_000).map((es) => ({
      OBJECT_NAME: es.name ?? 'X',
      OBJECT_ID: '2022-001A',
      EPOCH: es.epoch.replace('Z', ''),
      MEAN_MOTION: es.meanMotionRevPerDay,
      ECCENTRICITY: es.eccentricity,
      INCLINATION: es.inclinationDeg,
      RA_OF_ASC_NODE: es.raanDeg,
      ARG_OF_PERICENTER: es.argOfPerigeeDeg,
      MEAN_ANOMALY: es.meanAnomalyDeg,
      NORAD_CAT_ID: es.noradId,
      BSTAR: es.bstar,
      MEAN_MOTION_DOT: es.meanMotionDot,
      MEAN_MOTION_DDOT: 0,
    }));
    const body = JSON.stringify(records);
    expect(body.length).toBeGreaterThan(2 * 1024 * 1024);
    const r = await request(app).post('/v1/satellites').set('content-type', 'application/json').send(body);
    expect(r.status).toBe(200);
    expect(r.body.accepted).toHaveLength(30_000);
    const last = await request(app)
      .get('/v1/satellites')
      .query({ limit: 1000, cursor: Buffer.from(JSON.stringify({ after: 228_999 })).toString('base64url') });
    expect(last.body.items).toHaveLength(1000);
    expect(last.body.nextCursor).toBeNull();
    await deletePrefix(redis, p2);
  }, 120_000);
});
