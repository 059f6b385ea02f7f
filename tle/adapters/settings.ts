/** The `tle` section of the config file. */
import { z } from 'zod';
import { DEFAULT_STALE_AFTER_DAYS } from '../domain/index.js';

export const TleSettingsSchema = z
  .object({
    /**
     * Results from element sets farther than this from their epoch are flagged `stale`; the planner
     * refuses them unless allowStale.
     */
    staleDays: z.number().positive().default(DEFAULT_STALE_AFTER_DAYS),
    /** Work budget of one GET /v1/passes page, satellite x station x hour units (~1 s of one core at 20,000). */
    passPageWork: z.number().int().positive().default(20_000),
  })
  .prefault({});
