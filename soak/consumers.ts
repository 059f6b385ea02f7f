/**
 * ETSI GS QKD 014 consumers at several stations: each (master, slave) pair draws keys continuously,
 * the master by enc_keys, the slave by dec_keys with the IDs the master got (handed over in memory,
 * as the SAEs' own protocol would). Each key is recorded by ID and the SHA-256 of its bytes; the
 * bytes themselves are dropped at once. A slave retries IDs it has not received (503, resets,
 * killed KME) until it gets them or the KME refuses them (then the checker wants a void record).
 * `hangUp` is the injected consumer that sends a complete request and resets the connection
 * without reading the answer.
 */
import { createHash, randomUUID } from 'node:crypto';
import { connect as netConnect } from 'node:net';
import { connect as tlsConnect } from 'node:tls';
import type { EtsiClient, Traffic } from './clients.js';
import type { Rng } from './rng.js';

export interface Pair {
  master: string;
  slave: string;
}

export interface KeyRecord {
  keyId: string;
  master: string;
  slave: string;
  /** SHA-256 (hex) of the bytes the master got. */
  masterHash: string;
  /** How often the master got this ID (must be 1). */
  masterGot: number;
  /** Hashes the slave got for this ID (must be exactly [masterHash]). */
  slaveHashes: string[];
  /** The KME answered 400 for this ID alone (then the audit must void it). */
  refused: boolean;
  /** This ID was in a dec_keys request the consumer hung up on. */
  hungUp: boolean;
}

export interface HangUp {
  kind: 'enc' | 'dec';
  sae: string;
  master: string;
  slave: string;
  path: string;
  keyIds: string[];
  sentAtMs: number;
  resetAtMs: number;
}

/** A key a consumer got that is not a record's expected delivery (wrong SAE, unknown ID). */
export interface StrayKey {
  sae: string;
  keyId: string;
  hash: string;
  via: string;
}

