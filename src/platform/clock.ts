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

type ClockChoice = { kind: 'real' } | { kind: 'simulated'; startMs: number; speed: number };

function clockChoice(config: Config, wall: () => number): ClockChoice {
  const { env } = config;
  const file = config.file.clock;
  const mode = env.QKDSAT_CLOCK ?? file?.mode ?? 'real';
  if (mode === 'real') return { kind: 'real' };
  const start = env.QKDSAT_CLOCK_START ?? (env.QKDSAT_CLOCK === undefined ? file?.start : undefined);
  return {
    kind: 'simulated',
    startMs: start ? Date.parse(start) : wall(),
    speed: env.QKDSAT_CLOCK_SPEED ?? file?.speed ?? 1440,
  };
}

/** The part of Redis the shared clock needs (ioredis satisfies it). */
export interface ClockAnchorStore {
  set(key: string, value: string, nx?: 'NX'): Promise<unknown>;
  get(key: string): Promise<string | null>;
}

/**
 * `clockOf`, with one simulated timeline for every process of a deployment (API, workers, on one
 * or many machines). The first process stores the anchor (simulated start, speed, wall time of that
 * start) in Redis with SET NX; the others adopt it while it matches their configured start and
 * speed (a process booted with another start or speed replaces it: the newest configuration wins).
 * The anchor persists (no expiry): a restart, however long after, continues the same timeline, so
 * bookings keep their meaning; `reset` (`npm start -- --reset-clock`) starts it afresh at the
 * configured start.
 */
export async function sharedClockOf(
  config: Config,
  store: ClockAnchorStore,
  key: string,
  wall: () => number = Date.now,
  opts: { reset?: boolean } = {},
): Promise<{ clock: Clock; adopted: boolean; keepAlive: () => () => void }> {
  const c = clockChoice(config, wall);
  const keepAlive = () => () => undefined;
  if (c.kind === 'real') return { clock: realClock(wall), adopted: false, keepAlive };
  const mine = { startMs: c.startMs, speed: c.speed, wallAnchorMs: wall() };
  let anchor = mine;
  let adopted = false;
  if (opts.reset) await store.set(key, JSON.stringify(mine));
  else {
    for (let attempt = 0; attempt < 3; attempt += 1) {
      if (await store.set(key, JSON.stringify(mine), 'NX')) break;
      const seen = await store.get(key);
      const theirs = seen ? (JSON.parse(seen) as typeof mine) : undefined;
      if (theirs && theirs.startMs === c.startMs && theirs.speed === c.speed && Number.isFinite(theirs.wallAnchorMs)) {
        anchor = theirs;
        adopted = true;
        break;
      }
      // A different configured timeline (or a corrupt value): the process booted last with a new configuration wins.
      if (theirs) {
        await store.set(key, JSON.stringify(mine));
        break;
      }
    }
  }
  const clock = simulatedClock(anchor.startMs + (wall() - anchor.wallAnchorMs) * anchor.speed, anchor.speed, wall);
  return { clock, adopted, keepAlive };
}
