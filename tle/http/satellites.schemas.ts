/** Wire schemas of the catalog and pass routes (degrees, ISO-8601 UTC). */
import { z } from 'zod';
import { commaList, pageOf, PageQueryShape } from '../../src/api/paging.js';
import { CATALOG_FORMATS, PassDetailWireSchema } from '../domain/index.js';

export const NoradIdParamSchema = z.object({ noradId: z.coerce.number().int().min(1).max(999_999_999) });

const AssessmentSchema = z.object({
  epochAgeDays: z.number(),
  stale: z.boolean(),
  perigeeAltitudeKm: z.number(),
  lowPerigee: z.boolean(),
});

export const SatelliteSummarySchema = z
  .object({
    noradId: z.number().int(),
    name: z.string().optional(),
    epoch: z.string(),
    source: z.enum(['tle', 'omm']),
    line1: z.string().optional(),
    line2: z.string().optional(),
  })
  .extend(AssessmentSchema.shape)
  .meta({ id: 'SatelliteSummary' });

export const SatelliteDetailSchema = SatelliteSummarySchema.extend({
  elements: z.record(z.string(), z.unknown()),
  history: z.array(z.object({ epoch: z.string(), source: z.enum(['tle', 'omm']) })),
}).meta({ id: 'SatelliteDetail' });

const UploadIssueSchema = z.object({
  code: z.string(),
  message: z.string(),
  line: z.number().int().optional(),
  column: z.number().int().optional(),
  path: z.string().optional(),
});

export const UploadReportSchema = z
  .object({
    format: z.enum(CATALOG_FORMATS).describe('how the body was read: TLE text, or CCSDS OMM as JSON, XML or KVN'),
    accepted: z.array(SatelliteSummarySchema.extend({ index: z.number().int(), current: z.boolean() })),
    rejected: z.array(
      z.object({
        index: z.number().int(),
        noradId: z.number().int().optional(),
        line: z.number().int().optional(),
        issues: z.array(UploadIssueSchema),
      }),
    ),
  })
  .meta({ id: 'UploadReport' });

export const UploadBodySchema = z
  .union([
    z.string().describe('TLE text, OMM XML or OMM KVN (send as text/plain; XML also as application/xml or text/xml)'),
    z.array(z.record(z.string(), z.unknown())),
    z.record(z.string(), z.unknown()),
  ])
  .describe(
    'TLE text (2- or 3-line), CCSDS OMM JSON (one object or an array), ' +
      'OMM XML (<ndm><omm>... as CelesTrak FORMAT=xml) or OMM KVN (CCSDS_OMM_VERS = ... as CelesTrak FORMAT=kvn); ' +
      'the format is detected from the body',
  );

export const MAX_WINDOW_DAYS = 14;

const NoradId = z.coerce.number().int().min(1).max(999_999_999);
const StationIdItem = z.string().regex(/^[a-z0-9][a-z0-9_-]{0,39}$/, 'a station id');

export const SatelliteListQuerySchema = z.object({
  ...PageQueryShape,
  satellite: commaList(NoradId).optional().describe('NORAD ids, comma separated; all when absent'),
  terminalsOnly: z
    .enum(['true', 'false'])
    .optional()
    .describe('true: only satellites with a QKD terminal (scheduler.terminals)'),
});

export const PassQuerySchema = z.object({
  ...PageQueryShape,
  station: commaList(StationIdItem).optional().describe('station ids, comma separated; all stations when absent'),
  satellite: commaList(NoradId).optional().describe('NORAD ids, comma separated; all satellites when absent'),
  terminalsOnly: z
    .enum(['true', 'false'])
    .optional()
    .describe('true: only satellites with a QKD terminal (scheduler.terminals)'),
  from: z.iso.datetime({ offset: true }),
  to: z.iso.datetime({ offset: true }),
  minElevationDeg: z.coerce.number().min(0).max(90).optional(),
  refraction: z.enum(['true', 'false']).optional(),
});

const PassFailureSchema = z.object({ noradId: z.number().int(), at: z.string(), reason: z.string() });

export const PassListSchema = z
  .object({
    passes: z.array(PassDetailWireSchema),
    failures: z.array(PassFailureSchema),
  })
  .meta({ id: 'PassList' });

export const PassPageSchema = pageOf(PassDetailWireSchema, 'PassPage').extend({
  failures: z.array(PassFailureSchema).describe('satellites of this page SGP4 could not propagate'),
});
export const SatellitePageSchema = pageOf(SatelliteSummarySchema, 'SatellitePage');
