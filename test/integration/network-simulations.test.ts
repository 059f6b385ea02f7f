import { randomBytes } from 'node:crypto';
import request from 'supertest';
import { afterAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/api/app.js';
import { Api } from '../../src/api/route.js';
import { createLogger } from '../../src/platform/logger.js';
import { createRedis } from '../../src/platform/redis.js';
import { createNetworkSimulations } from '../../network/index.js';
import { runNetworkJob } from '../../src/network-run.js';
import { ROOT } from '../support/service.js';
import { deletePrefix, REDIS_URL } from './scheduler-harness.js';

const redis = createRedis(REDIS_URL, 'command');
const prefix = `{t${randomBytes(5).toString('hex')}}`;
const network = createNetworkSimulations({
  redisUrl: REDIS_URL,
  prefix,
  logger: createLogger('silent'),
  configFile: `${ROOT}/config/network-demo.json`,
});
network.startWorker(runNetworkJob);
const api = new Api();
network.registerRoutes(api);
const app = createApp({ logger: createLogger('silent'), api, version: 'test' });

afterAll(async () => {
  await network.close();
  await deletePrefix(redis, prefix);
  await redis.quit();
});

async function finished(id: string) {
  for (let i = 0; i < 600; i += 1) {
    const s = await request(app).get(`/v1/network-simulations/${id}`);
    if (s.body.state === 'completed' || s.body.state === 'failed') return s.body;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('simulation did not finish');
}

describe('POST /v1/network-simulations (BullMQ job, worker in this process)', () => {
  it(
    "runs the server's network config as a job, reports progress to 100 % and serves the report " + 'and its HTML',
    async () => {
      const r = await request(app)
        .post('/v1/network-simulations')
        .send({ start: '2022-08-10T00:00:00Z', days: 2, seed: 4 });
      expect(r.status).toBe(202);
      expect(r.body).toMatchObject({ state: 'queued' });
      const s = await finished(r.body.id);
      expect(s.state).toBe('completed');
      expect(s.progress).toBe(100);
      expect(s.report).toMatchObject({ days: 2, seed: 4, solver: 'heuristic', planning: 'expected' });
      expect(s.report.pairs.map((p: { a: string }) => p.a)).toEqual(['xinglong', 'nanshan', 'delingha']);
      expect(s.report.satellites[0]).toMatchObject({ noradId: 41731 });
      const html = await request(app).get(`/v1/network-simulations/${r.body.id}/report.html`);
      expect(html.headers['content-type']).toMatch(/text\/html/);
      expect(html.text).toContain('Delivered key per pair per month');
      expect(html.text).toContain('new Chart(');
    },
  );

  it('an inline network of field presets and a Walker constellation runs; files in a request are refused', async () => {
    const stations = [
      {
        id: 'graz',
        name: 'Graz',
        latitudeDeg: 47.07,
        longitudeDeg: 15.49,
        altitudeM: 495,
        clearSky: Array(12).fill(0.5),
      },
      {
        id: 'matera',
        name: 'Matera',
        latitudeDeg: 40.65,
        longitudeDeg: 16.7,
        altitudeM: 536,
        clearSky: Array(12).fill(0.6),
      },
    ];
    const config = {
      stations,
      climatology: 'stations',
      satellites: [{ constellationPreset: 'eagle-1' }],
      walker: [{ pattern: '97.5:2/2/1', altitudeKm: 550 }],
      demand: { pairs: [{ a: 'graz', b: 'matera', bitsPerDay: 1e5 }] },
    };
    const r = await request(app)
      .post('/v1/network-simulations')
      .send({ start: '2026-03-01T00:00:00Z', days: 2, seed: 1, config });
    expect(r.status).toBe(202);
    const s = await finished(r.body.id);
    expect(s.state).toBe('completed');
    expect(s.report.satellites.map((x: { noradId: number }) => x.noradId)).toEqual([990_005, 900_001, 900_002]);
    const bad = await request(app)
      .post('/v1/network-simulations')
      .send({ start: '2026-03-01T00:00:00Z', days: 2, seed: 1, config: { ...config, stationsFile: '/etc/passwd' } });
    expect(bad.status).toBe(400);
    expect(bad.body.issues[0].path).toBe('body.config.stationsFile');
    const norad = await request(app)
      .post('/v1/network-simulations')
      .send({
        start: '2026-03-01T00:00:00Z',
        days: 2,
        seed: 1,
        config: { ...config, satellites: [{ noradId: 41731 }] },
      });
    expect(norad.status).toBe(400);
    expect(norad.body.issues[0].path).toBe('body.config.satellites.0.noradId');
  });

  it('bad input is a 400 naming the field; an unknown id is a 404', async () => {
    const d = await request(app)
      .post('/v1/network-simulations')
      .send({ start: '2022-08-10T00:00:00Z', days: 0, seed: 1 });
    expect(d.status).toBe(400);
    expect(d.body.issues[0].path).toBe('body.days');
    const p = await request(app)
      .post('/v1/network-simulations')
      .send({ start: '2022-08-10T00:00:00Z', days: 1, seed: 1, planning: 'lucky' });
    expect(p.body.issues[0].path).toBe('body.planning');
    expect((await request(app).get('/v1/network-simulations/netsim_00000000-0000-0000-0000-000000000000')).status).toBe(
      404,
    );
  });

  it('the routes are in the OpenAPI document with their schemas', async () => {
    const doc = (await request(app).get('/openapi.json')).body;
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining([
        '/v1/network-simulations',
        '/v1/network-simulations/{id}',
        '/v1/network-simulations/{id}/report.html',
      ]),
    );
    expect(doc.components.schemas.NetworkSimulation.properties.pairs).toBeDefined();
  });
});
