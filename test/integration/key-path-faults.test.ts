/**
 * The key path under the faults a real deployment meets, through a TCP fault proxy between the
 * service and Redis: a reply lost after Redis ran the command (ioredis reconnects and re-sends
 * it), a connection reset mid-command, replies delayed past the timeout; and ETSI clients that
 * hang up before their answer. After each: every key served reached exactly its (master, slave)
 * pair, once each, no bytes under two IDs; pool bits equal the audit balance; the audit verifies.
 */
import { randomBytes } from 'node:crypto';
import { connect as tlsConnect } from 'node:tls';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Redis } from 'ioredis';
import { readAudit, verifyAudit } from '../../relay/index.js';
import { KeyMaterial } from '../../relay/domain/key-material.js';
import { linkId } from '../../relay/domain/links.js';
import { MAX_RELAY_BITS } from '../../relay/http/relay.routes.js';
import { FaultProxy } from '../support/fault-proxy.js';
import { checkLedger, leasesSweptPast } from '../support/key-ledger.js';
import { etsi, fixture, logSink, serveRelay, testPki, type Fixture, type ServedRelay } from './relay-support.js';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const FIBRE = linkId('fibre', 'graz', 'matera');

describe('key path under lost replies, resets, stalls and hang-ups (fault proxy, real Redis)', () => {
  let proxy: FaultProxy;
  let f: Fixture;
  let s: ServedRelay;
  let direct: Redis;
  const logs = logSink();
  /** Every key a master received: key_ID -> { bytes, master, slave } and how often slaves got it. */
  const served = new Map<string, { key: string; master: string; slave: string; slaveGot: number }>();

  const enc = (master: string, slave: string, body: unknown = { number: 1 }) =>
    etsi(s.port, master, 'POST', `/api/v1/keys/${slave}/enc_keys`, body);
  const dec = (slave: string, master: string, ids: string[]) =>
    etsi(s.port, slave, 'POST', `/api/v1/keys/${master}/dec_keys`, { key_IDs: ids.map((key_ID) => ({ key_ID })) });
  const record = (master: string, slave: string, keys: { key_ID: string; key: string }[]) => {
    for (const k of keys) {
      expect(served.has(k.key_ID)).toBe(false);
      served.set(k.key_ID, { key: k.key, master, slave, slaveGot: 0 });
    }
  };
  const fetchBySlave = async (ids: string[]) => {
    const e = served.get(ids[0]!)!;
    const r = await dec(e.slave, e.master, ids);
    expect(r.status).toBe(200);
    for (const k of r.body.keys as { key_ID: string; key: string }[]) {
      const mine = served.get(k.key_ID)!;
      expect(k.key).toBe(mine.key);
      mine.slaveGot += 1;
    }
  };
  const expectConsistent = async () => {
    const report = await checkLedger(direct, s.relay.prefix);
    expect(report.problems).toEqual([]);
    expect((await verifyAudit(direct, s.relay.prefix)).ok).toBe(true);
    const bytes = [...served.values()].map((v) => v.key);
    expect(new Set(bytes).size).toBe(bytes.length);
    for (const v of served.values()) expect(v.slaveGot).toBeLessThanOrEqual(1);
  };

  beforeAll(async () => {
    const u = new URL(REDIS_URL);
    proxy = await FaultProxy.start({ host: u.hostname, port: Number(u.port || 6379) });
    f = fixture({}, { REDIS_URL: proxy.url });
    direct = new Redis(REDIS_URL);
    s = await serveRelay(f, logs);
  });

  afterAll(async () => {
    await s.close();
    await f.cleanup();
    await proxy.close();
    direct.disconnect();
  });

  it('a deposit whose reply is lost is stored once (regression: its segments were listed twice)', async () => {
    proxy.dropReply('fault-deposit-1');
    const m = KeyMaterial.adopt(new Uint8Array(randomBytes((64 * 32) / 8)));
    const r = await s.relay.store.deposit(FIBRE, { kind: 'fibre', a: 'graz', b: 'matera' }, m, {
      source: 'fault-deposit-1',
    });
    m.zeroise();
    expect(proxy.fired['drop-reply']).toBe(1);
    expect(r.bits).toBe(64 * 32);
    expect(Number(await direct.hget(`${s.relay.prefix}poolbits`, FIBRE))).toBe(64 * 32);
    expect(await direct.llen(`${s.relay.prefix}pool:${FIBRE}`)).toBe(32 / 4);
    const deposits = [];
    for await (const e of readAudit(direct, s.relay.prefix)) if (e.type === 'deposit') deposits.push(e);
    expect(deposits).toHaveLength(1);
    await expectConsistent();
  });

  it('two SAE pairs on that pool get disjoint keys, each only to its own slave (overlap regression)', async () => {
    await s.depositFibre(64 * 256);
    const pairs = [
      ['sae-graz-a', 'sae-matera-a'],
      ['sae-graz-b', 'sae-matera-b'],
    ] as const;
    const got = await Promise.all(
      pairs.flatMap(([m, sl]) =>
        Array.from({ length: 12 }, async () => {
          const r = await enc(m, sl, { number: 2 });
          expect(r.status).toBe(200);
          return { m, sl, keys: r.body.keys as { key_ID: string; key: string }[] };
        }),
      ),
    );
    for (const g of got) record(g.m, g.sl, g.keys);
    // A slave of the other pair cannot take them; the bound slave gets each once.
    const [first] = got;
    expect((await dec('sae-matera-b', 'sae-graz-a', [first!.keys[0]!.key_ID])).status).toBeGreaterThanOrEqual(400);
    for (const g of got) await fetchBySlave(g.keys.map((k) => k.key_ID));
    await expectConsistent();
  });

  it(
    'enc_keys and dec_keys whose replies are lost, or whose connection resets mid-script, answer ' +
      'once and serve once',
    async () => {
      await s.depositFibre(16 * 256);
      proxy.dropReply('sae-graz-b');
      const e1 = await enc('sae-graz-b', 'sae-matera-b');
      proxy.resetAfterSend('sae-graz-a');
      const e2 = await enc('sae-graz-a', 'sae-matera-a');
      for (const [r, m, sl] of [
        [e1, 'sae-graz-b', 'sae-matera-b'],
        [e2, 'sae-graz-a', 'sae-matera-a'],
      ] as const) {
        // Either the re-sent script answered its first outcome (200), or the outcome was unknown (503, retry).
        expect([200, 503]).toContain(r.status);
        if (r.status === 200) record(m, sl, r.body.keys);
      }
      const e3 = await enc('sae-graz-a', 'sae-matera-a', { number: 2 });
      record('sae-graz-a', 'sae-matera-a', e3.body.keys);
      proxy.dropReply('sae-matera-a');
      await fetchBySlave(e3.body.keys.map((k: { key_ID: string }) => k.key_ID));
      expect(proxy.fired['drop-reply']).toBeGreaterThanOrEqual(3);
      expect(proxy.fired.reset).toBeGreaterThanOrEqual(1);
      await leasesSweptPast(direct, s.relay.prefix, Date.now()); // unknown outcomes are settled
      await expectConsistent();
    },
  );

  it('replies delayed past the timeout: ETSI and REST answer 503 within a second, then recover', async () => {
    await s.depositFibre(8 * 256);
    proxy.delayReplies(3000);
    const t0 = performance.now();
    const [st, e, ready, pools] = await Promise.all([
      etsi(s.port, 'sae-graz-a', 'GET', '/api/v1/keys/sae-matera-a/status'),
      enc('sae-graz-a', 'sae-matera-a'),
      request(s.app).get('/health/ready'),
      request(s.app).get('/v1/keys/pools'),
    ]);
    const took = performance.now() - t0;
    proxy.delayReplies(0);
    expect(st.status).toBe(503);
    expect(st.headers['retry-after']).toBeDefined();
    expect(e.status).toBe(503);
    expect(ready.status).toBe(503);
    expect(pools.status).toBe(503);
    expect(took).toBeLessThan(1500);
    // delayed replies drain; the delayed enc_keys' lease is settled (voided)
    await leasesSweptPast(direct, s.relay.prefix, Date.now() + 3000);
    const again = await enc('sae-graz-a', 'sae-matera-a');
    expect(again.status).toBe(200);
    record('sae-graz-a', 'sae-matera-a', again.body.keys);
    await fetchBySlave(again.body.keys.map((k: { key_ID: string }) => k.key_ID));
    await leasesSweptPast(direct, s.relay.prefix, Date.now());
    await expectConsistent();
  });

  it('a relay and a pass deposit whose replies are lost take effect once', async () => {
    await s.relay.sink.deposit('graz', 43_002, 64 * 256, { source: 'test' });
    await s.relay.sink.deposit('xinglong', 43_002, 64 * 256, { source: 'test' });
    proxy.dropReply('"from":"graz","to":"xinglong"');
    const r = await request(s.app).post('/v1/relays').send({ from: 'graz', to: 'xinglong', bits: 4096 });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ outcome: 'relayed', relayedBits: 4096 });
    expect(Number(await direct.hget(`${s.relay.prefix}poolbits`, 'relayed:graz~xinglong'))).toBe(4096);
    // A pass deposit re-run by a takeover worker (same depositId), one reply lost: one block.
    proxy.dropReply('pass:booking-7');
    const first = await s.relay.sink.deposit('matera', 43_002, 2048, {
      source: 'pass',
      passId: 'booking-7',
      depositId: 'pass:booking-7',
    });
    const second = await s.relay.sink.deposit('matera', 43_002, 2048, {
      source: 'pass',
      passId: 'booking-7',
      depositId: 'pass:booking-7',
    });
    expect(second).toEqual(first);
    expect(Number(await direct.hget(`${s.relay.prefix}poolbits`, linkId('satellite', 'matera', 'sat-43002')))).toBe(
      2048,
    );
    await expectConsistent();
  });

  it(
    'a client that hangs up before its dec_keys answer gets the keys on retry; enc_keys keys it ' +
      'never saw are voided',
    async () => {
      await s.depositFibre(8 * 256);
      const e = await enc('sae-graz-a', 'sae-matera-a', { number: 2 });
      record('sae-graz-a', 'sae-matera-a', e.body.keys);
      const ids = e.body.keys.map((k: { key_ID: string }) => k.key_ID) as string[];
      const hangUp = async (sae: string, path: string, body: string) => {
        const cred = testPki().certs.get(sae)!;
        const sock = tlsConnect({
          host: '127.0.0.1',
          port: s.port,
          ca: testPki().ca.cert,
          cert: cred.cert,
          key: cred.key,
          servername: 'localhost',
        });
        await new Promise((r) => sock.once('secureConnect', r));
        sock.write(
          `POST ${path} HTTP/1.1\r\nhost: kme\r\ncontent-type: application/json\r\ncontent-length: ` +
            `${Buffer.byteLength(body)}\r\n\r\n${body}`,
        );
        sock.destroy();
      };
      await hangUp(
        'sae-matera-a',
        '/api/v1/keys/sae-graz-a/dec_keys',
        JSON.stringify({ key_IDs: ids.map((key_ID) => ({ key_ID })) }),
      );
      await hangUp('sae-graz-b', '/api/v1/keys/sae-matera-b/enc_keys', '{"number":3}');
      await leasesSweptPast(direct, s.relay.prefix, Date.now());
      await fetchBySlave(ids);
      const audit = [];
      for await (const a of readAudit(direct, s.relay.prefix)) audit.push(a);
      const settled = audit.filter(
        (a) => (a.type === 'release' || a.type === 'void') && (a.data as { master?: string }).master !== undefined,
      );
      expect(settled.some((a) => a.type === 'release' && (a.data.keyIds as string[]).includes(ids[0]!))).toBe(true);
      expect(
        settled.some(
          (a) => a.type === 'void' && a.data.master === 'sae-graz-b' && (a.data.voidedKeyIds as string[]).length === 3,
        ),
      ).toBe(true);
      await expectConsistent();
    },
  );

  it('a relay of the largest allowed size succeeds in bounded chunks; the process keeps serving', async () => {
    const bits = MAX_RELAY_BITS;
    await s.relay.sink.deposit('graz', 43_003, bits, { source: 'test' });
    await s.relay.sink.deposit('xinglong', 43_003, bits, { source: 'test' });
    const r = await request(s.app).post('/v1/relays').send({ from: 'graz', to: 'xinglong', bits });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ outcome: 'relayed', relayedBits: bits });
    expect((await etsi(s.port, 'sae-graz-a', 'GET', '/api/v1/keys/sae-matera-a/status')).status).toBe(200);
    const tooBig = await request(s.app)
      .post('/v1/relays')
      .send({ from: 'graz', to: 'xinglong', bits: bits + 8 });
    expect(tooBig.status).toBe(400);
    await expectConsistent();
  }, 120_000);
});
