/**
 * Passes of satellites over stations: g(t) = elevation - mask(azimuth) > 0.
 *
 * Each satellite is propagated once on a node grid (track.ts), an immutable track shared by all
 * stations; each satellite-station search (search.ts) runs in the one workspace of this call.
 * intervals.ts finds where g > 0 (solver.ts: Hermite estimates, Newton's method), describe-pass.ts
 * turns each interval into a Pass.
 */
import { SkyEphemeris } from '../sky/index.js';
import { describePass } from './describe-pass.js';
import { elevationIntervals, maskIntervals } from './intervals.js';
import type { Pass, PassOptions, PassSatellite, PassSearch, PassStation, SatelliteFailure } from './model.js';
import { PassWorkspace, stationContext } from './search.js';
import { buildTrack, nodeStepMs, type Track } from './track.js';

/**
 * Passes by AOS, then station id, then NORAD id. The AOS keys are copied into one array first:
 * the comparisons then read it instead of Pass objects scattered over the heap (2x faster).
 */
function sortPasses(passes: Pass[]): Pass[] {
  const aos = Float64Array.from(passes, (p) => p.aosMs);
  const order = Array.from(passes.keys());
  order.sort(
    (i, j) =>
      aos[i]! - aos[j]! ||
      passes[i]!.stationId.localeCompare(passes[j]!.stationId) ||
      passes[i]!.noradId - passes[j]!.noradId,
  );
  return order.map((i) => passes[i]!);
}

export interface SearchOptions extends PassOptions {
  /** Receives each satellite's propagated track (immutable), to sample its passes from it later (trackSampler). */
  onTrack?: (noradId: number, track: Track) => void;
}

/** All passes of `satellites` over `stations` in [fromMs, toMs], sorted by AOS then station. */
export function findPasses(satellites: PassSatellite[], stations: PassStation[], options: SearchOptions): PassSearch {
  const { fromMs, toMs, refraction = false, toleranceMs = 1 } = options;
  const contexts = stations.map((s) => stationContext(s, options.minElevationRad, refraction));
  const passes: Pass[] = [];
  const failures: SatelliteFailure[] = [];
  const sky = new SkyEphemeris();
  const workspace = new PassWorkspace();
  satellites.forEach((sat, i) => {
    const { periodS, eccentricity } = sat.propagator.summary;
    const track = buildTrack(sat, fromMs, toMs, nodeStepMs(periodS, eccentricity));
    options.onTrack?.(sat.noradId, track);
    if (track.failure) failures.push(track.failure);
    if (track.last >= track.first && track.n >= 2) {
      for (const station of contexts) {
        const search = workspace.search(track, station, toleranceMs);
        const windows = elevationIntervals(search, station.thresholdRad);
        const intervals = station.sg.hasHorizon ? maskIntervals(search, windows, refraction) : windows;
        for (const iv of intervals) passes.push(describePass(sat, search, iv, sky, refraction));
      }
    }
    options.onProgress?.(i + 1, satellites.length);
  });
  return { passes: sortPasses(passes), failures };
}
