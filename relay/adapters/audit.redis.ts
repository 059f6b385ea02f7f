/**
 * Reading and verifying the audit stream written by the Lua scripts (lua/audit.lua): every entry's
 * `prev` is the previous entry's `hash`, `hash = sha1(prev|seq|at|type|data)` and `seq` counts up
 * from 1. The chain detects edits, deletions and reordering of entries. It is computed in Lua, which
 * has only SHA-1 and no key, so someone able to rewrite the whole stream could rebuild it; the relay
 * therefore seals the chain every few seconds (`sealAudit`): an HMAC-SHA256, under a key derived from
 * the KEK (never in Redis), of (seq, head) appended to `audit:seals`. A rebuilt or truncated chain no
 * longer matches its seals, and seals cannot be forged without the KEK.
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { Redis } from 'ioredis';
import { execAll } from '../../src/platform/redis.js';

export interface AuditEntry {
  id: string;
  seq: number;
  at: number;
  type: string;
  data: Record<string, unknown>;
  prev: string;
  hash: string;
}

/** One lease settled as sent, as a `deliver` entry lists it (key IDs, never bytes). */
export interface Delivery {
  side: 'master' | 'slave';
  master: string;
  slave: string;
  keyIds: string[];
  route?: string;
  sizeBits?: number;
  drawn?: Record<string, number>;
}

/** The deliveries a `deliver` entry records (one entry per settled batch); none for other types. */
export const deliveriesOf = (entry: AuditEntry): Delivery[] =>
  entry.type === 'deliver' ? ((entry.data.deliveries as Delivery[]) ?? []) : [];

export interface AuditVerdict {
  ok: boolean;
  entries: number;
  head: string;
  /** The first broken entry, when not ok. */
  brokenAt?: { id: string; seq: number; reason: string };
  /** Seals checked (when verified with the seal key) and the last sequence number they cover. */
  seals?: number;
  sealedThroughSeq?: number;
}

const sealMac = (key: Uint8Array, seq: number, head: string) =>
  createHmac('sha256', key).update(`qkdsat audit seal|${seq}|${head}`).digest('hex');

/** Appends a seal of the chain's current head, unless the newest seal already covers it. Returns the sealed seq. */
export async function sealAudit(
  redis: Redis,
  prefix: string,
  key: Uint8Array,
  now: number,
): Promise<number | undefined> {
  const [head, seqText] = (await execAll(redis.multi().get(`${prefix}audit:head`).get(`${prefix}audit:seq`))) as (
    string | null
  )[];
  const seq = Number(seqText ?? 0);
  if (!head || !(seq > 0)) return undefined;
  const last = (await redis.xrevrange(`${prefix}audit:seals`, '+', '-', 'COUNT', 1)) as [string, string[]][];
  if (last[0] && Number(fieldMap(last[0][1]).seq) >= seq) return undefined;
  await redis.xadd(
    `${prefix}audit:seals`,
    '*',
    'seq',
    String(seq),
    'head',
    head,
    'at',
    String(now),
    'mac',
    sealMac(key, seq, head),
  );
  return seq;
}

async function readSeals(
  redis: Redis,
  prefix: string,
): Promise<{ id: string; seq: number; head: string; mac: string }[]> {
  const rows = (await redis.xrange(`${prefix}audit:seals`, '-', '+')) as [string, string[]][];
  return rows.map(([id, fields]) => {
    const f = fieldMap(fields);
    return { id, seq: Number(f.seq), head: f.head ?? '', mac: f.mac ?? '' };
  });
}

/** A stream entry's flat [field, value, ...] list as a record. */
function fieldMap(fields: string[]): Record<string, string> {
  const f: Record<string, string> = {};
  for (let i = 0; i < fields.length; i += 2) f[fields[i]!] = fields[i + 1]!;
  return f;
}

function toEntry(id: string, fields: string[]): AuditEntry & { rawData: string } {
  const f = fieldMap(fields);
  let data: Record<string, unknown> = {};
  try {
    data = JSON.parse(f.data ?? '{}') as Record<string, unknown>;
  } catch {
    data = {};
  }
  return {
    id,
    seq: Number(f.seq),
    at: Number(f.at),
    type: f.type ?? '',
    data,
    rawData: f.data ?? '',
    prev: f.prev ?? '',
    hash: f.hash ?? '',
  };
}

export async function* readAudit(
  redis: Redis,
  prefix: string,
  batch = 1000,
): AsyncGenerator<AuditEntry & { rawData: string }> {
  let start = '-';
  for (;;) {
    const rows = (await redis.xrange(`${prefix}audit`, start, '+', 'COUNT', batch)) as [string, string[]][];
    for (const [id, fields] of rows) yield toEntry(id, fields);
    if (rows.length < batch) return;
    start = `(${rows[rows.length - 1]![0]}`;
  }
}

/**
 * Checks the chain; with the seal key also every seal (its MAC, and that the chain entry it names
 * still has the sealed hash), so a rebuilt or truncated chain is caught.
 */
