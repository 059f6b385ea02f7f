/**
 * Key-pool metrics, read from Redis at scrape time, so they are the same whichever process moved
 * the key (workers deposit, the API relays, the KME delivers and expires):
 *   qkdsat_pool_bits{link,kind}                      available bits per pool (gauge)
 *   qkdsat_key_deposited_bits_total{link}            from the audit's `deposit` entries
 *   qkdsat_key_relayed_bits_total                    `relay` entries (bits stored in relayed pools)
 *   qkdsat_key_delivered_bits_total                  `deliver` entries, master side (bits drawn)
 *   qkdsat_key_expired_bits_total                    `expire` entries
 *   qkdsat_key_voided_bits_total{reason}             `void` entries: integrity, response_not_sent,
 *                                                    serving_process_lost, relay_stitch
 * The counters follow the hash-chained audit stream (lua/prelude.lua) from its first entry, so
 * they are totals since the pools began and survive restarts; every process that registers them
 * reports the same values (aggregate with max, not sum). Nothing here touches key material.
 */
import type { Redis } from 'ioredis';
import { scrapeCounter, scrapeGauge } from '../../src/platform/metrics.js';
import type { KeyStore } from './key-store.redis.js';

type Totals = {
  deposited: Map<string, number>;
  relayed: number;
  delivered: number;
  expired: number;
  voided: Map<string, number>;
};

const sumValues = (o: unknown): number =>
  o && typeof o === 'object'
    ? Object.values(o as Record<string, unknown>).reduce<number>((s, v) => s + (typeof v === 'number' ? v : 0), 0)
    : 0;

function voidReason(d: Record<string, unknown>): string {
  if (d.reason === 'integrity') return 'integrity';
  if (typeof d.relayId === 'string') return 'relay_stitch';
  if (d.reason === 'response not sent') return 'response_not_sent';
  return 'serving_process_lost';
}

/** Adds one audit entry's flow to the totals (exported for tests). */
function addAuditFlow(totals: Totals, type: string, data: Record<string, unknown>): void {
  const bits = typeof data.bits === 'number' ? data.bits : 0;
  switch (type) {
    case 'deposit': {
      const link = typeof data.link === 'string' ? data.link : 'unknown';
      totals.deposited.set(link, (totals.deposited.get(link) ?? 0) + bits);
      break;
    }
    case 'relay':
      totals.relayed += bits;
      break;
    case 'expire':
      totals.expired += bits;
      break;
    case 'deliver':
      for (const x of (data.deliveries as Record<string, unknown>[] | undefined) ?? [])
        if (x.side === 'master') totals.delivered += sumValues(x.drawn);
      break;
    case 'void': {
      const v = Array.isArray(data.voided)
        ? (data.voided as { bits?: number }[]).reduce((s, x) => s + (x.bits ?? 0), 0)
        : sumValues(data.drawn);
      const r = voidReason(data);
      totals.voided.set(r, (totals.voided.get(r) ?? 0) + v);
      break;
    }
    default:
  }
}

/** Registers the pool metrics of this store on the process registry. */
export function registerRelayMetrics(redis: Redis, store: KeyStore, maxEntriesPerScrape = 50_000): void {
  const t: Totals = { deposited: new Map(), relayed: 0, delivered: 0, expired: 0, voided: new Map() };
  let last = '-';
  let reading: Promise<void> | undefined;
  const follow = async () => {
    for (let read = 0; read < maxEntriesPerScrape;) {
      const rows = (await redis.xrange(`${store.prefix}audit`, last, '+', 'COUNT', 2000)) as [string, string[]][];
      for (const [id, fields] of rows) {
        const f: Record<string, string> = {};
        for (let i = 0; i + 1 < fields.length; i += 2) f[fields[i]!] = fields[i + 1]!;
        let data: Record<string, unknown> = {};
        try {
          data = JSON.parse(f.data ?? '{}') as Record<string, unknown>;
        } catch {
          /* an unreadable entry moves no bits */
        }
        addAuditFlow(t, f.type ?? '', data);
        last = `(${id}`;
      }
      read += rows.length;
      if (rows.length < 2000) return;
    }
  };
  // One read per scrape, shared by the counters below.
  const caughtUp = () =>
    (reading ??= follow().finally(() => {
      reading = undefined;
    }));
  scrapeGauge('qkdsat_pool_bits', 'Available key bits per pool (link) and link kind', ['link', 'kind'], async (g) => {
    const stats = await store.poolStats();
    g.reset();
    for (const p of stats) g.set({ link: p.link, kind: p.meta?.kind ?? 'unknown' }, p.storedBits);
  });
  /** A counter rebuilt at scrape time from the audit totals: one value, or one per label value. */
  const fromTotals = (name: string, help: string, label: string | undefined, get: () => number | Map<string, number>) =>
    scrapeCounter(name, help, label ? [label] : [], async (c) => {
      await caughtUp();
      c.reset();
      const value = get();
      if (typeof value === 'number') c.inc(value);
      else for (const [key, bits] of value) c.inc({ [label!]: key }, bits);
    });
  const counters: [name: string, help: string, label: string | undefined, get: () => number | Map<string, number>][] = [
    [
      'qkdsat_key_deposited_bits_total',
      'Key bits deposited into link pools (passes, fibre, admin)',
      'link',
      () => t.deposited,
    ],
    [
      'qkdsat_key_relayed_bits_total',
      'Key bits stored in relayed pools by trusted-node relays',
      undefined,
      () => t.relayed,
    ],
    [
      'qkdsat_key_delivered_bits_total',
      'Key bits delivered to SAEs by the KME (enc_keys responses flushed)',
      undefined,
      () => t.delivered,
    ],
    ['qkdsat_key_expired_bits_total', 'Key bits expired unused (pool lifetime ended)', undefined, () => t.expired],
    [
      'qkdsat_key_voided_bits_total',
      'Key bits voided, by reason (integrity, response_not_sent, serving_process_lost, relay_stitch)',
      'reason',
      () => t.voided,
    ],
  ];
  for (const counter of counters) fromTotals(...counter);
}
