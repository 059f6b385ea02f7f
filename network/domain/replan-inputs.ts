/**
 * What a re-plan of the network simulation gives the planner besides the candidates (see the
 * header of simulate.ts): key already on board as fixed pseudo-passes, the demand still open over
 * the horizon, and the trim of a plan to the onboard buffers.
 */
import { weightBits, type Candidate, type Demand } from '../../scheduler/domain/candidate.js';
import type { SimPair } from './network-state.js';
import type { KeyBuffer } from './storage.js';
import { DAY_MS } from './weather.js';

export const HELD_PREFIX = 'held_';

/**
 * Key already on board enters the plan as fixed pseudo-passes in the past (one per satellite and
 * station, two hours apart so they conflict with nothing), weighted by the bits held.
 */
export function heldPseudoPasses(buffers: ReadonlyMap<number, KeyBuffer>, nowMs: number): Candidate[] {
  const out: Candidate[] = [];
  let k = 0;
  for (const [noradId, b] of [...buffers].sort(([x], [y]) => x - y)) {
    for (const g of b.owners()) {
      const startMs = nowMs - 400 * DAY_MS + k * 2 * 3_600_000;
      k += 1;
      out.push({
        id: `${HELD_PREFIX}${g}_${noradId}`,
        noradId,
        stationId: g,
        startMs,
        endMs: startMs + 1000,
        expectedSecureBits: b.held(g),
        clearSkyProbability: 1,
      });
    }
  }
  return out;
}

/** What each pair and station still needs over the horizon (see the header). */
export function horizonDemand(
  setup: { pairs: readonly SimPair[]; stationDemand: Record<string, number>; keys: { targetDays: number } },
  pools: ReadonlyMap<string, KeyBuffer>,
  horizonMs: number,
): Demand {
  const days = horizonMs / DAY_MS;
  return {
    pairs: setup.pairs.map((p) => ({
      a: p.a,
      b: p.b,
      bits: Math.max(
        p.bitsPerDay * 0.1,
        p.bitsPerDay * (days + setup.keys.targetDays) - (pools.get(`${p.a}~${p.b}`)?.levelBits ?? 0),
      ),
    })),
    stations: Object.fromEntries(Object.entries(setup.stationDemand).map(([g, v]) => [g, v * days])),
  };
}

/**
 * Trims a plan to the onboard buffers: walks the bookings in time with their expected key, relays
 * as the simulation would (arriving key against waiting partner key first, then pairs with both
 * ends on board) and drops a (non-frozen) booking whose clear-sky key would not fit in the buffer
 * space expected free at its end (its key would overflow) unless partner key waits on board for it.
 */
export function fitToBuffer(
  plan: readonly Candidate[],
  buffers: ReadonlyMap<number, KeyBuffer>,
  pairs: readonly SimPair[],
  frozenIds: ReadonlySet<string>,
): Candidate[] {
  const level = new Map<number, Map<string, number>>();
  for (const [s, b] of buffers) level.set(s, new Map(b.owners().map((g) => [g, b.held(g)])));
  const total = (s: number) => [...level.get(s)!.values()].reduce((a, b) => a + b, 0);
  const kept: Candidate[] = [];
  for (const c of [...plan].sort((x, y) => x.endMs - y.endMs || x.id.localeCompare(y.id))) {
    const cap = buffers.get(c.noradId)!.capacityBits;
    const free = Math.max(0, cap - total(c.noradId));
    const row = level.get(c.noradId)!;
    const partners = pairs
      .filter((p) => p.a === c.stationId || p.b === c.stationId)
      .map((p) => (p.a === c.stationId ? p.b : p.a));
    // Partner key waiting on board: this pass's key relays against it as it arrives, without storage.
    const waiting = partners.reduce((s, g) => s + (row.get(g) ?? 0), 0);
    if (!frozenIds.has(c.id) && c.expectedSecureBits > 0 && waiting <= 0 && free < c.expectedSecureBits) continue;
    kept.push(c);
    let e = weightBits(c);
    for (const g of partners) {
      const r = Math.min(e, row.get(g) ?? 0);
      if (r > 0) {
        row.set(g, row.get(g)! - r);
        e -= r;
      }
    }
    row.set(c.stationId, (row.get(c.stationId) ?? 0) + Math.min(e, free));
    for (const p of pairs) {
      const r = Math.min(row.get(p.a) ?? 0, row.get(p.b) ?? 0);
      if (r > 0) {
        row.set(p.a, row.get(p.a)! - r);
        row.set(p.b, row.get(p.b)! - r);
      }
    }
  }
  return kept.sort((x, y) => x.startMs - y.startMs || x.id.localeCompare(y.id));
}
