/**
 * The compute thread pool: same results as inline, concurrent searches do not share state, errors keep their code, the
 * loop stays free.
 */
import { readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { createComputePool } from '../../src/compute/index.js';
import { QkdsatError } from '../../src/core/errors.js';
import { parseCatalog, passesOf, StationListSchema } from '../../tle/domain/index.js';

const root = new URL('../../', import.meta.url);
const sets = parseCatalog(readFileSync(new URL('tle/data/demo.tle', root), 'utf8')).accepted;
const stations = StationListSchema.parse(JSON.parse(readFileSync(new URL('tle/data/stations.json', root), 'utf8')));
const T0 = Date.parse('2022-08-10T00:00:00Z');
const pool = createComputePool({ size: 2 });
afterAll(() => pool.close());

describe('compute pool', () => {
  it('finds the same passes in threads as inline, with two searches running at once', async () => {
    const q1 = { sets, stations, fromMs: T0, toMs: T0 + 86_400_000 };
    const q2 = {
      sets: sets.filter((s) => s.noradId !== 25544),
      stations: stations.slice(0, 3),
      fromMs: T0 + 3_600_000,
      toMs: T0 + 2 * 86_400_000,
      minElevationDeg: 5,
    };
    const [a, b] = await Promise.all([pool.run('passes', q1), pool.run('passes', q2)]);
    expect(a).toEqual(passesOf(q1.sets, q1.stations, q1));
    expect(b).toEqual(passesOf(q2.sets, q2.stations, q2));
    expect(a.passes.length).toBeGreaterThan(10);
  });
  it('rethrows a QkdsatError from a thread with its code and issues', async () => {
    const err = await pool
      .run('passTrack', { es: sets[0]!, station: stations[0]!, aosMs: T0 })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(QkdsatError);
    expect((err as QkdsatError).code).toBe('NOT_FOUND');
    expect((err as QkdsatError).issues[0]!.path).toEqual(['aos']);
  });
  it('leaves the event loop free while a week of passes over every station is computed', async () => {
    const q = { sets, stations, fromMs: T0, toMs: T0 + 7 * 86_400_000 };
    const t0 = performance.now();
    passesOf(q.sets, q.stations, q);
    const inlineMs = performance.now() - t0;
    let worst = 0,
      last = performance.now();
    const timer = setInterval(() => {
      const t = performance.now();
      worst = Math.max(worst, t - last - 5);
      last = t;
    }, 5);
    await pool.run('passes', q);
    clearInterval(timer);
    // Inline, the loop would stall for the whole search; in the pool only for the copies.
    expect(worst).toBeLessThan(inlineMs / 2);
  });
});
