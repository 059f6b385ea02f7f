/** Epoch age, staleness and low-perigee flags reported with every element set. */
import { createPropagator, type Propagator } from '../../src/core/orbit/index.js';
import type { ElementSet } from './element-set.js';
import { ommOf } from './omm.js';
import { formatTle } from './tle-text.js';
import { EARTH_RADIUS_WGS72_KM, MS_PER_DAY, MU_WGS72_KM3_S2, TWO_PI } from '../../src/core/units.js';

/** SGP4 error grows by roughly 1-3 km a day from epoch (Vallado et al. 2006), so 14 days by default. */
export const DEFAULT_STALE_AFTER_DAYS = 14;
/**
 * Below ~180 km perigee an object re-enters within days (estimate from typical decay histories,
 * e.g. Starlink 2022-02 losses at ~210 km); configurable.
 */
export const DEFAULT_REENTRY_PERIGEE_KM = 180;

export interface Assessment {
  epochAgeDays: number;
  stale: boolean;
  perigeeAltitudeKm: number;
  lowPerigee: boolean;
}

export function assessElementSet(
  es: ElementSet,
  nowMs: number,
  staleAfterDays = DEFAULT_STALE_AFTER_DAYS,
  reentryPerigeeKm = DEFAULT_REENTRY_PERIGEE_KM,
): Assessment {
  const nRadS = (es.meanMotionRevPerDay * TWO_PI) / 86_400;
  const aKm = Math.cbrt(MU_WGS72_KM3_S2 / (nRadS * nRadS));
  const perigeeAltitudeKm = aKm * (1 - es.eccentricity) - EARTH_RADIUS_WGS72_KM;
  const epochAgeDays = (nowMs - es.epochMs) / MS_PER_DAY;
  return {
    epochAgeDays,
    stale: Math.abs(epochAgeDays) > staleAfterDays,
    perigeeAltitudeKm,
    lowPerigee: perigeeAltitudeKm < reentryPerigeeKm,
  };
}

/**
 * An SGP4 propagator for the element set: from its TLE lines when it has some, else from OMM. The
 * TLE text fixes the elements' precision and satellite.js's epoch arithmetic (year + day of year);
 * the OMM route moves positions by up to 7 m after 3 days on the LEO catalog, and a satrec built
 * from the numbers would have to reproduce that parsing bit for bit: the text route stays.
 */
export function propagatorOf(es: ElementSet): { ok: true; propagator: Propagator } | { ok: false; reason: string } {
  const tle = formatTle(es);
  const c = createPropagator(tle ? { kind: 'tle', ...tle } : { kind: 'omm', omm: ommOf(es) });
  return c.ok ? c : { ok: false, reason: c.reason };
}
