/**
 * Conflicts. A station tracks one satellite at a time (plus a slew gap); a satellite terminal
 * serves one station at a time (plus a retarget gap). Extending each pass to [start, end + gap)
 * makes "conflict" equal "the extended intervals overlap", so each resource's conflict graph is
 * an interval graph: its maximal cliques are the sets of intervals covering some left endpoint,
 * and one "sum <= 1" row per maximal clique is the exact (perfect) formulation for that resource.
 */
import type { Candidate, Gaps } from './candidate.js';

type ResourceKey = string;
const stationResource = (candidate: Pick<Candidate, 'stationId'>): ResourceKey => `station:${candidate.stationId}`;
const satelliteResource = (candidate: Pick<Candidate, 'noradId'>): ResourceKey => `sat:${candidate.noradId}`;

export function conflicts(first: Candidate, second: Candidate, gaps: Gaps): boolean {
  if (first.id === second.id) return false;
  const overlap = (g: number) => first.startMs < second.endMs + g && second.startMs < first.endMs + g;
  if (first.stationId === second.stationId && overlap(gaps.stationSlewMs)) return true;
  if (first.noradId === second.noradId && overlap(gaps.satelliteRetargetMs)) return true;
  return false;
}

/** Maximal cliques (size >= 2) of one resource's interval graph, as candidate indices. */
function intervalCliques(items: { index: number; startMs: number; endMs: number }[], gapMs: number): number[][] {
  const sorted = [...items].sort((x, y) => x.startMs - y.startMs);
  const out: number[][] = [];
  let previous: number[] = [];
  for (const at of sorted) {
    const covering = sorted.filter((o) => o.startMs <= at.startMs && at.startMs < o.endMs + gapMs).map((o) => o.index);
    // Maximal when it is not contained in the previous clique (sweep order makes this sufficient).
    if (covering.length >= 2 && !covering.every((i) => previous.includes(i))) out.push(covering);
    previous = covering;
  }
  return out.filter((c, i) => !out.some((d, j) => j !== i && d.length > c.length && c.every((x) => d.includes(x))));
}

/** All clique rows: per station (slew gap) and per satellite (retarget gap). */
export function cliqueConstraints(cands: readonly Candidate[], gaps: Gaps): number[][] {
  const groups = new Map<ResourceKey, { index: number; startMs: number; endMs: number }[]>();
  cands.forEach((c, index) => {
    for (const key of [stationResource(c), satelliteResource(c)]) {
      let g = groups.get(key);
      if (!g) groups.set(key, (g = []));
      g.push({ index, startMs: c.startMs, endMs: c.endMs });
    }
  });
  const rows: number[][] = [];
  for (const [key, items] of groups) {
    rows.push(...intervalCliques(items, key.startsWith('station:') ? gaps.stationSlewMs : gaps.satelliteRetargetMs));
  }
  return rows;
}

/** The first pair of chosen passes that conflict, or undefined when the selection is feasible. */
export function findConflict(chosen: readonly Candidate[], gaps: Gaps): [Candidate, Candidate] | undefined {
  const sorted = [...chosen].sort((x, y) => x.startMs - y.startMs);
  const maxGap = Math.max(gaps.stationSlewMs, gaps.satelliteRetargetMs);
  for (let i = 0; i < sorted.length; i += 1) {
    for (let j = i + 1; j < sorted.length; j += 1) {
      const a = sorted[i]!,
        b = sorted[j]!;
      if (b.startMs >= a.endMs + maxGap && b.startMs > a.endMs + maxGap) break;
      if (conflicts(a, b, gaps)) return [a, b];
    }
  }
  return undefined;
}
