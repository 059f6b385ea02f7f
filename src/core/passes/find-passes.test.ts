import { describe, expect, it } from 'vitest';
import { createPropagator, type Propagator } from '../orbit/index.js';
import { gmstRad, lookAngles, siteOf, temeToEcef } from '../frames/index.js';
import { findPasses } from './find-passes.js';
import { maskFunction } from './mask.js';
import type { Pass, PassStation } from './model.js';
import { DEG } from '../units.js';

const prop = (line1: string, line2: string): Propagator => {
  const c = createPropagator({ kind: 'tle', line1, line2 });
  if (!c.ok) throw new Error(c.reason);
  return c.propagator;
};
const MICIUS = prop(
  '1 41731U 16051A   22221.75514260  .00001864  00000-0  72455-4 0  9994',
  '2 41731  97.3324 131.8944 0014247 115.8780 329.1290 15.27210501333003',
);
const ISS = prop(
  '1 25544U 98067A   22221.92646991  .00006058  00000-0  11289-3 0  9998',
  '2 25544  51.6448  70.3700 0005152 101.7041  98.6467 15.50292585353513',
);
const HIMAWARI = prop(
  '1 40267U 14060A   22221.55689762 -.00000285  00000-0  00000-0 0  9993',
  '2 40267   0.0504 257.1583 0001164 228.3315 173.6642  1.00270222 28642',
);
const MOLNIYA = prop(
  '1 06791U 73062A   22220.02636205  .00000049  00000-0  00000-0 0  9990',
  '2 06791  61.9648 215.2963 7048362 269.0739  16.8905  2.00563617 21342',
);
const station = (
  id: string,
  latDeg: number,
  lonDeg: number,
  altM: number,
  minElDeg = 10,
  mask?: [number, number][],
): PassStation => ({
  id,
  latitudeRad: latDeg * DEG,
  longitudeRad: lonDeg * DEG,
  altitudeKm: altM / 1000,
  minElevationRad: minElDeg * DEG,
  ...(mask ? { horizonMask: mask.map(([a, e]) => ({ azimuthRad: a * DEG, elevationRad: e * DEG })) } : {}),
});
const GRAZ = station('graz', 47.0674, 15.4935, 493, 10, [
  [0, 5],
  [90, 14],
  [180, 8],
  [270, 12],
]);
const XINGLONG = station('xinglong', 40.3958, 117.575, 960);
const OTTAWA = station('ottawa', 45.4215, -75.6972, 70, 0);
const T0 = Date.parse('2022-08-10T00:00:00Z');
const DAY = 86_400_000;

/** g(t) = elevation - mask(azimuth), independently of the finder. */
function gOf(p: Propagator, s: PassStation) {
  const site = siteOf(s.latitudeRad, s.longitudeRad, s.altitudeKm);
  const mask = maskFunction(s.minElevationRad, s.horizonMask);
  return (t: number) => {
    const st = p.propagate(t);
    if (!st.ok) throw new Error(st.reason);
    const la = lookAngles(site, temeToEcef(st.positionTemeKm, gmstRad(t)));
    return la.elevationRad - mask(la.azimuthRad);
  };
}

