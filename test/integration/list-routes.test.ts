/**
 * The class rules on the composed service (compose.ts, real Redis): every collection GET route is
 * paged (`limit`, `cursor`, `{ items, nextCursor }`) unless it is a bounded list from the config or
 * the code; every route asks for a role (writes without a token are 401, relay routes included).
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { composeServices, type Services } from '../../src/compose.js';
import { createApp } from '../../src/api/app.js';
import { openApiDocument } from '../../src/api/openapi.js';
import { realClock } from '../../src/platform/clock.js';
import { loadConfig } from '../../src/platform/config.js';
import { createLogger } from '../../src/platform/logger.js';
import { createRedis } from '../../src/platform/redis.js';
import { deletePrefix } from '../../tle/adapters/index.js';

/** Lists bounded by the code or the config file, not by what clients create. */
const BOUNDED: Record<string, string> = {
  '/v1/presets': 'built-in presets',
  '/v1/terminals': 'scheduler.terminals of the config',
  '/v1/saes': 'relay.saes of the config',
  '/v1/keys/pools': 'one per link',
  '/v1/keys/events': 'the last `limit` (at most 5,000) key movements of the audit',
};

const prefix = `{lr${randomBytes(5).toString('hex')}}`;
const varDir = mkdtempSync(join(tmpdir(), 'qkdsat-lr-'));
const config = loadConfig({
  QKDSAT_PREFIX: prefix,
  QKDSAT_VAR_DIR: varDir,
  KME_PORT: '0',
  HOST: '127.0.0.1',
  QKDSAT_COMPUTE_THREADS: '1',
  ...(process.env.REDIS_URL ? { REDIS_URL: process.env.REDIS_URL } : {}),
});
const redis = createRedis(config.env.REDIS_URL, 'command');
let services: Services;
let doc: {
  paths: Record<
    string,
    Record<
      string,
      {
        parameters?: { name: string; in: string }[];
        responses: Record<string, { content?: Record<string, { schema: unknown }> }>;
      }
    >
  >;
  components: { schemas: Record<string, unknown> };
};

beforeAll(async () => {
  services = await composeServices({ config, logger: createLogger('silent'), clock: realClock(), redis });
  doc = openApiDocument(services.api, 'test') as typeof doc;
}, 60_000);
afterAll(async () => {
  for (const c of services?.closers ?? []) await c.close();
  await deletePrefix(redis, prefix);
  redis.disconnect();
});

type Schema = {
  $ref?: string;
  type?: string;
  properties?: Record<string, Schema>;
  anyOf?: Schema[];
  oneOf?: Schema[];
  items?: Schema;
};
const deref = (s: Schema): Schema => (s.$ref ? deref(doc.components.schemas[s.$ref.split('/').pop()!] as Schema) : s);
/** Whether a response schema carries a list: an array, or an object with an array property (any branch of a union). */
function holdsList(s: Schema): boolean {
  const d = deref(s);
  if (d.anyOf || d.oneOf) return (d.anyOf ?? d.oneOf)!.some(holdsList);
  if (d.type === 'array') return true;
  return Object.values(d.properties ?? {}).some((p) => deref(p).type === 'array');
}

describe('list routes (class rule)', () => {
  it('every collection GET route is paged by limit and cursor, or is a bounded list named here', () => {
    const unpaged: string[] = [];
    let paged = 0;
    for (const [path, ops] of Object.entries(doc.paths)) {
      const get = ops.get;
      if (!get || path.includes('{')) continue;
      const schema = get.responses['200']?.content?.['application/json']?.schema as Schema | undefined;
      if (!schema || !holdsList(schema)) continue;
      const params = new Set((get.parameters ?? []).filter((p) => p.in === 'query').map((p) => p.name));
      if (params.has('limit') && params.has('cursor')) {
        paged += 1;
        continue;
      }
      if (!(path in BOUNDED)) unpaged.push(path);
    }
    expect(unpaged).toEqual([]);
    expect(paged).toBeGreaterThanOrEqual(4);
  });
  it('every paged route answers { items, nextCursor }', async () => {
    const app = createApp({ logger: createLogger('silent'), api: services.api, version: 'test' });
    for (const url of [
      '/v1/satellites',
      '/v1/stations',
      '/v1/bookings',
      '/v1/passes?from=2022-08-10T00:00:00Z&to=2022-08-10T01:00:00Z',
    ]) {
      const r = await request(app).get(url).query({ limit: 2 });
      expect(r.status, url).toBe(200);
      expect(
        Object.keys(r.body)
          .filter((k) => k !== 'failures')
          .sort(),
        url,
      ).toEqual(['items', 'nextCursor']);
      expect(r.body.items.length, url).toBeLessThanOrEqual(2);
    }
  });
});

describe('access control on the composed service', () => {
  it(
    'refuses writes without a token on every component, relay included (401 problem), and reads are ' +
      'open in the demo',
    async () => {
      const app = createApp({ logger: createLogger('silent'), api: services.api, version: 'test' });
      for (const [method, url] of [
        ['post', '/v1/plans'],
        ['post', '/v1/relays'],
        ['put', '/v1/stations/x'],
        ['delete', '/v1/stations/graz'],
        ['post', '/v1/satellites'],
        ['post', '/v1/bookings/pass_a_1_2/cancel'],
      ] as const) {
        const r = await request(app)[method](url).send({});
        expect(r.status, `${method} ${url}`).toBe(401);
        expect(r.body.issues[0].path).toBe('headers.authorization');
      }
      expect((await request(app).get('/v1/stations')).status).toBe(200);
      const planner = (await import('node:fs')).readFileSync(join(varDir, 'planner-token'), 'utf8').trim();
      const viewer = (await import('node:fs')).readFileSync(join(varDir, 'viewer-token'), 'utf8').trim();
      expect((await request(app).put('/v1/stations/x').set('authorization', `Bearer ${viewer}`).send({})).status).toBe(
        403,
      );
      expect((await request(app).put('/v1/stations/x').set('authorization', `Bearer ${planner}`).send({})).status).toBe(
        400,
      );
      // The queue overview needs admin, even with open reads.
      const admin = (await import('node:fs')).readFileSync(join(varDir, 'admin-token'), 'utf8').trim();
      expect((await request(app).get('/v1/admin/queues')).status).toBe(401);
      expect((await request(app).get('/v1/admin/queues').set('authorization', `Bearer ${planner}`)).status).toBe(403);
      const q = await request(app).get('/v1/admin/queues').set('authorization', `Bearer ${admin}`);
      expect(q.status).toBe(200);
      expect(Object.keys(q.body.queues).sort()).toEqual(['passes', 'plans']);
    },
  );
});
