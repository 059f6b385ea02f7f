/**
 * Booking state machine, after AWS Ground Station's contact states:
 * SCHEDULED -> PREPASS -> PASS -> COMPLETED, or CANCELLED / FAILED / SUPERSEDED, with a reason.
 * Terminal states release the station and the satellite.
 */
import { z } from 'zod';

const BookingStateSchema = z.enum(['SCHEDULED', 'PREPASS', 'PASS', 'COMPLETED', 'CANCELLED', 'FAILED', 'SUPERSEDED']);
export type BookingState = z.infer<typeof BookingStateSchema>;

export const TRANSITIONS: Record<BookingState, readonly BookingState[]> = {
  SCHEDULED: ['PREPASS', 'CANCELLED', 'SUPERSEDED', 'FAILED'],
  PREPASS: ['PASS', 'CANCELLED', 'FAILED'],
  PASS: ['COMPLETED', 'FAILED'],
  COMPLETED: [],
  CANCELLED: [],
  FAILED: [],
  SUPERSEDED: ['SCHEDULED'],
};

export const TERMINAL: ReadonlySet<BookingState> = new Set(['COMPLETED', 'CANCELLED', 'FAILED', 'SUPERSEDED']);
/** States that hold the station and the satellite. */
export const ACTIVE: ReadonlySet<BookingState> = new Set(['SCHEDULED', 'PREPASS', 'PASS']);

export const canTransition = (from: BookingState, to: BookingState): boolean => TRANSITIONS[from].includes(to);

export const BookingSchema = z.object({
  id: z.string(),
  noradId: z.number().int(),
  stationId: z.string(),
  startMs: z.number(),
  endMs: z.number(),
  expectedSecureBits: z.number().describe('secure bits the pass yields if the sky is clear (finite-key model)'),
  clearSkyProbability: z.number(),
  state: BookingStateSchema,
  reason: z.string(),
  planId: z.string(),
  updatedMs: z.number(),
  deliveredBits: z.number().optional(),
  /** Epoch of the element set the pass was predicted from. */
  elementSetEpochMs: z.number().optional(),
});
export type Booking = z.infer<typeof BookingSchema>;

/** A job that fires more than `toleranceMs` after AOS missed its pass (e.g. the workers were down). */
export const isStale = (booking: Pick<Booking, 'startMs' | 'state'>, nowMs: number, toleranceMs: number): boolean =>
  booking.state === 'SCHEDULED' && nowMs > booking.startMs + toleranceMs;
