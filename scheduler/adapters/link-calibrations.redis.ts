/**
 * Calibrated links per (satellite, station), and the outcomes reported for executed bookings.
 * Keys: `<prefix>:linkcal:<noradId>:<stationId>` (JSON record + version), `<prefix>:linkcal:index` (set of
 * record keys), `<prefix>:outcomes` (hash bookingId -> outcome JSON; HSETNX: one outcome per booking).
 * Updates are compare-and-set on the record's version, so two outcomes for one link never lose each other.
 */
import type { Redis } from 'ioredis';
import type { LinkConfig } from '../../src/core/channel/index.js';
import { loadLua, newOpId, runLua } from '../../src/platform/lua.js';
import type { LinkCalibrationRecord } from '../domain/link-calibration.js';

const CAS = loadLua({
  name: 'sched_link_calibration_cas',
  file: new URL('./lua/link-calibration-cas.lua', import.meta.url).pathname,
  keys: 2,
  idempotent: 86_400_000,
});

export class LinkCalibrationStore {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {}
  private rec = (noradId: number, stationId: string) => `${this.prefix}:linkcal:${noradId}:${stationId}`;
  private get index() {
    return `${this.prefix}:linkcal:index`;
  }

  async get(
    noradId: number,
    stationId: string,
  ): Promise<{ record: LinkCalibrationRecord; version: string } | undefined> {
    const [version, json] = await this.redis.hmget(this.rec(noradId, stationId), 'version', 'record');
    return json ? { record: JSON.parse(json) as LinkCalibrationRecord, version: version ?? '' } : undefined;
  }

  /** Read-modify-write with retries; `update` gets the current record (or undefined) and returns the new one. */
  async update(
    noradId: number,
    stationId: string,
    update: (
      prev: LinkCalibrationRecord | undefined,
    ) => LinkCalibrationRecord | undefined | Promise<LinkCalibrationRecord | undefined>,
  ): Promise<LinkCalibrationRecord | undefined> {
    for (let attempt = 0; attempt < 8; attempt++) {
      const cur = await this.get(noradId, stationId);
      const next = await update(cur?.record);
      if (!next || next === cur?.record) return cur?.record;
      const expected = cur?.version ?? '';
      const ok = await runLua(this.redis, CAS, {
        keys: [this.rec(noradId, stationId), this.index],
        args: [expected, JSON.stringify(next)],
        opKey: `${this.prefix}:sched:op:linkcal:${newOpId()}`,
      });
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