const sha = (b64: string): string => {
  const buf = Buffer.from(b64, 'base64');
  const h = createHash('sha256').update(buf).digest('hex');
  buf.fill(0);
  return h;
};
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export class Consumers {
  readonly keys = new Map<string, KeyRecord>();
  readonly strays: StrayKey[] = [];
  /** Per pair, IDs the slave still has to fetch. */
  private readonly pending = new Map<string, string[]>();
  private stopMasters = false;
  private stopAll = false;
  private loops: Promise<void>[] = [];
  hangUps = { enc: 0, dec: 0 };
  /**
   * Each injected hang-up: who, what, and when the connection was reset (the checker asks the KME's log whether it had
   * written the answer by then).
   */
  readonly hangUpLog: HangUp[] = [];

  constructor(
    private readonly etsi: EtsiClient,
    private readonly pairs: Pair[],
    private readonly book: Traffic,
    private readonly rng: Rng,
  ) {
    for (const p of pairs) this.pending.set(this.pairKey(p), []);
  }

  private pairKey(p: Pair): string {
    return `${p.master}>${p.slave}`;
  }

  start(): void {
    for (const p of this.pairs) {
      this.loops.push(this.masterLoop(p), this.slaveLoop(p));
    }
  }

  pendingCount(): number {
    let n = 0;
    for (const v of this.pending.values()) n += v.length;
    return n;
  }

  /** Stops drawing new keys; slaves go on fetching what is pending until `timeoutMs`. */
  async drain(timeoutMs: number): Promise<void> {
    this.stopMasters = true;
    const until = Date.now() + timeoutMs;
    while (this.pendingCount() > 0 && Date.now() < until) await sleep(200);
    this.stopAll = true;
    await Promise.all(this.loops);
  }

  private recordMaster(p: Pair, keys: { key_ID: string; key: string }[]): void {
    for (const k of keys) {
      const hash = sha(k.key);
      const r = this.keys.get(k.key_ID);
      if (r) {
        r.masterGot += 1;
        this.strays.push({ sae: p.master, keyId: k.key_ID, hash, via: 'enc_keys (ID served twice)' });
        continue;
      }
      this.keys.set(k.key_ID, {
        keyId: k.key_ID,
        master: p.master,
        slave: p.slave,
        masterHash: hash,
        masterGot: 1,
        slaveHashes: [],
        refused: false,
        hungUp: false,
      });
      this.pending.get(this.pairKey(p))!.push(k.key_ID);
    }
  }

  private recordSlave(p: Pair, keys: { key_ID: string; key: string }[]): void {
    for (const k of keys) {
      const hash = sha(k.key);
      const r = this.keys.get(k.key_ID);
      if (!r || r.slave !== p.slave || r.master !== p.master) {
        this.strays.push({ sae: p.slave, keyId: k.key_ID, hash, via: 'dec_keys' });
        continue;
      }
      r.slaveHashes.push(hash);
    }
  }

  private async masterLoop(p: Pair): Promise<void> {
    while (!this.stopMasters) {
      const size = this.rng.pick([256, 256, 256, 256, 512, 128]);
      const number = this.rng.int(1, 4);
      const r = await this.etsi.call(
        p.master,
        {
          method: 'POST',
          path: `/api/v1/keys/${p.slave}/enc_keys`,
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ number, size }),
        },
        this.book,
        'enc_keys',
      );
      if (r.status === 200) this.recordMaster(p, (r.body as { keys?: { key_ID: string; key: string }[] })?.keys ?? []);
      await sleep(r.status === 200 ? this.rng.int(40, 160) : this.rng.int(200, 600));
    }
  }

  private async slaveLoop(p: Pair): Promise<void> {
    const queue = this.pending.get(this.pairKey(p))!;
    while (!this.stopAll) {
      if (queue.length === 0) {
        await sleep(100);
        continue;
      }
      const batch = queue.slice(0, this.rng.int(1, 6));
      const r = await this.dec(p, batch);
      if (r === 'ok') queue.splice(0, batch.length);
      else if (r === 'refused') {
        // Ask for each alone: the ones refused alone are final (voided or gone: the checker decides).
        for (const id of batch) {
          const one = await this.dec(p, [id]);
          if (one === 'ok' || one === 'refused') {
            if (one === 'refused') this.keys.get(id)!.refused = true;
            const i = queue.indexOf(id);
            if (i >= 0) queue.splice(i, 1);
          }
        }
      } else await sleep(this.rng.int(200, 500));
      await sleep(this.rng.int(20, 80));
    }
  }

  private async dec(p: Pair, ids: string[]): Promise<'ok' | 'refused' | 'retry'> {
    const r = await this.etsi.call(
      p.slave,
      {
        method: 'POST',
        path: `/api/v1/keys/${p.master}/dec_keys`,
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ key_IDs: ids.map((key_ID) => ({ key_ID })) }),
      },
      this.book,
      'dec_keys',
    );
    if (r.status === 200) {
      this.recordSlave(p, (r.body as { keys?: { key_ID: string; key: string }[] })?.keys ?? []);
      return 'ok';
    }
    if (r.status === 400) return 'refused';
    return 'retry';
  }

  /**
   * The injected hang-up: a complete enc_keys or dec_keys request on a fresh TLS connection, reset
   * (RST) at once without reading the answer. dec_keys uses IDs the slave is waiting for: they must
   * stay retrievable (bound again), never "delivered" and gone.
   */
  async hangUp(kind: 'enc' | 'dec'): Promise<boolean> {
    const candidates = this.pairs.filter((p) => kind === 'enc' || this.pending.get(this.pairKey(p))!.length > 0);
    if (candidates.length === 0) return false;
    const p = this.rng.pick(candidates);
    const sae = kind === 'enc' ? p.master : p.slave;
    let body: string,
      path: string,
      keyIds: string[] = [];
    if (kind === 'enc') {
      body = JSON.stringify({ number: 2 });
      path = `/api/v1/keys/${p.slave}/enc_keys`;
    } else {
      const ids = this.pending.get(this.pairKey(p))!.slice(0, 3);
      keyIds = ids;
      for (const id of ids) this.keys.get(id)!.hungUp = true;
      body = JSON.stringify({ key_IDs: ids.map((key_ID) => ({ key_ID })) });
      path = `/api/v1/keys/${p.master}/dec_keys`;
    }
    const sentAtMs = Date.now();
    let resetAtMs = 0;
    const ok = await new Promise<boolean>((resolve) => {
      const raw = netConnect(this.etsi.port, '127.0.0.1');
      raw.on('error', () => resolve(false));
      const s = tlsConnect({ socket: raw, ...this.etsi.tlsOf(sae) }, () => {
        s.write(
          `POST ${path} HTTP/1.1\r\nhost: localhost\r\ncontent-type: application/json\r\ncontent-length: ` +
            `${Buffer.byteLength(body)}\r\nx-soak-hangup: ${randomUUID()}\r\n\r\n${body}`,
          () => {
            resetAtMs = Date.now();
            raw.resetAndDestroy();
            resolve(true);
          },
        );
      });
      s.on('error', () => resolve(false));
      s.setTimeout(5000, () => {
        raw.destroy();
        resolve(false);
      });
    });
    if (ok) {
      this.hangUps[kind] += 1;
      this.hangUpLog.push({ kind, sae, master: p.master, slave: p.slave, path, keyIds, sentAtMs, resetAtMs });
    }
    return ok;
  }
}
