/**
 * Calibrating a (satellite, station) link from executed passes (docs/physics.md §6.5). Pure.
 * - With a loss curve: refit the preset's link on the curves of the last MAX_CURVES reported passes
 *   (weighted least squares of receiver optics efficiency and aerosol optical depth).
 * - With counts only: in the linear regime (η μ ≪ 1, signal ≫ background) sifted counts scale with η,
 *   so measured / predicted sifted bits for the same pass scales the receiver optics efficiency.
 * The planner weighs candidates with the calibrated link when one exists.
 */
import { z } from 'zod';
import { calibrateLink, type LinkConfig, type MeasuredLossRow } from '../../src/core/channel/index.js';
import { MeasuredLossRowSchema } from '../../src/core/channel/measured-loss.js';

const MAX_CURVES = 5;
const OUTCOME_FIT = ['opticsEfficiency', 'aerosolOpticalDepth'];

export const PassOutcomeReportSchema = z.object({
  siftedBits: z.number().int().min(0),
  qber: z.number().min(0).max(0.5),
  finalKeyBits: z.number().int().min(0),
  /** Measured channel loss (detector excluded) over the pass, e.g. from a beacon or the click rate. */
  lossCurve: z.array(MeasuredLossRowSchema).min(3).max(20_000).optional(),
});
export type PassOutcomeReport = z.infer<typeof PassOutcomeReportSchema>;

export interface LinkCalibrationRecord {
  noradId: number;
  stationId: string;
  presetId: string;
  link: LinkConfig;
  /** Loss curves of the last reported passes, newest last, with their booking IDs. */
  curves: Array<{ bookingId: string; rows: MeasuredLossRow[] }>;
  /** Outcomes that updated this calibration. */
  outcomes: number;
  updatedMs: number;
}

export interface CalibrationUpdate {
  method: 'loss-curve' | 'sifted-counts' | 'none';
  record: LinkCalibrationRecord | undefined;
  /** Fit summary (loss-curve) or count ratio (sifted-counts). */
  detail: {
    rmsResidualDb?: number;
    parameters?: Array<{ name: string; value: number; standardError: number }>;
    siftedRatio?: number;
  };
}

/**
 * The new calibration after one outcome. `baseLink` is the preset's physical link (curve fits always
 * restart from it, so errors do not compound); `predictedSiftedBits` is the model's sifted bits for this
 * pass under the current (calibrated or preset) link, when the caller could compute it.
 */
export function updateLinkCalibration(
  prev: LinkCalibrationRecord | undefined,
  key: { noradId: number; stationId: string; presetId: string; bookingId: string; nowMs: number },
  baseLink: LinkConfig,
  outcome: PassOutcomeReport,
  predictedSiftedBits?: number,
): CalibrationUpdate {
  const current = prev?.link ?? baseLink;
  if (outcome.lossCurve) {
    const curves = [
      ...(prev?.curves ?? []).filter((c) => c.bookingId !== key.bookingId),
      { bookingId: key.bookingId, rows: outcome.lossCurve },
    ].slice(-MAX_CURVES);
    const rows = curves.flatMap((c) => c.rows);
    const fit = calibrateLink(baseLink, rows, {
      fit: OUTCOME_FIT,
      dataName: `booking outcomes ${curves.map((c) => c.bookingId).join(', ')}`,
    });
    return {
      method: 'loss-curve',
      record: {
        noradId: key.noradId,
        stationId: key.stationId,
        presetId: key.presetId,
        link: fit.link,
        curves,
        outcomes: (prev?.outcomes ?? 0) + 1,
        updatedMs: key.nowMs,
      },
      detail: {
        rmsResidualDb: fit.rmsResidualDb,
        parameters: fit.parameters.map((p) => ({ name: p.name, value: p.value, standardError: p.standardError })),
      },
    };
  }
  if (predictedSiftedBits !== undefined && predictedSiftedBits > 0 && outcome.siftedBits > 0) {
    const ratio = outcome.siftedBits / predictedSiftedBits;
    const eff = Math.min(1, Math.max(1e-4, current.receiver.opticsEfficiency * ratio));
    const link: LinkConfig = {
      ...current,
      receiver: { ...current.receiver, opticsEfficiency: eff },
      calibration: {
        data:
          `booking ${key.bookingId}: sifted ${outcome.siftedBits} bits vs ` +
          `${Math.round(predictedSiftedBits)} predicted`,
        rows: 1,
        fitted: { opticsEfficiency: { value: eff, standardError: eff / Math.sqrt(outcome.siftedBits) } },
        rmsResidualDb: 0,
        chiSquare: 0,
        degreesOfFreedom: 0,
      },
    };
    return {
      method: 'sifted-counts',
      record: {
        noradId: key.noradId,
        stationId: key.stationId,
        presetId: key.presetId,
        link,
        curves: prev?.curves ?? [],
        outcomes: (prev?.outcomes ?? 0) + 1,
        updatedMs: key.nowMs,
      },
      detail: { siftedRatio: ratio },
    };
  }
  return { method: 'none', record: prev, detail: {} };
}
