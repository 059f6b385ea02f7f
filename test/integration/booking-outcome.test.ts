/**
 * POST /v1/bookings/{id}/outcome: calibration from executed passes, and the planner weighing with it (docs/physics.md
 * §6.5).
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import express from 'express';
import request from 'supertest';
import { afterAll, describe, expect, it } from 'vitest';
import { errorHandler } from '../../src/api/errors.js';
import { Api } from '../../src/api/route.js';
import { parseMeasuredLoss } from '../../src/core/channel/index.js';
import { createRedis } from '../../src/platform/redis.js';
import { BookingStore } from '../../scheduler/adapters/booking-store.redis.js';
import { catalogCandidateSource } from '../../scheduler/adapters/catalog-source.js';
import { LinkCalibrationStore } from '../../scheduler/adapters/link-calibrations.redis.js';
import { simulationSiftedPredictor } from '../../scheduler/adapters/sifted-predictor.js';
import { registerOutcomeRoutes } from '../../scheduler/http/outcome.routes.js';
import { MemoryCatalog, MemoryStationStore } from '../../tle/adapters/catalog.memory.js';
import { loadCatalogFiles } from '../../tle/adapters/load-demo.js';
import { deletePrefix, REDIS_URL } from './scheduler-harness.js';

const redis = createRedis(REDIS_URL, 'command');
const prefix = `{t${randomBytes(5).toString('hex')}}`;
afterAll(async () => {
  await deletePrefix(redis, prefix);
  await redis.quit();
});

const day = Date.parse('2022-08-10T00:00:00Z');
const presetOf = (n: number) => (n === 41731 ? 'micius-xinglong' : undefined);
const parsed = parseMeasuredLoss(
  readFileSync(new URL('../fixtures/micius/micius2017_measured_loss.csv', import.meta.url), 'utf8'),
);
if (!parsed.ok) throw new Error('fixture');
const lossCurve = parsed.value.filter((_, i) => i % 5 === 0);

describe('booking outcomes calibrate the link the planner uses', () => {
  it(
    'a loss curve refits the link, counts alone rescale it, each booking reports once, and the next ' +
      'candidates use it',
    async () => {
      const catalog = new MemoryCatalog(),
        stations = new MemoryStationStore();
      await loadCatalogFiles(
        { tleFiles: ['tle/data/demo.tle'], stationsFile: 'tle/data/stations.json' },
        process.cwd(),
        catalog,
        stations,
      );
      const store = new BookingStore(redis, prefix, { stationSlewMs: 0, satelliteRetargetMs: 0 });
      const calibrations = new LinkCalibrationStore(redis, prefix);
      const before = await catalogCandidateSource(catalog, stations, presetOf, calibrations)(day, day + 86_400_000);
      const [a, b] = [before[0]!, before.find((c) => c.stationId !== before[0]!.stationId)!];
      for (const c of [a, b]) {
        await store.book(c, 'plan-1', day);
        for (const s of ['PREPASS', 'PASS', 'COMPLETED'] as const) await store.transition(c.id, s, 'test', day);
      }
      const api = new Api();
      const predictSifted = simulationSiftedPredictor(catalog, stations);
      registerOutcomeRoutes(api, { store, calibrations, clock: { now: () => day } as never, presetOf, predictSifted });
      const app = express()
        .use(express.json({ limit: '2mb' }))
        .use(api.router)
        .use(errorHandler({ error() {} } as never));

      const r = await request(app)
        .post(`/v1/bookings/${a.id}/outcome`)
        .send({ siftedBits: 1_000_000, qber: 0.012, finalKeyBits: 250_000, lossCurve })
        .expect(201);
      expect(r.body.calibration.method).toBe('loss-curve');
      expect(r.body.calibration.receiverOpticsEfficiency).toBeCloseTo(0.149, 1);
      expect(r.body.calibration.rmsResidualDb).toBeLessThan(1.2);
      await request(app)
        .post(`/v1/bookings/${a.id}/outcome`)
        .send({ siftedBits: 1, qber: 0.01, finalKeyBits: 0 })
        .expect(409);
      expect((await request(app).get(`/v1/bookings/${a.id}/outcome`).expect(200)).body.finalKeyBits).toBe(250_000);
      await request(app)
        .post('/v1/bookings/nope/outcome')
        .send({ siftedBits: 1, qber: 0.01, finalKeyBits: 0 })
        .expect(404);

      const booked = (await store.get(b.id))!;
      const predicted = (await predictSifted(
        booked,
        'micius-xinglong',
        (await import('../../src/core/presets/index.js')).MICIUS_XINGLONG.link,
      ))!;
      const c = await request(app)
        .post(`/v1/bookings/${b.id}/outcome`)
        .send({ siftedBits: Math.round(predicted / 2), qber: 0.015, finalKeyBits: 1000 })
        .expect(201);
      expect(c.body.calibration.method).toBe('sifted-counts');
      expect(c.body.calibration.siftedRatio).toBeCloseTo(0.5, 3);
      expect(c.body.calibration.receiverOpticsEfficiency).toBeCloseTo(0.25, 3);

      const after = await catalogCandidateSource(catalog, stations, presetOf, calibrations)(day, day + 86_400_000);
      const bits = (list: typeof before, id: string) => list.find((x) => x.id === id)!.expectedSecureBits;
      expect(bits(after, a.id)).toBeLessThan(bits(before, a.id));
      expect(bits(after, b.id)).toBeLessThan(bits(before, b.id));
      const other = before.find(
        (x) => x.stationId !== a.stationId && x.stationId !== b.stationId && x.expectedSecureBits > 0,
      );
      if (other) expect(bits(after, other.id)).toBe(other.expectedSecureBits);
    },
    60_000,
  );
});
