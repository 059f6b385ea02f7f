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

const numberOr0 = (value: unknown) => (typeof value === 'number' ? value : 0);
const stringOf = (value: unknown) => (typeof value === 'string' ? value : undefined);
const drawnOf = (value: unknown) =>
  value && typeof value === 'object' ? { drawn: value as Record<string, number> } : {};

/** The key movements one audit entry records (none for reservations, releases and seals). */
function keyEventsOf(entry: AuditEntry): KeyEvent[] {
  const { at, type, data } = entry;
  switch (type) {
    case 'deposit':
      return [{ at, type, bits: numberOr0(data.bits), link: stringOf(data.link) ?? 'unknown' }];
    case 'relay': {
      const outcome = stringOf(data.outcome) ?? 'relayed';
      const ends = { from: stringOf(data.from) ?? '', to: stringOf(data.to) ?? '' };
      return [{ at, type, bits: numberOr0(data.bits), ...ends, outcome, ...drawnOf(data.drawn) }];
    }
    case 'expire': {
      const link = stringOf(data.link);
      return [{ at, type, bits: numberOr0(data.bits), ...(link ? { link } : {}) }];
    }
    case 'deliver':
      return deliveriesOf(entry)
        .filter((delivery) => delivery.side === 'master')
        .map((delivery) => ({
          at,
          type,
          bits: sumOf(delivery.drawn),
          master: delivery.master,
          slave: delivery.slave,
          ...drawnOf(delivery.drawn),
        }));
    case 'void': {
      const bits = Array.isArray(data.voided)
        ? (data.voided as { bits?: number }[]).reduce((sum, voided) => sum + (voided.bits ?? 0), 0)
        : sumOf(data.drawn);
      const from = stringOf(data.from);
      const ends = from ? { from, to: stringOf(data.to) ?? '' } : {};
      return [{ at, type, bits, reason: stringOf(data.reason) ?? 'void', ...ends, ...drawnOf(data.drawn) }];
    }
    default:
      return [];
  }
}

/** The last `limit` key movements, oldest first (reservations, releases and seals left out). */
export async function recentKeyEvents(redis: Redis, prefix: string, limit: number): Promise<KeyEvent[]> {
  const rows = (await redis.xrevrange(`${prefix}audit`, '+', '-', 'COUNT', limit)) as [string, string[]][];
  return rows.reverse().flatMap(([id, fields]) => keyEventsOf(toEntry(id, fields)));
}
