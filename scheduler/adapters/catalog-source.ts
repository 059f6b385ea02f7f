/**
 * CandidateSource from the TLE catalog and station store (tle/domain ports): pass finder + key-rate
 * core yield + clear-sky climatology. Pass finding is CPU-bound and synchronous, so it runs one
 * (satellite, station) pair at a time and yields to the event loop in between: pass jobs and
 * BullMQ lock renewals in the same process keep running while a plan is computed.
 */
import type { CatalogPort, StationStorePort } from '../../tle/domain/index.js';
import { passesOf } from '../../tle/domain/index.js';
import type { Candidate } from '../domain/candidate.js';
import { candidatesFromPasses } from '../domain/from-passes.js';
import { keyRateYield, type CalibratedLinks, type TerminalPresetOf } from '../domain/yield-model.js';
import type { CandidateSource } from './ports.js';

const breathe = () => new Promise((r) => setImmediate(r));

/**
 * Candidates are the passes of the satellites that carry a QKD terminal (`presetOf`), weighed with the
 * calibrated link of each (satellite, station) pair where `calibrations` has one.
 */
export function catalogCandidateSource(catalog: CatalogPort, stations: StationStorePort, presetOf: TerminalPresetOf, calibrations?: { links(): Promise<CalibratedLinks> }): CandidateSource {
  return async (fromMs, toMs) => {
    const [all, sts, links] = await Promise.all([catalog.list(), stations.list(), calibrations ? calibrations.links() : new Map()]);
    const sets = all.filter((es) => presetOf(es.noradId) !== undefined);
    const yieldBits = keyRateYield(presetOf, sets, sts, links);
    const out: Candidate[] = [];
    for (const es of sets) {
      for (const st of sts) {
        const { passes } = passesOf([es], [st], { fromMs, toMs });
        out.push(...candidatesFromPasses(passes, [st], yieldBits));
        await breathe();
      }
    }
    return out;
  };
}
