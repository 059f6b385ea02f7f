/**
 * Ports of the scheduler's adapters; the composition roots (src/worker.ts, src/main.ts, CLI) wire them.
 */
import type { Booking } from '../domain/booking.js';
import type { Candidate, Demand, Gaps } from '../domain/candidate.js';
import type { Plan, SolverKind } from '../domain/plan.js';

export interface CandidateOptions {
  /** Keep passes predicted from element sets beyond `staleDays` from their epoch (default: refuse them). */
  allowStale?: boolean;
  /** tle.staleDays (default 14). */
  staleDays?: number;
}

/** Predicted, weighted passes in [fromMs, toMs): pass finder + key-rate core + clear-sky climatology. */
export type CandidateSource = (fromMs: number, toMs: number, opts?: CandidateOptions) => Promise<Candidate[]>;

export interface PassOutcome {
  secureBits: number;
  qber?: number;
  cloudy: boolean;
}
/** Runs (here: simulates with seeded weather and turbulence draws) one booked pass. */
export type RunPass = (booking: Booking, seed: number) => Promise<PassOutcome>;

/**
 * Where a pass's key goes. Structurally the relay's KeyBlockSink (relay/adapters/key-block-sink.ts),
 * so worker.ts passes `redisKeyBlockSink(keyStore)` as is; the scheduler never imports relay.
 */
export interface PassKeySink {
  /** `depositId` makes the deposit idempotent: a second deposit under it returns the first result. */
  deposit(
    stationId: string,
    noradId: number,
    bits: number,
    meta?: { passId?: string; source?: string; qber?: number; depositId?: string },
  ): Promise<{ blockId: string }>;
}

/** One planning problem as plain data (what a compute thread receives). */
export interface PlanProblem {
  cands: Candidate[];
  demand: Demand;
  solver: SolverKind;
  timeLimitS: number;
  gaps: Gaps;
  fixedIds: string[];
  weather?: { scenarios: number; seed: number };
}
/** Solves a plan (inline, or in the API process's compute thread pool). */
export type PlanComputer = (problem: PlanProblem) => Promise<Plan>;
