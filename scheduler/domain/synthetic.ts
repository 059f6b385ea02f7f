/**
 * A documented synthetic instance (seeded, pure) for tests and for the benchmark when the pass
 * finder is not wired: stations in regions of four nearby sites; each satellite makes a few
 * overhead passes per region per night, seen by each site of the region with probability 0.8
 * within a few minutes of each other (so the satellite terminal must choose, with a retarget gap),
 * and passes of different satellites over one region overlap (so a telescope must choose).
 * Yields scale with a random peak elevation like a LEO downlink (1e5-1.2e6 secure bits per pass).
 */
import { mulberry32 } from '../../src/core/keyrate/random.js';
import type { Candidate, Demand } from './candidate.js';
import { pairKey, passId } from './candidate.js';

export interface SyntheticSpec {
  satellites: number;
  stations: number;
  nights: number;
  passesPerRegionNight: number;
  seed: number;
  startMs: number;
}

export function syntheticInstance(spec: SyntheticSpec): {
  candidates: Candidate[];
  stationIds: string[];
  noradIds: number[];
} {
  const rnd = mulberry32(spec.seed);
  const stationIds = Array.from({ length: spec.stations }, (_, i) => `st${String(i).padStart(2, '0')}`);
  const noradIds = Array.from({ length: spec.satellites }, (_, i) => 90001 + i);
  const regions = Math.ceil(spec.stations / 4);
  const clearSky = stationIds.map(() => 0.3 + 0.5 * rnd());
  const candidates: Candidate[] = [];
  for (let night = 0; night < spec.nights; night += 1) {
    for (let r = 0; r < regions; r += 1) {
      const nightStart = spec.startMs + night * 86_400_000 + r * 3_600_000 * 4.8;
      for (const norad of noradIds) {
        for (let k = 0; k < spec.passesPerRegionNight; k += 1) {
          const t = nightStart + rnd() * 8 * 3_600_000;
          for (let s = r * 4; s < Math.min(spec.stations, r * 4 + 4); s += 1) {
            if (rnd() > 0.8) continue;
            const startMs = Math.round(t + (rnd() - 0.5) * 6 * 60_000);
            const durationMs = Math.round((3 + 4 * rnd()) * 60_000);
            const peak = rnd();
            candidates.push({
              id: passId(stationIds[s]!, norad, startMs),
              noradId: norad,
              stationId: stationIds[s]!,
              startMs,
              endMs: startMs + durationMs,
              expectedSecureBits: Math.round(1e5 + 1.1e6 * peak * peak),
              clearSkyProbability: Number(clearSky[s]!.toFixed(3)),
            });
          }
        }
      }
    }
  }
  return { candidates, stationIds, noradIds };
}

/** Pairs between regions (intercontinental) and a small local demand per station. */
export function syntheticDemand(
  stationIds: string[],
  pairs: number,
  pairBits: number,
  stationBits: number,
  seed: number,
): Demand {
  const rnd = mulberry32(seed);
  const out: Demand = { stations: {}, pairs: [] };
  for (const g of stationIds) out.stations[g] = stationBits;
  const seen = new Set<string>();
  while (out.pairs.length < pairs && seen.size < stationIds.length ** 2) {
    const a = stationIds[Math.floor(rnd() * stationIds.length)]!,
      b = stationIds[Math.floor(rnd() * stationIds.length)]!;
    const key = pairKey(a, b);
    if (a === b || seen.has(key)) {
      seen.add(key);
      continue;
    }
    seen.add(key);
    out.pairs.push({ a, b, bits: Math.round(pairBits * (0.5 + rnd())) });
  }
  return out;
}
