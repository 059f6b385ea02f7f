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
import { keyRateYield } from '../domain/yield-model.js';
import type { CandidateSource } from './ports.js';

const breathe = () => new Promise((r) => setImmediate(r));

export function catalogCandidateSource(catalog: CatalogPort, stations: StationStorePort, presetId?: string): CandidateSource {
  return async (fromMs, toMs) => {
    const [sets, sts] = await Promise.all([catalog.list(), stations.list()]);
    const yieldBits = keyRateYield(presetId, sets, sts);
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
