/**
 * The service's time source. `real` is the wall clock; `simulated` runs from a chosen start at
 * `speed` simulated seconds per real second (1440 = one simulated day per real minute), so a demo
 * shows a week of operations and tests run fast. Everything that waits converts simulated
 * durations to real ones through `toRealDelayMs`.
 */
import type { Instant } from '../core/time/instant.js';
import type { Config } from './config.js';

export interface Clock {
  readonly kind: 'real' | 'simulated';
  readonly speed: number;
  now(): Instant;
  /** Real milliseconds to wait until the clock reads `at` (>= 0). */
  toRealDelayMs(at: Instant): number;
}

export const realClock = (wall: () => number = Date.now): Clock => ({
  kind: 'real',
  speed: 1,
  now: wall,
  toRealDelayMs: (at) => Math.max(0, at - wall()),
});

export function simulatedClock(start: Instant, speed: number, wall: () => number = Date.now): Clock {
  if (!(speed > 0)) throw new RangeError('speed must be > 0');
  const wallStart = wall();
  const now = () => start + (wall() - wallStart) * speed;
  return {
    kind: 'simulated',
    speed,
    now,
    toRealDelayMs: (at) => Math.max(0, (at - now()) / speed),
  };
}

/**
 * The clock the environment asks for (QKDSAT_CLOCK, _START, _SPEED), else the config file's
 * `clock` section, else the real clock. A simulated clock without a start begins now.
 */
export function clockOf(config: Config, wall: () => number = Date.now): Clock {
  const { env } = config;
  const file = config.file.clock;
  const mode = env.QKDSAT_CLOCK ?? file?.mode ?? 'real';
  if (mode === 'real') return realClock(wall);
  const start = env.QKDSAT_CLOCK_START ?? (env.QKDSAT_CLOCK === undefined ? file?.start : undefined);
  return simulatedClock(start ? Date.parse(start) : wall(), env.QKDSAT_CLOCK_SPEED ?? file?.speed ?? 1440, wall);
}
