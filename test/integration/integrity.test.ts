/**
 * Referential integrity: deleting a station or satellite that active bookings name is 409 unless
 * ?cascade=cancel (which cancels them, audited); and no sequence of station / satellite / booking
 * operations leaves an active booking naming something absent (property test). Real Redis.
 */
import { randomBytes } from 'node:crypto';
import fc from 'fast-check';
import request from 'supertest';
import { afterAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/api/app.js';
import { Api } from '../../src/api/route.js';
import { createLogger } from '../../src/platform/logger.js';
import { createRedis } from '../../src/platform/redis.js';
import { passId } from '../../scheduler/domain/index.js';
import { RedisCatalog, RedisStationStore } from '../../tle/adapters/index.js';
import { registerTleRoutes } from '../../tle/http/index.js';
import { syntheticCatalog } from '../support/synthetic-catalog.js';
import { anchoredClock, deletePrefix, REDIS_URL, testSettings, testScheduler } from './scheduler-harness.js';

const redis = createRedis(REDIS_URL, 'command');
const prefix = `{ri${randomBytes(5).toString('hex')}}`;
const clock = anchoredClock(Date.UTC(2026, 0, 10, 20), Date.now());
const catalog = new RedisCatalog(redis, prefix);
const stations = new RedisStationStore(redis, prefix);
const scheduler = testScheduler({
  redis,
  prefix,
  clock,
  settings: testSettings(),
  candidates: async () => [],
  stationIds: async () => new Set((await stations.list()).map((s) => s.id)),
});
const api = new Api();
registerTleRoutes({ api, catalog, stations, logger: createLogger('silent'), references: scheduler.references });
scheduler.registerRoutes(api);
const app = createApp({ logger: createLogger('silent'), api, version: 'test' });
afterAll(async () => {
  await scheduler.close();
  await deletePrefix(redis, prefix);
  await redis.quit();
});

const SATS = syntheticCatalog(3, 500);
const station = (id: string) => ({ name: id, latitudeDeg: 47, longitudeDeg: 15, altitudeM: 500 });
const t0 = clock.now() + 86_400_000;
async function book(stationId: string, noradId: number, slot: number) {
  const startMs = t0 + slot * 3_600_000;
  return scheduler.store.book(
    {
      id: passId(stationId, noradId, startMs),
      stationId,
      noradId,
      startMs,
      endMs: startMs + 300_000,
      expectedSecureBits: 1,
      clearSkyProbability: 1,
    },
    'plan_test',
    clock.now(),
  );
}

describe('deleting what bookings name', () => {
  it(
    'DELETE /v1/stations/{id} is 409 naming params.id while active bookings name it; cascade=cancel ' +
      'cancels them (audited)',
    async () => {
      await request(app).put('/v1/stations/graz').send(station('graz')).expect(201);
      await catalog.put(SATS[0]!);
      await book('graz', SATS[0]!.noradId, 1);
      const r = await request(app).delete('/v1/stations/graz');
      expect(r.status).toBe(409);
      expect(r.body.issues[0].path).toBe('params.id');
      expect(r.body.detail).toContain('1 active booking');
      expect((await request(app).get('/v1/stations/graz')).status).toBe(200);
      await request(app).delete('/v1/stations/graz').query({ cascade: 'cancel' }).expect(204);
      expect((await request(app).get('/v1/stations/graz')).status).toBe(404);
      const [b] = (await request(app).get('/v1/bookings').query({ paged: 'false' })).body.bookings;
      expect(b).toMatchObject({ state: 'CANCELLED', reason: 'station graz deleted (cascade=cancel)' });
      const audit = await redis.xrange(`${prefix}:sched:audit`, '-', '+');
      expect(audit.at(-1)![1]).toEqual(expect.arrayContaining(['action', 'cascade-cancel', 'station', 'graz']));
    },
  );
  it('DELETE /v1/satellites/{noradId} the same way; 404 for an unknown one; 400 for a bad cascade', async () => {
    await request(app).put('/v1/stations/matera').send(station('matera'));
    await book('matera', SATS[0]!.noradId, 2);
    const id = SATS[0]!.noradId;
    expect((await request(app).delete(`/v1/satellites/${id}`)).status).toBe(409);
    expect((await request(app).delete(`/v1/satellites/${id}`).query({ cascade: 'delete' })).body.issues[0].path).toBe(
      'query.cascade',
    );
    await request(app).delete(`/v1/satellites/${id}`).query({ cascade: 'cancel' }).expect(204);
    expect((await request(app).get(`/v1/satellites/${id}`)).status).toBe(404);
    expect((await request(app).delete(`/v1/satellites/${id}`)).status).toBe(404);
  });
});

type Op =
  | { kind: 'putStation'; id: string }
  | { kind: 'deleteStation'; id: string; cascade: boolean }
  | { kind: 'putSatellite'; i: number }
  | { kind: 'deleteSatellite'; i: number; cascade: boolean }
  | { kind: 'book'; id: string; i: number; slot: number }
  | { kind: 'cancel'; n: number };

const ids = fc.constantFrom('s1', 's2');
const sat = fc.integer({ min: 0, max: 1 });
const op: fc.Arbitrary<Op> = fc.oneof(
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('putStation' as const), id: ids }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('deleteStation' as const), id: ids, cascade: fc.boolean() }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('putSatellite' as const), i: sat }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('deleteSatellite' as const), i: sat, cascade: fc.boolean() }) },
  {
    weight: 4,
    arbitrary: fc.record({ kind: fc.constant('book' as const), id: ids, i: sat, slot: fc.integer({ min: 0, max: 5 }) }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('cancel' as const), n: fc.nat(10) }) },
);

