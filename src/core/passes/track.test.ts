import { describe, expect, it } from 'vitest';
import { createPropagator, type Propagator } from '../orbit/index.js';
import { ecefToTeme, gmstRad } from '../frames/index.js';
import { buildTrack, nodeStepMs } from './track.js';
import { cursorOn, positionAt } from './track-cursor.js';

const prop = (line1: string, line2: string): Propagator => {
  const c = createPropagator({ kind: 'tle', line1, line2 });
  if (!c.ok) throw new Error(c.reason);
  return c.propagator;
};
const ISS = prop(
  '1 25544U 98067A   22221.92646991  .00006058  00000-0  11289-3 0  9998',
  '2 25544  51.6448  70.3700 0005152 101.7041  98.6467 15.50292585353513',
);
const MOLNIYA = prop(
  '1 06791U 73062A   22220.02636205  .00000049  00000-0  00000-0 0  9990',
  '2 06791  61.9648 215.2963 7048362 269.0739  16.8905  2.00563617 21342',
);
const T0 = Date.parse('2022-08-10T00:00:00Z');
const DAY = 86_400_000;

/** Largest distance (km) between the track and SGP4, compared in TEME (the GMST used for both). */
function worstErrorKm(p: Propagator): number {
  const tr = buildTrack(
    { noradId: 1, propagator: p },
    T0,
    T0 + DAY,
    nodeStepMs(p.summary.periodS, p.summary.eccentricity),
  );
  const cursor = cursorOn(tr);
  let worst = 0;
  for (let i = 0; i < 2000; i += 1) {
    const t = T0 + ((i + 0.37) / 2000) * DAY;
    const s = p.propagate(t);
    if (!s.ok) throw new Error(s.reason);
    const a = positionAt(cursor, t);
    const q = ecefToTeme({ x: a.x, y: a.y, z: a.z }, gmstRad(t));
    worst = Math.max(worst, Math.hypot(q.x - s.positionTemeKm.x, q.y - s.positionTemeKm.y, q.z - s.positionTemeKm.z));
  }
  return worst;
}

describe('buildTrack / positionAt', () => {
  it('interpolates SGP4 positions to centimetres (LEO and Molniya)', () => {
    // Bounded by GMST's double-precision resolution at nodes (~3e-9 rad, 2 cm in LEO, 10 cm at 30 000 km).
    expect(worstErrorKm(ISS)).toBeLessThan(0.03);
    expect(worstErrorKm(MOLNIYA)).toBeLessThan(0.15);
  });
  it('gives a velocity that is the derivative of the interpolated position, and nodes exactly', () => {
    const tr = buildTrack(
      { noradId: 1, propagator: ISS },
      T0,
      T0 + DAY,
      nodeStepMs(ISS.summary.periodS, ISS.summary.eccentricity),
    );
    const cursor = cursorOn(tr);
    for (const t of [T0 + 1234.5, T0 + 0.4 * DAY, T0 + DAY - 777]) {
      const a = { ...positionAt(cursor, t - 50) },
        b = { ...positionAt(cursor, t + 50) },
        v = { ...positionAt(cursor, t) };
      expect(Math.hypot((b.x - a.x) / 0.1 - v.vx, (b.y - a.y) / 0.1 - v.vy, (b.z - a.z) / 0.1 - v.vz)).toBeLessThan(
        1e-6,
      );
    }
    for (let k = tr.first; k <= tr.last; k += 97) {
      const p = positionAt(cursor, tr.t[k]!);
      expect(Math.hypot(p.x - tr.x[k]!, p.y - tr.y[k]!, p.z - tr.z[k]!)).toBeLessThan(1e-9);
      expect(Math.hypot(p.vx - tr.vx[k]!, p.vy - tr.vy[k]!, p.vz - tr.vz[k]!)).toBeLessThan(1e-7);
    }
  });
  it('ends at the last good millisecond when SGP4 fails inside the window', () => {
    const decaying = prop(
      '1 99999U 22001A   22221.50000000  .01000000  00000-0  50000-2 0  9990',
      '2 99999  51.6000  70.0000 0005000 100.0000 100.0000 16.20000000    10',
    );
    const from = Date.parse('2022-08-09T12:00:00Z');
    const tr = buildTrack(
      { noradId: 99999, propagator: decaying },
      from,
      from + 5 * DAY,
      nodeStepMs(decaying.summary.periodS, 0),
    );
    expect(tr.endReason).toBe('decayed');
    expect(tr.t[tr.last]).toBe(tr.failure!.atMs - 1);
    expect(decaying.propagate(tr.t[tr.last]!).ok).toBe(true);
  });
});
