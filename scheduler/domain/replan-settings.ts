/**
 * The re-planning fields the service's scheduler (`scheduler` config section) and the network
 * simulation's planner (its config's `scheduler`) read alike, with the same defaults.
 */
import { z } from 'zod';

export const ReplanWindowShape = {
  /** Re-plan cron, evaluated in UTC. */
  cron: z.string().default('0 */6 * * *'),
  horizonHours: z
    .number()
    .positive()
    .max(24 * 14)
    .default(72),
  /** Bookings starting within this much of now are frozen (kept as they are). */
  frozenMinutes: z.number().nonnegative().default(30),
};