export async function verifyAudit(redis: Redis, prefix: string, sealKey?: Uint8Array): Promise<AuditVerdict> {
  const seals = sealKey ? await readSeals(redis, prefix) : [];
  for (const s of seals) {
    const want = Buffer.from(sealMac(sealKey!, s.seq, s.head), 'hex'),
      got = Buffer.from(s.mac, 'hex');
    if (got.length !== want.length || !timingSafeEqual(got, want))
      return {
        ok: false,
        entries: 0,
        head: '',
        brokenAt: { id: s.id, seq: s.seq, reason: 'seal MAC does not verify (forged seal, or another KEK)' },
        seals: seals.length,
      };
  }
  const sealedHead = new Map(seals.map((s) => [s.seq, s]));
  const sealInfo = sealKey
    ? { seals: seals.length, sealedThroughSeq: seals.reduce((m, s) => Math.max(m, s.seq), 0) }
    : {};
  // The chain as of one instant (head and seq read together): entries appended while it is read are
  // the next verification's, so a service writing meanwhile never looks like a broken chain.
  const snap = (await execAll(redis.multi().get(`${prefix}audit:head`).get(`${prefix}audit:seq`))) as (string | null)[];
  const head = snap[0] ?? 'genesis';
  const headSeq = Number(snap[1] ?? 0);
  let prev = 'genesis';
  let n = 0;
  for await (const e of readAudit(redis, prefix)) {
    if (n >= headSeq) break;
    n += 1;
    const seal = sealedHead.get(n);
    if (seal && e.hash !== seal.head)
      return {
        ok: false,
        entries: n,
        head: prev,
        brokenAt: { id: e.id, seq: n, reason: `entry ${n} differs from its seal (chain rewritten)` },
        ...sealInfo,
      };
    const expected = createHash('sha1').update(`${e.prev}|${e.seq}|${e.at}|${e.type}|${e.rawData}`).digest('hex');
    const reason =
      e.seq !== n
        ? `seq ${e.seq} where ${n} was expected`
        : e.prev !== prev
          ? 'prev does not match the previous hash'
          : e.hash !== expected
            ? 'hash does not match the entry'
            : undefined;
    if (reason) return { ok: false, entries: n, head: prev, brokenAt: { id: e.id, seq: e.seq, reason } };
    prev = e.hash;
  }
  if (head !== prev)
    return {
      ok: false,
      entries: n,
      head: prev,
      brokenAt: {
        id: '-',
        seq: n + 1,
        reason: 'audit:head does not match the last entry (entries removed from the end?)',
      },
      ...sealInfo,
    };
  const beyond = seals.find((s) => s.seq > n);
  if (beyond)
    return {
      ok: false,
      entries: n,
      head: prev,
      brokenAt: {
        id: beyond.id,
        seq: beyond.seq,
        reason: `a seal covers entry ${beyond.seq} but the chain ends at ${n} (entries removed)`,
      },
      ...sealInfo,
    };
  return { ok: true, entries: n, head, ...sealInfo };
}

/** An audit entry as the dashboard draws it: what moved, between whom, how many bits (never key IDs or bytes). */
export interface KeyEvent {
  at: number;
  type: 'deposit' | 'relay' | 'deliver' | 'expire' | 'void';
  bits: number;
  link?: string;
  /** Bits taken from each pool (relay, deliver, void). */
  drawn?: Record<string, number>;
  from?: string;
  to?: string;
  outcome?: string;
  master?: string;
  slave?: string;
  reason?: string;
}

const sumOf = (o: unknown): number =>
  o && typeof o === 'object' ? Object.values(o as Record<string, number>).reduce((s, v) => s + (Number(v) || 0), 0) : 0;

/** The last `limit` key movements, oldest first (reservations, releases and seals left out). */
export async function recentKeyEvents(redis: Redis, prefix: string, limit: number): Promise<KeyEvent[]> {
  const rows = (await redis.xrevrange(`${prefix}audit`, '+', '-', 'COUNT', limit)) as [string, string[]][];
  const out: KeyEvent[] = [];
  for (const [id, fields] of rows.reverse()) {
    const e = toEntry(id, fields);
    const d = e.data;
    const num = (v: unknown) => (typeof v === 'number' ? v : 0);
    const str = (v: unknown) => (typeof v === 'string' ? v : undefined);
    const drawn = d.drawn && typeof d.drawn === 'object' ? (d.drawn as Record<string, number>) : undefined;
    switch (e.type) {
      case 'deposit':
        out.push({ at: e.at, type: 'deposit', bits: num(d.bits), link: str(d.link) ?? 'unknown' });
        break;
      case 'relay':
        out.push({
          at: e.at,
          type: 'relay',
          bits: num(d.bits),
          from: str(d.from) ?? '',
          to: str(d.to) ?? '',
          outcome: str(d.outcome) ?? 'relayed',
          ...(drawn ? { drawn } : {}),
        });
        break;
      case 'expire':
        out.push({ at: e.at, type: 'expire', bits: num(d.bits), ...(str(d.link) ? { link: str(d.link)! } : {}) });
        break;
      case 'deliver':
        for (const x of (d.deliveries as Record<string, unknown>[] | undefined) ?? []) {
          if (x.side !== 'master') continue;
          out.push({
            at: e.at,
            type: 'deliver',
            bits: sumOf(x.drawn),
            master: str(x.master) ?? '',
            slave: str(x.slave) ?? '',
            ...(x.drawn ? { drawn: x.drawn as Record<string, number> } : {}),
          });
        }
        break;
      case 'void': {
        const bits = Array.isArray(d.voided)
          ? (d.voided as { bits?: number }[]).reduce((s, x) => s + (x.bits ?? 0), 0)
          : sumOf(d.drawn);
        out.push({
          at: e.at,
          type: 'void',
          bits,
          reason: str(d.reason) ?? 'void',
          ...(str(d.from) ? { from: str(d.from)!, to: str(d.to) ?? '' } : {}),
          ...(drawn ? { drawn } : {}),
        });
        break;
      }
      default:
    }
  }
  return out;
}
