/**
 * POST /v1/calibrations: fit chosen link parameters to a measured loss curve (docs/physics.md §6), the
 * REST twin of `qkdsat calibrate`. The response carries the calibrated link (the LinkConfig shape, with
 * a `calibration` block naming its data), ready for POST /v1/simulations/*.
 */
import { z } from 'zod';
import { calibrateLink, DEFAULT_FIT, FIT_PARAMETERS, normalisationOf, type LinkConfig } from '../core/channel/index.js';
import { QkdsatError } from '../core/errors.js';
import { findPreset, PRESETS } from '../core/presets/index.js';
import type { Api } from './route.js';
import { LinkConfigSchema } from './simulations.schemas.js';
import { MeasuredLossRowSchema } from '../core/channel/measured-loss.js';

const CalibrationRequestSchema = z
  .object({
    preset: z.string().optional(),
    link: LinkConfigSchema.optional(),
    fit: z
      .array(z.enum(FIT_PARAMETERS.map((p) => p.name) as [string, ...string[]]))
      .min(1)
      .max(4)
      .optional(),
    measured: z.array(MeasuredLossRowSchema).min(3).max(20_000),
    lossIncludesDetector: z.boolean().optional(),
    /** Names the data in the calibrated link's `calibration` block. */
    dataName: z.string().min(1).max(200).optional(),
  })
  .refine((b) => (b.preset === undefined) !== (b.link === undefined), {
    message: 'give exactly one of preset or link',
    path: ['preset'],
  });

const CalibrationResponseSchema = z
  .object({
    normalisation: z.enum(['emitted', 'transmitted']),
    parameters: z.array(
      z.object({
        name: z.string(),
        unit: z.string(),
        initial: z.number(),
        value: z.number(),
        standardError: z.number(),
        atBound: z.boolean(),
        prior: z.string(),
      }),
    ),
    chiSquare: z.number(),
    degreesOfFreedom: z.number(),
    reducedChiSquare: z.number(),
    sigmaSource: z.enum(['column', 'residuals']),
    rmsResidualDb: z.number(),
    residualsByElevation: z.array(
      z.object({ fromDeg: z.number(), toDeg: z.number(), rows: z.number(), meanDb: z.number(), rmsDb: z.number() }),
    ),
    iterations: z.number(),
    evaluations: z.number(),
    converged: z.boolean(),
    link: LinkConfigSchema,
  })
  .meta({ id: 'Calibration' });

export function registerCalibrationRoutes(api: Api): void {
  api.route({
    method: 'post',
    path: '/v1/calibrations',
    tags: ['simulations'],
    role: 'viewer', // a computation: nothing is stored
    summary:
      'Fit link parameters to a measured loss curve (weighted least squares): values with standard errors, χ², ' +
      'residuals per elevation bin, the calibrated link',
    body: CalibrationRequestSchema,
    response: CalibrationResponseSchema,
    handler: ({ body }) => {
      let link: LinkConfig;
      if (body.preset !== undefined) {
        const p = findPreset(body.preset);
        if (!p)
          throw new QkdsatError(
            'VALIDATION',
            `body.preset: unknown preset '${body.preset}' (known: ${PRESETS.map((x) => x.id).join(', ')})`,
            [{ path: ['body', 'preset'], message: 'unknown preset' }],
          );
        link = p.link;
      } else link = body.link as LinkConfig;
      try {
        const r = calibrateLink(link, body.measured, {
          fit: body.fit ?? DEFAULT_FIT,
          lossIncludesDetector: body.lossIncludesDetector ?? false,
          dataName: body.dataName ?? 'POST /v1/calibrations body',
        });
        return { normalisation: normalisationOf(link), ...r, link: r.link as z.infer<typeof LinkConfigSchema> };
      } catch (e) {
        if (e instanceof RangeError)
          throw new QkdsatError('VALIDATION', `body.fit: ${e.message}`, [
            { path: ['body', 'fit'], message: e.message },
          ]);
        throw e;
      }
    },
  });
}
