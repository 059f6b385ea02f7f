import { describe, expect, it } from 'vitest';
import { countPrefixSums, windowCounts } from './detection.js';
import { finiteKeyLength } from './finite-key.js';
import { SATQUMA_PROTOCOL } from './protocol.js';
import { elevationWindow, halfWidthWindow, optimalWindow } from './window.js';
import { DEG } from '../units.js';

// Table order as SatQuMA: time from +5 down to -5, elevation peaking at t = 0.
const timeS = [5, 4, 3, 2, 1, 0, -1, -2, -3, -4, -5];
const el = timeS.map((t) => (90 - 15 * Math.abs(t)) * DEG);

describe('pass windows', () => {
  it('half-width dt keeps the 2 dt + 1 slots t = -dt..+dt', () => {
    expect(halfWidthWindow(timeS, el, 2, 0)).toEqual({ start: 3, end: 8 });
  });
  it('caps dt at the first row (t > 0 side) at or above the minimum elevation', () => {
    // 30° is reached at t = 4 (90 - 60): dt = min(5, 4).
    expect(halfWidthWindow(timeS, el, 5, 30 * DEG)).toEqual({ start: 1, end: 10 });
  });
  it('the elevation window is the contiguous run above the mask around the centre', () => {
    expect(elevationWindow(el, 45 * DEG, 5)).toEqual({ start: 2, end: 9 });
  });
  it('the optimal window is at least as good as the full mask window', () => {
    const eta = new Float64Array(el.map((e) => 1e-3 * Math.sin(e) ** 4));
    const pre = countPrefixSums({ eta }, { ...SATQUMA_PROTOCOL, repetitionRateHz: 1e9 });
    const p = { ...SATQUMA_PROTOCOL, repetitionRateHz: 1e9 };
    const full = finiteKeyLength(windowCounts(pre, 0, 11), p).rawKeyBits;
    expect(optimalWindow(pre, p, { start: 0, end: 11 }).rawKeyBits).toBeGreaterThanOrEqual(full);
  });
});
