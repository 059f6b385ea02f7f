/**
 * Booking store on Redis. Booking and state changes are single Lua scripts (lua/*.lua), so no
 * station or satellite is double-booked even with racing planners. All keys share the prefix's
 * hash tag (`{qkdsat}` by default), so the scripts run unchanged on Redis Cluster.
 */
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Redis } from 'ioredis';
import { QkdsatError } from '../../src/core/errors.js';
import { loadLua, newOpId, runLua, type LuaScript } from '../../src/platform/lua.js';
import { execAll } from '../../src/platform/redis.js';
import { BookingSchema, TERMINAL, TRANSITIONS, type Booking, type BookingState } from '../domain/booking.js';
import type { Candidate, Gaps } from '../domain/candidate.js';

const dir = join(dirname(fileURLToPath(import.meta.url)), 'lua');
/** Ledger TTL of booking operations: longer than any job retry. */
const OP_TTL_MS = 86_400_000;
const ERRORS = {
  [-1]: { code: 'CONFLICT', message: 'station already booked in that window (slew gap included)' },
  [-2]: { code: 'CONFLICT', message: 'satellite already booked in that window (retarget gap included)' },
  [-3]: { code: 'CONFLICT', message: 'booking already in a final state' },
  [-4]: { code: 'NOT_FOUND', message: 'booking not found' },
  [-5]: { code: 'CONFLICT', message: 'state transition not allowed' },
} as const;
const SCRIPTS = {
  book: loadLua({ name: 'sched_book', file: join(dir, 'book.lua'), keys: 4, idempotent: OP_TTL_MS, errors: ERRORS }),
  transition: loadLua({
    name: 'sched_transition',
    file: join(dir, 'transition.lua'),
    keys: 3,
    idempotent: OP_TTL_MS,
    errors: ERRORS,
  }),
} satisfies Record<string, LuaScript>;
type ScriptName = keyof typeof SCRIPTS;
/** Longest pass the store expects (bounds the conflict scan window). */
const MAX_PASS_MS = 30 * 60_000;

export interface BookingQuery {
  station?: string;
  fromMs?: number;
  toMs?: number;
}
export interface BookingPageQuery {
  stations?: readonly string[];
  satellites?: readonly number[];
  fromMs?: number;
  toMs?: number;
  limit: number;
  after?: { startMs: number; id: string };
}

