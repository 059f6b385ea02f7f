/** One row of a measured loss curve as the wire carries it (REST calibration, executed-pass outcomes). */
import { z } from 'zod';

export const MeasuredLossRowSchema = z.object({
  timeS: z.number(),
  rangeKm: z.number().positive().max(1e6),
  elevationDeg: z.number().gt(0).max(90),
  lossDb: z.number().min(0).max(400),
  sigmaDb: z.number().positive().optional(),
});
