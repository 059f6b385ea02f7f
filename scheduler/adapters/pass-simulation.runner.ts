/**
 * The pass processor's RunPass in this project: the key-rate core's pass simulation on the booked
 * window's 1 s track, with one seeded Monte-Carlo draw of turbulence fading and cloud (clouded out
 * with probability 1 - the station's clear-sky probability for that month). The seed comes from the
 * booking ID, so a taken-over pass re-runs to the same outcome.
 */
import { LinkTables } from '../../src/core/channel/index.js';
import { simulatePass } from '../../src/core/keyrate/index.js';
import { sampleTrack } from '../../src/core/passes/index.js';
import { QkdsatError } from '../../src/core/errors.js';
import { propagatorOf, toPassStation, type CatalogPort, type StationStorePort } from '../../tle/domain/index.js';
import { presetFor, type TerminalPresetOf } from '../domain/yield-model.js';
import type { RunPass } from './ports.js';

export function simulationPassRunner(
  catalog: CatalogPort,
  stations: StationStorePort,
  presetOf: TerminalPresetOf,
): RunPass {
  const tables = new LinkTables();
  return async (booking, seed) => {
    const presetId = presetOf(booking.noradId);
    if (presetId === undefined)
      throw new QkdsatError('VALIDATION', `satellite ${booking.noradId} carries no QKD terminal (scheduler.terminals)`);
    const preset = presetFor(presetId);
    const [es, station] = await Promise.all([catalog.get(booking.noradId), stations.get(booking.stationId)]);
    if (!es) throw new QkdsatError('NOT_FOUND', `satellite ${booking.noradId} is not in the catalog`);
    if (!station) throw new QkdsatError('NOT_FOUND', `station ${booking.stationId} is not configured`);
    const prop = propagatorOf(es);
    if (!prop.ok) throw new QkdsatError('SGP4_FAILURE', `satellite ${booking.noradId}: ${prop.reason}`);
    const track = sampleTrack(
      { noradId: es.noradId, propagator: prop.propagator },
      toPassStation(station),
      booking.startMs,
      booking.endMs,
      1,
    );
    const sim = simulatePass(track, preset, {
      monteCarlo: { draws: 1, seed, turbulence: true, cloud: { probability: 1 - booking.clearSkyProbability } },
      tables,
    });
    const draw = sim.monteCarlo;
    const secureBits = draw ? Math.max(0, Math.floor(draw.secureKeyBits.mean)) : 0;
    return {
      secureBits,
      qber: sim.key.qberX,
      cloudy: draw ? draw.secureKeyBits.mean === 0 && sim.key.secureKeyBits > 0 : false,
    };
  };
}
