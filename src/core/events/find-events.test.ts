import { describe, expect, it } from 'vitest';
import { and, brentRoot, findCrossings, goldenMax, not, or } from './find-events.js';

describe('event finder', () => {
  it('Brent finds a root to 1 ms', () => {
    const g = (t: number) => Math.sin(t / 10_000);
    const r = brentRoot(g, 20_000, 40_000, g(20_000), g(40_000), 1);
    expect(Math.abs(r - Math.PI * 10_000)).toBeLessThan(1);
  });
  it('golden section finds a maximum to 1 ms', () => {
    const m = goldenMax((t) => -((t - 12_345.6) ** 2), 0, 60_000, 1);
    expect(Math.abs(m.t - 12_345.6)).toBeLessThan(1);
  });
  it('finds every sign change with its direction', () => {
    const c = findCrossings((t) => Math.cos(t / 1000), 0, 10_000, 500);
    expect(c.map((x) => x.rising)).toEqual([false, true, false]);
    expect(Math.abs(c[0]!.t - (Math.PI / 2) * 1000)).toBeLessThan(1);
  });
  it('and/or/not combine constraints (g > 0 holds)', () => {
    const up = (t: number) => t - 10,
      dark = (t: number) => 20 - t;
    expect([5, 15, 25].map((t) => and(up, dark)(t) > 0)).toEqual([false, true, false]);
    expect([5, 15, 25].map((t) => or(up, not(dark))(t) > 0)).toEqual([false, true, true]);
  });
});
