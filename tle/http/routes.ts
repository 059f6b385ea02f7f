/** REST routes of the catalog component: satellites (TLE/OMM upload, reads), stations, passes. */
import { passPage } from '../domain/index.js';
import type { TleRouteDeps } from './deps.js';
import { registerPassRoutes } from './passes.routes.js';
import { registerSatelliteRoutes } from './satellites.routes.js';
import { registerStationRoutes } from './stations.routes.js';
import { registerUploadRoute } from './upload.routes.js';

export type { TleRouteDeps } from './deps.js';

export function registerTleRoutes(deps: TleRouteDeps): void {
  registerUploadRoute(deps);
  registerSatelliteRoutes(deps);
  registerStationRoutes(deps);
  registerPassRoutes({ ...deps, computePassPage: deps.computePassPage ?? (async (input) => passPage(input)) });
}
