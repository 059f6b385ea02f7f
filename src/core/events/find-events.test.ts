import { describe, expect, it } from 'vitest';
import { brentMax, brentRoot } from './find-events.js';

describe('event finder', () => {
  it('Brent finds a root to 1 ms', () => {
    const g = (t: number) => Math.sin(t / 10_000);
    const r = brentRoot(g, 20_000, 40_000, g(20_000), g(40_000), 1);
    expect(Math.abs(r - Math.PI * 10_000)).toBeLessThan(1);
  });
  it("Brent's maximiser finds a maximum to 1 ms", () => {
    const m = brentMax((t) => -((t - 12_345.6) ** 2), 0, 60_000, 1);
    expect(Math.abs(m.t - 12_345.6)).toBeLessThan(1);
  });
});
