/**
 * Route choice over the graph of physical links (satellite-station and fibre), weighted by the
 * key each link holds. `widestPath` maximises the bottleneck (stored bits of the poorest hop) and
 * breaks ties by fewer hops (fewer trusted nodes see the key); `planRoutes` splits a request over
 * several paths when the widest one lacks key (greedy: widest path in the residual graph, repeat).
 */
export interface GraphEdge {
  linkId: string;
  a: string;
  b: string;
  /** Bits currently available in the link's pool. */
  storedBits: number;
}

export interface Path {
  nodes: string[];
  linkIds: string[];
  bottleneckBits: number;
}

export interface RoutePlan {
  paths: { nodes: string[]; linkIds: string[]; bits: number }[];
  totalBits: number;
}

/** Widest (max-bottleneck) path from `from` to `to`, ties broken by hop count; undefined if none. */
export function widestPath(edges: readonly GraphEdge[], from: string, to: string, minBits = 1): Path | undefined {
  const adj = new Map<string, GraphEdge[]>();
  for (const e of edges) {
    if (e.storedBits < minBits) continue;
    for (const n of [e.a, e.b]) {
      if (!adj.has(n)) adj.set(n, []);
      adj.get(n)!.push(e);
    }
  }
  const best = new Map<string, { width: number; hops: number; prev?: string; via?: string }>();
  best.set(from, { width: Infinity, hops: 0 });
  const done = new Set<string>();
  // Dijkstra on (width desc, hops asc); graphs here have tens of nodes, so a linear scan is fine.
  for (;;) {
    let cur: string | undefined;
    for (const [n, v] of best) {
      if (done.has(n)) continue;
      const c = cur === undefined ? undefined : best.get(cur)!;
      if (!c || v.width > c.width || (v.width === c.width && v.hops < c.hops)) cur = n;
    }
    if (cur === undefined || cur === to) break;
    done.add(cur);
    const cv = best.get(cur)!;
    for (const e of adj.get(cur) ?? []) {
      const next = e.a === cur ? e.b : e.a;
      if (done.has(next)) continue;
      const width = Math.min(cv.width, e.storedBits);
      const old = best.get(next);
      if (!old || width > old.width || (width === old.width && cv.hops + 1 < old.hops)) {
        best.set(next, { width, hops: cv.hops + 1, prev: cur, via: e.linkId });
      }
    }
  }
  const end = best.get(to);
  if (!end || from === to) return undefined;
  const nodes = [to];
  const linkIds: string[] = [];
  for (let n = to; n !== from;) {
    const v = best.get(n)!;
    linkIds.unshift(v.via!);
    n = v.prev!;
    nodes.unshift(n);
  }
  return { nodes, linkIds, bottleneckBits: end.width };
}

/**
 * Splits `bits` over paths: each path carries a whole number of bytes (XOR works on bytes).
 * Returns undefined when the graph cannot carry `bits` in total.
 */
export function planRoutes(
  edges: readonly GraphEdge[],
  from: string,
  to: string,
  bits: number,
  maxPaths = 4,
): RoutePlan | undefined {
  const residual = edges.map((e) => ({ ...e, storedBits: Math.floor(e.storedBits / 8) * 8 }));
  const paths: RoutePlan['paths'] = [];
  let left = bits;
  while (left > 0 && paths.length < maxPaths) {
    const p = widestPath(residual, from, to, 8);
    if (!p) break;
    const take = Math.min(left, p.bottleneckBits);
    paths.push({ nodes: p.nodes, linkIds: p.linkIds, bits: take });
    left -= take;
    for (const id of p.linkIds) {
      const e = residual.find((r) => r.linkId === id)!;
      e.storedBits -= take;
    }
  }
  return left > 0 ? undefined : { paths, totalBits: bits };
}
