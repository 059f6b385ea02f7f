/**
 * Pass prediction speed and completeness: N LEO satellites (catalog of 2022-08-09) x 20 stations x
 * 7 days, versus jspredict (PREDICT-style search) on the same inputs, both against a 1 s brute-force
 * scan. Horizon mask 0 deg for all (jspredict only predicts horizon-to-horizon transits).
 * Run: npm run bench -- passes   (or: node --import tsx bench/passes.bench.ts [--quick])
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createPropagator } from '../src/core/orbit/index.js';
import { gmstRad, lookAngles, siteOf, temeToEcef } from '../src/core/frames/index.js';
import { findPasses, type PassSatellite, type PassStation } from '../src/core/passes/index.js';
import { DEG } from '../src/core/units.js';

const require = createRequire(import.meta.url);
const jspredict = require('jspredict') as {
  transits: (
    tle: string,
    qth: number[],
    start: Date,
    end: Date,
    minEl: number,
    max?: number,
  ) => { start: number; end: number; maxElevation: number }[];
};

const DAY = 86_400_000;
const quick = process.argv.includes('--quick');
const T0 = Date.parse('2022-08-10T00:00:00Z');
const DAYS = 7;
const T1 = T0 + DAYS * DAY;

// ---- inputs ----
const lines = readFileSync(new URL('./data/catalog-leo-120.tle', import.meta.url), 'utf8')
  .split(/\r?\n/)
  .filter(Boolean);
interface Sat extends PassSatellite {
  tle: string;
}
const sats: Sat[] = [];
for (let i = 0; i + 1 < lines.length && sats.length < 100; i += 2) {
  const c = createPropagator({ kind: 'tle', line1: lines[i]!, line2: lines[i + 1]! });
  if (!c.ok) continue;
  if (!c.propagator.propagate(T0).ok || !c.propagator.propagate(T1).ok) continue;
  sats.push({
    noradId: Number(lines[i]!.slice(2, 7)),
    propagator: c.propagator,
    tle: `SAT\n${lines[i]}\n${lines[i + 1]}`,
  });
}
const stationFile = JSON.parse(readFileSync(new URL('../tle/data/stations.json', import.meta.url), 'utf8')) as {
  id: string;
  latitudeDeg: number;
  longitudeDeg: number;
  altitudeM: number;
}[];
// 10 real stations + 10 spread over the globe (synthetic) = 20.
const extra = [
  [-23.27, -70.4],
  [19.82, -155.47],
  [-31.27, 149.07],
  [64.8, -147.7],
  [-0.2, -78.5],
  [35.7, 139.7],
  [52.2, 0.1],
  [-45.0, 170.0],
  [60.2, 24.9],
  [-12.0, -77.0],
];
const stations: (PassStation & { latitudeDeg: number; longitudeDeg: number; altitudeM: number })[] = [
  ...stationFile.map((s) => ({
    id: s.id,
    latitudeDeg: s.latitudeDeg,
    longitudeDeg: s.longitudeDeg,
    altitudeM: s.altitudeM,
  })),
  ...extra.map(([la, lo], i) => ({ id: `synthetic-${i + 1}`, latitudeDeg: la!, longitudeDeg: lo!, altitudeM: 100 })),
].map((s) => ({
  ...s,
  latitudeRad: s.latitudeDeg * DEG,
  longitudeRad: s.longitudeDeg * DEG,
  altitudeKm: s.altitudeM / 1000,
  minElevationRad: 0,
}));

interface Interval {
  sat: number;
  station: string;
  aos: number;
  los: number;
}

// ---- ours ----
function ours(nSats: number, nStations: number, days: number): { ms: number; passes: Interval[] } {
  const t = performance.now();
  const r = findPasses(sats.slice(0, nSats), stations.slice(0, nStations), { fromMs: T0, toMs: T0 + days * DAY });
  return {
    ms: performance.now() - t,
    passes: r.passes.map((p) => ({ sat: p.noradId, station: p.stationId, aos: p.aosMs, los: p.losMs })),
  };
}

// ---- jspredict ----
function jsp(nSats: number, nStations: number): { ms: number; passes: Interval[] } {
  const out: Interval[] = [];
  const t = performance.now();
  for (const s of sats.slice(0, nSats)) {
    for (const st of stations.slice(0, nStations)) {
      for (const tr of jspredict.transits(
        s.tle,
        [st.latitudeDeg, st.longitudeDeg, st.altitudeM / 1000],
        new Date(T0),
        new Date(T1),
        1e-9,
        250,
      )) {
        out.push({ sat: s.noradId, station: st.id, aos: tr.start, los: tr.end });
      }
    }
  }
  return { ms: performance.now() - t, passes: out };
}

// ---- 1 s brute force: propagate each second, every station ----
function brute(nSats: number): Interval[] {
  const out: Interval[] = [];
  const sites = stations.map((s) => siteOf(s.latitudeRad, s.longitudeRad, s.altitudeKm));
  for (const s of sats.slice(0, nSats)) {
    const open: (number | undefined)[] = stations.map(() => undefined);
    for (let t = T0; t <= T1; t += 1000) {
      const st = s.propagator.propagate(t);
      if (!st.ok) break;
      const ecef = temeToEcef(st.positionTemeKm, gmstRad(t));
      sites.forEach((site, j) => {
        const up = lookAngles(site, ecef).elevationRad > 0;
        if (up && open[j] === undefined) open[j] = t;
        else if (!up && open[j] !== undefined) {
          out.push({ sat: s.noradId, station: stations[j]!.id, aos: open[j]!, los: t });
          open[j] = undefined;
        }
      });
    }
    open.forEach((o, j) => {
      if (o !== undefined) out.push({ sat: s.noradId, station: stations[j]!.id, aos: o, los: T1 });
    });
  }
  return out;
}

/** Reference passes fully inside the window vs candidates: found, missed, phantom, worst AOS/LOS error. */
function compare(ref: Interval[], cand: Interval[], satIds: Set<number>) {
  const inside = ref.filter((r) => r.aos > T0 && r.los < T1 && satIds.has(r.sat));
  const c = cand.filter((x) => satIds.has(x.sat));
  let found = 0,
    worstS = 0;
  const used = new Set<Interval>();
  for (const r of inside) {
    const m = c.find((x) => x.sat === r.sat && x.station === r.station && x.aos < r.los && x.los > r.aos);
    if (!m) continue;
    found += 1;
    used.add(m);
    // brute force is on a 1 s grid: its AOS is the first second above, so |error| <= 1 s is exact.
    worstS = Math.max(worstS, Math.abs(m.aos - r.aos) / 1000, Math.abs(m.los - r.los) / 1000);
  }
  const phantom = c.filter(
    (x) =>
      x.aos > T0 + 1000 &&
      x.los < T1 - 1000 &&
      !ref.some((r) => r.sat === x.sat && r.station === x.station && x.aos < r.los && x.los > r.aos),
  ).length;
  return {
    reference: inside.length,
    found,
    missed: inside.length - found,
    phantom,
    worstAosLosErrorS: Math.round(worstS * 10) / 10,
  };
}