async function apply(o: Op): Promise<void> {
  switch (o.kind) {
    case 'putStation':
      await request(app).put(`/v1/stations/${o.id}`).send(station(o.id));
      break;
    case 'deleteStation':
      await request(app)
        .delete(`/v1/stations/${o.id}`)
        .query(o.cascade ? { cascade: 'cancel' } : {});
      break;
    case 'putSatellite':
      await request(app)
        .post('/v1/satellites')
        .expect(200)
        .send({
          MEAN_MOTION_DOT: 0.00001,
          MEAN_MOTION_DDOT: 0,
          OBJECT_NAME: 'X',
          EPOCH: SATS[o.i]!.epoch.replace('Z', ''),
          MEAN_MOTION: SATS[o.i]!.meanMotionRevPerDay,
          ECCENTRICITY: SATS[o.i]!.eccentricity,
          INCLINATION: SATS[o.i]!.inclinationDeg,
          RA_OF_ASC_NODE: SATS[o.i]!.raanDeg,
          ARG_OF_PERICENTER: SATS[o.i]!.argOfPerigeeDeg,
          MEAN_ANOMALY: SATS[o.i]!.meanAnomalyDeg,
          NORAD_CAT_ID: SATS[o.i]!.noradId,
          BSTAR: 0.0001,
        });
      break;
    case 'deleteSatellite':
      await request(app)
        .delete(`/v1/satellites/${SATS[o.i]!.noradId}`)
        .query(o.cascade ? { cascade: 'cancel' } : {});
      break;
    case 'book': {
      // The planner books only candidates of catalogued satellites over stored stations.
      if ((await stations.get(o.id)) && (await catalog.get(SATS[o.i]!.noradId)))
        await book(o.id, SATS[o.i]!.noradId, o.slot).catch((e: Error) => {
          if (!/CONFLICT|already/.test(`${(e as { code?: string }).code} ${e.message}`)) throw e;
        });
      break;
    }
    case 'cancel': {
      const list = (await request(app).get('/v1/bookings').query({ paged: 'false' })).body.bookings as {
        id: string;
        state: string;
      }[];
      const active = list.filter((b) => b.state === 'SCHEDULED');
      if (active.length)
        await request(app)
          .post(`/v1/bookings/${active[o.n % active.length]!.id}/cancel`)
          .send({});
      break;
    }
  }
}

describe('referential integrity (property)', () => {
  it('no sequence of station, satellite and booking operations leaves an active booking on what is gone', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(op, { minLength: 4, maxLength: 24 }), async (ops) => {
        await scheduler.store.clear();
        await stations.clear();
        await catalog.clear();
        for (const o of ops) {
          await apply(o);
          const known = new Set((await stations.list()).map((s) => s.id));
          const sats = new Set((await catalog.list()).map((s) => s.noradId));
          const bookings = (await request(app).get('/v1/bookings').query({ paged: 'false' })).body.bookings as {
            stationId: string;
            noradId: number;
            state: string;
          }[];
          for (const b of bookings.filter((x) => ['SCHEDULED', 'PREPASS', 'PASS'].includes(x.state))) {
            expect(known.has(b.stationId), `${o.kind}: booking names absent station ${b.stationId}`).toBe(true);
            expect(sats.has(b.noradId), `${o.kind}: booking names absent satellite ${b.noradId}`).toBe(true);
          }
        }
      }),
      { numRuns: 35 },
    );
  }, 120_000);
});
