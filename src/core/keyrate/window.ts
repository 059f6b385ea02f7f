/**
 * Pass-window selection. Slots are indexed 0..n-1 in table order; windows are [start, end) slot ranges.
 * - SatQuMA half-width (docs/physics.md §5): 2 dt + 1 slots t = -dt..+dt around the row with time 0 (max
 *   elevation); dt capped at dt_elev, the time of the first row (from the t > 0 end) with
 *   elevation >= minElev.
 * - Optimal: the contiguous window maximising ℓ, by alternating exact scans of the end and the start
 *   (each O(n) with prefix sums), started from the elevation-mask window.
 */
import { windowCounts, type COUNT_FIELDS } from './detection.js';
import { finiteKeyLength } from './finite-key.js';
import type { Protocol } from './protocol.js';

export interface SlotWindow {
  start: number;
  /** Exclusive. */
  end: number;
}

/** Index of the slot with time 0, else the slot of maximum elevation. */
export function centreIndex(timeS: ArrayLike<number>, elevationRad: ArrayLike<number>): number {
  let best = 0;
  for (let i = 0; i < timeS.length; i++) if (timeS[i] === 0) return i;
  for (let i = 1; i < elevationRad.length; i++) if (elevationRad[i]! > elevationRad[best]!) best = i;
  return best;
}

/** SatQuMA's half-width window, capped by the minimum elevation as SatQuMA does. */
export function halfWidthWindow(
  timeS: ArrayLike<number>,
  elevationRad: ArrayLike<number>,
  halfWidthS: number,
  minElevationRad: number,
): SlotWindow {
  const c = centreIndex(timeS, elevationRad);
  const t0 = timeS[c]!;
  let dtElev = Infinity;
  // Table runs from +t_max down to -t_max: the first row with elevation >= minElev is on the t > 0 side.
  for (let i = 0; i < timeS.length; i++) {
    if (elevationRad[i]! >= minElevationRad) {
      dtElev = Math.abs(timeS[i]! - t0);
      break;
    }
  }
  const dt = Math.min(halfWidthS, dtElev);
  let start = c;
  let end = c + 1;
  while (start > 0 && Math.abs(timeS[start - 1]! - t0) <= dt) start--;
  while (end < timeS.length && Math.abs(timeS[end]! - t0) <= dt) end++;
  return { start, end };
}

/** The contiguous run of slots at or above the elevation mask that contains the centre. */
export function elevationWindow(elevationRad: ArrayLike<number>, minElevationRad: number, centre: number): SlotWindow {
  if (!(elevationRad[centre]! >= minElevationRad)) return { start: centre, end: centre };
  let start = centre;
  let end = centre + 1;
  while (start > 0 && elevationRad[start - 1]! >= minElevationRad) start--;
  while (end < elevationRad.length && elevationRad[end]! >= minElevationRad) end++;
  return { start, end };
}

/** Best [start, end) inside `bounds` for `protocol`, by alternating exact 1-D scans. */
export function optimalWindow(
  prefix: Float64Array,
  protocol: Protocol,
  bounds: SlotWindow,
): { window: SlotWindow; rawKeyBits: number } {
  const buf = new Float64Array(12 as typeof COUNT_FIELDS);
  const score = (s: number, e: number) =>
    e > s ? finiteKeyLength(windowCounts(prefix, s, e, buf), protocol).rawKeyBits : -Infinity;
  let { start, end } = bounds;
  let best = score(start, end);
  for (let iter = 0; iter < 6; iter++) {
    let moved = false;
    for (let e = start + 1; e <= bounds.end; e++) {
      const v = score(start, e);
      if (v > best) {
        best = v;
        end = e;
        moved = true;
      }
    }
    for (let s = bounds.start; s < end; s++) {
      const v = score(s, end);
      if (v > best) {
        best = v;
        start = s;
        moved = true;
      }
    }
    if (!moved) break;
  }
  return { window: { start, end }, rawKeyBits: best };
}
