/**
 * Plan bench: a week-long instance, heuristic vs exact (objective, bound, gap, time), and joint
 * planning vs "max total key, then allocate to the demand".
 *
 * Instance: by default the documented synthetic instance of scheduler/domain/synthetic.ts
 * (6 satellites x 20 stations x 7 nights, ~2,000 candidates), because the shipped catalog has 10
 * stations; `--catalog` instead runs the real pass finder on tle/data (demo.tle x stations.json,
 * plus ten more observatory sites, 7 days, key-rate core passYield x clear-sky climatology), which takes a few minutes.
 *   npx tsx bench/plan.bench.ts [--catalog] [--time-limit 8] [--seed 1]
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { highsSolver } from '../scheduler/adapters/highs-solver.js';
import { EXTRA_OBSERVATORIES } from './observatories.js';
import {
  candidatesFromPasses,
  keyRateYield,
  milpPlan,
  planSchedule,
  syntheticDemand,
  syntheticInstance,
  type Candidate,
  type Demand,
  type Objective,
  type Plan,
} from '../scheduler/domain/index.js';
import { parseTleText, passesOf, StationListSchema } from '../tle/domain/index.js';

const args = process.argv.slice(2);
const opt = (name: string, dflt: string) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1]! : dflt;
};
const timeLimitS = Number(opt('--time-limit', '8'));
const seed = Number(opt('--seed', '1'));
const gaps = { stationSlewMs: 120_000, satelliteRetargetMs: 60_000 };
const milp = highsSolver();
const nowMs = () => performance.now();

function instance(): { name: string; cands: Candidate[]; demand: Demand } {
  if (args.includes('--catalog')) {
    const root = resolve(import.meta.dirname, '..');
    const sets = parseTleText(readFileSync(resolve(root, 'tle/data/demo.tle'), 'utf8')).accepted;
    const shipped = StationListSchema.parse(JSON.parse(readFileSync(resolve(root, 'tle/data/stations.json'), 'utf8')));
    const stations = [
      ...shipped,
      // Ten more observatories so the instance has 20 stations (bench/observatories.ts).
      ...StationListSchema.parse(EXTRA_OBSERVATORIES),
    ];
    const fromMs = Date.UTC(2026, 0, 5, 12);
    const { passes } = passesOf(sets, stations, { fromMs, toMs: fromMs + 7 * 86_400_000 });
    const cands = candidatesFromPasses(passes, stations, keyRateYield('micius-xinglong', sets, stations));
    // Demand scaled to the supply: ten pairs of ~1/30 of all expected key each, plus 1/500 per station.
    const supply = cands.reduce((s, c) => s + c.expectedSecureBits * c.clearSkyProbability, 0);
    return {
      name: `catalog: ${sets.length} satellites x ${stations.length} stations x 7 days`,
      cands,
      demand: syntheticDemand(
        stations.map((s) => s.id),
        10,
        supply / 30,
        supply / 500,
        seed + 1,
      ),
    };
  }
  const inst = syntheticInstance({
    satellites: 6,
    stations: 20,
    nights: 7,
    passesPerRegionNight: 3,
    seed,
    startMs: Date.UTC(2026, 0, 5, 18),
  });
  return {
    name: 'synthetic: 6 satellites x 20 stations x 7 nights',
    cands: inst.candidates,
    demand: syntheticDemand(inst.stationIds, 15, 12e6, 3e6, seed + 1),
  };
}

const fmt = (o: Objective) =>
  `worst pair ${(o.worstPairFraction * 100).toFixed(2)} %, demand met ` +
  `${(o.demandMetBits / 1e6).toFixed(2)} Mbit, key ${(o.totalKeyBits / 1e6).toFixed(2)} Mbit`;
const boundOf = (p: Plan) =>
  p.bound ? `bound: ${fmt(p.bound)}; gap ${p.gapPercent!.toFixed(3)} % (${p.status})` : 'no bound';
const line = (label: string, p: Plan) =>
  console.log(
    `${label.padEnd(10)} ${p.bookings.length} bookings; ${fmt(p.objective)}; ${boundOf(p)}; ` +
      `${(p.solveTimeMs / 1000).toFixed(2)} s`,
  );

const { name, cands, demand } = instance();
console.log(
  `instance ${name}: ${cands.length} candidates, ${demand.pairs.length} pairs, ` +
    `${Object.keys(demand.stations).length} station demands; time limit ${timeLimitS} s`,
);
const heur = await planSchedule(cands, demand, { solver: 'heuristic', timeLimitS, gaps, nowMs });
line('heuristic', heur);
const exact = await planSchedule(cands, demand, { solver: 'exact', timeLimitS, gaps, milp, nowMs });
line('exact', exact);
const rel = (h: number, e: number) => (e > 0 ? ((e - h) / e) * 100 : 0);
console.log(
  `heuristic vs exact: worst pair ` +
    `${rel(heur.objective.worstPairFraction, exact.objective.worstPairFraction).toFixed(2)} % below, ` +
    `demand met ${rel(heur.objective.demandMetBits, exact.objective.demandMetBits).toFixed(2)} % below, ` +
    `key ${rel(heur.objective.totalKeyBits, exact.objective.totalKeyBits).toFixed(2)} % below`,
);

// "Max total key, then allocate": plan ignoring demand, then the best allocation on that fixed selection.
const maxKey = await planSchedule(
  cands,
  { stations: {}, pairs: [] },
  { solver: 'exact', timeLimitS, gaps, milp, nowMs },
);
const fixed = await milpPlan(maxKey.bookings, demand, gaps, milp, {
  timeLimitS,
  fixedIds: new Set(maxKey.bookings.map((b) => b.id)),
  nowMs,
});
const seq = fixed.allocation.objective;
console.log(`max-key-then-allocate: ${fmt(seq)}`);
console.log(`joint planning: ${fmt(exact.objective)}`);
console.log(
  `joint vs sequential: demand met ` +
    `x${(exact.objective.demandMetBits / Math.max(1, seq.demandMetBits)).toFixed(3)} ` +
    `(${rel(seq.demandMetBits, exact.objective.demandMetBits).toFixed(1)} % more of the total met by ` +
    `joint), worst pair fraction ${(seq.worstPairFraction * 100).toFixed(1)} % -> ` +
    `${(exact.objective.worstPairFraction * 100).toFixed(1)} %`,
);
