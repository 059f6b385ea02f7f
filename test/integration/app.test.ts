import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createApp } from '../../src/api/app.js';
import { Api } from '../../src/api/route.js';
import { createLogger } from '../../src/platform/logger.js';

describe('express app', () => {
  const api = new Api();
  api.route({
    method: 'get',
    path: '/v1/echo/:id',
    summary: 'echo',
    params: z.object({ id: z.string().regex(/^[a-z]+$/) }),
    query: z.object({ n: z.coerce.number().int().min(1).max(10) }),
    response: z.object({ id: z.string(), n: z.number() }),
    handler: ({ params, query }) => ({ id: params.id, n: query.n }),
  });
  const app = createApp({
    logger: createLogger('silent'),
    api,
    version: 'test',
    readiness: { always: async () => true },
  });

  it('validates params and query and names the field on 400', async () => {
    expect((await request(app).get('/v1/echo/abc?n=3')).body).toEqual({ id: 'abc', n: 3 });
    const bad = await request(app).get('/v1/echo/abc?n=30');
    expect(bad.status).toBe(400);
    expect(bad.body.issues[0].path).toBe('query.n');
  });
  it('serves health, readiness and the OpenAPI document', async () => {
    expect((await request(app).get('/health/live')).status).toBe(200);
    expect((await request(app).get('/health/ready')).body.status).toBe('ready');
    const doc = (await request(app).get('/openapi.json')).body;
    expect(doc.paths['/v1/echo/{id}'].get.summary).toBe('echo');
  });
  it('answers malformed JSON and unknown routes with problem+json, never a 500', async () => {
    const r = await request(app).post('/v1/echo/abc').set('content-type', 'application/json').send('{bad');
    expect(r.status).toBe(400);
    expect((await request(app).get('/nope')).status).toBe(404);
  });
});
