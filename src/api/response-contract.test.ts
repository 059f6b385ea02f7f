import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createLogger } from '../platform/logger.js';
import { createApp } from './app.js';
import { Api } from './route.js';

/** Routes answering on and off their contract; the vitest setup enforces the contract. */
function contractApp() {
  const api = new Api();
  const response = z.object({ a: z.number() });
  api.route({ method: 'get', path: '/v1/t/ok', summary: 't', response, handler: () => ({ a: 1 }) });
  api.route({
    method: 'get',
    path: '/v1/t/wrong-body',
    summary: 't',
    response,
    handler: () => ({ a: 'one' }) as unknown as { a: number },
  });
  api.route({
    method: 'get',
    path: '/v1/t/extra-field',
    summary: 't',
    response: z.object({ items: z.array(response) }),
    handler: () => ({ items: [{ a: 1 }, { a: 2, b: 3 }] }),
  });
  api.route({
    method: 'get',
    path: '/v1/t/undeclared',
    summary: 't',
    response,
    handler: (_input, _req, res) => {
      res.status(418).json({ a: 1 });
      return undefined;
    },
  });
  return createApp({ logger: createLogger('silent'), api, version: 'test' });
}

describe('the response contract in tests', () => {
  const app = contractApp();

  it('a declared status with a body of its schema passes unchanged', async () => {
    const res = await request(app).get('/v1/t/ok').expect(200);
    expect(res.body).toEqual({ a: 1 });
  });

  it('a body off its declared schema answers 500 naming the route and the field', async () => {
    const res = await request(app).get('/v1/t/wrong-body').expect(500);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.body).toMatchObject({ code: 'INTERNAL', status: 500 });
    expect(res.body.detail).toMatch(/^response contract of GET \/v1\/t\/wrong-body broken: 200: body does not match/);
    expect(res.body.detail).toMatch(/: a: /);
  });

  it('a field the schema does not declare answers 500 naming it', async () => {
    const res = await request(app).get('/v1/t/extra-field').expect(500);
    expect(res.body.detail).toMatch(/200: body has a field its schema does not declare: items\.1\.b$/);
  });

  it('an undeclared status answers 500', async () => {
    const res = await request(app).get('/v1/t/undeclared').expect(500);
    expect(res.body.detail).toMatch(/418: status 418 is not declared$/);
  });
});
