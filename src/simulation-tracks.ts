/** Glue for POST /v1/simulations/pass: the catalog and station store resolve a pass's track by AOS. */
import { QkdsatError } from './core/errors.js';
import type { CatalogPort, StationStorePort } from '../tle/domain/index.js';
import { passTrackAt } from '../tle/domain/pass-track.js';

export const simulationTrackResolver = (catalog: CatalogPort, stations: StationStorePort) =>
  async ({ noradId, stationId, aosMs }: { noradId: number; stationId: string; aosMs: number }) => {
    const [es, station] = await Promise.all([catalog.get(noradId), stations.get(stationId)]);
    if (!es) throw new QkdsatError('NOT_FOUND', `noradId: satellite ${noradId} is not in the catalog`, [{ path: ['body', 'noradId'], message: 'unknown satellite' }]);
    if (!station) throw new QkdsatError('NOT_FOUND', `stationId: station '${stationId}' is not configured`, [{ path: ['body', 'stationId'], message: 'unknown station' }]);
    return passTrackAt(es, station, aosMs).track;
  };
