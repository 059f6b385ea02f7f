/** REST: catalog upload (TLE + OMM, 207 report), stations CRUD, passes; real Redis, random prefix. */
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/api/app.js';
import { Api } from '../../src/api/route.js';
import { createLogger } from '../../src/platform/logger.js';
import { deletePrefix, loadCatalogFiles, RedisCatalog, RedisStationStore } from '../../tle/adapters/index.js';
import { registerTleRoutes } from '../../tle/http/index.js';

const prefix = `{qkdsat-test-${randomBytes(4).toString('hex')}}`;
const redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
const catalog = new RedisCatalog(redis, prefix);
const stations = new RedisStationStore(redis, prefix);
const api = new Api();
const NOW = Date.parse('2022-08-10T00:00:00Z');
registerTleRoutes({ api, catalog, stations, logger: createLogger('silent'), now: () => NOW });
const app = createApp({ logger: createLogger('silent'), api, version: 'test' });
const root = new URL('../../', import.meta.url).pathname;

const ISS = [
  'ISS (ZARYA)',
  '1 25544U 98067A   22221.92646991  .00006058  00000-0  11289-3 0  9998',
  '2 25544  51.6448  70.3700 0005152 101.7041  98.6467 15.50292585353513',
];

beforeAll(async () => {
  await loadCatalogFiles(
    { tleFiles: ['test/fixtures/history/old-sets.tle', 'tle/data/demo.tle'], stationsFile: 'tle/data/stations.json' },
    root,
    catalog,
    stations,
  );
});
afterAll(async () => {
  await deletePrefix(redis, prefix);
  redis.disconnect();
});

describe('POST /v1/satellites', () => {
  it('accepts good TLE records and reports bad ones with line and column (207)', async () => {
    const bad = ISS[2]!.slice(0, 68) + '0';
    const r = await request(app)
      .post('/v1/satellites')
      .set('content-type', 'text/plain')
      .send([...ISS, 'BROKEN', ISS[1], bad].join('\n'));
    expect(r.status).toBe(207);
    expect(r.body.accepted).toHaveLength(1);
    expect(r.body.accepted[0]).toMatchObject({ noradId: 25544, line1: ISS[1], stale: false });
    expect(r.body.rejected[0].issues[0]).toMatchObject({ code: 'TLE_CHECKSUM', line: 6, column: 69 });
  });
  it('rejects a text with only bad records with 400 naming line and column', async () => {
    const r = await request(app)
      .post('/v1/satellites')
      .set('content-type', 'text/plain')
      .send(ISS[1]!.replace('22221.', '22x21.') + '\n' + ISS[2]);
    expect(r.status).toBe(400);
    expect(r.body.code).toBe('TLE_FORMAT');
    expect(r.body.detail).toContain('line 1 column 21');
  });
  it('accepts OMM JSON, including a 9-digit catalog number that no TLE can carry', async () => {
    const omm = {
      OBJECT_NAME: 'NEW OBJECT',
      OBJECT_ID: '2026-001A',
      EPOCH: '2022-08-09T12:00:00.000000',
      MEAN_MOTION: 15.2,
      ECCENTRICITY: 0.001,
      INCLINATION: 97.5,
      RA_OF_ASC_NODE: 100,
      ARG_OF_PERICENTER: 90,
      MEAN_ANOMALY: 10,
      NORAD_CAT_ID: 800000001,
      BSTAR: 0.0001,
      MEAN_MOTION_DOT: 0.00001,
      MEAN_MOTION_DDOT: 0,
    };
    const r = await request(app)
      .post('/v1/satellites')
      .send([omm, { ...omm, ECCENTRICITY: 1.5 }]);
    expect(r.status).toBe(207);
    expect(r.body.accepted[0]).toMatchObject({ noradId: 800000001, source: 'omm' });
    expect(r.body.accepted[0].line1).toBeUndefined();
    expect(r.body.rejected[0].issues[0].path).toBe('body.1.ECCENTRICITY');
    expect((await request(app).get('/v1/satellites/800000001')).status).toBe(200);
  });
});

describe('GET /v1/satellites', () => {
  it('lists the newest set per satellite and keeps the history', async () => {
    const list = (await request(app).get('/v1/satellites').query({ paged: 'false' })).body.satellites;
    expect(list.find((s: { noradId: number }) => s.noradId === 41731).epoch).toMatch(/^2022-08-09/);
    const micius = (await request(app).get('/v1/satellites/41731')).body;
    expect(micius.history.map((h: { epoch: string }) => h.epoch.slice(0, 4))).toEqual(['2021', '2022']);
    expect(micius.epochAgeDays).toBeGreaterThan(0);
  });
  it('404 for an unknown satellite, 400 for a bad id', async () => {
    expect((await request(app).get('/v1/satellites/99999')).status).toBe(404);
    const r = await request(app).get('/v1/satellites/abc');
    expect(r.status).toBe(400);
    expect(r.body.issues[0].path).toBe('params.noradId');
  });
});

