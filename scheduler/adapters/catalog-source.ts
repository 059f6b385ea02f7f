/**
 * CandidateSource from the TLE catalog and station store (tle/domain ports): pass finder + key-rate
 * core yield + clear-sky climatology. One propagated track per element set serves every station
 * (passesOf over all stations at once). `candidatesOf` is the pure computation, which the API
 * process runs in its compute thread pool and a worker process runs inline, one satellite at a
 * time with a yield to the event loop in between (pass jobs and lock renewals keep running).
 */
import { QkdsatError } from '../../src/core/errors.js';
import type { Track } from '../../src/core/passes/track.js';
import type { CatalogPort, ElementSet, Station, StationStorePort } from '../../tle/domain/index.js';
import { DEFAULT_STALE_AFTER_DAYS, passesOf } from '../../tle/domain/index.js';
import type { Candidate } from '../domain/candidate.js';
import { candidatesFromPasses } from '../domain/from-passes.js';
import { LinkTables, type LinkConfig } from '../../src/core/channel/index.js';
import { keyRateYield, type CalibratedLinks, type TerminalPresetOf } from '../domain/yield-model.js';
import type { CandidateOptions, CandidateSource } from './ports.js';

const breathe = () => new Promise((r) => setImmediate(r));

export interface CandidateInput {
  sets: ElementSet[];
  stations: Station[];
  fromMs: number;
  toMs: number;
  /** NORAD id -> preset of its QKD terminal; undefined: every satellite carries `preset`. */
  terminals: Record<string, string> | undefined;
  preset: string;
  /** Calibrated links keyed `<noradId>:<stationId>` (a plain object: it crosses to compute threads). */
  calibratedLinks?: Record<string, LinkConfig>;
}

const presetLookup =
  (terminals: Record<string, string> | undefined, preset: string): TerminalPresetOf =>
  (noradId) =>
    terminals ? terminals[String(noradId)] : preset;

/** Candidates of the satellites that carry a QKD terminal, over all stations (pure, CPU-bound). */
/** `tables`: link tables kept across calls (a compute thread's); none: this call's own. */
export function candidatesOf(input: CandidateInput, tables?: LinkTables): Candidate[] {
  const presetOf = presetLookup(input.terminals, input.preset);
  const sets = input.sets.filter((es) => presetOf(es.noradId) !== undefined);
  // One propagated track per satellite: the pass finder's, sampled again for each candidate's yield.
  const tracks = new Map<number, Track>();
  const { passes } = passesOf(sets, input.stations, {
    fromMs: input.fromMs,
    toMs: input.toMs,
    onTrack: (id, tr) => tracks.set(id, tr),
  });
  const calibrated: CalibratedLinks = new Map(Object.entries(input.calibratedLinks ?? {}));
  return candidatesFromPasses(
    passes,
    input.stations,
    keyRateYield(
      presetOf,
      sets,
      input.stations,
      { fromMs: input.fromMs, toMs: input.toMs, tracks },
      calibrated,
      tables,
    ),
  );
}

/**
 * Drops candidates predicted from an element set older (or newer) than `staleDays` at the pass
 * unless `allowStale`; when that leaves none while some were found, refuses with STALE_ELEMENT_SET.
 */
export function freshCandidates(cands: Candidate[], opts: CandidateOptions = {}): Candidate[] {
  if (opts.allowStale) return cands;
  const staleDays = opts.staleDays ?? DEFAULT_STALE_AFTER_DAYS;
  const isStale = (c: Candidate) =>
    c.elementSetEpochMs !== undefined &&
    Math.abs((c.startMs + c.endMs) / 2 - c.elementSetEpochMs) > staleDays * 86_400_000;
  const fresh = cands.filter((c) => !isStale(c));
  if (fresh.length === 0 && cands.length > 0) {
    const sats = [...new Set(cands.map((c) => c.noradId))].join(', ');
    throw new QkdsatError(
      'STALE_ELEMENT_SET',
      `start: every pass in the horizon is predicted from an element set more than ${staleDays} days ` +
        `from its epoch (satellites ${sats}); upload newer element sets or set allowStale`,
      [{ path: ['body', 'start'], message: `element sets of ${sats} are stale (> ${staleDays} days) in this horizon` }],
    );
  }
  return fresh;
}

/**
 * Inline source (worker processes): one satellite at a time, all stations per satellite, each
 * (satellite, station) pair weighed with its calibrated link where `calibrations` has one.
 */
export function catalogCandidateSource(
  catalog: CatalogPort,
  stations: StationStorePort,
  presetOf: TerminalPresetOf,
  calibrations?: { links(): Promise<CalibratedLinks> },
): CandidateSource {
  const tables = new LinkTables();
  return async (fromMs, toMs, opts) => {
    const [all, sts, links] = await Promise.all([
      catalog.list(),
      stations.list(),
      calibrations ? calibrations.links() : new Map(),
    ]);
    const sets = all.filter((es) => presetOf(es.noradId) !== undefined);
    const tracks = new Map<number, Track>();
    const yieldBits = keyRateYield(presetOf, sets, sts, { fromMs, toMs, tracks }, links, tables);
    const out: Candidate[] = [];
    for (const es of sets) {
      const { passes } = passesOf([es], sts, { fromMs, toMs, onTrack: (id, tr) => tracks.set(id, tr) });
      out.push(...candidatesFromPasses(passes, sts, yieldBits));
      await breathe();
    }
    return freshCandidates(out, opts);
  };
}