export class BookingStore {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    private readonly gaps: Gaps,
  ) {}

  private k = {
    booking: (id: string) => `${this.prefix}:sched:booking:${id}`,
    station: (id: string) => `${this.prefix}:sched:station:${id}`,
    sat: (norad: number | string) => `${this.prefix}:sched:sat:${norad}`,
    all: () => `${this.prefix}:sched:bookings`,
    plan: (id: string) => `${this.prefix}:sched:plan:${id}`,
    op: (id: string) => `${this.prefix}:sched:op:${id}`,
  };

  /** Runs a booking script under an operation ID: a re-sent script answers its first outcome. */
  private async run(
    name: ScriptName,
    opId: string,
    id: string,
    keys: string[],
    args: (string | number)[],
  ): Promise<number> {
    return Number(await runLua(this.redis, SCRIPTS[name], { keys, args, opKey: this.k.op(opId), subject: id }));
  }

  /** Books a pass; 'booked' or 'exists' (idempotent); throws CONFLICT when a resource is taken. */
  async book(candidate: Candidate, planId: string, nowMs: number): Promise<'booked' | 'exists'> {
    const code = await this.run(
      'book',
      `book:${planId}:${candidate.id}`,
      candidate.id,
      [this.k.booking(candidate.id), this.k.station(candidate.stationId), this.k.sat(candidate.noradId), this.k.all()],
      [
        candidate.id,
        candidate.startMs,
        candidate.endMs,
        this.gaps.stationSlewMs,
        this.gaps.satelliteRetargetMs,
        MAX_PASS_MS,
        nowMs,
        'noradId',
        candidate.noradId,
        'stationId',
        candidate.stationId,
        'expectedSecureBits',
        candidate.expectedSecureBits,
        'clearSkyProbability',
        candidate.clearSkyProbability,
        'planId',
        planId,
        ...(candidate.elementSetEpochMs !== undefined ? ['elementSetEpochMs', candidate.elementSetEpochMs] : []),
      ],
    );
    return code === 1 ? 'booked' : 'exists';
  }

  /** Moves a booking; true when it moved, false when already there; throws on illegal moves. */
  async transition(
    id: string,
    to: BookingState,
    reason: string,
    nowMs: number,
    extra: Record<string, string | number> = {},
  ): Promise<boolean> {
    const b = await this.get(id);
    if (!b) throw new QkdsatError('NOT_FOUND', `${id}: booking not found`);
    const from = (Object.keys(TRANSITIONS) as BookingState[]).filter((s) => TRANSITIONS[s].includes(to));
    const code = await this.run(
      'transition',
      `transition:${newOpId()}`,
      id,
      [this.k.booking(id), this.k.station(b.stationId), this.k.sat(b.noradId)],
      [to, reason, nowMs, from.join(','), TERMINAL.has(to) ? '1' : '0', ...Object.entries(extra).flat()],
    );
    return code === 1;
  }

  async get(id: string): Promise<Booking | undefined> {
    return this.parse(await this.redis.hgetall(this.k.booking(id)));
  }

  private parse(h: Record<string, string>): Booking | undefined {
    if (!h.id) return undefined;
    return BookingSchema.parse({
      ...h,
      noradId: Number(h.noradId),
      startMs: Number(h.startMs),
      endMs: Number(h.endMs),
      expectedSecureBits: Number(h.expectedSecureBits),
      clearSkyProbability: Number(h.clearSkyProbability),
      updatedMs: Number(h.updatedMs),
      planId: h.planId ?? '',
      reason: h.reason ?? '',
      ...(h.deliveredBits !== undefined ? { deliveredBits: Number(h.deliveredBits) } : {}),
      ...(h.elementSetEpochMs !== undefined ? { elementSetEpochMs: Number(h.elementSetEpochMs) } : {}),
    });
  }

  async list(query: BookingQuery = {}): Promise<Booking[]> {
    const ids = await this.redis.zrangebyscore(this.k.all(), query.fromMs ?? '-inf', query.toMs ?? '+inf');
    const out: Booking[] = [];
    for (let i = 0; i < ids.length; i += 500) {
      for (const b of await this.getMany(ids.slice(i, i + 500)))
        if (!query.station || b.stationId === query.station) out.push(b);
    }
    return out;
  }

  /** Bookings by (start, id), after `after`, filtered, at most `limit`; `more` when others follow. */
  async page(query: BookingPageQuery): Promise<{ items: Booking[]; more: boolean }> {
    const items: Booking[] = [];
    const stations = query.stations ? new Set(query.stations) : undefined,
      sats = query.satellites ? new Set(query.satellites) : undefined;
    const min = query.after ? Math.max(query.after.startMs, query.fromMs ?? -Infinity) : query.fromMs;
    const chunk = Math.max(100, 2 * query.limit);
    for (let offset = 0; ; offset += chunk) {
      const raw = await this.redis.zrangebyscore(
        this.k.all(),
        min ?? '-inf',
        query.toMs === undefined ? '+inf' : `(${query.toMs}`,
        'WITHSCORES',
        'LIMIT',
        offset,
        chunk,
      );
      const ids: string[] = [];
      for (let i = 0; i < raw.length; i += 2) {
        const id = raw[i]!,
          score = Number(raw[i + 1]);
        if (query.after && score === query.after.startMs && id <= query.after.id) continue;
        ids.push(id);
      }
      for (const b of await this.getMany(ids)) {
        if ((stations && !stations.has(b.stationId)) || (sats && !sats.has(b.noradId))) continue;
        if (items.length === query.limit) return { items, more: true };
        items.push(b);
      }
      if (raw.length < 2 * chunk) return { items, more: false };
    }
  }

  /** Ids of active (SCHEDULED, PREPASS, PASS) bookings of a station or satellite. */
  async activeIds(kind: 'station' | 'satellite', id: string): Promise<string[]> {
    const members = await this.redis.zrange(kind === 'station' ? this.k.station(id) : this.k.sat(id), 0, -1);
    return members.map((m) => m.split('|').slice(2).join('|'));
  }

  private async getMany(ids: readonly string[]): Promise<Booking[]> {
    if (ids.length === 0) return [];
    const pipe = this.redis.pipeline();
    for (const id of ids) pipe.hgetall(this.k.booking(id));
    const res = await execAll(pipe);
    return res.map((h) => this.parse(h as Record<string, string>)).filter((b): b is Booking => !!b);
  }

  async savePlan(id: string, plan: unknown): Promise<void> {
    await this.redis.set(this.k.plan(id), JSON.stringify(plan), 'EX', 14 * 86_400);
  }

  async getPlan(id: string): Promise<unknown> {
    const raw = await this.redis.get(this.k.plan(id));
    return raw ? JSON.parse(raw) : undefined;
  }

  /** Removes every key of this store (tests). */
  async clear(): Promise<void> {
    const keys = await this.redis.keys(`${this.prefix}:sched:*`);
    if (keys.length) await this.redis.del(...keys);
  }
}
