/** Synthetic element sets (valid LEO OMM records through parseCatalog) for catalog-scale tests and benches. */
import { parseCatalog, type ElementSet } from '../../tle/domain/index.js';

/** `n` LEO satellites, NORAD ids from `firstId`, epoch 2022-08-09T12:00Z, orbits spread by a fixed LCG. */
export function syntheticCatalog(n: number, firstId = 100_000): ElementSet[] {
  let seed = 12345;
  const rnd = () => {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    return seed / 2 ** 31;
  };
  const records = Array.from({ length: n }, (_, i) => ({
    OBJECT_NAME: `SYNTH ${i}`,
    OBJECT_ID: '2022-001A',
    EPOCH: '2022-08-09T12:00:00.000000',
    MEAN_MOTION: 14 + 2 * rnd(),
    ECCENTRICITY: 0.0001 + 0.01 * rnd(),
    INCLINATION: 30 + 70 * rnd(),
    RA_OF_ASC_NODE: 360 * rnd(),
    ARG_OF_PERICENTER: 360 * rnd(),
    MEAN_ANOMALY: 360 * rnd(),
    NORAD_CAT_ID: firstId + i,
    BSTAR: 0.0001,
    MEAN_MOTION_DOT: 0.00001,
    MEAN_MOTION_DDOT: 0,
  }));
  const r = parseCatalog(records);
  if (r.rejected.length) throw new Error(`synthetic catalog: ${r.rejected.length} rejected`);
  return r.accepted;
}
