/** Glue for POST /v1/simulations/pass: the catalog and station store resolve a pass's track by AOS. */
import { QkdsatError } from './core/errors.js';
import type { CatalogPort, StationStorePort } from '../tle/domain/index.js';
import { passTrackAt } from '../tle/domain/pass-track.js';
import type { TrackSample } from './core/passes/index.js';
import type { ElementSet, Station } from '../tle/domain/index.js';

type PassTrack = (q: {
  es: ElementSet;
  station: Station;
  aosMs: number;
}) => Promise<{ track: TrackSample[] }> | { track: TrackSample[] };

/** `passTrack` finds the pass and samples it (the API process passes its compute pool's task). */
export const simulationTrackResolver =
  (
    catalog: CatalogPort,
    stations: StationStorePort,
    passTrack: PassTrack = (q) => passTrackAt(q.es, q.station, q.aosMs),
    staleDays = 14,
  ) =>
  async ({ noradId, stationId, aosMs }: { noradId: number; stationId: string; aosMs: number }) => {
    const [es, station] = await Promise.all([catalog.get(noradId), stations.get(stationId)]);
    if (!es)
      throw new QkdsatError('NOT_FOUND', `noradId: satellite ${noradId} is not in the catalog`, [
        { path: ['body', 'noradId'], message: 'unknown satellite' },
      ]);
    if (!station)
      throw new QkdsatError('NOT_FOUND', `stationId: station '${stationId}' is not configured`, [
        { path: ['body', 'stationId'], message: 'unknown station' },
      ]);
    return { track: (await passTrack({ es, station, aosMs })).track, elementSetEpochMs: es.epochMs, staleDays };
  };
