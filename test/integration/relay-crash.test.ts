import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { KeyMaterial } from '../../relay/domain/key-material.js';
import { linkId } from '../../relay/domain/links.js';
import { deliveriesOf, openRelay, readAudit, verifyAudit } from '../../relay/index.js';
import { closeAgents, etsi, fixture } from './relay-support.js';

const here = dirname(fileURLToPath(import.meta.url));
const LINK = linkId('fibre', 'graz', 'matera');

function startChild(env: Record<string, string>): Promise<{ child: ChildProcess; kmePort: number; restPort: number }> {
  const child = spawn(process.execPath, ['--import', 'tsx', join(here, 'relay-child.ts')], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (c: Buffer) => {
      out += c.toString();
      const line = out.split('\n')[0];
      if (out.includes('\n')) resolve({ child, ...(JSON.parse(line!) as { kmePort: number; restPort: number }) });
    });
    child.once('exit', (code) => reject(new Error(`child exited ${code}`)));
  });
}

describe('crash: SIGKILL in the middle of deliveries and relays, restart on the same Redis', () => {
  const f = fixture({ keys: { segmentBits: 1024, reservationTimeoutMs: 500, leaseTimeoutMs: 1000 } });
  afterAll(async () => {
    closeAgents();
    await f.cleanup();
  });

  it('no key is delivered twice and none is lost without an audit record', async () => {
    const core = openRelay({ config: f.config, redis: f.redis });
    const m = KeyMaterial.adopt(new Uint8Array(randomBytes(400_000 / 8)));
    await core.store.deposit(LINK, { kind: 'fibre', a: 'graz', b: 'matera' }, m, {});
    m.zeroise();
    await core.sink.deposit('graz', 99_001, 200_000, { source: 'test' });
    await core.sink.deposit('xinglong', 99_001, 200_000, { source: 'test' });

    const first = await startChild(f.env);
    const masterGot = new Map<string, string>();
    const slaveGot = new Map<string, number>();
    let stop = false;
    const worker = async (i: number) => {
      const [master, slave] = i % 2 ? ['sae-graz-a', 'sae-matera-a'] : ['sae-matera-b', 'sae-graz-b'];
      while (!stop) {
        try {
          const enc = await etsi(first.kmePort, master, 'POST', `/api/v1/keys/${slave}/enc_keys`, {
            number: 2,
            size: i % 4 < 2 ? 256 : 1024,
          });
          if (enc.status !== 200) continue;
          for (const k of enc.body.keys) masterGot.set(k.key_ID, `${master}>${slave}:${k.key}`);
          const dec = await etsi(first.kmePort, slave, 'POST', `/api/v1/keys/${master}/dec_keys`, {
            key_IDs: enc.body.keys.map((k: { key_ID: string }) => ({ key_ID: k.key_ID })),
          });
          if (dec.status === 200)
            for (const k of dec.body.keys) slaveGot.set(k.key_ID, (slaveGot.get(k.key_ID) ?? 0) + 1);
        } catch {
          return; // the process died under us
        }
      }
    };
    const relayer = async () => {
      while (!stop) {
        try {
          await fetch(`http://127.0.0.1:${first.restPort}/v1/relays`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ from: 'graz', to: 'xinglong', bits: 2048 }),
          });
        } catch {
          return;
        }
      }
    };
    const running = [...Array.from({ length: 16 }, (_, i) => worker(i)), relayer(), relayer()];
    // Kill once traffic is flowing (both the reserve/commit and the one-step paths), whatever the machine's load.
    for (let t = 0; masterGot.size < 300 && t < 100; t += 1) await new Promise((r) => setTimeout(r, 100));
    first.child.kill('SIGKILL');
    const killedAt = Date.now();
    stop = true;
    await Promise.all(running);
    closeAgents();
    expect(masterGot.size).toBeGreaterThan(20);

    const second = await startChild(f.env);
    try {
      // After the reservation and lease timeouts the restarted service has released what the dead
      // one held and settled its leases (the sweep's cursor passes the second it was killed).
      for (let t = 0; t < 150; t += 1) {
        if (Number(await f.redis.get(`${core.prefix}lease:cursor`)) > killedAt / 1000 + 1) break;
        await new Promise((r) => setTimeout(r, 100));
      }
      expect(await f.redis.zcard(`${core.prefix}reservations`)).toBe(0);
      // Every key a master got is audited as delivered, or (its lease left unsettled by the dead
      // process) voided. Its slave can fetch it unless the slave's delivery was audited or the key
      // voided; a slave-side lease the dead process left is released, so its slave may fetch again
      // the same bytes (never anyone else).
      const audit = [];
      for await (const e of readAudit(f.redis, core.prefix)) audit.push(e);
      const delivered = audit.flatMap(deliveriesOf);
      const slaveAudited = new Set(delivered.filter((d) => d.side === 'slave').flatMap((d) => d.keyIds));
      const masterAudited = new Set([
        ...delivered.filter((d) => d.side === 'master').flatMap((d) => d.keyIds),
        ...audit
          .filter((e) => e.type === 'void')
          .flatMap((e) => (e.data.deliveredKeyIds as string[] | undefined) ?? []),
      ]);
      const voided = new Set(
        audit.filter((e) => e.type === 'void').flatMap((e) => (e.data.voidedKeyIds as string[] | undefined) ?? []),
      );
      for (const [id, v] of masterGot) {
        expect(masterAudited.has(id) || voided.has(id)).toBe(true);
        expect(slaveGot.get(id) ?? 0).toBeLessThanOrEqual(1);
        const [pair, key] = v.split(':') as [string, string];
        const [master, slave] = pair.split('>') as [string, string];
        // 503 (retry) while a lease of the dead process still holds the key: the sweep binds it again.
        let again = await etsi(second.kmePort, slave, 'GET', `/api/v1/keys/${master}/dec_keys?key_ID=${id}`);
        for (let i = 0; i < 50 && again.status === 503; i += 1) {
          await new Promise((r) => setTimeout(r, 100));
          again = await etsi(second.kmePort, slave, 'GET', `/api/v1/keys/${master}/dec_keys?key_ID=${id}`);
        }
        if (slaveAudited.has(id) || voided.has(id)) {
          expect(again.status, again.text).toBe(400);
        } else {
          expect(again.status, again.text).toBe(200);
          expect(again.body.keys[0].key).toBe(key);
        }
      }
      // Conservation per link: deposited + relayed in + returned (integrity voids undoing a take)
      // = stored now + drawn (deliveries, relays, voids) + expired.
      const acc = new Map<string, number>();
      const add = (l: string, b: number) => acc.set(l, (acc.get(l) ?? 0) + b);
      for (const e of audit) {
        if (e.type === 'deposit') add(e.data.link as string, e.data.bits as number);
        if (e.type === 'relay')
          add(linkId('relayed', e.data.from as string, e.data.to as string), e.data.bits as number);
        if (['relay', 'void'].includes(e.type) && e.data.drawn)
          for (const [l, b] of Object.entries(e.data.drawn as Record<string, number>)) add(l, -b);
        for (const d of deliveriesOf(e)) for (const [l, b] of Object.entries(d.drawn ?? {})) add(l, -b);
        if (e.type === 'void' && e.data.returned)
          for (const [l, b] of Object.entries(e.data.returned as Record<string, number>)) add(l, b);
        if (e.type === 'expire' && e.data.link) add(e.data.link as string, -(e.data.bits as number));
      }
      console.log(
        `crash test: ${masterGot.size} keys to masters before SIGKILL, ` +
          `${audit.filter((e) => e.type === 'release').length} reservations released after restart, ` +
          `${audit.filter((e) => e.type === 'relay').length} relays`,
      );
      const stats = await core.store.poolStats();
      for (const s of stats) expect(s.storedBits, s.link).toBe(acc.get(s.link) ?? 0);
      expect(audit.some((e) => e.type === 'relay')).toBe(true);
      expect((await verifyAudit(f.redis, core.prefix)).ok).toBe(true);
    } finally {
      second.child.kill('SIGTERM');
    }
  });
});
