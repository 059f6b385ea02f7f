import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { planRoutes, widestPath, type GraphEdge } from './routing.js';

const e = (a: string, b: string, storedBits: number): GraphEdge => ({ linkId: `${a}~${b}`, a, b, storedBits });

describe('routing over stored key', () => {
  const graph = [
    e('graz', 'sat-1', 10_000),
    e('sat-1', 'xinglong', 8_000),
    e('graz', 'sat-2', 50_000),
    e('sat-2', 'nanshan', 50_000),
    e('nanshan', 'delingha', 40_000),
    e('delingha', 'xinglong', 40_000),
  ];
  it('the widest path maximises the bottleneck even when it is longer', () => {
    const p = widestPath(graph, 'graz', 'xinglong')!;
    expect(p.nodes).toEqual(['graz', 'sat-2', 'nanshan', 'delingha', 'xinglong']);
    expect(p.bottleneckBits).toBe(40_000);
  });
  it('equal bottlenecks: the fewest hops (fewest trusted nodes) win', () => {
    const p = widestPath(
      [e('a', 'b', 100), e('b', 'c', 100), e('a', 'x', 100), e('x', 'y', 100), e('y', 'c', 100)],
      'a',
      'c',
    )!;
    expect(p.nodes).toEqual(['a', 'b', 'c']);
  });
  it('splits over several paths when one lacks key, and refuses what the graph cannot carry', () => {
    const plan = planRoutes(graph, 'graz', 'xinglong', 46_000)!;
    expect(plan.paths.map((p) => p.bits)).toEqual([40_000, 6_000]);
    expect(plan.paths[1]!.nodes).toEqual(['graz', 'sat-1', 'xinglong']);
    expect(planRoutes(graph, 'graz', 'xinglong', 49_000)).toBeUndefined();
    expect(planRoutes(graph, 'graz', 'ottawa', 8)).toBeUndefined();
  });
  it('a plan never draws more from a link than it stores (property)', () => {
    const nodes = ['a', 'b', 'c', 'd', 'e'];
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            a: fc.constantFrom(...nodes),
            b: fc.constantFrom(...nodes),
            bits: fc.integer({ min: 0, max: 1000 }),
          }),
          { maxLength: 12 },
        ),
        fc.integer({ min: 1, max: 300 }),
        (raw, bytes) => {
          const edges = raw
            .filter((r) => r.a !== r.b)
            .map((r, i) => ({ linkId: `l${i}`, a: r.a, b: r.b, storedBits: r.bits * 8 }));
          const plan = planRoutes(edges, 'a', 'e', bytes * 8);
          if (!plan) return;
          expect(plan.paths.reduce((s, p) => s + p.bits, 0)).toBe(bytes * 8);
          const used = new Map<string, number>();
          for (const p of plan.paths) {
            expect(p.bits % 8).toBe(0);
            expect(p.nodes[0]).toBe('a');
            expect(p.nodes[p.nodes.length - 1]).toBe('e');
            for (const l of p.linkIds) used.set(l, (used.get(l) ?? 0) + p.bits);
          }
          for (const ed of edges) expect(used.get(ed.linkId) ?? 0).toBeLessThanOrEqual(ed.storedBits);
        },
      ),
    );
  });
});
