/** Predicted sifted bits of a booked pass under a given link (1 s track, no weather draw). */
import { LinkTables, type LinkConfig } from '../../src/core/channel/index.js';
import { simulatePass } from '../../src/core/keyrate/index.js';
import { sampleTrack } from '../../src/core/passes/index.js';
import { propagatorOf, toPassStation, type CatalogPort, type StationStorePort } from '../../tle/domain/index.js';
import type { Booking } from '../domain/booking.js';
import { presetFor } from '../domain/yield-model.js';

export type SiftedPredictor = (booking: Booking, presetId: string, link: LinkConfig) => Promise<number | undefined>;

export function simulationSiftedPredictor(catalog: CatalogPort, stations: StationStorePort): SiftedPredictor {
  const tables = new LinkTables();
  return async (booking, presetId, link) => {
    const [es, station] = await Promise.all([catalog.get(booking.noradId), stations.get(booking.stationId)]);
    if (!es || !station) return undefined;
    const prop = propagatorOf(es);
    if (!prop.ok) return undefined;
    const track = sampleTrack(
      { noradId: es.noradId, propagator: prop.propagator },
      toPassStation(station),
      booking.startMs,
      booking.endMs,
      1,
    );
    if (track.length === 0) return undefined;
    return simulatePass(track, { ...presetFor(presetId), link }, { tables }).siftedBits;
  };
}
