/**
 * Calibrated links per (satellite, station), and the outcomes reported for executed bookings.
 * Keys: `<prefix>:linkcal:<noradId>:<stationId>` (JSON record + version), `<prefix>:linkcal:index` (set of
 * record keys), `<prefix>:outcomes` (hash bookingId -> outcome JSON; HSETNX: one outcome per booking).
 * Updates are compare-and-set on the record's version, so two outcomes for one link never lose each other.
 */
import type { Redis } from 'ioredis';
import type { LinkConfig } from '../../src/core/channel/index.js';
import type { LinkCalibrationRecord } from '../domain/link-calibration.js';

/** KEYS[1] record, KEYS[2] index; ARGV[1] expected version ('' = absent), ARGV[2] JSON. Returns 1 or 0 (stale). */
const CAS = `
local v = redis.call('HGET', KEYS[1], 'version')
if (v or '') ~= ARGV[1] then return 0 end
redis.call('HSET', KEYS[1], 'version', tostring((tonumber(v) or 0) + 1), 'record', ARGV[2])
redis.call('SADD', KEYS[2], KEYS[1])
return 1`;

export class LinkCalibrationStore {
  constructor(private readonly redis: Redis, private readonly prefix: string) {}
  private rec = (noradId: number, stationId: string) => `${this.prefix}:linkcal:${noradId}:${stationId}`;
  private get index() { return `${this.prefix}:linkcal:index`; }

  async get(noradId: number, stationId: string): Promise<{ record: LinkCalibrationRecord; version: string } | undefined> {
    const [version, json] = await this.redis.hmget(this.rec(noradId, stationId), 'version', 'record');
    return json ? { record: JSON.parse(json) as LinkCalibrationRecord, version: version ?? '' } : undefined;
  }

  /** Read-modify-write with retries; `update` gets the current record (or undefined) and returns the new one. */
  async update(noradId: number, stationId: string, update: (prev: LinkCalibrationRecord | undefined) => LinkCalibrationRecord | undefined | Promise<LinkCalibrationRecord | undefined>): Promise<LinkCalibrationRecord | undefined> {
    for (let attempt = 0; attempt < 8; attempt++) {
      const cur = await this.get(noradId, stationId);
      const next = await update(cur?.record);
      if (!next || next === cur?.record) return cur?.record;
      const ok = await this.redis.eval(CAS, 2, this.rec(noradId, stationId), this.index, cur?.version ?? '', JSON.stringify(next));
      if (ok === 1) return next;
    }
    throw new Error(`link calibration ${noradId}:${stationId}: too many concurrent updates`);
  }

  /** Every calibrated link, keyed `<noradId>:<stationId>` (what the planner reads once per plan). */
  async links(): Promise<Map<string, LinkConfig>> {
    const keys = await this.redis.smembers(this.index);
    const out = new Map<string, LinkConfig>();
    for (const k of keys) {
      const json = await this.redis.hget(k, 'record');
      if (!json) continue;
      const r = JSON.parse(json) as LinkCalibrationRecord;
      out.set(`${r.noradId}:${r.stationId}`, r.link);
    }
    return out;
  }

  /** Records a booking's outcome once; false when one was already recorded. */
  async recordOutcome(bookingId: string, outcome: unknown): Promise<boolean> {
    return (await this.redis.hsetnx(`${this.prefix}:outcomes`, bookingId, JSON.stringify(outcome))) === 1;
  }

  async forgetOutcome(bookingId: string): Promise<void> {
    await this.redis.hdel(`${this.prefix}:outcomes`, bookingId);
  }

  async getOutcome(bookingId: string): Promise<unknown> {
    const json = await this.redis.hget(`${this.prefix}:outcomes`, bookingId);
    return json ? JSON.parse(json) : undefined;
  }
}
