/** POST /v1/satellites with every catalog format (in-memory catalog: no Redis needed). */
import { readFileSync } from 'node:fs';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { createApp } from '../../src/api/app.js';
import { Api } from '../../src/api/route.js';
import { createLogger } from '../../src/platform/logger.js';
import { MemoryCatalog, MemoryStationStore } from '../adapters/catalog.memory.js';
import { registerTleRoutes } from './routes.js';

const fixture = (name: string) => readFileSync(new URL(`../../test/fixtures/omm/${name}`, import.meta.url), 'utf8');
const DEMO6 = [25544, 41731, 33591, 44713, 40267, 6791];

function appWithCatalog() {
  const api = new Api();
  const catalog = new MemoryCatalog();
  registerTleRoutes({
    api,
    catalog,
    stations: new MemoryStationStore(),
    logger: createLogger('silent'),
    now: () => Date.parse('2022-08-10T00:00:00Z'),
  });
  return { app: createApp({ logger: createLogger('silent'), api, version: 'test' }), catalog };
}

describe('POST /v1/satellites detects the format of the body', () => {
  it.each([
    ['demo6.tle', 'text/plain', 'tle', 'tle'],
    ['demo6.json', 'application/json', 'omm-json', 'omm'],
    ['demo6.json', 'text/plain', 'omm-json', 'omm'],
    ['demo6.xml', 'application/xml', 'omm-xml', 'omm'],
    ['demo6.xml', 'text/xml', 'omm-xml', 'omm'],
    ['demo6.xml', 'text/plain', 'omm-xml', 'omm'],
    ['demo6.kvn', 'text/plain', 'omm-kvn', 'omm'],
  ])('%s as %s is read as %s', async (file, type, format, source) => {
    const { app, catalog } = appWithCatalog();
    const r = await request(app).post('/v1/satellites').set('content-type', type).send(fixture(file));
    expect(r.status).toBe(200);
    expect(r.body.format).toBe(format);
    expect(r.body.accepted.map((a: { noradId: number }) => a.noradId)).toEqual(DEMO6);
    expect(r.body.accepted[1]).toMatchObject({
      noradId: 41731,
      source,
      line2: '2 41731  97.3499  30.8507 0012844 347.0485 124.2616 15.25507799261429',
    });
    expect((await catalog.list()).map((e) => e.noradId).sort((a, b) => a - b)).toEqual(
      [...DEMO6].sort((a, b) => a - b),
    );
  });
  it('207 for KVN with bad records: index, first line, and the line and column of each issue', async () => {
    const r = await request(app()).post('/v1/satellites').set('content-type', 'text/plain').send(fixture('bad.kvn'));
    expect(r.status).toBe(207);
    expect(r.body.accepted.map((a: { noradId: number }) => a.noradId)).toEqual([41731, 6791]);
    expect(r.body.rejected[0]).toMatchObject({
      index: 1,
      noradId: 25544,
      line: 26,
      issues: [{ code: 'VALIDATION', line: 33, column: 13, path: 'body.1.REF_FRAME' }],
    });
  });
  it('207 for XML with bad records, by record index', async () => {
    const r = await request(app())
      .post('/v1/satellites')
      .set('content-type', 'application/xml')
      .send(fixture('bad.xml'));
    expect(r.status).toBe(207);
    expect(r.body.rejected.map((x: { index: number }) => x.index)).toEqual([1, 2, 3, 4]);
    expect(r.body.rejected[1].issues.map((i: { path: string }) => i.path)).toEqual([
      'body.2.TIME_SYSTEM',
      'body.2.MEAN_ELEMENT_THEORY',
    ]);
  });
  it('400 naming line and column when nothing is valid (XML that is not well-formed)', async () => {
    const r = await request(app())
      .post('/v1/satellites')
      .set('content-type', 'application/xml')
      .send('<ndm>\n<omm>\n</ndm>');
    expect(r.status).toBe(400);
    expect(r.body.code).toBe('VALIDATION');
    expect(r.body.detail).toMatch(/^body line 3 column \d+: XML is not well-formed/);
  });
});

const app = () => appWithCatalog().app;
