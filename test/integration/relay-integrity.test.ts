import { randomBytes } from 'node:crypto';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/api/app.js';
import { readAudit, verifyAudit } from '../../relay/index.js';
import { type KmeHandle } from '../../src/kme-compose.js';
import { Kek } from '../../relay/adapters/kek.js';
import { KeyMaterial } from '../../relay/domain/key-material.js';
import { linkId } from '../../relay/domain/links.js';
import { etsi, fixture, logSink, serveRelay, type Fixture, type ServedRelay } from './relay-support.js';

const LINK = linkId('fibre', 'graz', 'matera');
const INTEGRITY = 'stored key material failed its integrity check and was voided; retry';

describe('stored key material that fails AES-GCM authentication is voided, never served (real Redis, mTLS)', () => {
  let f: Fixture;
  let relay: KmeHandle;
  let port: number;
  let app: ReturnType<typeof createApp>;
  const logs = logSink();
  const served: string[] = [];
  const voidedIds: string[] = [];

  const k = (s: string) => `${relay.prefix}${s}`;
  /** Flips one bit of a stored ciphertext, as someone with write access to Redis could. */
  const tamper = async (hashKey: string) => {
    const raw = Buffer.from((await f.redis.hget(hashKey, 'ct'))!, 'base64');
    raw[raw.length - 1]! ^= 0x01;
    await f.redis.hset(hashKey, 'ct', raw.toString('base64'));
  };
  const poolBits = async (link: string) => {
    const pools = (await request(app).get('/v1/keys/pools').expect(200)).body.pools as {
      link: string;
      storedBits: number;
    }[];
    return pools.find((p) => p.link === link)?.storedBits ?? 0;
  };
  /** The newest `void` entry (deliveries are audited when their lease settles, a few ms after the answer). */
  const lastAudit = async () => {
    const rows = (await f.redis.xrevrange(k('audit'), '+', '-', 'COUNT', 50)) as [string, string[]][];
    const [, fields] = rows.find(([, fl]) => fl[fl.indexOf('type') + 1] === 'void')!;
    return { type: fields[fields.indexOf('type') + 1], data: JSON.parse(fields[fields.indexOf('data') + 1]!) };
  };
  const enc = (body: unknown) => etsi(port, 'sae-graz-a', 'POST', '/api/v1/keys/sae-matera-a/enc_keys', body);
  const dec = (ids: string[]) =>
    etsi(port, 'sae-matera-a', 'POST', '/api/v1/keys/sae-graz-a/dec_keys', {
      key_IDs: ids.map((key_ID) => ({ key_ID })),
    });
  /** A full round trip still works afterwards: master and slave get the same fresh keys. */
  const roundTrip = async (body: { number: number; size: number }) => {
    const e = await enc(body);
    expect(e.status, JSON.stringify(e.body)).toBe(200);
    expect(e.body.keys).toHaveLength(body.number);
    const d = await dec(e.body.keys.map((x: { key_ID: string }) => x.key_ID));
    expect(d.status).toBe(200);
    expect(d.body.keys).toEqual(e.body.keys);
    for (const x of e.body.keys) served.push(x.key);
    return e.body.keys as { key_ID: string; key: string }[];
  };

  let server: ServedRelay;

  beforeAll(async () => {
    f = fixture();
    server = await serveRelay(f, logs);
    ({ relay, port, app } = server);
    await server.depositFibre(16 * 1024);
  });

  afterAll(async () => {
    await server.close();
    await f.cleanup();
  });

  it('enc_keys (reserve and commit): corrupt segment voided, the rest released, JSON 503, nothing taken', async () => {
    const before = await poolBits(LINK);
    const head = await f.redis.lrange(k(`pool:${LINK}`), 0, 5);
    await tamper(k(`seg:${head[1]}`));
    // 2 keys of 512 bits: four 256-bit segments through reserve.lua, the second one corrupt.
    const r = await enc({ number: 2, size: 512 });
    expect(r.status).toBe(503);
    expect(r.headers['content-type']).toMatch(/application\/json/);
    expect(r.body).toEqual({ message: INTEGRITY });
    voidedIds.push(head[1]!);
    expect(await poolBits(LINK)).toBe(before - 256);
    expect(await f.redis.exists(k(`seg:${head[1]}`))).toBe(0);
    // The released segments are back at the front, in their order; no reservation is left.
    expect(await f.redis.lrange(k(`pool:${LINK}`), 0, 4)).toEqual([head[0], head[2], head[3], head[4], head[5]]);
    expect(await f.redis.hget(k(`seg:${head[0]}`), 'state')).toBe('available');
    expect(await f.redis.zcard(k('reservations'))).toBe(0);
    const a = await lastAudit();
    expect(a.type).toBe('void');
    expect(a.data).toMatchObject({
      reason: 'integrity',
      side: 'master',
      master: 'sae-graz-a',
      slave: 'sae-matera-a',
      voided: [{ segment: head[1], link: LINK, bits: 256 }],
      drawn: { [LINK]: 256 },
      released: 3,
    });
    expect((await verifyAudit(f.redis, relay.prefix)).ok).toBe(true);
    await roundTrip({ number: 2, size: 512 });
    expect(await poolBits(LINK)).toBe(before - 256 - 1024);
  });

  it(
    'enc_keys (one-script fast path): the corrupt unit is voided, the others return to the pool with ' +
      'their own lifetime',
    async () => {
      const before = await poolBits(LINK);
      const head = await f.redis.lrange(k(`pool:${LINK}`), 0, 3);
      const expiresAt = await f.redis.hget(k(`seg:${head[0]}`), 'expiresAt');
      await tamper(k(`seg:${head[1]}`));
      const r = await enc({ number: 3, size: 256 });
      expect(r.status).toBe(503);
      expect(r.body).toEqual({ message: INTEGRITY });
      voidedIds.push(head[1]!);
      expect(await poolBits(LINK)).toBe(before - 256);
      expect(await f.redis.lrange(k(`pool:${LINK}`), 0, 2)).toEqual([head[0], head[2], head[3]]);
      for (const id of [head[0], head[2]]) {
        expect(await f.redis.hgetall(k(`seg:${id}`))).toMatchObject({ link: LINK, bits: '256', state: 'available' });
        expect(await f.redis.hexists(k(`seg:${id}`), 'master')).toBe(0);
        expect(await f.redis.zscore(k('expiry'), `s:${id}`)).not.toBeNull();
      }
      expect(await f.redis.hget(k(`seg:${head[0]}`), 'expiresAt')).toBe(expiresAt);
      expect(await f.redis.exists(k(`seg:${head[1]}`))).toBe(0);
      const a = await lastAudit();
      expect(a.type).toBe('void');
      // Nothing was audited as delivered (the response never left), so only the voided unit is drawn.
      expect(a.data).toMatchObject({
        reason: 'integrity',
        side: 'master',
        voided: [{ keyId: head[1], link: LINK, bits: 256 }],
        drawn: { [LINK]: 256 },
        returnedKeyIds: [head[0], head[2]],
      });
      expect((await verifyAudit(f.redis, relay.prefix)).ok).toBe(true);
      const keys = await roundTrip({ number: 3, size: 256 });
      expect(keys.map((x) => x.key_ID)).toEqual([head[0], head[2], head[3]]);
      expect(await poolBits(LINK)).toBe(before - 256 - 768);
    },
  );

  it('dec_keys: a corrupt key bound to the slave is voided (JSON 503 naming it); others stay fetchable', async () => {
    const e = await enc({ number: 3 });
    expect(e.status).toBe(200);
    const ids = e.body.keys.map((x: { key_ID: string }) => x.key_ID) as string[];
    await tamper(k(`seg:${ids[1]}`));
    const r = await dec(ids);
    expect(r.status).toBe(503);
    expect(r.body).toEqual({ message: INTEGRITY, details: [{ voided_key_ID: ids[1] }] });
    voidedIds.push(ids[1]!);
    expect(await f.redis.exists(k(`seg:${ids[1]}`))).toBe(0);
    const a = await lastAudit();
    expect(a.type).toBe('void');
    expect(a.data).toMatchObject({
      reason: 'integrity',
      side: 'slave',
      master: 'sae-graz-a',
      slave: 'sae-matera-a',
      voided: [{ keyId: ids[1], bits: 256 }],
      restoredKeyIds: [ids[0], ids[2]],
    });
    // The voided key can never be served; the two others still reach their slave, once.
    expect((await etsi(port, 'sae-matera-a', 'GET', `/api/v1/keys/sae-graz-a/dec_keys?key_ID=${ids[1]}`)).body).toEqual(
      { message: 'one or more keys specified are not found on KME' },
    );
    const rest = await dec([ids[0]!, ids[2]!]);
    expect(rest.status).toBe(200);
    expect(rest.body.keys).toEqual([e.body.keys[0], e.body.keys[2]]);
    // Asked again: 503 (retry) for the few ms until the answer's lease settles, then 400 for good.
    let again = await dec([ids[0]!]);
    for (let i = 0; i < 50 && again.status === 503; i += 1) again = await dec([ids[0]!]);
    expect(again.status).toBe(400);
    for (const x of rest.body.keys) served.push(x.key);
    // GET ?key_ID= of one corrupt key: the same answer.
    const one = await enc({});
    await tamper(k(`seg:${one.body.keys[0].key_ID}`));
    const g = await etsi(
      port,
      'sae-matera-a',
      'GET',
      `/api/v1/keys/sae-graz-a/dec_keys?key_ID=${one.body.keys[0].key_ID}`,
    );
    expect(g.status).toBe(503);
    expect(g.body).toEqual({ message: INTEGRITY, details: [{ voided_key_ID: one.body.keys[0].key_ID }] });
    voidedIds.push(one.body.keys[0].key_ID);
    expect((await verifyAudit(f.redis, relay.prefix)).ok).toBe(true);
    await roundTrip({ number: 2, size: 256 });
  });

  it(
    'a segment sealed under another KEK fails a relay cleanly: outcome failed, the segment voided, ' +
      'the next relay works',
    async () => {
      await relay.sink.deposit('graz', 43_001, 8192, { source: 'test' });
      await relay.sink.deposit('xinglong', 43_001, 8192, { source: 'test' });
      const up = linkId('satellite', 'graz', 'sat-43001');
      const [first] = await f.redis.lrange(k(`pool:${up}`), 0, 0);
      const other = new Kek(randomBytes(32));
      const m = KeyMaterial.adopt(new Uint8Array(randomBytes(32)));
      await f.redis.hset(k(`seg:${first}`), 'ct', other.encrypt(m, first!));
      m.zeroise();
      const relayed = await request(app).post('/v1/relays').send({ from: 'graz', to: 'xinglong', bits: 1024 });
      expect(relayed.status).toBe(200);
      expect(relayed.body).toMatchObject({ outcome: 'failed', reason: INTEGRITY });
      voidedIds.push(first!);
      expect(await poolBits(up)).toBe(8192 - 256);
      expect(await poolBits(linkId('satellite', 'sat-43001', 'xinglong'))).toBe(8192);
      const a = await lastAudit();
      expect(a.data).toMatchObject({
        reason: 'integrity',
        voided: [{ segment: first, link: up, bits: 256 }],
        drawn: { [up]: 256 },
      });
      const again = await request(app).post('/v1/relays').send({ from: 'graz', to: 'xinglong', bits: 1024 });
      expect(again.body.outcome).toBe('relayed');
    },
  );

  it('the log names the voided IDs, never key bytes, and no request got a 500; the audit chain verifies', async () => {
    const all = logs.lines.join('\n');
    const events = logs.lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    const integrity = events.filter((l) => l.msg === 'stored key material failed its integrity check and was voided');
    expect(integrity).toHaveLength(4);
    for (const id of voidedIds.slice(0, 4)) expect(JSON.stringify(integrity)).toContain(id);
    expect(events.filter((l) => l.msg === 'etsi request' && l.status === 500)).toEqual([]);
    expect(events.filter((l) => l.msg === 'etsi request failed')).toEqual([]);
    expect(served.length).toBeGreaterThan(5);
    for (const key of served) {
      const bytes = Buffer.from(key, 'base64');
      for (const needle of [key, bytes.toString('hex'), bytes.subarray(0, 12).toString('hex')])
        expect(all.includes(needle)).toBe(false);
    }
    expect(all).not.toMatch(/"ct"/);
    const voids = [];
    for await (const e of readAudit(f.redis, relay.prefix))
      if (e.type === 'void' && e.data.reason === 'integrity') voids.push(e);
    expect(voids).toHaveLength(5);
    const v = await verifyAudit(f.redis, relay.prefix);
    expect(v.ok).toBe(true);
  });
});
