import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/api/app.js';
import { verifyAudit } from '../../relay/index.js';
import { type KmeHandle } from '../../src/kme-compose.js';
import { etsi, fixture, logSink, serveRelay, type Fixture, type ServedRelay } from './relay-support.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('ETSI GS QKD 014 KME over mutual TLS (real Redis)', () => {
  let f: Fixture;
  let relay: KmeHandle;
  let port: number;
  let app: ReturnType<typeof createApp>;
  const logs = logSink();
  const delivered: string[] = [];

  let deposit: (bits: number) => Promise<void>;
  let served: ServedRelay;

  beforeAll(async () => {
    f = fixture();
    served = await serveRelay(f, logs);
    ({ relay, port, app, depositFibre: deposit } = served);
    await deposit(64 * 1024);
  });

  afterAll(async () => {
    await served.close();
    await f.cleanup();
  });

  it('Status holds the invariants clients check', async () => {
    const r = await etsi(port, 'sae-graz-a', 'GET', '/api/v1/keys/sae-matera-a/status');
    expect(r.status).toBe(200);
    expect(r.headers['cache-control']).toBe('no-store');
    const s = r.body;
    for (const k of [
      'key_size',
      'stored_key_count',
      'max_key_count',
      'max_key_per_request',
      'max_key_size',
      'min_key_size',
      'max_SAE_ID_count',
    ]) {
      expect(Number.isInteger(s[k]), k).toBe(true);
    }
    expect(s).toMatchObject({
      source_KME_ID: 'graz',
      target_KME_ID: 'matera',
      master_SAE_ID: 'sae-graz-a',
      slave_SAE_ID: 'sae-matera-a',
    });
    expect(s.key_size).toBeGreaterThan(0);
    expect(s.stored_key_count).toBeLessThanOrEqual(s.max_key_count);
    expect(s.stored_key_count).toBe(256);
    expect(s.max_key_per_request).toBeGreaterThan(0);
    expect(0 < s.min_key_size && s.min_key_size <= s.key_size && s.key_size <= s.max_key_size).toBe(true);
    expect(s.max_SAE_ID_count).toBeGreaterThanOrEqual(0);
  });

  it('the master gets keys, the bound slave the same bytes by ID, a replay is 400 with the spec message', async () => {
    const enc = await etsi(port, 'sae-graz-a', 'POST', '/api/v1/keys/sae-matera-a/enc_keys', {
      number: 3,
      size: 256,
    });
    expect(enc.status).toBe(200);
    expect(enc.headers['cache-control']).toBe('no-store');
    expect(enc.body.keys).toHaveLength(3);
    for (const k of enc.body.keys) {
      expect(k.key_ID).toMatch(UUID);
      expect(Buffer.from(k.key, 'base64')).toHaveLength(32);
      expect(Buffer.from(k.key, 'base64').toString('base64')).toBe(k.key);
      delivered.push(k.key);
    }
    expect(enc.body.key_container_extension).toEqual({ qkdsat_route_type: 'direct' });
    const ids = enc.body.keys.map((k: { key_ID: string }) => ({ key_ID: k.key_ID, master_SAE_ID: 'sae-graz-a' }));
    const third = await etsi(port, 'sae-matera-b', 'POST', '/api/v1/keys/sae-graz-a/dec_keys', { key_IDs: ids });
    expect(third.status).toBe(401);
    expect(third.body).toEqual({ message: 'unauthorized' });
    const dec = await etsi(port, 'sae-matera-a', 'POST', '/api/v1/keys/sae-graz-a/dec_keys', {
      key_IDs: ids,
      unknown_field: true,
    });
    expect(dec.status).toBe(200);
    expect(dec.body.keys).toEqual(
      enc.body.keys.map((k: { key_ID: string; key: string }) => ({ key_ID: k.key_ID, key: k.key })),
    );
    // A replay: 503 (retry) while the first answer's lease is being settled, then 400 for good.
    let replay = await etsi(port, 'sae-matera-a', 'POST', '/api/v1/keys/sae-graz-a/dec_keys', { key_IDs: ids });
    for (let i = 0; i < 20 && replay.status === 503; i += 1) {
      await new Promise((r) => setTimeout(r, 50));
      replay = await etsi(port, 'sae-matera-a', 'POST', '/api/v1/keys/sae-graz-a/dec_keys', { key_IDs: ids });
    }
    expect(replay.status).toBe(400);
    expect(replay.body).toEqual({ message: 'one or more keys specified are not found on KME' });
  });

  it('GET forms work: enc_keys with and without a query, dec_keys with ?key_ID=', async () => {
    const plain = await etsi(port, 'sae-graz-b', 'GET', '/api/v1/keys/sae-matera-b/enc_keys');
    expect(plain.status).toBe(200);
    expect(plain.body.keys).toHaveLength(1);
    expect(Buffer.from(plain.body.keys[0].key, 'base64')).toHaveLength(32);
    const q = await etsi(port, 'sae-graz-b', 'GET', '/api/v1/keys/sae-matera-b/enc_keys?number=2&size=128');
    expect(q.status).toBe(200);
    expect(q.body.keys.map((k: { key: string }) => Buffer.from(k.key, 'base64').length)).toEqual([16, 16]);
    for (const k of [...plain.body.keys, ...q.body.keys]) {
      delivered.push(k.key);
      const d = await etsi(port, 'sae-matera-b', 'GET', `/api/v1/keys/sae-graz-b/dec_keys?key_ID=${k.key_ID}`);
      expect(d.status).toBe(200);
      expect(d.body.keys[0]).toEqual({ key_ID: k.key_ID, key: k.key });
    }
  });

  it('callers without a certificate from our CA, or not in the allow-list, get a JSON 401', async () => {
    for (const who of ['stranger', 'none']) {
      const r = await etsi(port, who, 'GET', '/api/v1/keys/sae-matera-a/status');
      expect(r.status).toBe(401);
      expect(r.body).toEqual({ message: 'unauthorized' });
      expect(r.headers['content-type']).toMatch(/application\/json/);
    }
  });

  it('bad input gets the spec 400 messages, never a 500', async () => {
    const post = (body: unknown, raw?: string, to = 'sae-matera-a') =>
      etsi(port, 'sae-graz-a', 'POST', `/api/v1/keys/${to}/enc_keys`, body, raw);
    expect((await post({ size: 100 })).body).toEqual({ message: 'size shall be a multiple of 8' });
    const cases: [Promise<{ status: number; body: { message: string } }>, RegExp][] = [
      [post(undefined, '{"number": 1,'), /JSON/],
      [post(undefined, '[1,2]'), /object/],
      [post({ number: 1e12 }), /number/],
      [post({ number: 0 }), /number/],
      [post({ number: 'many' }), /number/],
      [post({ size: 8 }), /size/],
      [post({ size: 1 << 20 }), /size/],
      [post({}, undefined, 'sae-nobody'), /slave_SAE_ID/],
      [post({}, undefined, 'bad%2Fid'), /slave_SAE_ID/],
      [post({ additional_slave_SAE_IDs: ['sae-matera-b'] }), /additional_slave_SAE_IDs/],
      [post({ extension_mandatory: [{ qkdsat_route_type: 'carrier-pigeon' }] }), /qkdsat_route_type/],
      [post(undefined, JSON.stringify({ pad: 'x'.repeat(10_000) })), /exceeds/],
      [
        etsi(port, 'sae-matera-a', 'POST', '/api/v1/keys/sae-graz-a/dec_keys', { key_IDs: [{ key_ID: 'not-a-uuid' }] }),
        /key_ID/,
      ],
      [etsi(port, 'sae-matera-a', 'POST', '/api/v1/keys/sae-graz-a/dec_keys', {}), /key_IDs/],
      [etsi(port, 'sae-matera-a', 'GET', '/api/v1/keys/sae-graz-a/dec_keys?key_ID=123'), /key_ID/],
    ];
    for (const [p, message] of cases) {
      const r = await p;
      expect(r.status, JSON.stringify(r.body)).toBe(400);
      expect(r.body.message).toMatch(message);
    }
    const ext = await post({ extension_mandatory: [{ abc_route_type: 'x' }] });
    expect(ext.status).toBe(400);
    expect(ext.body).toEqual({
      message: 'not all extension_mandatory parameters are supported',
      details: [{ unsupported_extension_parameter: 'abc_route_type' }],
    });
    const unmet = await etsi(port, 'sae-graz-a', 'POST', '/api/v1/keys/sae-xinglong-a/enc_keys', {
      extension_mandatory: [{ qkdsat_route_type: 'direct' }],
    });
    expect(unmet.body).toEqual({ message: 'not all extension_mandatory request options could be met' });
    const unknownKey = await etsi(port, 'sae-matera-a', 'POST', '/api/v1/keys/sae-graz-a/dec_keys', {
      key_IDs: [{ key_ID: '3f0c2a52-1c2b-4c1e-9a51-6f3c2a4b5d6e' }],
    });
    expect(unknownKey.body).toEqual({ message: 'one or more keys specified are not found on KME' });
  });

  it('a request that cannot be served in full is a 503 and takes nothing (all or nothing)', async () => {
    const before = (await etsi(port, 'sae-graz-a', 'GET', '/api/v1/keys/sae-matera-a/status')).body.stored_key_count;
    const r = await etsi(port, 'sae-graz-a', 'POST', '/api/v1/keys/sae-xinglong-a/enc_keys', { number: 1 });
    expect(r.status).toBe(503);
    expect(r.body).toEqual({ message: 'insufficient key material' });
    const big = await etsi(port, 'sae-graz-a', 'POST', '/api/v1/keys/sae-matera-a/enc_keys', {
      number: 128,
      size: 1024,
    });
    expect(big.status).toBe(503);
    expect((await etsi(port, 'sae-graz-a', 'GET', '/api/v1/keys/sae-matera-a/status')).body.stored_key_count).toBe(
      before,
    );
  });

  it('relays key Graz -> satellite -> Xinglong, then serves it as indirect keys', async () => {
    const admin = (body: object) =>
      request(app).post('/v1/admin/deposits').set('authorization', `Bearer ${f.adminToken}`).send(body);
    await admin({ stationId: 'graz', noradId: 43_000, bits: 20_000 }).expect(201);
    await admin({ stationId: 'xinglong', noradId: 43_000, bits: 16_000 }).expect(201);
    const r = await request(app).post('/v1/relays').send({ from: 'graz', to: 'xinglong', bits: 4096 });
    expect(r.status).toBe(200);
    expect(r.body.outcome).toBe('relayed');
    expect(r.body.route.paths[0].nodes).toEqual(['graz', 'sat-43000', 'xinglong']);
    const pools = (await request(app).get('/v1/keys/pools')).body.pools;
    const byLink = Object.fromEntries(pools.map((p: { link: string; storedBits: number }) => [p.link, p.storedBits]));
    expect(byLink['satellite:graz~sat-43000']).toBe(20_000 - 4096);
    expect(byLink['satellite:sat-43000~xinglong']).toBe(16_000 - 4096);
    expect(byLink['relayed:graz~xinglong']).toBe(4096);
    expect(JSON.stringify(pools)).not.toMatch(/"key"|ct/);
    const tooMuch = await request(app).post('/v1/relays').send({ from: 'graz', to: 'xinglong', bits: 1_000_000 });
    expect(tooMuch.body.outcome).toBe('failed');
    const enc = await etsi(port, 'sae-graz-a', 'POST', '/api/v1/keys/sae-xinglong-a/enc_keys', {
      number: 2,
      extension_mandatory: [{ qkdsat_route_type: 'indirect' }],
    });
    expect(enc.status).toBe(200);
    expect(enc.body.key_container_extension).toEqual({ qkdsat_route_type: 'indirect' });
    const dec = await etsi(port, 'sae-xinglong-a', 'POST', '/api/v1/keys/sae-graz-a/dec_keys', {
      key_IDs: enc.body.keys.map((k: { key_ID: string }) => ({ key_ID: k.key_ID })),
    });
    expect(dec.body.keys).toEqual(enc.body.keys);
    for (const k of enc.body.keys) delivered.push(k.key);
    expect((await request(app).get('/v1/saes')).body).toContainEqual({ id: 'sae-xinglong-a', stationId: 'xinglong' });
    expect((await request(app).post('/v1/relays').send({ from: 'graz', to: 'xinglong', bits: 12 })).status).toBe(400);
  });

  it('no log line holds key bytes (base64 or hex) after round trips and a relay', () => {
    expect(delivered.length).toBeGreaterThan(5);
    expect(logs.lines.length).toBeGreaterThan(10);
    const all = logs.lines.join('\n');
    for (const k of delivered) {
      const bytes = Buffer.from(k, 'base64');
      for (const needle of [
        k,
        bytes.toString('hex'),
        bytes.toString('base64url'),
        bytes.subarray(0, 12).toString('hex'),
      ]) {
        expect(all.includes(needle), 'key bytes in the log').toBe(false);
      }
    }
    expect(all).toMatch(/etsi request/);
  });

  it('the audit chain verifies, and a removed entry breaks it', async () => {
    const v = await verifyAudit(f.redis, relay.prefix);
    expect(v.ok).toBe(true);
    expect(v.entries).toBeGreaterThan(10);
    const types = new Set(
      (await f.redis.xrange(`${relay.prefix}audit`, '-', '+')).map(([, fl]) => fl[fl.indexOf('type') + 1]),
    );
    for (const t of ['deposit', 'reserve', 'deliver', 'relay']) expect(types.has(t), t).toBe(true);
    const rows = await f.redis.xrange(`${relay.prefix}audit`, '-', '+', 'COUNT', 3);
    await f.redis.xdel(`${relay.prefix}audit`, rows[1]![0]);
    const broken = await verifyAudit(f.redis, relay.prefix);
    expect(broken.ok).toBe(false);
    expect(broken.brokenAt?.seq).toBe(3);
  });

  it('key records in Redis are ciphertext bound to their ID', async () => {
    const enc = await etsi(port, 'sae-graz-a', 'POST', '/api/v1/keys/sae-matera-a/enc_keys', {});
    const id = enc.body.keys[0].key_ID;
    const ct = await f.redis.hget(`${relay.prefix}seg:${id}`, 'ct');
    expect(ct).toBeTruthy();
    const raw = Buffer.from(ct!, 'base64');
    expect(raw.includes(Buffer.from(enc.body.keys[0].key, 'base64'))).toBe(false);
    // Moving the ciphertext to another ID makes it undecryptable, never another key: it is voided.
    const other = '3f0c2a52-1c2b-4c1e-9a51-6f3c2a4b5d6e';
    await f.redis.hset(
      `${relay.prefix}seg:${other}`,
      'master',
      'sae-graz-a',
      'slave',
      'sae-matera-a',
      'ct',
      ct!,
      'bits',
      '256',
      'state',
      'bound',
      'expiresAt',
      String(Date.now() + 60_000),
    );
    const moved = await etsi(port, 'sae-matera-a', 'GET', `/api/v1/keys/sae-graz-a/dec_keys?key_ID=${other}`);
    expect(moved.status).toBe(503);
    expect(moved.body).toEqual({
      message: 'stored key material failed its integrity check and was voided; retry',
      details: [{ voided_key_ID: other }],
    });
    expect(await f.redis.exists(`${relay.prefix}seg:${other}`)).toBe(0);
    // The original record is untouched and still reaches its slave.
    const own = await etsi(port, 'sae-matera-a', 'GET', `/api/v1/keys/sae-graz-a/dec_keys?key_ID=${id}`);
    expect(own.body.keys).toEqual(enc.body.keys);
  });
});
