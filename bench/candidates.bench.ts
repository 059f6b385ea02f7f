/**
 * Scheduler candidate generation, 10 stations x 7 days: one propagated track per satellite shared
 * by all stations (catalog-source.ts since issue 10) against the former per-(satellite, station)
 * pass search, which rebuilt the propagator and the track S x G times. Same candidates required.
 *   npm run bench -- candidates   (or: node --import tsx bench/candidates.bench.ts [--sats N])
 * Satellites: the LEO satellites of the demo catalog (7: Micius, ISS, HST, three NOAA, Starlink; all
 * assumed to carry the preset's terminal: QKD downlinks fly in LEO), plus synthetic LEO ones with
 * --sats N; --all-orbits adds the GEO and Molniya sets, whose "passes" last hours to the whole week
 * (a week-long GEO pass is 120,000 five-second samples), so the key-rate sampling of those few
 * candidates then dominates both sides.
 */
import { readFileSync } from 'node:fs';
import { LinkTables } from '../src/core/channel/index.js';
import { candidatesOf } from '../scheduler/adapters/catalog-source.js';
import { candidatesFromPasses, keyRateYield, type Candidate } from '../scheduler/domain/index.js';
import { parseCatalog, passesOf, StationListSchema, type ElementSet } from '../tle/domain/index.js';
import { syntheticCatalog } from '../test/support/synthetic-catalog.js';

const args = process.argv.slice(2);
const extra = Number(args[args.indexOf('--sats') + 1] ?? 0) || 0;
const demo = parseCatalog(readFileSync(new URL('../tle/data/demo.tle', import.meta.url), 'utf8')).accepted;
const sets: ElementSet[] = [
  ...demo.filter((es) => args.includes('--all-orbits') || es.meanMotionRevPerDay > 11),
  ...(extra ? syntheticCatalog(extra) : []),
];
const stations = StationListSchema.parse(
  JSON.parse(readFileSync(new URL('../tle/data/stations.json', import.meta.url), 'utf8')),
);
const fromMs = Date.UTC(2022, 7, 10),
  toMs = fromMs + 7 * 86_400_000;
const preset = 'micius-xinglong';
// Link tables kept across runs, as a compute thread keeps its own (LinkTables).
const tables = new LinkTables();

/** Before issue 10: passesOf once per (satellite, station) pair. */
function perPair(): Candidate[] {
  const yieldBits = keyRateYield(preset, sets, stations, undefined, undefined, tables);
  const out: Candidate[] = [];
  for (const es of sets)
    for (const st of stations)
      out.push(...candidatesFromPasses(passesOf([es], [st], { fromMs, toMs }).passes, [st], yieldBits));
  return out;
}
const shared = (): Candidate[] => candidatesOf({ sets, stations, fromMs, toMs, terminals: undefined, preset }, tables);

/**
 * Pass search only (what the change is about), and the whole generation including the key-rate
 * yield of every candidate.
 */
function passSearchPerPair() {
  let n = 0;
  for (const es of sets) for (const st of stations) n += passesOf([es], [st], { fromMs, toMs }).passes.length;
  return n;
}
const passSearchShared = () => passesOf(sets, stations, { fromMs, toMs }).passes.length;

function best(f: () => unknown, runs = 3): number {
  let t = Infinity;
  for (let i = 0; i < runs; i += 1) {
    const t0 = performance.now();
    f();
    t = Math.min(t, performance.now() - t0);
  }
  return t;
}

const a = perPair(),
  b = shared();
// Same passes; yields from the interpolated track (< 1 cm from SGP4) agree to 1e-6.
const byId = new Map(b.map((c) => [c.id, c]));
const worst = Math.max(
  0,
  ...a.map((c) => {
    const o = byId.get(c.id);
    return o ? Math.abs(o.expectedSecureBits - c.expectedSecureBits) / Math.max(1, c.expectedSecureBits) : Infinity;
  }),
);
const same = a.length === b.length && worst <= 1e-6;
console.log(
  `candidates: ${sets.length} satellites x ${stations.length} stations x 7 days: ${b.length} candidates ` +
    `(${same ? 'the same' : 'DIFFERENT'} as the per-pair search; ` +
    `largest yield difference ${worst.toExponential(1)} relative)`,
);
const pp = best(passSearchPerPair),
  ps = best(passSearchShared);
console.log(
  `pass search   per pair ${pp.toFixed(0)} ms, one track per satellite ${ps.toFixed(0)} ms: ` +
    `${(pp / ps).toFixed(1)}x faster`,
);
// The key-rate yield of each candidate (link budget per second + finite key) is the same work in both.
const yieldOnly = (() => {
  const y = keyRateYield(preset, sets, stations, { fromMs, toMs }, undefined, tables);
  const { passes } = passesOf(sets, stations, { fromMs, toMs });
  return () => candidatesFromPasses(passes, stations, y);
})();
const gp = best(perPair, 3),
  gs = best(shared, 3),
  gy = best(yieldOnly, 3);
console.log(
  `generation    per pair ${gp.toFixed(0)} ms, one track per satellite ${gs.toFixed(0)} ms: ` +
    `${(gp / gs).toFixed(1)}x faster (of which track sampling + key-rate yield of the ${b.length} candidates: ` +
    `${gy.toFixed(0)} ms)`,
);
if (!same) process.exitCode = 1;
