/**
 * The independent checker: after the run it reads Redis (pools, segments, bookings, the audit
 * stream and its seals), the consumers' records, the traffic books and the process logs, and
 * checks each invariant of the soak. It shares no code with the service's own bookkeeping except
 * the audit reader and verifier (readAudit / verifyAudit, which only parse and hash) and
 * test/support/key-ledger.ts (which recomputes every pool's balance from the audit).
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Redis } from 'ioredis';
import { deliveriesOf, readAudit, verifyAudit } from '../relay/index.js';
import { Kek } from '../relay/adapters/kek.js';
import { checkLedger } from '../test/support/key-ledger.js';
import type { Sample, Traffic } from './clients.js';
import type { HangUp, KeyRecord, StrayKey } from './consumers.js';
import type { ExitRecord } from './system.js';

export interface Violation {
  invariant: string;
  detail: string;
}

export interface Window {
  kind: string;
  fromMs: number;
  toMs: number;
}

export interface CheckInput {
  redis: Redis;
  prefix: string;
  kekHex: string;
  adminToken: string;
  keys: Map<string, KeyRecord>;
  strays: StrayKey[];
  hangUps: HangUp[];
  /** Keys the fuzzer got (by ID -> hash): accounted for, never expected at a slave. */
  fuzzKeys: Map<string, string>;
  books: { http: Traffic; etsi: Traffic; fuzz: Traffic; probes: Traffic; load: Traffic };
  /** Injected fault windows (Redis outages, proxy faults, process kills) with their grace. */
  windows: Window[];
  /** Redis outage windows (kill, stop), in which probes must answer 503 within 1 s. */
  outages: Window[];
  exits: ExitRecord[];
  logDir: string;
  simNowMs: number;
  gaps: { stationSlewMs: number; satelliteRetargetMs: number };
  staleToleranceMs: number;
}

export interface Figures {
  bookingsExecuted: number;
  bookings: Record<string, number>;
  bitsDeposited: number;
  bitsDeposited_pass: number;
  bitsDelivered: number;
  bitsRelayed: number;
  keysServed: number;
  keysReceivedBySlaves: number;
  keysPendingAtEnd: number;
  keysVoided: number;
  /** Keys whose answer the KME wrote before the consumer's injected hang-up reset the connection. */
  keysDiscardedByHungUpClients: number;
  auditEntries: number;
  auditSeals: number;
}

const MAX_LIST = 20;

