import { describe, expect, it } from 'vitest';
import { realClock, simulatedClock } from './clock.js';

describe('clock', () => {
  it('a simulated clock advances speed times faster than the wall clock', () => {
    let wall = 1_000;
    const clock = simulatedClock(Date.UTC(2026, 0, 1), 1440, () => wall);
    wall += 60_000;
    expect(clock.now()).toBe(Date.UTC(2026, 0, 1) + 86_400_000);
    expect(clock.toRealDelayMs(clock.now() + 86_400_000)).toBe(60_000);
    expect(clock.toRealDelayMs(clock.now() - 1)).toBe(0);
  });
  it('the real clock waits real milliseconds', () => {
    const clock = realClock(() => 5_000);
    expect(clock.toRealDelayMs(7_500)).toBe(2_500);
  });
});
