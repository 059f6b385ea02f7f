/**
 * Independent checker of a simulation's ledger: it keeps its own balances (never the simulator's
 * buffers) and reports every violation of
 * - conservation: per pair, consumed <= relayed - expired at the ground; per satellite and
 *   station, onboard key never negative; network-wide, delivered <= deposited - expired;
 * - storage: the onboard level never above the satellite's buffer;
 * - passes: no pass executed twice, a station tracks one satellite at a time and a satellite
 *   serves one station at a time (pass windows do not overlap);
 * - time: entries in non-decreasing time.
 */
import type { LedgerEntry, SatelliteLimits } from './ledger.js';

export interface CheckResult {
  ok: boolean;
  violations: string[];
  depositedBits: number;
  expiredBits: number;
  deliveredBits: number;
}

export function checkLedger(ledger: readonly LedgerEntry[], satellites: readonly SatelliteLimits[]): CheckResult {
  const v: string[] = [];
  const buffer = new Map(satellites.map((s) => [s.noradId, s.bufferBits]));
  const level = new Map<number, number>();
  const onboard = new Map<string, number>();
  const pool = new Map<string, number>();
  const seen = new Set<string>();
  const windows: { id: string; stationId: string; noradId: number; startMs: number; endMs: number }[] = [];
  let deposited = 0,
    expired = 0,
    delivered = 0,
    lastMs = -Infinity;
  const add = (m: Map<string, number>, k: string, d: number) => {
    const x = (m.get(k) ?? 0) + d;
    m.set(k, x);
    return x;
  };
  const lvl = (s: number, d: number) => {
    const x = (level.get(s) ?? 0) + d;
    level.set(s, x);
    return x;
  };
  for (const e of ledger) {
    if (e.atMs < lastMs) v.push(`time goes back at ${e.kind} ${e.atMs}`);
    lastMs = Math.max(lastMs, e.atMs);
    switch (e.kind) {
      case 'pass':
        if (seen.has(e.id)) v.push(`pass ${e.id} executed twice`);
        seen.add(e.id);
        windows.push(e);
        break;
      case 'deposit': {
        deposited += e.storedBits;
        add(onboard, `${e.noradId}|${e.stationId}`, e.storedBits);
        const l = lvl(e.noradId, e.storedBits);
        if (l > (buffer.get(e.noradId) ?? Infinity) + 1e-6)
          v.push(`satellite ${e.noradId} holds ${l} bits > buffer ${buffer.get(e.noradId)} at ${e.atMs}`);
        break;
      }
      case 'relay':
        for (const g of [e.a, e.b])
          if (add(onboard, `${e.noradId}|${g}`, -e.bits) < -1e-6)
            v.push(`relay ${e.a}~${e.b} takes key ${g} does not hold on ${e.noradId} at ${e.atMs}`);
        lvl(e.noradId, -2 * e.bits);
        add(pool, `${e.a}~${e.b}`, e.bits);
        break;
      case 'relay-direct':
        deposited += e.bits;
        if (add(onboard, `${e.noradId}|${e.partner}`, -e.bits) < -1e-6)
          v.push(`direct relay ${e.a}~${e.b} takes key ${e.partner} does not hold on ${e.noradId} at ${e.atMs}`);
        lvl(e.noradId, -e.bits);
        add(pool, `${e.a}~${e.b}`, e.bits);
        break;
      case 'local':
        if (add(onboard, `${e.noradId}|${e.stationId}`, -e.bits) < -1e-6)
          v.push(`local use at ${e.stationId} exceeds its key on ${e.noradId}`);
        lvl(e.noradId, -e.bits);
        delivered += e.bits;
        break;
      case 'expire-onboard':
        expired += e.bits;
        if (add(onboard, `${e.noradId}|${e.stationId}`, -e.bits) < -1e-6)
          v.push(`onboard expiry of more than held at ${e.stationId} on ${e.noradId}`);
        lvl(e.noradId, -e.bits);
        break;
      case 'expire-ground':
        // Relayed key that expired unused: both ends' copies of the onboard key were spent on it.
        expired += 2 * e.bits;
        if (add(pool, `${e.a}~${e.b}`, -e.bits) < -1e-6) v.push(`ground expiry of more than pooled for ${e.a}~${e.b}`);
        break;
      case 'consume':
        delivered += 2 * e.bits;
        if (add(pool, `${e.a}~${e.b}`, -e.bits) < -1e-6)
          v.push(`pair ${e.a}~${e.b} consumed more than was relayed and not expired at ${e.atMs}`);
        break;
    }
  }
  for (const key of ['stationId', 'noradId'] as const) {
    const sorted = [...windows].sort((x, y) => String(x[key]).localeCompare(String(y[key])) || x.startMs - y.startMs);
    for (let i = 1; i < sorted.length; i += 1) {
      const a = sorted[i - 1]!,
        b = sorted[i]!;
      if (a[key] === b[key] && b.startMs < a.endMs)
        v.push(
          `${key === 'stationId' ? 'station' : 'satellite'} ${String(a[key])}: passes ${a.id} and ${b.id} overlap`,
        );
    }
  }
  if (delivered > deposited - expired + 1e-6)
    v.push(`delivered ${delivered} > deposited ${deposited} - expired ${expired}`);
  return {
    ok: v.length === 0,
    violations: v,
    depositedBits: deposited,
    expiredBits: expired,
    deliveredBits: delivered,
  };
}