describe('findPasses invariants', () => {
  const sats = [
    { noradId: 41731, propagator: MICIUS },
    { noradId: 25544, propagator: ISS },
  ];
  const { passes } = findPasses(sats, [GRAZ, XINGLONG], { fromMs: T0, toMs: T0 + 3 * DAY });

  it('at AOS - 0.5 s the satellite is below the mask and at AOS + 0.5 s above (and the reverse at LOS)', () => {
    expect(passes.length).toBeGreaterThan(20);
    for (const p of passes) {
      const g = gOf(p.noradId === 41731 ? MICIUS : ISS, p.stationId === 'graz' ? GRAZ : XINGLONG);
      expect(g(p.aosMs - 500)).toBeLessThan(0);
      expect(g(p.aosMs + 500)).toBeGreaterThan(0);
      expect(g(p.losMs - 500)).toBeGreaterThan(0);
      expect(g(p.losMs + 500)).toBeLessThan(0);
      expect(p.aosMs).toBeLessThan(p.tcaMs);
      expect(p.tcaMs).toBeLessThan(p.losMs);
    }
  });
  it('passes are sorted by AOS and disjoint per satellite-station', () => {
    for (let i = 1; i < passes.length; i += 1) expect(passes[i]!.aosMs).toBeGreaterThanOrEqual(passes[i - 1]!.aosMs);
    const last = new Map<string, Pass>();
    for (const p of passes) {
      const k = `${p.noradId}/${p.stationId}`;
      const prev = last.get(k);
      if (prev) expect(p.aosMs).toBeGreaterThan(prev.losMs);
      last.set(k, p);
    }
  });
  it('splitting the window in two gives the same passes as the whole', () => {
    const mid = T0 + 1.5 * DAY + 123_457;
    const a = findPasses(sats, [GRAZ, XINGLONG], { fromMs: T0, toMs: mid }).passes;
    const b = findPasses(sats, [GRAZ, XINGLONG], { fromMs: mid, toMs: T0 + 3 * DAY }).passes;
    // A pass across the split appears clipped in both halves: stitch it back.
    const stitched = [...a.filter((p) => !p.clippedAtEnd), ...b.filter((p) => !p.clippedAtStart)];
    for (const e of a.filter((p) => p.clippedAtEnd)) {
      const s = b.find((p) => p.clippedAtStart && p.noradId === e.noradId && p.stationId === e.stationId)!;
      stitched.push({ ...e, losMs: s.losMs });
    }
    expect(stitched.length).toBe(passes.length);
    const sorted = (xs: Pass[]) => [...xs].sort((x, y) => x.aosMs - y.aosMs || x.stationId.localeCompare(y.stationId));
    const s1 = sorted(stitched),
      s2 = sorted(passes);
    s1.forEach((p, i) => {
      expect(`${p.noradId}/${p.stationId}`).toBe(`${s2[i]!.noradId}/${s2[i]!.stationId}`);
      expect(Math.abs(p.aosMs - s2[i]!.aosMs)).toBeLessThanOrEqual(2);
      expect(Math.abs(p.losMs - s2[i]!.losMs)).toBeLessThanOrEqual(2);
    });
  });
  it('no pass is missed: a 1 s brute-force scan finds the same intervals', () => {
    const g = gOf(MICIUS, GRAZ);
    const found: number[] = [];
    let prev = g(T0);
    for (let t = T0 + 1000; t <= T0 + DAY; t += 1000) {
      const v = g(t);
      if (prev <= 0 && v > 0) found.push(t);
      prev = v;
    }
    const mine = passes
      .filter((p) => p.noradId === 41731 && p.stationId === 'graz' && p.aosMs < T0 + DAY)
      .map((p) => p.aosMs);
    expect(mine.length).toBe(found.length);
    mine.forEach((t, i) => expect(Math.abs(t - found[i]!)).toBeLessThanOrEqual(1000));
  });
  it('no pass is missed at a high mask (75 deg), where peaks are sharp', () => {
    const stations = [0, 1, 2, 3, 4, 5, 6, 7].map((i) => station(`s${i}`, -50 + i * 14, i * 40, 100, 75));
    const sites = stations.map((st) => gOf(ISS, st));
    let brute = 0;
    const up = sites.map(() => false);
    for (let t = T0; t <= T0 + 2 * DAY; t += 1000)
      sites.forEach((g, j) => {
        const u = g(t) > 0;
        if (u && !up[j]) brute += 1;
        up[j] = u;
      });
    expect(brute).toBeGreaterThan(0);
    expect(
      findPasses([{ noradId: 25544, propagator: ISS }], stations, { fromMs: T0, toMs: T0 + 2 * DAY }).passes.length,
    ).toBe(brute);
  });
});

