/**
 * The simulated network's key state between events: onboard buffers per satellite, ground pools
 * per pair, the counters of the report and the ledger the checker replays. Pure bookkeeping: every
 * method takes the event's time. The simulation (simulate.ts) decides when each one happens.
 */
import type { LedgerEntry } from './ledger.js';
import { KeyBuffer } from './storage.js';

export interface SimSatellite {
  noradId: number;
  bufferBits: number;
  keyLifetimeMs: number;
}
export interface SimPair {
  a: string;
  b: string;
  bitsPerDay: number;
}

interface PairCounters {
  delivered: number;
  starved: number;
  relayed: number;
  monthly: Map<string, { demandBits: number; deliveredBits: number }>;
}
interface StationCounters {
  passes: number;
  busyMs: number;
  deposited: number;
  localDemand: number;
  localDelivered: number;
}
interface SatelliteCounters {
  passes: number;
  peak: number;
  deposited: number;
  discarded: number;
  expired: number;
  daily: number[];
  dayPeak: number;
}

const monthOf = (ms: number) => new Date(ms).toISOString().slice(0, 7);
const pairKey = (p: { a: string; b: string }) => `${p.a}~${p.b}`;

export class NetworkState {
  readonly ledger: LedgerEntry[] = [];
  readonly buffers: Map<number, KeyBuffer>;
  readonly pools: Map<string, KeyBuffer>;
  readonly stationCounters: Map<string, StationCounters>;
  readonly satelliteCounters: Map<number, SatelliteCounters>;
  readonly pairCounters: PairCounters[];

  constructor(
    stationIds: readonly string[],
    satellites: readonly SimSatellite[],
    readonly pairs: readonly SimPair[],
    groundLifetimeMs: number,
    readonly targetDays: number,
  ) {
    this.buffers = new Map(satellites.map((x) => [x.noradId, new KeyBuffer(x.bufferBits, x.keyLifetimeMs)]));
    this.pools = new Map(pairs.map((p) => [pairKey(p), new KeyBuffer(Number.MAX_SAFE_INTEGER, groundLifetimeMs)]));
    this.stationCounters = new Map(
      stationIds.map((g) => [g, { passes: 0, busyMs: 0, deposited: 0, localDemand: 0, localDelivered: 0 }]),
    );
    this.satelliteCounters = new Map(
      satellites.map((x) => [
        x.noradId,
        { passes: 0, peak: 0, deposited: 0, discarded: 0, expired: 0, daily: [], dayPeak: 0 },
      ]),
    );
    this.pairCounters = pairs.map(() => ({ delivered: 0, starved: 0, relayed: 0, monthly: new Map() }));
  }

  /** Removes expired onboard and ground key, logged at the instant each block's lifetime ended. */
  expire(nowMs: number): void {
    const found: LedgerEntry[] = [];
    for (const [noradId, b] of this.buffers) {
      for (const e of b.expire(nowMs)) {
        found.push({ kind: 'expire-onboard', atMs: e.atMs, noradId, stationId: e.owner, bits: e.bits });
        this.satelliteCounters.get(noradId)!.expired += e.bits;
      }
    }
    for (const p of this.pairs)
      for (const e of this.pools.get(pairKey(p))!.expire(nowMs))
        found.push({ kind: 'expire-ground', atMs: e.atMs, a: p.a, b: p.b, bits: e.bits });
    this.ledger.push(...found.sort((x, y) => x.atMs - y.atMs));
  }

  /** Pairs, least covered first (ground pool in days of demand), ties by order. */
  private pairOrder(): { p: SimPair; n: number }[] {
    return this.pairs
      .map((p, n) => ({ p, n, cover: this.pools.get(pairKey(p))!.levelBits / p.bitsPerDay }))
      .sort((x, y) => x.cover - y.cover || x.n - y.n);
  }

  private want(p: SimPair): number {
    return Math.floor(p.bitsPerDay * this.targetDays - this.pools.get(pairKey(p))!.levelBits);
  }

  private toPool(n: number, bits: number, atMs: number): void {
    this.pools.get(pairKey(this.pairs[n]!))!.deposit('pair', bits, atMs);
    this.pairCounters[n]!.relayed += bits;
  }

