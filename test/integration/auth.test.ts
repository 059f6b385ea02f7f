/**
 * Access control: roles viewer < planner < admin, open reads, 401/403 problems, per-token rate limit, tokens never
 * logged.
 */
import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createApp } from '../../src/api/app.js';
import { AuthConfigSchema, createAuth, type AuthConfig } from '../../src/api/auth.js';
import { Api } from '../../src/api/route.js';
import { createLogger } from '../../src/platform/logger.js';
import { loadRoleTokens } from '../../src/platform/secrets.js';

const tokens = {
  viewer: 'viewer-token-0123456789',
  planner: 'planner-token-0123456789',
  admin: 'admin-token-0123456789',
};

function appWith(config: Partial<z.input<typeof AuthConfigSchema>> = {}) {
  let logged = '';
  const sink = new Writable({
    write(chunk, _enc, cb) {
      logged += chunk;
      cb();
    },
  });
  const logger = createLogger('info', sink);
  const api = new Api();
  api.useAuth(createAuth({ config: AuthConfigSchema.parse(config) as AuthConfig, tokens }));
  api.route({
    method: 'get',
    path: '/v1/things',
    summary: 'read',
    response: z.object({ ok: z.boolean() }),
    handler: () => ({ ok: true }),
  });
  api.route({
    method: 'post',
    path: '/v1/things',
    summary: 'write',
    response: z.object({ ok: z.boolean() }),
    handler: () => ({ ok: true }),
  });
  api.route({
    method: 'post',
    path: '/v1/admin/things',
    summary: 'admin',
    role: 'admin',
    response: z.object({ ok: z.boolean() }),
    handler: () => ({ ok: true }),
  });
  return { app: createApp({ logger, api, version: 'test' }), logged: () => logged };
}
const bearer = (t: string) => ({ authorization: `Bearer ${t}` });

describe('roles', () => {
  const { app, logged } = appWith();
  it('reads need a viewer token (401 problem naming headers.authorization without one)', async () => {
    const r = await request(app).get('/v1/things');
    expect(r.status).toBe(401);
    expect(r.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(r.body.issues[0].path).toBe('headers.authorization');
    expect(r.headers['www-authenticate']).toMatch(/^Bearer/);
    expect((await request(app).get('/v1/things').set(bearer('wrong-token-0123456789'))).status).toBe(401);
    for (const t of Object.values(tokens))
      expect((await request(app).get('/v1/things').set(bearer(t))).status).toBe(200);
  });
  it('writes need planner or admin (403 for a viewer token)', async () => {
    const v = await request(app).post('/v1/things').set(bearer(tokens.viewer));
    expect(v.status).toBe(403);
    expect(v.body.code).toBe('FORBIDDEN');
    expect((await request(app).post('/v1/things').set(bearer(tokens.planner))).status).toBe(200);
    expect((await request(app).post('/v1/things').set(bearer(tokens.admin))).status).toBe(200);
  });
  it('admin routes need admin (403 for planner)', async () => {
    expect((await request(app).post('/v1/admin/things').set(bearer(tokens.planner))).status).toBe(403);
    expect((await request(app).post('/v1/admin/things').set(bearer(tokens.admin))).status).toBe(200);
  });
  it('never logs a token', () => {
    const out = logged();
    expect(out).toContain('"status":403');
    for (const t of [...Object.values(tokens), 'wrong-token-0123456789']) expect(out).not.toContain(t);
  });
  it('documents the role and the bearer scheme in OpenAPI', async () => {
    const doc = (await request(app).get('/openapi.json')).body;
    expect(doc.components.securitySchemes.bearerAuth).toMatchObject({ type: 'http', scheme: 'bearer' });
    expect(doc.paths['/v1/admin/things'].post.description).toContain('admin');
  });
});

describe('auth.openReads and config tokens', () => {
  it('opens reads but not writes', async () => {
    const { app } = appWith({ openReads: true });
    expect((await request(app).get('/v1/things')).status).toBe(200);
    expect((await request(app).post('/v1/things')).status).toBe(401);
    // An unknown token is refused even on open reads (a typo should not pass silently).
    expect((await request(app).get('/v1/things').set(bearer('wrong-token-0123456789'))).status).toBe(401);
  });
  it('accepts a token of the config file by its SHA-256, with its role', async () => {
    const sha256 = (await import('node:crypto')).createHash('sha256').update('ops-team-token-0123456789').digest('hex');
    const { app } = appWith({ tokens: [{ name: 'ops', role: 'viewer', sha256 }] });
    expect((await request(app).get('/v1/things').set(bearer('ops-team-token-0123456789'))).status).toBe(200);
    expect((await request(app).post('/v1/things').set(bearer('ops-team-token-0123456789'))).status).toBe(403);
  });
});

describe('rate limit per token', () => {
  it('answers 429 with Retry-After beyond requestsPerSecond, per token', async () => {
    // One request per 60 s window; a second token has its own budget.
    const { app: tight } = appWith({ rateLimit: { requestsPerSecond: 1 / 60, windowS: 60 } });
    const a = await request(tight).get('/v1/things').set(bearer(tokens.viewer));
    const b = await request(tight).get('/v1/things').set(bearer(tokens.viewer));
    const c = await request(tight).get('/v1/things').set(bearer(tokens.planner));
    expect([a.status, b.status, c.status]).toEqual([200, 429, 200]);
    expect(Number(b.headers['retry-after'])).toBeGreaterThan(0);
    expect(b.body.code).toBe('RATE_LIMITED');
  });
});

describe('role tokens from the environment or var/', () => {
  it('generates missing ones into var/ (mode 0600) and keeps them across loads', () => {
    const dir = mkdtempSync(join(tmpdir(), 'qkdsat-auth-'));
    const env = {
      QKDSAT_VAR_DIR: dir,
      QKDSAT_PLANNER_TOKEN: tokens.planner,
      QKDSAT_VIEWER_TOKEN: undefined,
      QKDSAT_ADMIN_TOKEN: undefined,
    };
    const a = loadRoleTokens(env),
      b = loadRoleTokens(env);
    expect(a.tokens.planner).toBe(tokens.planner);
    expect(a.sources.planner).toBe('QKDSAT_PLANNER_TOKEN');
    expect(a.sources.viewer).toBe(join(dir, 'viewer-token'));
    expect(b.tokens).toEqual(a.tokens);
    expect(readFileSync(join(dir, 'admin-token'), 'utf8').trim()).toBe(a.tokens.admin);
    expect(statSync(join(dir, 'admin-token')).mode & 0o777).toBe(0o600);
  });
});
