/**
 * An independent check of the key pools against the audit stream and what consumers received,
 * for the fault tests and the soak: it reads Redis directly and recomputes every link's balance
 * from the audit entries (deposits and relayed key in; bits drawn by deliveries, relays and voids,
 * and expired segments out), and checks that no listed segment is listed twice or in another state.
 */
import type { Redis } from 'ioredis';
import { deliveriesOf, readAudit } from '../../relay/index.js';

export interface LedgerReport {
  /** link -> { stored: poolbits, audited: balance from the audit, listed: bits of listed available segments } */
  links: Record<string, { stored: number; audited: number; listed: number }>;
  problems: string[];
}

export async function checkLedger(redis: Redis, prefix: string): Promise<LedgerReport> {
  const audited: Record<string, number> = {};
  const add = (link: string, bits: number) => {
    audited[link] = (audited[link] ?? 0) + bits;
  };
  for await (const e of readAudit(redis, prefix)) {
    const d = e.data as Record<string, unknown>;
    const drawn = (d.drawn ?? {}) as Record<string, number>;
    if (e.type === 'deposit') add(String(d.link), Number(d.bits));
    if (e.type === 'relay' && d.outcome === 'relayed') {
      const [a, b] = [String(d.from), String(d.to)].sort();
      add(`relayed:${a}~${b}`, Number(d.bits));
    }
    if (e.type === 'void' || e.type === 'relay') for (const [link, bits] of Object.entries(drawn)) add(link, -bits);
    for (const delivery of deliveriesOf(e))
      for (const [link, bits] of Object.entries(delivery.drawn ?? {})) add(link, -bits);
    if (e.type === 'expire' && d.segment) add(String(d.link), -Number(d.bits));
  }
  const stored = await redis.hgetall(`${prefix}poolbits`);
  const links = new Set([...Object.keys(stored), ...Object.keys(audited)]);
  const report: LedgerReport = { links: {}, problems: [] };
  for (const link of links) {
    const ids = await redis.lrange(`${prefix}pool:${link}`, 0, -1);
    if (new Set(ids).size !== ids.length) report.problems.push(`${link}: a segment is listed twice`);
    let listed = 0;
    for (const id of ids) {
      const [state, bits, segLink] = await redis.hmget(`${prefix}seg:${id}`, 'state', 'bits', 'link');
      if (state !== 'available' || segLink !== link)
        report.problems.push(`${link}: listed ${id} is ${state ?? 'missing'}`);
      else listed += Number(bits);
    }
    const row = { stored: Number(stored[link] ?? 0), audited: audited[link] ?? 0, listed };
    report.links[link] = row;
    if (row.stored !== row.audited || row.stored !== row.listed)
      report.problems.push(`${link}: stored ${row.stored}, audited ${row.audited}, listed ${row.listed}`);
  }
  return report;
}

/** Waits until the KME's lease sweep has passed `ms` (every lease taken before it is settled), up to 20 s. */
export async function leasesSweptPast(redis: Redis, prefix: string, ms: number): Promise<void> {
  for (let t = 0; t < 200; t += 1) {
    if (Number(await redis.get(`${prefix}lease:cursor`)) > ms / 1000 + 1) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('the lease sweep did not pass the given time within 20 s');
}