export async function check(input: CheckInput): Promise<{ violations: Violation[]; figures: Figures }> {
  const violations: Violation[] = [];
  const v = (invariant: string, detail: string) => {
    violations.push({ invariant, detail });
  };
  const capped = (invariant: string, details: string[]) => {
    for (const d of details.slice(0, MAX_LIST)) v(invariant, d);
    if (details.length > MAX_LIST) v(invariant, `... and ${details.length - MAX_LIST} more`);
  };
  const relay = `${input.prefix}:relay:`;

  // --- the audit stream: what it says was deposited, delivered, voided, relayed ---
  const masterDelivered = new Map<string, string>(); // keyId -> master
  const masterSlave = new Map<string, string>(); // keyId -> slave
  const slaveDelivered = new Map<string, number>(); // keyId -> times
  const voided = new Set<string>();
  const depositsByChunk = new Map<string, number>();
  const blocksByPass = new Map<string, Map<string, { bits: number; chunks: number; seen: number }>>();
  let bitsDeposited = 0,
    bitsDepositedPass = 0,
    bitsDelivered = 0,
    bitsRelayed = 0,
    keysServed = 0,
    entries = 0;
  for await (const e of readAudit(input.redis, relay)) {
    entries += 1;
    const d = e.data as Record<string, unknown>;
    if (e.type === 'deposit') {
      const bits = Number(d.bits);
      bitsDeposited += bits;
      const chunkKey = `${String(d.blockId)}#${String(d.chunk ?? 1)}`;
      depositsByChunk.set(chunkKey, (depositsByChunk.get(chunkKey) ?? 0) + 1);
      if (d.passId) {
        bitsDepositedPass += bits;
        const blocks = blocksByPass.get(String(d.passId)) ?? new Map();
        const b = blocks.get(String(d.blockId)) ?? { bits: 0, chunks: Number(d.chunks ?? 1), seen: 0 };
        b.bits += bits;
        b.seen += 1;
        blocks.set(String(d.blockId), b);
        blocksByPass.set(String(d.passId), blocks);
      }
    } else if (e.type === 'deliver') {
      // One entry per settled batch: { deliveries: [ { side, master, slave, keyIds, sizeBits? } ] }.
      for (const delivery of deliveriesOf(e)) {
        if (delivery.side === 'master') {
          for (const id of delivery.keyIds) {
            if (masterDelivered.has(id)) v('key-once', `audit delivers key ${id} to a master twice`);
            masterDelivered.set(id, delivery.master);
            masterSlave.set(id, delivery.slave);
          }
          keysServed += delivery.keyIds.length;
          bitsDelivered += delivery.keyIds.length * Number(delivery.sizeBits ?? 0);
        } else {
          for (const id of delivery.keyIds) slaveDelivered.set(id, (slaveDelivered.get(id) ?? 0) + 1);
        }
      }
    } else if (e.type === 'void') {
      // Lua's cjson writes an empty list as {}: only arrays count.
      const list = <T>(x: unknown): T[] => (Array.isArray(x) ? (x as T[]) : []);
      for (const id of list<string>(d.voidedKeyIds)) voided.add(id);
      // Keys of a master lease settled as unknown that its slave had taken: the master had them.
      for (const id of list<string>(d.deliveredKeyIds)) {
        masterDelivered.set(id, String(d.master));
        masterSlave.set(id, String(d.slave));
        keysServed += 1;
        bitsDelivered += Number(d.sizeBits ?? 0);
      }
      for (const r of list<{ keyId?: string }>(d.voided)) if (r.keyId) voided.add(r.keyId);
    } else if (e.type === 'relay' && d.outcome === 'relayed') {
      bitsRelayed += Number(d.bits);
    }
  }

  // --- hang-ups: did the KME write its answer before the client reset the connection? ---
  // "Delivered" means the bytes left the KME (README): an answer written before the reset reached
  // the client's kernel and the client discarded it; one written after the reset must not count.
  // The KME logs each request as it writes the answer; same host, same clock.
  const etsiLog: { atMs: number; sae: string; path: string; status: number }[] = [];
  try {
    for (const line of readFileSync(join(input.logDir, 'kme.log'), 'utf8').split('\n')) {
      if (!line.includes('"etsi request"')) continue;
      try {
        const j = JSON.parse(line) as { time: string; sae: string; path: string; status: number };
        etsiLog.push({ atMs: Date.parse(j.time), sae: j.sae, path: j.path, status: j.status });
      } catch {
        /* not a log record */
      }
    }
  } catch {
    /* no KME log */
  }
  const writtenBeforeReset = (h: HangUp) =>
    etsiLog.some(
      (l) =>
        l.sae === h.sae && l.path === h.path && l.status === 200 && l.atMs >= h.sentAtMs - 5 && l.atMs <= h.resetAtMs,
    );
  const discardedByClient = new Set<string>();
  const encDiscards = new Map<string, number>(); // master>slave -> keys the client may have discarded
  for (const h of input.hangUps) {
    if (!writtenBeforeReset(h)) continue;
    if (h.kind === 'dec') for (const id of h.keyIds) discardedByClient.add(id);
    else encDiscards.set(`${h.master}>${h.slave}`, (encDiscards.get(`${h.master}>${h.slave}`) ?? 0) + 2);
  }

  // --- keys: each ID's bytes reached exactly its two bound SAEs, once each ---
  const lost: string[] = [],
    twice: string[] = [],
    mismatch: string[] = [],
    refusedNotVoided: string[] = [],
    refusedWhileBound: string[] = [];
  let pendingAtEnd = 0,
    received = 0,
    discarded = 0;
  for (const k of input.keys.values()) {
    if (k.masterGot !== 1) twice.push(`key ${k.keyId}: master ${k.master} got it ${k.masterGot} times`);
    if (k.slaveHashes.length > 1) twice.push(`key ${k.keyId}: slave ${k.slave} got it ${k.slaveHashes.length} times`);
    if (k.slaveHashes.some((h) => h !== k.masterHash))
      mismatch.push(`key ${k.keyId} (${k.master} -> ${k.slave}): the slave's bytes differ from the master's`);
    if (k.slaveHashes.length >= 1) {
      received += 1;
      continue;
    }
    if (voided.has(k.keyId)) continue;
    const [state, master, slave] = await input.redis.hmget(`${relay}seg:${k.keyId}`, 'state', 'master', 'slave');
    if (k.refused && state === 'bound') {
      // ETSI 400 is final for a client: the slave was told the key does not exist, yet it is still its key.
      refusedWhileBound.push(
        `key ${k.keyId} (${k.master} -> ${k.slave}): the KME answered its slave 400 (not found) although ` +
          `the key is still bound to it`,
      );
      continue;
    }
    if (state === 'bound' && master === k.master && slave === k.slave) {
      pendingAtEnd += 1;
      continue;
    }
    if (discardedByClient.has(k.keyId) && (slaveDelivered.get(k.keyId) ?? 0) === 1) {
      discarded += 1;
      continue;
    }
    if (k.refused)
      refusedNotVoided.push(
        `key ${k.keyId} (${k.master} -> ${k.slave}): the KME refused it to its slave, and no audit void ` +
          `names it (state ${state ?? 'gone'})`,
      );
    else
      lost.push(
        `key ${k.keyId} (${k.master} -> ${k.slave}): the slave never received it, it is not voided and ` +
          `not retrievable (state ${state ?? 'gone'}, audit slave deliveries ` +
          `${slaveDelivered.get(k.keyId) ?? 0}` +
          (k.hungUp ? ', it was in a dec_keys request the consumer hung up on' : '') +
          ')',
      );
  }
  capped('key-lost', lost);
  capped('key-once', twice);
  capped('key-bytes', mismatch);
  capped('key-refused-without-void', refusedNotVoided);
  capped('key-refused-while-bound', refusedWhileBound);
  capped(
    'key-misdelivered',
    input.strays.map((s) => `${s.sae} got key ${s.keyId} via ${s.via}, not bound to it`),
  );
  // The audit's deliveries match what consumers received.
  const notReceivedByMaster = [...masterDelivered.keys()]
    .filter((id) => !input.keys.has(id) && !input.fuzzKeys.has(id))
    .filter((id) => {
      // A master that hung up on an answer the KME had already written: up to its keys are the client's loss.
      const pair = `${masterDelivered.get(id)}>${masterSlave.get(id)}`;
      const left = encDiscards.get(pair) ?? 0;
      if (left > 0) {
        encDiscards.set(pair, left - 1);
        discarded += 1;
        return false;
      }
      return true;
    });
  capped(
    'audit-delivered-not-received',
    notReceivedByMaster.map(
      (id) => `audit delivers key ${id} to master ${masterDelivered.get(id)}; no master received it`,
    ),
  );
  const notReceivedBySlave = [...slaveDelivered.keys()].filter(
    (id) => !input.keys.get(id)?.slaveHashes.length && !discardedByClient.has(id),
  );
  capped(
    'audit-delivered-not-received',
    notReceivedBySlave.map(
      (id) =>
        `audit delivers key ${id} to its slave ${input.keys.get(id)?.slave ?? '?'}; the slave never ` +
        `received it${input.keys.get(id)?.hungUp ? ' (in a request it hung up on)' : ''}`,
    ),
  );
  capped(
    'audit-delivered-twice',
    [...slaveDelivered].filter(([, n]) => n > 1).map(([id, n]) => `audit delivers key ${id} to its slave ${n} times`),
  );
  // No key hash under two IDs or two pairs.
  const byHash = new Map<string, Set<string>>();
  for (const k of input.keys.values()) byHash.set(k.masterHash, (byHash.get(k.masterHash) ?? new Set()).add(k.keyId));
  for (const [id, h] of input.fuzzKeys) byHash.set(h, (byHash.get(h) ?? new Set()).add(id));
  capped(
    'key-hash-unique',
    [...byHash]
      .filter(([, ids]) => ids.size > 1)
      .map(
        ([h, ids]) =>
          `bytes with SHA-256 ${h.slice(0, 16)}… served under ${ids.size} IDs: ${[...ids].slice(0, 4).join(', ')}`,
      ),
  );

  // --- pools: every deposited bit accounted for; pool bits equal the audit balance ---
  const ledger = await checkLedger(input.redis, relay);
  capped('pool-balance', ledger.problems);
  const strayStates: string[] = [];
  for (const state of ['reserved', 'taken']) {
    // Nothing may stay reserved or leased after the run has quiesced (sweeps had their time).
    let cursor = '0';
    do {
      const [next, keys] = await input.redis.scan(cursor, 'MATCH', `${relay}seg:*`, 'COUNT', 2000);
      cursor = next;
      for (const k of keys)
        if ((await input.redis.hget(k, 'state')) === state)
          strayStates.push(`${k.slice(relay.length)} is still ${state} after the run quiesced`);
    } while (cursor !== '0');
  }
  capped('pool-settled', strayStates);
  capped(
    'deposit-once',
    [...depositsByChunk]
      .filter(([, n]) => n > 1)
      .map(([k, n]) => `deposit block chunk ${k} appears ${n} times in the audit`),
  );

  // --- bookings ---
  const ids = await input.redis.zrange(`${input.prefix}:sched:bookings`, 0, -1);
  const bookings = [] as {
    id: string;
    state: string;
    reason: string;
    stationId: string;
    noradId: string;
    startMs: number;
    endMs: number;
    deliveredBits?: number;
    blockId?: string;
  }[];
  for (const id of ids) {
    const h = await input.redis.hgetall(`${input.prefix}:sched:booking:${id}`);
    if (!h.id) {
      v('booking-record', `booking ${id} is indexed but has no record`);
      continue;
    }
    bookings.push({
      id,
      state: h.state ?? '',
      reason: h.reason ?? '',
      stationId: h.stationId ?? '',
      noradId: h.noradId ?? '',
      startMs: Number(h.startMs),
      endMs: Number(h.endMs),
      ...(h.deliveredBits !== undefined ? { deliveredBits: Number(h.deliveredBits) } : {}),
      ...(h.blockId !== undefined ? { blockId: h.blockId } : {}),
    });
  }
  const byState: Record<string, number> = {};
  const bookingProblems: string[] = [];
  for (const b of bookings) {
    byState[b.state] = (byState[b.state] ?? 0) + 1;
    const blocks = blocksByPass.get(b.id);
    const nBlocks = blocks?.size ?? 0;
    if (nBlocks > 1) bookingProblems.push(`booking ${b.id} deposited ${nBlocks} blocks (executed more than once)`);
    for (const [blockId, blk] of blocks ?? [])
      if (blk.seen !== blk.chunks)
        bookingProblems.push(`booking ${b.id} block ${blockId}: ${blk.seen} chunk deposits of ${blk.chunks}`);
    if (b.state === 'COMPLETED') {
      const want = (b.deliveredBits ?? 0) >= 8 ? Math.floor(b.deliveredBits! / 8) * 8 : 0;
      const got = [...(blocks?.values() ?? [])].reduce((s, x) => s + x.bits, 0);
      if (want > 0 && nBlocks !== 1)
        bookingProblems.push(`booking ${b.id} COMPLETED with ${b.deliveredBits} bits but ${nBlocks} deposits`);
      if (want > 0 && nBlocks === 1 && got !== want)
        bookingProblems.push(`booking ${b.id} COMPLETED with ${want} bits but its deposit holds ${got}`);
      if (want === 0 && nBlocks > 0)
        bookingProblems.push(`booking ${b.id} COMPLETED without key but deposited ${got} bits`);
      if (want > 0 && b.blockId && blocks && !blocks.has(b.blockId))
        bookingProblems.push(`booking ${b.id} names block ${b.blockId}, the audit another`);
    } else if (nBlocks > 0) {
      bookingProblems.push(`booking ${b.id} is ${b.state} but deposited key`);
    }
    if (['FAILED', 'CANCELLED', 'SUPERSEDED'].includes(b.state) && !b.reason.trim())
      bookingProblems.push(`booking ${b.id} ${b.state} without a reason`);
    if (
      ['SCHEDULED', 'PREPASS', 'PASS'].includes(b.state) &&
      b.endMs + input.staleToleranceMs + 30 * 60_000 < input.simNowMs
    ) {
      bookingProblems.push(
        `booking ${b.id} (${b.stationId}, LOS ${new Date(b.endMs).toISOString()}) is still ${b.state} at ` +
          `${new Date(input.simNowMs).toISOString()}: neither executed nor missed with a reason`,
      );
    }
  }
  for (const passId of blocksByPass.keys())
    if (!bookings.some((b) => b.id === passId))
      bookingProblems.push(`a pass deposit names booking ${passId}, which does not exist`);
  capped('booking-once', bookingProblems);
  // No station or satellite terminal double-booked (executed or still active bookings, gaps included).
  const holding = bookings.filter((b) => ['COMPLETED', 'SCHEDULED', 'PREPASS', 'PASS'].includes(b.state));
  const overlaps: string[] = [];
  const scan = (key: (b: (typeof holding)[number]) => string, gap: number, what: string) => {
    const groups = new Map<string, typeof holding>();
    for (const b of holding) groups.set(key(b), [...(groups.get(key(b)) ?? []), b]);
    for (const [k, list] of groups) {
      list.sort((a, b) => a.startMs - b.startMs);
      for (let i = 1; i < list.length; i += 1) {
        if (list[i]!.startMs < list[i - 1]!.endMs + gap)
          overlaps.push(
            `${what} ${k}: ${list[i - 1]!.id} (${list[i - 1]!.state}) and ${list[i]!.id} (${list[i]!.state}) overlap`,
          );
      }
    }
  };
  scan((b) => b.stationId, input.gaps.stationSlewMs, 'station');
  scan((b) => b.noradId, input.gaps.satelliteRetargetMs, 'satellite');
  capped('no-double-booking', overlaps);

  // --- the audit chain and its seals ---
  const kek = Kek.fromHex(input.kekHex);
  const verdict = await verifyAudit(input.redis, relay, kek.derive('audit-seal'));
  if (!verdict.ok) v('audit-verifies', `audit chain broken at ${JSON.stringify(verdict.brokenAt)}`);
  if (!(verdict.seals && verdict.seals > 0)) v('audit-verifies', 'no audit seal was written');

  // --- logs: no key bytes, KEK or tokens ---
  const hashes = new Set<string>([...[...input.keys.values()].map((k) => k.masterHash), ...input.fuzzKeys.values()]);
  const leaks: string[] = [];
  for (const f of readdirSync(input.logDir)) {
    const text = readFileSync(join(input.logDir, f), 'utf8');
    if (text.includes(input.kekHex) || text.toLowerCase().includes(input.kekHex.toLowerCase()))
      leaks.push(`${f}: contains the KEK`);
    if (text.includes(input.adminToken)) leaks.push(`${f}: contains the admin token`);
    for (const m of text.matchAll(/[A-Za-z0-9+/]{20,}={0,2}/g)) {
      const buf = Buffer.from(m[0], 'base64');
      if (buf.length < 8) continue;
      if (hashes.has(createHash('sha256').update(buf).digest('hex')))
        leaks.push(`${f}: holds the base64 of a served key (at offset ${m.index})`);
    }
  }
  capped('no-secrets-in-logs', leaks);

  // --- processes: none exited unless the injector killed it ---
  capped(
    'no-unexpected-exit',
    input.exits
      .filter((e) => !e.expected)
      .map(
        (e) =>
          `${e.name} (pid ${e.pid}) exited with code ${e.code} signal ${e.signal} at ` +
          `${new Date(e.atMs).toISOString()} without being killed`,
      ),
  );

  // --- outages: answers 503 within 1 s, never 500 ---
  const inOutage = (s: Sample) => input.outages.find((w) => s.atMs - s.ms >= w.fromMs && s.atMs - s.ms <= w.toMs);
  const outageProblems: string[] = [];
  for (const s of input.books.probes.samples) {
    const w = inOutage(s);
    if (!w) continue;
    const answeredAfter = s.atMs > w.toMs;
    if (s.status === 503 && s.ms <= 1000) continue;
    if (s.status === 200 && answeredAfter) continue;
    if (s.status === 0 && s.note === 'process down') continue;
    outageProblems.push(`${s.route} during ${w.kind}: ${s.status || 'no answer'} after ${Math.round(s.ms)} ms`);
  }
  capped('outage-503-within-1s', outageProblems);
  const inWindow = (s: Sample) => input.windows.some((w) => s.atMs >= w.fromMs && s.atMs - s.ms <= w.toMs);
  const serverErrors: string[] = [];
  for (const [name, book] of Object.entries(input.books)) {
    for (const s of book.samples) {
      if (s.status === 500 || (s.status > 500 && s.status !== 503))
        serverErrors.push(`${name}: ${s.route} answered ${s.status}`);
      else if (s.status === 503 && s.kind !== 'insufficient' && !inWindow(s))
        serverErrors.push(`${name}: ${s.route} answered 503 (${s.kind}) outside any injected fault window`);
    }
  }
  capped('no-5xx-outside-faults', serverErrors);

  return {
    violations,
    figures: {
      bookingsExecuted: byState.COMPLETED ?? 0,
      bookings: byState,
      bitsDeposited,
      bitsDeposited_pass: bitsDepositedPass,
      bitsDelivered,
      bitsRelayed,
      keysServed,
      keysReceivedBySlaves: received,
      keysPendingAtEnd: pendingAtEnd,
      keysVoided: voided.size,
      keysDiscardedByHungUpClients: discarded,
      auditEntries: entries,
      auditSeals: verdict.seals ?? 0,
    },
  };
}
