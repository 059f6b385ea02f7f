/** What the scheduler's REST routes are given by the composition root, and their shared wire pieces. */
import { z } from 'zod';
import { parseIso } from '../../src/core/time/index.js';
import type { Clock } from '../../src/platform/clock.js';
import type { BookingStore } from '../adapters/booking-store.redis.js';
import type { ReplanRequest, StoredPlan } from '../adapters/planner.service.js';

export interface SchedulerRouteDeps {
  store: BookingStore;
  clock: Clock;
  stationIds: () => Promise<ReadonlySet<string>>;
  /** Plans now (synchronously). */
  replan: (req: ReplanRequest) => Promise<StoredPlan>;
  /** Queues a plan for a worker (for large ones); absent = always synchronous. */
  enqueuePlan?: (planId: string, req: ReplanRequest) => Promise<void>;
  /** True while a queued plan has not been computed yet. */
  planQueued?: (planId: string) => Promise<boolean>;
  /** Drops a cancelled booking's pending job. */
  dropPass?: (id: string) => Promise<void>;
  /** Which satellites carry a QKD terminal (scheduler.terminals; undefined: every catalogued one). */
  terminals: { preset: string; terminals: Record<string, string> | undefined };
  /** tle.staleDays (default 14): bookings report their element set's age and `stale` beyond it. */
  staleDays?: number;
  /** Job counts per queue and state (the queue overview, role admin). */
  queueCounts?: () => Promise<Record<string, Record<string, number>>>;
}

/** An ISO-8601 instant with a zone, named in the error. */
export const iso = (field: string) =>
  z.string().refine((s) => !Number.isNaN(parseIso(s)), `${field}: expected ISO-8601 with a zone`);