  /** A booked pass ran (clear or clouded) and produced `bits` of key with its station. */
  passRan(
    pass: { id: string; stationId: string; noradId: number; startMs: number; endMs: number; clear: boolean },
    bits: number,
  ): void {
    this.ledger.push({ kind: 'pass', atMs: pass.endMs, ...pass, secureBits: bits });
    const gs = this.stationCounters.get(pass.stationId)!,
      ss = this.satelliteCounters.get(pass.noradId)!;
    gs.passes += 1;
    gs.busyMs += pass.endMs - pass.startMs;
    ss.passes += 1;
    if (bits <= 0) return;
    const left = this.relayArriving(pass.noradId, pass.stationId, bits, pass.endMs);
    const buf = this.buffers.get(pass.noradId)!;
    const d = buf.deposit(pass.stationId, left, pass.endMs);
    this.ledger.push({
      kind: 'deposit',
      atMs: pass.endMs,
      stationId: pass.stationId,
      noradId: pass.noradId,
      storedBits: d.storedBits,
      discardedBits: d.discardedBits,
    });
    gs.deposited += bits - left + d.storedBits;
    ss.deposited += bits - left + d.storedBits;
    ss.discarded += d.discardedBits;
    ss.peak = Math.max(ss.peak, buf.levelBits);
    ss.dayPeak = Math.max(ss.dayPeak, buf.levelBits);
    this.relayHeld(pass.noradId, pass.endMs);
  }

  /** Key arriving from g is XORed at once with partner key waiting on board (needs no storage); returns the rest. */
  private relayArriving(noradId: number, g: string, bits: number, atMs: number): number {
    const buf = this.buffers.get(noradId)!;
    let left = bits;
    for (const { p, n } of this.pairOrder()) {
      if (p.a !== g && p.b !== g) continue;
      const partner = p.a === g ? p.b : p.a;
      const r = Math.min(left, buf.held(partner), this.want(p));
      if (r <= 0) continue;
      buf.take(partner, r);
      this.toPool(n, r, atMs);
      left -= r;
      this.ledger.push({ kind: 'relay-direct', atMs, noradId, stationId: g, partner, a: p.a, b: p.b, bits: r });
    }
    return left;
  }

  /** Relays every pair with both ends' key held on the satellite, up to what its pool lacks. */
  private relayHeld(noradId: number, atMs: number): void {
    const buf = this.buffers.get(noradId)!;
    for (const { p, n } of this.pairOrder()) {
      const r = Math.min(buf.held(p.a), buf.held(p.b), this.want(p));
      if (r <= 0) continue;
      buf.take(p.a, r);
      buf.take(p.b, r);
      this.toPool(n, r, atMs);
      this.ledger.push({ kind: 'relay', atMs, noradId, a: p.a, b: p.b, bits: r });
    }
  }

  /** The daily draw: each pair's consumer takes its day of demand; station demand takes onboard key. */
  dailyDraw(atMs: number, stationDemand: Record<string, number>): void {
    const month = monthOf(atMs - 1);
    this.pairs.forEach((p, n) => {
      const got = this.pools.get(pairKey(p))!.take('pair', p.bitsPerDay);
      if (got > 0) this.ledger.push({ kind: 'consume', atMs, a: p.a, b: p.b, bits: got });
      const c = this.pairCounters[n]!;
      c.delivered += got;
      if (got <= 0) c.starved += 1;
      const m = c.monthly.get(month) ?? { demandBits: 0, deliveredBits: 0 };
      c.monthly.set(month, { demandBits: m.demandBits + p.bitsPerDay, deliveredBits: m.deliveredBits + got });
    });
    for (const [g, perDay] of Object.entries(stationDemand).sort(([x], [y]) => x.localeCompare(y))) {
      const gs = this.stationCounters.get(g);
      if (!gs) continue;
      gs.localDemand += perDay;
      let need = perDay;
      for (const [noradId, buf] of this.buffers) {
        const got = buf.take(g, need);
        if (got > 0) {
          this.ledger.push({ kind: 'local', atMs, noradId, stationId: g, bits: got });
          gs.localDelivered += got;
          need -= got;
        }
      }
    }
    for (const [noradId, ss] of this.satelliteCounters) {
      const level = this.buffers.get(noradId)!.levelBits;
      ss.daily.push(Math.max(ss.dayPeak, level));
      ss.dayPeak = level;
    }
  }
}
