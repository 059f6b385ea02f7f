/** POST /v1/simulations/link, POST /v1/simulations/pass, GET /v1/presets: responses and 400s naming the field. */
import express from 'express';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { Api } from '../../src/api/route.js';
import { errorHandler } from '../../src/api/errors.js';
import { registerSimulationRoutes } from '../../src/api/simulations.routes.js';
import { QkdsatError } from '../../src/core/errors.js';
import type { TrackSample } from '../../src/core/keyrate/index.js';

const R = 6371;
const H = 500;
/** A symmetric circular-orbit pass through zenith-ish geometry, 1 s samples. */
function syntheticTrack(halfS = 200): TrackSample[] {
  const out: TrackSample[] = [];
  for (let t = -halfS; t <= halfS; t++) {
    const elDeg = 80 - 0.33 * Math.abs(t);
    const el = (elDeg * Math.PI) / 180;
    const rangeKm = Math.sqrt((R + H) ** 2 - R * R * Math.cos(el) ** 2) - R * Math.sin(el); // docs/physics.md §1
    out.push({ tMs: 1.7e12 + t * 1000, rangeKm, elevationRad: el, sunElevationRad: -0.5 });
  }
  return out;
}
const wire = (t: TrackSample[]) =>
  t.map((s) => ({
    tMs: s.tMs,
    rangeKm: s.rangeKm,
    elevationDeg: (s.elevationRad * 180) / Math.PI,
    sunElevationDeg: -28.6,
  }));

function app(deps = {}) {
  const api = new Api();
  registerSimulationRoutes(api, deps);
  return express()
    .use(express.json({ limit: '2mb' }))
    .use(api.router)
    .use(errorHandler({ error() {} } as never));
}

describe('simulation routes', () => {
  it('GET /v1/presets lists the presets with sources', async () => {
    const r = await request(app()).get('/v1/presets').expect(200);
    expect(r.body.presets.map((p: { id: string }) => p.id)).toEqual([
      'micius-xinglong',
      'micius-xinglong-calibrated',
      'jinan1-portable',
      'generic-500km-810nm',
    ]);
    expect(Object.keys(r.body.presets[0].sources).length).toBeGreaterThan(10);
  });

  it('POST /v1/simulations/link returns every term as positive dB', async () => {
    const r = await request(app())
      .post('/v1/simulations/link')
      .send({ preset: 'generic-500km-810nm', rangeKm: 800, elevationDeg: 35, sky: { sunElevationDeg: -30 } })
      .expect(200);
    for (const k of ['geometricDb', 'atmosphereDb', 'pointingDb', 'opticsDb', 'systemDb', 'detectorDb', 'totalDb'])
      expect(r.body.budget[k]).toBeGreaterThanOrEqual(0);
  });

  it('POST /v1/simulations/link: 400 naming the field', async () => {
    const r = await request(app())
      .post('/v1/simulations/link')
      .send({ preset: 'generic-500km-810nm', rangeKm: -1, elevationDeg: 35 })
      .expect(400);
    expect(r.body.issues[0].path).toContain('rangeKm');
  });

  it('POST /v1/simulations/pass with a track gives a finite key and a seeded Monte-Carlo spread', async () => {
    const body = {
      preset: 'generic-500km-810nm',
      track: wire(syntheticTrack()),
      monteCarlo: { draws: 20, seed: 7, cloud: { probability: 0.2 } },
    };
    const a = await request(app()).post('/v1/simulations/pass').send(body).expect(200);
    expect(a.body.key.secureKeyBits).toBeGreaterThan(0);
    expect(a.body.monteCarlo.secureKeyBits.std).toBeGreaterThan(0);
    const b = await request(app()).post('/v1/simulations/pass').send(body).expect(200);
    expect(b.body.monteCarlo).toEqual(a.body.monteCarlo);
  });

  it('POST /v1/simulations/pass: invalid protocol override is a 400 naming the field', async () => {
    const r = await request(app())
      .post('/v1/simulations/pass')
      .send({
        preset: 'generic-500km-810nm',
        track: wire(syntheticTrack(10)),
        protocol: { intensities: [0.3, 0.2, 0.15] },
      })
      .expect(400);
    expect(r.body.detail).toMatch(/intensities/);
  });

  it('POST /v1/simulations/pass resolves a track through the injected dependency', async () => {
    const resolveTrack = ({ noradId }: { noradId: number }) => {
      if (noradId !== 1) throw new QkdsatError('NOT_FOUND', 'no such pass');
      return syntheticTrack();
    };
    const ok = await request(app({ resolveTrack }))
      .post('/v1/simulations/pass')
      .send({ preset: 'micius-xinglong', noradId: 1, stationId: 'x', aos: '2022-08-10T00:00:00Z' })
      .expect(200);
    expect(ok.body.key.secureKeyBits).toBeGreaterThan(0);
    await request(app({ resolveTrack }))
      .post('/v1/simulations/pass')
      .send({ preset: 'micius-xinglong', noradId: 2, stationId: 'x', aos: '2022-08-10T00:00:00Z' })
      .expect(404);
    await request(app()).post('/v1/simulations/pass').send({ preset: 'micius-xinglong' }).expect(400);
  });

  it('POST /v1/simulations/pass of a catalog pass reports the element set epoch, its age and stale', async () => {
    const track = syntheticTrack();
    const epochMs = track[0]!.tMs - 20 * 86_400_000;
    const r = await request(app({ resolveTrack: () => ({ track, elementSetEpochMs: epochMs, staleDays: 14 }) }))
      .post('/v1/simulations/pass')
      .send({ preset: 'micius-xinglong', noradId: 1, stationId: 'x', aos: '2022-08-10T00:00:00Z' })
      .expect(200);
    expect(r.body).toMatchObject({ elementSetEpoch: new Date(epochMs).toISOString(), epochAgeDays: 20, stale: true });
  });
});