describe('findPasses special cases', () => {
  it('a GEO always above the mask gives one pass clipped at both ends; never above gives none', () => {
    const always = findPasses([{ noradId: 40267, propagator: HIMAWARI }], [XINGLONG], {
      fromMs: T0,
      toMs: T0 + DAY,
    }).passes;
    expect(always).toHaveLength(1);
    expect(always[0]).toMatchObject({
      aosMs: T0,
      losMs: T0 + DAY,
      clipped: true,
      clippedAtStart: true,
      clippedAtEnd: true,
      endReason: 'window',
    });
    expect(
      findPasses([{ noradId: 40267, propagator: HIMAWARI }], [OTTAWA], { fromMs: T0, toMs: T0 + DAY }).passes,
    ).toHaveLength(0);
  });
  it('an eccentric orbit culminating twice gives one pass whose TCA is the higher culmination', () => {
    const { passes } = findPasses([{ noradId: 6791, propagator: MOLNIYA }], [OTTAWA], { fromMs: T0, toMs: T0 + DAY });
    const twin = passes.find((p) => p.culminations === 2)!;
    expect(twin).toBeDefined();
    const g = gOf(MOLNIYA, OTTAWA);
    let best = -Infinity;
    for (let t = twin.aosMs; t <= twin.losMs; t += 10_000) best = Math.max(best, g(t));
    // Refinement uses Hermite-interpolated states (error < 1e-6 rad against SGP4 here).
    expect(twin.maxElevationRad).toBeGreaterThanOrEqual(best - 1e-6);
    expect(Math.abs(g(twin.tcaMs) - twin.maxElevationRad)).toBeLessThan(1e-6);
  });
  it('a satellite that SGP4 reports as failed inside the window ends its passes there with the reason', () => {
    const decaying = prop(
      '1 99999U 22001A   22221.50000000  .01000000  00000-0  50000-2 0  9990',
      '2 99999  51.6000  70.0000 0005000 100.0000 100.0000 16.20000000    10',
    );
    const from = Date.parse('2022-08-09T12:00:00Z');
    const r = findPasses([{ noradId: 99999, propagator: decaying }], [GRAZ, XINGLONG, OTTAWA], {
      fromMs: from,
      toMs: from + 5 * DAY,
    });
    expect(r.failures).toHaveLength(1);
    expect(r.failures[0]!.reason).toMatch(/eccentricity|decayed/);
    for (const p of r.passes) expect(p.losMs).toBeLessThanOrEqual(r.failures[0]!.atMs);
    expect(decaying.propagate(r.failures[0]!.atMs).ok).toBe(false);
    expect(decaying.propagate(r.failures[0]!.atMs - 1).ok).toBe(true);
  });
  it('passes cut by the window edges are reported as clipped', () => {
    const all = findPasses([{ noradId: 25544, propagator: ISS }], [XINGLONG], { fromMs: T0, toMs: T0 + DAY }).passes;
    const p = all[0]!;
    const mid = Math.round((p.aosMs + p.losMs) / 2);
    const cut = findPasses([{ noradId: 25544, propagator: ISS }], [XINGLONG], {
      fromMs: mid,
      toMs: p.losMs + 60_000,
    }).passes;
    expect(cut[0]).toMatchObject({
      aosMs: mid,
      losMs: p.losMs,
      clipped: true,
      clippedAtStart: true,
      clippedAtEnd: false,
      endReason: 'set',
    });
  });
  it('standard refraction raises elevations and moves a LEO AOS 0.5-6 s earlier (about 1-5 s)', () => {
    const geo = findPasses([{ noradId: 41731, propagator: MICIUS }], [XINGLONG], { fromMs: T0, toMs: T0 + DAY }).passes;
    const refr = findPasses([{ noradId: 41731, propagator: MICIUS }], [XINGLONG], {
      fromMs: T0,
      toMs: T0 + DAY,
      refraction: true,
    }).passes;
    expect(refr.length).toBe(geo.length);
    geo.forEach((p, i) => {
      const dS = (p.aosMs - refr[i]!.aosMs) / 1000;
      expect(dS).toBeGreaterThan(0.5);
      expect(dS).toBeLessThan(6);
    });
  });
  it('a horizon mask above the minimum elevation delays AOS', () => {
    const plain = { ...GRAZ, horizonMask: undefined };
    const masked = findPasses([{ noradId: 25544, propagator: ISS }], [GRAZ], { fromMs: T0, toMs: T0 + DAY }).passes;
    const open = findPasses([{ noradId: 25544, propagator: ISS }], [plain], { fromMs: T0, toMs: T0 + DAY }).passes;
    const sumM = masked.reduce((s, p) => s + p.losMs - p.aosMs, 0),
      sumO = open.reduce((s, p) => s + p.losMs - p.aosMs, 0);
    expect(sumM).toBeLessThan(sumO);
  });
});