const nSats = quick ? 20 : 100;
console.log(
  `inputs: ${sats.length} LEO satellites (using ${nSats}), ${stations.length} stations, ` +
    `${DAYS} days from ${new Date(T0).toISOString()}, mask 0 deg`,
);
ours(5, 2, 1); // warm up JIT
const full = ours(nSats, 20, DAYS);
console.log(
  `qkdsat findPasses: ${nSats} x 20 x ${DAYS} d: ${full.ms.toFixed(0)} ms, ${full.passes.length} passes ` +
    `(${((full.ms / (nSats * 20 * DAYS)) * 1000).toFixed(1)} us per satellite-station-day)`,
);

// jspredict: on the full set unless --quick (about 50 ms per satellite-station-week).
jsp(1, 1);
const jspSats = quick ? 10 : nSats;
const jr = jsp(jspSats, 20);
const oursSame = jspSats === nSats ? full : ours(jspSats, 20, DAYS);
console.log(`jspredict transits: ${jspSats} x 20 x ${DAYS} d: ${jr.ms.toFixed(0)} ms, ${jr.passes.length} passes`);
console.log(
  `speed ratio (jspredict / qkdsat, same inputs ${jspSats} x 20 x ${DAYS} d): ${(jr.ms / oursSame.ms).toFixed(1)}x`,
);

// Linearity: three sizes.
for (const [s, st, d] of [
  [Math.round(nSats / 4), 20, DAYS],
  [Math.round(nSats / 2), 20, DAYS],
  [nSats, 10, DAYS / 2],
] as [number, number, number][]) {
  const r = ours(s, st, d);
  console.log(
    `linearity: ${s} x ${st} x ${d} d = ${s * st * d} sat-station-days: ${r.ms.toFixed(0)} ms = ` +
      `${((r.ms / (s * st * d)) * 1000).toFixed(1)} us per satellite-station-day`,
  );
}

// Completeness vs 1 s brute force on a subset of satellites (all 20 stations, 7 days).
const bruteSats = quick ? 5 : 10;
const tb = performance.now();
const ref = brute(bruteSats);
const ids = new Set(sats.slice(0, bruteSats).map((s) => s.noradId));
const bruteS = (performance.now() - tb) / 1000;
console.log(
  `brute force 1 s: ${bruteSats} satellites x 20 stations x ${DAYS} d in ${bruteS.toFixed(1)} s ` +
    `(subset: the full 100 would take ~${((bruteS * 100) / bruteSats).toFixed(0)} s)`,
);
console.log(`qkdsat    vs brute force: ${JSON.stringify(compare(ref, full.passes, ids))}`);
console.log(`jspredict vs brute force: ${JSON.stringify(compare(ref, jr.passes, ids))}`);