describe('/v1/stations', () => {
  it('ships the ten demo stations', async () => {
    const ids = (await request(app).get('/v1/stations')).body.items.map((s: { id: string }) => s.id);
    expect(ids.sort()).toEqual([
      'delingha',
      'graz',
      'lijiang',
      'matera',
      'nanshan',
      'ottawa',
      'singapore',
      'stellenbosch',
      'tenerife',
      'xinglong',
    ]);
  });
  it('PUT creates (201) then replaces (200); GET; DELETE (204) then 404', async () => {
    const body = { name: 'Test', latitudeDeg: 10, longitudeDeg: 20, altitudeM: 100 };
    expect((await request(app).put('/v1/stations/test-1').send(body)).status).toBe(201);
    expect(
      (
        await request(app)
          .put('/v1/stations/test-1')
          .send({ ...body, minElevationDeg: 15 })
      ).status,
    ).toBe(200);
    expect((await request(app).get('/v1/stations/test-1')).body.minElevationDeg).toBe(15);
    expect((await request(app).delete('/v1/stations/test-1')).status).toBe(204);
    expect((await request(app).get('/v1/stations/test-1')).status).toBe(404);
  });
  it('400 naming the field for out-of-range coordinates', async () => {
    const r = await request(app)
      .put('/v1/stations/x')
      .send({ name: 'X', latitudeDeg: 91, longitudeDeg: 0, altitudeM: 0 });
    expect(r.status).toBe(400);
    expect(r.body.issues[0].path).toBe('body.latitudeDeg');
  });
});

describe('GET /v1/passes', () => {
  it('returns Micius passes over Graz sorted by AOS', async () => {
    const r = await request(app)
      .get('/v1/passes')
      .query({ station: 'graz', satellite: 41731, from: '2022-08-10T00:00:00Z', to: '2022-08-11T00:00:00Z' });
    expect(r.status).toBe(200);
    expect(r.body.items.length).toBeGreaterThan(2);
    expect(r.body.nextCursor).toBeNull();
    const aos = r.body.items.map((p: { aos: string }) => p.aos);
    expect([...aos].sort()).toEqual(aos);
    expect(r.body.items[0]).toMatchObject({
      noradId: 41731,
      stationId: 'graz',
      elementSetEpoch: '2022-08-09T18:07:24.321Z',
      stale: false,
    });
    expect(r.body.items[0].epochAgeDays).toBeGreaterThan(0.2);
    const old = await request(app).get('/v1/passes').query({
      paged: 'false',
      station: 'graz',
      satellite: 41731,
      from: '2022-08-10T00:00:00Z',
      to: '2022-08-11T00:00:00Z',
    });
    expect(old.body.passes).toEqual(r.body.items);
  });
  it('400 for a window longer than 14 days, 404 for an unknown station', async () => {
    const long = await request(app)
      .get('/v1/passes')
      .query({ from: '2022-08-10T00:00:00Z', to: '2023-08-10T00:00:00Z' });
    expect(long.status).toBe(400);
    expect(long.body.code).toBe('WINDOW_TOO_LONG');
    expect(long.body.issues[0].path).toBe('query.to');
    const unknown = await request(app)
      .get('/v1/passes')
      .query({ station: 'atlantis', from: '2022-08-10T00:00:00Z', to: '2022-08-11T00:00:00Z' });
    expect(unknown.status).toBe(404);
    expect(unknown.body.issues[0].path).toBe('query.station');
  });
  it('documents every route in OpenAPI', async () => {
    const doc = (await request(app).get('/openapi.json')).body;
    for (const p of ['/v1/satellites', '/v1/satellites/{noradId}', '/v1/stations', '/v1/stations/{id}', '/v1/passes'])
      expect(doc.paths[p]).toBeDefined();
    // The upload takes TLE/KVN as text and OMM XML as XML, as well as OMM JSON.
    expect(Object.keys(doc.paths['/v1/satellites'].post.requestBody.content).sort()).toEqual([
      'application/json',
      'application/xml',
      'text/plain',
      'text/xml',
    ]);
  });
});
