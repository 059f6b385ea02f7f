/**
 * The Clock contract: the real and the simulated clock read time and turn a waited-for instant
 * into real milliseconds alike (the real clock is the simulated one at speed 1 starting now).
 */
import { describe, expect, it } from 'vitest';
import { realClock, simulatedClock, type Clock } from '../../src/platform/clock.js';

const WALL_START_MS = Date.parse('2026-01-01T00:00:00Z');
const SIM_START_MS = Date.parse('2022-08-10T00:00:00Z');

/** A wall clock the test moves by hand. */
function manualWall() {
  let nowMs = WALL_START_MS;
  return { read: () => nowMs, advance: (ms: number) => (nowMs += ms) };
}

const clocks: { name: string; create(wall: () => number): Clock }[] = [
  { name: 'real', create: (wall) => realClock(wall) },
  { name: 'simulated', create: (wall) => simulatedClock(SIM_START_MS, 1440, wall) },
];

describe.each(clocks)('Clock: $name', (factory) => {
  it('time moves forward speed times as fast as the wall clock', () => {
    const wall = manualWall();
    const clock = factory.create(wall.read);
    const before = clock.now();
    wall.advance(1000);
    expect(clock.now() - before).toBe(1000 * clock.speed);
  });

  it('waiting for an instant takes its distance over the speed in real ms, never less than 0', () => {
    const wall = manualWall();
    const clock = factory.create(wall.read);
    const inAnHour = clock.now() + 3_600_000;
    expect(clock.toRealDelayMs(inAnHour)).toBeCloseTo(3_600_000 / clock.speed, 9);
    wall.advance(clock.toRealDelayMs(inAnHour));
    expect(clock.now()).toBeCloseTo(inAnHour, 6);
    expect(clock.toRealDelayMs(inAnHour)).toBeCloseTo(0, 9);
    expect(clock.toRealDelayMs(clock.now() - 60_000)).toBe(0);
  });

  it('says what it is: real at speed 1, simulated at its own positive speed', () => {
    const clock = factory.create(manualWall().read);
    expect(clock.kind === 'real' ? clock.speed === 1 : clock.speed > 0).toBe(true);
  });
});
