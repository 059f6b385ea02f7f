/**
 * Reading and verifying the audit stream written by the Lua scripts (lua/audit.lua): every entry's
 * `prev` is the previous entry's `hash`, `hash = sha1(prev|seq|at|type|data)` and `seq` counts up
 * from 1. The chain detects edits, deletions and reordering of entries; it is not keyed, so someone
 * able to rewrite the whole stream could rebuild it (anchor `audit:head` elsewhere for that).
 */
import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';

export interface AuditEntry {
  id: string;
  seq: number;
  at: number;
  type: string;
  data: Record<string, unknown>;
  prev: string;
  hash: string;
}

export interface AuditVerdict {
  ok: boolean;
  entries: number;
  head: string;
  /** The first broken entry, when not ok. */
  brokenAt?: { id: string; seq: number; reason: string };
}

function toEntry(id: string, fields: string[]): AuditEntry & { rawData: string } {
  const f: Record<string, string> = {};
  for (let i = 0; i < fields.length; i += 2) f[fields[i]!] = fields[i + 1]!;
  let data: Record<string, unknown> = {};
  try {
    data = JSON.parse(f.data ?? '{}') as Record<string, unknown>;
  } catch {
    data = {};
  }
  return { id, seq: Number(f.seq), at: Number(f.at), type: f.type ?? '', data, rawData: f.data ?? '', prev: f.prev ?? '', hash: f.hash ?? '' };
}

export async function* readAudit(redis: Redis, prefix: string, batch = 1000): AsyncGenerator<AuditEntry & { rawData: string }> {
  let start = '-';
  for (;;) {
    const rows = (await redis.xrange(`${prefix}audit`, start, '+', 'COUNT', batch)) as [string, string[]][];
    for (const [id, fields] of rows) yield toEntry(id, fields);
    if (rows.length < batch) return;
    start = `(${rows[rows.length - 1]![0]}`;
  }
}

export async function verifyAudit(redis: Redis, prefix: string): Promise<AuditVerdict> {
  let prev = 'genesis';
  let n = 0;
  for await (const e of readAudit(redis, prefix)) {
    n += 1;
    const expected = createHash('sha1').update(`${e.prev}|${e.seq}|${e.at}|${e.type}|${e.rawData}`).digest('hex');
    const reason =
      e.seq !== n ? `seq ${e.seq} where ${n} was expected` :
      e.prev !== prev ? 'prev does not match the previous hash' :
      e.hash !== expected ? 'hash does not match the entry' : undefined;
    if (reason) return { ok: false, entries: n, head: prev, brokenAt: { id: e.id, seq: e.seq, reason } };
    prev = e.hash;
  }
  const head = (await redis.get(`${prefix}audit:head`)) ?? 'genesis';
  if (head !== prev) return { ok: false, entries: n, head: prev, brokenAt: { id: '-', seq: n + 1, reason: 'audit:head does not match the last entry (entries removed from the end?)' } };
  return { ok: true, entries: n, head };
}
