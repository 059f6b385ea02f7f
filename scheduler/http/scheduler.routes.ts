/** REST for mission planners: plans, bookings, cancellation, and each station's iCalendar feed. */
import type { Api } from '../../src/api/route.js';
import { registerBookingRoutes } from './bookings.routes.js';
import { registerPlanRoutes } from './plans.routes.js';
import type { SchedulerRouteDeps } from './route-deps.js';

export type { SchedulerRouteDeps } from './route-deps.js';

export function registerSchedulerRoutes(api: Api, deps: SchedulerRouteDeps): void {
  registerPlanRoutes(api, deps);
  registerBookingRoutes(api, deps);
}
