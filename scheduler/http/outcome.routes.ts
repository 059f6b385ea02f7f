/**
 * POST /v1/bookings/{id}/outcome: an executed pass reports what it measured (sifted bits, QBER, final
 * key, optionally a loss curve); the (satellite, station) link calibration updates from it
 * (docs/physics.md §6.5) and the next plan weighs candidates with the calibrated link.
 * GET /v1/bookings/{id}/outcome returns what was reported.
 */
import { z } from 'zod';
import type { Api } from '../../src/api/route.js';
import { QkdsatError } from '../../src/core/errors.js';
import type { Clock } from '../../src/platform/clock.js';
import { PassOutcomeReportSchema, updateLinkCalibration, type CalibrationUpdate } from '../domain/link-calibration.js';
import { presetFor, type TerminalPresetOf } from '../domain/yield-model.js';
import type { BookingStore } from '../adapters/booking-store.redis.js';
import type { LinkCalibrationStore } from '../adapters/link-calibrations.redis.js';
import type { SiftedPredictor } from '../adapters/sifted-predictor.js';

export interface OutcomeRouteDeps {
  store: BookingStore;
  calibrations: LinkCalibrationStore;
  clock: Clock;
  presetOf: TerminalPresetOf;
  /** Model sifted bits for the booked pass under a link; absent = count-only outcomes do not calibrate. */
  predictSifted?: SiftedPredictor;
}

const OutcomeResponseSchema = z.object({
  bookingId: z.string(),
  noradId: z.number(),
  stationId: z.string(),
  calibration: z.object({
    method: z.enum(['loss-curve', 'sifted-counts', 'none']),
    rmsResidualDb: z.number().optional(),
    parameters: z.array(z.object({ name: z.string(), value: z.number(), standardError: z.number() })).optional(),
    siftedRatio: z.number().optional(),
    receiverOpticsEfficiency: z.number().optional(),
    aerosolOpticalDepth: z.number().optional(),
  }),
});

export function registerOutcomeRoutes(api: Api, deps: OutcomeRouteDeps): void {
  api.route({
    method: 'post',
    path: '/v1/bookings/:id/outcome',
    tags: ['scheduler'],
    status: 201,
    errors: [404, 409],
    summary: 'Report the measured outcome of an executed pass; updates the link calibration the planner uses',
    params: z.object({ id: z.string().min(1).max(200) }),
    body: PassOutcomeReportSchema,
    response: OutcomeResponseSchema,
    handler: async ({ params, body }) => {
      const booking = await deps.store.get(params.id);
      if (!booking) throw new QkdsatError('NOT_FOUND', `booking ${params.id} not found`);
      if (booking.state !== 'COMPLETED' && booking.state !== 'PASS')
        throw new QkdsatError(
          'CONFLICT',
          `booking ${params.id} is ${booking.state}: only an executed pass (PASS or COMPLETED) has an outcome`,
        );
      const presetId = deps.presetOf(booking.noradId);
      if (presetId === undefined)
        throw new QkdsatError('CONFLICT', `satellite ${booking.noradId} carries no QKD terminal`);
      if (!(await deps.calibrations.recordOutcome(booking.id, { ...body, reportedMs: deps.clock.now() })))
        throw new QkdsatError('CONFLICT', `booking ${params.id} already has an outcome`);
      const base = presetFor(presetId).link;
      let result: CalibrationUpdate = { method: 'none', record: undefined, detail: {} };
      try {
        await deps.calibrations.update(booking.noradId, booking.stationId, async (prev) => {
          const predicted =
            body.lossCurve || !deps.predictSifted
              ? undefined
              : await deps.predictSifted(booking, presetId, prev?.link ?? base);
          result = updateLinkCalibration(
            prev,
            {
              noradId: booking.noradId,
              stationId: booking.stationId,
              presetId,
              bookingId: booking.id,
              nowMs: deps.clock.now(),
            },
            base,
            body,
            predicted,
          );
          return result.record;
        });
      } catch (e) {
        await deps.calibrations.forgetOutcome(booking.id); // nothing was learnt: let the caller retry
        if (e instanceof RangeError)
          throw new QkdsatError('VALIDATION', `body.lossCurve: ${e.message}`, [
            { path: ['body', 'lossCurve'], message: e.message },
          ]);
        throw e;
      }
      const link = result.record?.link;
      return {
        bookingId: booking.id,
        noradId: booking.noradId,
        stationId: booking.stationId,
        calibration: {
          method: result.method,
          ...result.detail,
          ...(link && result.method !== 'none'
            ? {
                receiverOpticsEfficiency: link.receiver.opticsEfficiency,
                aerosolOpticalDepth: link.atmosphere.aerosolOpticalDepth ?? 0,
              }
            : {}),
        },
      };
    },
  });
  api.route({
    method: 'get',
    path: '/v1/bookings/:id/outcome',
    tags: ['scheduler'],
    errors: [404],
    summary: 'The outcome reported for an executed pass',
    params: z.object({ id: z.string().min(1).max(200) }),
    response: PassOutcomeReportSchema.extend({ reportedMs: z.number() }),
    handler: async ({ params }) => {
      const o = await deps.calibrations.getOutcome(params.id);
      if (!o) throw new QkdsatError('NOT_FOUND', `no outcome for booking ${params.id}`);
      return o as z.infer<typeof PassOutcomeReportSchema> & { reportedMs: number };
    },
  });
}
