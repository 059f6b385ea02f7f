/**
 * The OpenAPI contract (issue 11): every status a handler sends, and every JSON body, is declared
 * for its route; the committed docs/openapi.json matches the routes (`npm run openapi` rewrites it).
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createApp } from '../../src/api/app.js';
import { openApiDocument } from '../../src/api/openapi.js';
import { Api, type ResponseViolation } from '../../src/api/route.js';
import { QkdsatError } from '../../src/core/errors.js';
import { composeForDocs, VERSION } from '../../src/openapi-build.js';
import { createLogger } from '../../src/platform/logger.js';
import { REPO_ROOT } from '../../src/platform/config.js';

describe('response contract check', () => {
  const api = new Api();
  const seen: ResponseViolation[] = [];
  api.onViolation = (v) => seen.push(v);
  api.route({
    method: 'get',
    path: '/v1/t/undeclared',
    summary: 't',
    response: z.object({ a: z.number() }),
    handler: (_i, _req, res) => {
      res.status(418).json({ a: 1 });
      return undefined;
    },
  });
  api.route({
    method: 'get',
    path: '/v1/t/wrong-body',
    summary: 't',
    response: z.object({ a: z.number() }),
    handler: () => ({ a: 'one' }) as unknown as { a: number },
  });
  api.route({
    method: 'get',
    path: '/v1/t/undeclared-error',
    summary: 't',
    response: z.object({ a: z.number() }),
    handler: () => {
      throw new QkdsatError('NOT_FOUND', 'nope');
    },
  });
  api.route({
    method: 'get',
    path: '/v1/t/ok',
    summary: 't',
    response: z.object({ a: z.number() }),
    errors: [404],
    handler: () => {
      throw new QkdsatError('NOT_FOUND', 'nope');
    },
  });
  const app = createApp({ logger: createLogger('silent'), api, version: 'test' });

  it('reports an undeclared status, a body off its schema, an undeclared error status; not declared ones', async () => {
    await request(app).get('/v1/t/undeclared');
    await request(app).get('/v1/t/wrong-body');
    await request(app).get('/v1/t/undeclared-error');
    await request(app).get('/v1/t/ok').expect(404);
    expect(seen.map((v) => `${v.route} ${v.status}`)).toEqual([
      'GET /v1/t/undeclared 418',
      'GET /v1/t/wrong-body 200',
      'GET /v1/t/undeclared-error 404',
    ]);
    expect(seen[1]!.problem).toMatch(/^body does not match the declared schema: a:/);
  });
});

describe('the composed service keeps its OpenAPI contract', () => {
  let composed: Awaited<ReturnType<typeof composeForDocs>>;
  let app: ReturnType<typeof createApp>;
  const seen: ResponseViolation[] = [];

  beforeAll(async () => {
    composed = await composeForDocs();
    composed.services.api.onViolation = (v) => seen.push(v);
    app = createApp({ logger: createLogger('silent'), api: composed.services.api, version: VERSION });
  }, 60_000);
  afterAll(async () => {
    await composed?.close();
  });

  it('the committed docs/openapi.json matches the routes (run `npm run openapi` after changing one)', () => {
    const committed = JSON.parse(readFileSync(resolve(REPO_ROOT, 'docs/openapi.json'), 'utf8')) as unknown;
    expect(JSON.parse(JSON.stringify(openApiDocument(composed.services.api, VERSION)))).toEqual(committed);
  });

  it('declares bearer security, the 202 of async plans and examples on problems', () => {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    const doc = openApiDocument(composed.services.api, VERSION) as any;
    expect(doc.components.securitySchemes.bearerAuth).toMatchObject({ type: 'http', scheme: 'bearer' });
    expect(doc.paths['/v1/plans'].post.responses['202']).toBeDefined();
    expect(doc.paths['/v1/network-simulations'].post.responses['202']).toBeDefined();
    expect(doc.paths['/v1/satellites'].post.responses['207']).toBeDefined();
    expect(doc.paths['/v1/admin/deposits'].post.security).toEqual([{ bearerAuth: [] }]);
    expect(
      doc.paths['/v1/admin/deposits'].post.responses['401'].content['application/problem+json'].example.status,
    ).toBe(401);
  });

  it('every answer to good and bad requests is a declared status with a declared body', async () => {
    const r = (m: 'get' | 'post' | 'put' | 'delete', p: string, body?: unknown) => {
      const call = request(app)[m](p);
      return body === undefined ? call : call.send(body as object);
    };
    const stations = (await r('get', '/v1/stations')).body as { id: string }[];
    const sats = (await r('get', '/v1/satellites')).body as { items?: { noradId: number }[] } | { noradId: number }[];
    const norad = (Array.isArray(sats) ? sats : (sats.items ?? []))[0]?.noradId ?? 25544;
    const st = stations[0]?.id ?? 'graz';
    const calls: [Parameters<typeof r>[0], string, unknown?][] = [
      ['get', '/v1/clock'],
      ['get', '/v1/keys/pools'],
      ['get', '/v1/keys/events?limit=5'],
      ['get', '/v1/keys/events?limit=0'],
      ['get', '/v1/saes'],
      ['get', '/v1/presets'],
      ['get', '/v1/terminals'],
      ['post', '/v1/relays', { from: 'nowhere', to: st, bits: 64 }],
      ['post', '/v1/relays', { from: st, to: st, bits: 7 }],
      ['post', '/v1/admin/deposits', { stationId: st, noradId: norad, bits: 64 }],
      ['post', '/v1/simulations/link', {}],
      ['post', '/v1/simulations/pass', { noradId: 1, stationId: 'nowhere' }],
      ['post', '/v1/calibrations', {}],
      ['get', '/v1/plans/plan_nope'],
      ['get', '/v1/plans/bad id'],
      ['post', '/v1/plans', { horizonHours: -1 }],
      ['get', '/v1/bookings'],
      ['get', '/v1/bookings?from=yesterday'],
      ['post', '/v1/bookings/nope/cancel'],
      ['get', `/v1/stations/${st}/bookings.ics`],
      ['get', '/v1/stations/nowhere/bookings.ics'],
      ['post', '/v1/bookings/nope/outcome', {}],
      ['get', '/v1/bookings/nope/outcome'],
      ['get', `/v1/satellites/${norad}`],
      ['get', '/v1/satellites/999999'],
      ['get', '/v1/satellites/abc'],
      ['get', `/v1/satellites/${norad}/track`],
      ['post', '/v1/satellites', 'not a tle'],
      ['get', `/v1/stations/${st}`],
      ['get', '/v1/stations/NOPE'],
      ['put', '/v1/stations/contract-test', { name: 'x' }],
      ['delete', '/v1/stations/contract-test-none'],
      ['get', `/v1/passes?stationId=${st}&noradId=${norad}`],
      ['get', '/v1/passes'],
      ['post', '/v1/network-simulations', { horizonHours: 'x' }],
      ['get', '/v1/network-simulations/nope'],
      ['get', '/v1/network-simulations/nope/report.html'],
    ];
    const statuses: string[] = [];
    for (const [m, p, b] of calls) statuses.push(`${m} ${p} ${(await r(m, p, b)).status}`);
    expect(seen, statuses.join('\n')).toEqual([]);
    expect(statuses.some((s) => / 4\d\d$/.test(s))).toBe(true);
  }, 60_000);
});
