/** POST /v1/calibrations: the fit as JSON, and 400s naming the field. */
import { readFileSync } from 'node:fs';
import express from 'express';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { registerCalibrationRoutes } from '../../src/api/calibrations.routes.js';
import { errorHandler } from '../../src/api/errors.js';
import { Api } from '../../src/api/route.js';
import { parseMeasuredLoss } from '../../src/core/channel/index.js';

const parsed = parseMeasuredLoss(
  readFileSync(new URL('../fixtures/micius/micius2017_measured_loss.csv', import.meta.url), 'utf8'),
);
if (!parsed.ok) throw new Error('fixture');
const measured = parsed.value.filter((_, i) => i % 5 === 0);

function app() {
  const api = new Api();
  registerCalibrationRoutes(api);
  return express()
    .use(express.json({ limit: '2mb' }))
    .use(api.router)
    .use(errorHandler({ error() {} } as never));
}

describe('POST /v1/calibrations', () => {
  it('fits the default parameters and returns the calibrated link naming its data', async () => {
    const r = await request(app())
      .post('/v1/calibrations')
      .send({ preset: 'micius-xinglong', measured, dataName: 'micius 2016-12-19' })
      .expect(200);
    expect(r.body.parameters.map((p: { name: string }) => p.name)).toEqual(['opticsEfficiency', 'aerosolOpticalDepth']);
    expect(r.body.rmsResidualDb).toBeLessThan(1.2);
    expect(r.body.link.calibration.data).toBe('micius 2016-12-19');
    expect(r.body.normalisation).toBe('emitted');
  });
  it('400 naming the field: unknown parameter, both preset and link, a bad row', async () => {
    const a = await request(app())
      .post('/v1/calibrations')
      .send({ preset: 'micius-xinglong', measured, fit: ['warp'] })
      .expect(400);
    expect(a.body.issues[0].path).toBe('body.fit.0');
    await request(app()).post('/v1/calibrations').send({ measured }).expect(400);
    const c = await request(app())
      .post('/v1/calibrations')
      .send({
        preset: 'micius-xinglong',
        measured: [...measured.slice(0, 3), { timeS: 0, rangeKm: -1, elevationDeg: 30, lossDb: 30 }],
      })
      .expect(400);
    expect(c.body.issues[0].path).toBe('body.measured.3.rangeKm');
  });
});
