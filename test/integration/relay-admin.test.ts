import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import request from 'supertest';
import { afterAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/api/app.js';
import { AuthConfigSchema, createAuth } from '../../src/api/auth.js';
import { Api } from '../../src/api/route.js';
import { loadRoleTokens } from '../../src/platform/secrets.js';
import { realClock } from '../../src/platform/clock.js';
import { EnvSchema, loadConfig, type Config } from '../../src/platform/config.js';
import { createLogger } from '../../src/platform/logger.js';
import { startRelay, type KmeHandle } from '../../src/kme-compose.js';
import { fixture, logSink, type Fixture } from './relay-support.js';

const DEPOSIT = { stationId: 'graz', noradId: 43_002, bits: 4096 };

async function serve(f: Fixture, config: Config = f.config) {
  const logs = logSink();
  const logger = createLogger('info', logs.stream);
  const api = new Api();
  // The API's access control, as src/compose.ts installs it (the log names each token's source, never the token).
  const roleTokens = loadRoleTokens(config.env);
  logger.info({ sources: roleTokens.sources }, 'REST bearer tokens');
  api.useAuth(createAuth({ config: AuthConfigSchema.parse({}), tokens: roleTokens.tokens }));
  const relay: KmeHandle = await startRelay({ config, logger, redis: f.redis, clock: realClock(), api });
  return {
    relay,
    logs,
    app: createApp({ logger, api, version: 'test' }),
    close: async () => {
      for (const c of relay.closers) await c.close();
    },
  };
}

describe('POST /v1/admin/deposits needs the admin role (real Redis)', () => {
  const fixtures: Fixture[] = [];
  const make = (relay: Record<string, unknown> = {}) => {
    const f = fixture(relay);
    fixtures.push(f);
    return f;
  };
  afterAll(async () => {
    for (const f of fixtures) await f.cleanup();
  });

  it('without the token or with a wrong one: 401 problem+json naming the problem before reading the body', async () => {
    const f = make();
    const s = await serve(f);
    try {
      const post = (authorization?: string, body: object = DEPOSIT) => {
        const r = request(s.app).post('/v1/admin/deposits');
        return (authorization === undefined ? r : r.set('authorization', authorization)).send(body);
      };
      const missing = await post();
      expect(missing.status).toBe(401);
      expect(missing.headers['content-type']).toMatch(/application\/problem\+json/);
      expect(missing.headers['www-authenticate']).toMatch(/^Bearer /);
      expect(missing.body).toMatchObject({
        status: 401,
        code: 'UNAUTHORIZED',
        issues: [{ path: 'headers.authorization' }],
      });
      expect(missing.body.detail).toMatch(/needs a admin token/);
      for (const auth of [
        'Basic YWRtaW46YWRtaW4=',
        'Bearer',
        `Token ${f.adminToken}`,
        `Bearer ${f.adminToken}x`,
        `Bearer ${f.adminToken.slice(0, -1)}`,
        'Bearer x',
        `Bearer ${'a'.repeat(10_000)}`,
      ]) {
        const r = await post(auth);
        expect(r.status, auth).toBe(401);
        expect(r.body.detail).toMatch(/unknown bearer token/);
        expect(r.headers['www-authenticate']).toMatch(/invalid_token/);
      }
      // A planner token is known but not enough: 403.
      const planner = await post(`Bearer ${loadRoleTokens(f.config.env).tokens.planner}`);
      expect(planner.status).toBe(403);
      expect(planner.body).toMatchObject({ code: 'FORBIDDEN', issues: [{ path: 'headers.authorization' }] });
      // Authentication comes first: an unauthenticated bad body is a 401, not a 400.
      expect((await post(undefined, { bits: 'lots' })).status).toBe(401);
      // Nothing reached the pools, nor the log.
      expect(await f.redis.hget(`${s.relay.prefix}poolbits`, 'satellite:graz~sat-43002')).toBeNull();
      expect(s.logs.lines.join('\n')).not.toContain(f.adminToken);
      // With the token: the unchanged contract (201, 400 naming the field).
      const ok = await post(`Bearer ${f.adminToken}`);
      expect(ok.status).toBe(201);
      expect(ok.body).toMatchObject({ link: 'satellite:graz~sat-43002', bits: 4096, segments: 16 });
      expect(typeof ok.body.blockId).toBe('string');
      expect((await post(`bearer  ${f.adminToken}`)).status).toBe(201);
      const bad = await post(`Bearer ${f.adminToken}`, { ...DEPOSIT, bits: 4 });
      expect(bad.status).toBe(400);
      expect(bad.body.issues[0].path).toBe('body.bits');
      const doc = (await request(s.app).get('/openapi.json')).body;
      expect(Object.keys(doc.paths['/v1/admin/deposits'].post.responses)).toEqual(
        expect.arrayContaining(['401', '403']),
      );
      // Referential integrity is the API's (src/compose.ts gives the relay the catalog's lookup).
    } finally {
      await s.close();
    }
  });

  it(
    'with the endpoint on and no QKDSAT_ADMIN_TOKEN, a random token is written 0600 under var/ and kept; ' +
      'the log names the file only',
    async () => {
      const f = make();
      const config = loadConfig({ ...f.env, QKDSAT_ADMIN_TOKEN: undefined }, {});
      expect(config.env.QKDSAT_ADMIN_TOKEN).toBeUndefined();
      const path = join(f.env.QKDSAT_VAR_DIR!, 'admin-token');
      const first = await serve(f, config);
      let token: string;
      try {
        expect(statSync(path).mode & 0o777).toBe(0o600);
        token = readFileSync(path, 'utf8').trim();
        expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
        const log = first.logs.lines.join('\n');
        expect(log).toContain(path);
        expect(log).not.toContain(token);
        await request(first.app).post('/v1/admin/deposits').send(DEPOSIT).expect(401);
        await request(first.app)
          .post('/v1/admin/deposits')
          .set('authorization', `Bearer ${f.adminToken}`)
          .send(DEPOSIT)
          .expect(401);
        await request(first.app)
          .post('/v1/admin/deposits')
          .set('authorization', `Bearer ${token}`)
          .send(DEPOSIT)
          .expect(201);
      } finally {
        await first.close();
      }
      // A restart (or another process on the same var/) uses the same token.
      const second = await serve(f, config);
      try {
        expect(readFileSync(path, 'utf8').trim()).toBe(token);
        await request(second.app)
          .post('/v1/admin/deposits')
          .set('authorization', `Bearer ${token}`)
          .send(DEPOSIT)
          .expect(201);
      } finally {
        await second.close();
      }
    },
  );

  it('with the endpoint off there is no route', async () => {
    const f = make({ adminDeposits: false });
    const s = await serve(f);
    try {
      await request(s.app)
        .post('/v1/admin/deposits')
        .set('authorization', `Bearer ${f.adminToken}`)
        .send(DEPOSIT)
        .expect(404);
    } finally {
      await s.close();
    }
  });

  it('QKDSAT_ADMIN_TOKEN is validated with the environment (the field is named)', () => {
    const r = EnvSchema.safeParse({ QKDSAT_ADMIN_TOKEN: 'short' });
    expect(r.success).toBe(false);
    expect(r.error!.issues[0]!.path).toEqual(['QKDSAT_ADMIN_TOKEN']);
    expect(() => loadConfig({ QKDSAT_ADMIN_TOKEN: 'has spaces in it, sixteen+' }, {})).toThrow(
      /env\.QKDSAT_ADMIN_TOKEN/,
    );
  });
});
