/**
 * Exact engine: a MILP in CPLEX LP text, solved through the `MilpSolver` port (HiGHS in
 * scheduler/adapters/highs-solver.ts). Variables: x_i in {0,1} per candidate; y_p_s >= 0 key for
 * pair p relayed through satellite s; l_g_s >= 0 key station g uses locally from satellite s;
 * z = worst pair fraction. Rows: one "sum x <= 1" per maximal clique of each resource;
 * sum_p∋g y_p_s + l_g_s <= sum_{i at g with s} w_i x_i; sum_s y_p_s <= D_p; sum_s l_g_s <= D_g;
 * z <= sum_s y_p_s / D_p. The lexicographic objective is solved in three stages, each fixing the
 * previous level at its optimum (less a tiny tolerance). Bits are scaled by the largest weight.
 */
import { activePairs, objectiveOf, type Allocation, type Objective, type PairResult } from './allocation.js';
import { weightBits, type Candidate, type Demand, type Gaps } from './candidate.js';
import { cliqueConstraints } from './conflicts.js';

export interface MilpRequest {
  lp: string;
  timeLimitS: number;
  relGap: number;
  /** Warm start: column values by name (missing = 0). */
  start?: Record<string, number>;
}
export interface MilpResult {
  status: 'optimal' | 'feasible' | 'infeasible' | 'no-solution';
  objective?: number;
  /** Proven bound on the objective (an upper bound: all stages maximise). */
  bound?: number;
  values: Record<string, number>;
}
/** The solver port. */
export type MilpSolver = (req: MilpRequest) => Promise<MilpResult>;

export interface MilpOptions {
  timeLimitS: number;
  relGap?: number;
  fixedIds?: ReadonlySet<string>;
  warmStart?: { chosen: readonly Candidate[]; allocation: Allocation };
  /** Monotonic milliseconds for splitting the time limit across stages (injected: the domain has no clock). */
  nowMs: () => number;
  onStage?: (s: {
    stage: number;
    status: string;
    objective: number | undefined;
    bound: number | undefined;
    ms: number;
  }) => void;
}

export interface MilpPlan {
  chosen: Candidate[];
  allocation: Allocation;
  bound: Objective;
  gapPercent: number;
  status: 'optimal' | 'feasible' | 'no-solution';
}

type Lin = [number, string][];
const lin = (terms: Lin) =>
  terms
    .filter(([c]) => c !== 0)
    .map(([c, v], k) => `${c < 0 ? '-' : k ? '+' : ''} ${Math.abs(c)} ${v}`)
    .join(' ') || '0 z';

interface Model {
  rows: string[];
  bounds: string[];
  binaries: string[];
  level: [Lin, Lin, Lin];
  pairs: { a: string; b: string; bits: number; sats: number[]; index: number }[];
  unit: number;
  /**
   * The worst-pair variable z is the fraction divided by this upper bound of it, so z is O(1) even when key is far
   * below demand.
   */
  zScale: number;
}

function buildModel(cands: readonly Candidate[], demand: Demand, gaps: Gaps, fixed: ReadonlySet<string>): Model {
  const unit = Math.max(1, ...cands.map(weightBits));
  const rows: string[] = [];
  cliqueConstraints(cands, gaps).forEach((q, k) => rows.push(`q${k}: ${lin(q.map((i) => [1, `x${i}`]))} <= 1`));
  const supply = new Map<string, Lin>();
  cands.forEach((c, i) => {
    const key = `${c.stationId}|${c.noradId}`;
    if (!supply.has(key)) supply.set(key, []);
    supply.get(key)!.push([weightBits(c) / unit, `x${i}`]);
  });
  const satsAt = (g: string) => new Set(cands.filter((c) => c.stationId === g).map((c) => c.noradId));
  const use = new Map<string, Lin>();
  const addUse = (g: string, s: number, v: string) => {
    const k = `${g}|${s}`;
    if (!use.has(k)) use.set(k, []);
    use.get(k)!.push([1, v]);
  };
  const pairs = activePairs(demand).map((p, index) => {
    const sa = satsAt(p.a);
    return { ...p, index, sats: [...satsAt(p.b)].filter((s) => sa.has(s)) };
  });
  const total = new Map<string, number>();
  for (const c of cands)
    total.set(`${c.stationId}|${c.noradId}`, (total.get(`${c.stationId}|${c.noradId}`) ?? 0) + weightBits(c));
  const reach = (p: (typeof pairs)[number]) =>
    p.sats.reduce((t, s) => t + Math.min(total.get(`${p.a}|${s}`) ?? 0, total.get(`${p.b}|${s}`) ?? 0), 0) / p.bits;
  const zScale = Math.min(1, Math.max(0, ...pairs.map(reach))) || 1;
  const met: Lin = [];
  for (const p of pairs) {
    const ys: Lin = p.sats.map((s) => [1, `y${p.index}_${s}`]);
    p.sats.forEach((s) => {
      addUse(p.a, s, `y${p.index}_${s}`);
      addUse(p.b, s, `y${p.index}_${s}`);
    });
    rows.push(`d${p.index}: ${lin(ys)} <= ${p.bits / unit}`);
    rows.push(
      `f${p.index}: ${lin([[(p.bits * zScale) / unit, 'z'], ...ys.map(([c, v]) => [-c, v] as [number, string])])} <= 0`,
    );
    met.push(...ys);
  }
  let gIndex = 0;
  for (const [g, bits] of Object.entries(demand.stations)) {
    if (!(bits > 0)) continue;
    const ls: Lin = [...satsAt(g)].map((s) => [1, `l${gIndex}_${s}`]);
    for (const [, v] of ls) addUse(g, Number(v.split('_')[1]), v);
    if (ls.length) rows.push(`s${gIndex}: ${lin(ls)} <= ${bits / unit}`);
    met.push(...ls);
    gIndex += 1;
  }
  let k = 0;
  for (const [key, uses] of use) {
    const sup = supply.get(key) ?? [];
    rows.push(`k${k++}: ${lin([...uses, ...sup.map(([c, v]) => [-c, v] as [number, string])])} <= 0`);
  }
  const bounds = cands.map((c, i) => (fixed.has(c.id) ? `x${i} = 1` : `0 <= x${i} <= 1`));
  bounds.push(pairs.length ? '0 <= z <= 1' : 'z = 0');
  const key: Lin = cands.map((c, i) => [weightBits(c) / unit, `x${i}`]);
  return { rows, bounds, binaries: cands.map((_, i) => `x${i}`), level: [[[1, 'z']], met, key], pairs, unit, zScale };
}

function lpText(m: Model, stage: 0 | 1 | 2, floors: number[]): string {
  const extra = floors.map((f, k) => `lex${k}: ${lin(m.level[k]!)} >= ${f}`);
  return [
    'Maximize',
    ` obj: ${lin(m.level[stage])}`,
    'Subject To',
    ...[...m.rows, ...extra].map((r) => ` ${r}`),
    'Bounds',
    ...m.bounds.map((b) => ` ${b}`),
    'Binary',
    ` ${m.binaries.join(' ')}`,
    'End',
    '',
  ].join('\n');
}

export async function milpPlan(
  cands: readonly Candidate[],
  demand: Demand,
  gaps: Gaps,
  solve: MilpSolver,
  opts: MilpOptions,
): Promise<MilpPlan> {
  const fixed = opts.fixedIds ?? new Set<string>();
  const m = buildModel(cands, demand, gaps, fixed);
  const deadline = opts.nowMs() + opts.timeLimitS * 1000;
  let start = opts.warmStart ? warmStartValues(m, cands, demand, opts.warmStart) : undefined;
  const floors: number[] = [];
  const bounds = new Map<number, number>();
  let gap = 0;
  let values: Record<string, number> | undefined;
  let status: MilpPlan['status'] = 'optimal';
  const stages: (0 | 1 | 2)[] = [m.pairs.length ? 0 : undefined, m.level[1].length ? 1 : undefined, 2].filter(
    (s): s is 0 | 1 | 2 => s !== undefined,
  );
  for (const [n, stage] of stages.entries()) {
    const left = Math.max(0.2, (deadline - opts.nowMs()) / 1000);
    // The max-min stage is the hard one: it gets most of the budget; later stages start from its solution.
    const share = n === stages.length - 1 ? left : left * 0.5;
    while (floors.length < stage) floors.push(0);
    const t0 = opts.nowMs();
    const r = await solve({
      lp: lpText(m, stage, floors),
      timeLimitS: share,
      relGap: opts.relGap ?? 1e-3,
      ...(start ? { start } : {}),
    });
    opts.onStage?.({ stage, status: r.status, objective: r.objective, bound: r.bound, ms: opts.nowMs() - t0 });
    if (r.status === 'infeasible' || r.status === 'no-solution' || r.objective === undefined) {
      status = 'no-solution';
      break;
    }
    if (r.status === 'feasible') status = 'feasible';
    values = r.values;
    start = r.values;
    const bound = Math.max(r.bound ?? r.objective, r.objective);
    bounds.set(stage, bound);
    gap = (bound - r.objective) / Math.max(1e-9, Math.abs(bound));
    // Keep this level at its achieved value (less a relative tolerance: an absolute one would let a
    // worst-pair fraction of 1e-5 fall by 1 % while the next level is optimised) while optimising the next.
    floors.push(r.objective - 1e-7 * Math.abs(r.objective));
  }
  if (!values)
    return {
      chosen: [],
      allocation: {
        objective: { worstPairFraction: 0, demandMetBits: 0, totalKeyBits: 0 },
        pairs: [],
        stationMetBits: {},
      },
      bound: { worstPairFraction: 1, demandMetBits: Infinity, totalKeyBits: Infinity },
      gapPercent: 100,
      status: 'no-solution',
    };
  const chosen = cands.filter((_, i) => (values![`x${i}`] ?? 0) > 0.5);
  const allocation = readAllocation(m, chosen, demand, values);
  const levelBound = (stage: number, fallback: number) => bounds.get(stage) ?? fallback;
  return {
    chosen,
    allocation,
    bound: {
      worstPairFraction: m.pairs.length ? Math.min(1, levelBound(0, 1) * m.zScale) : 1,
      demandMetBits: levelBound(1, 0) * m.unit,
      totalKeyBits: levelBound(2, 0) * m.unit,
    },
    gapPercent: gap * 100,
    status,
  };
}

function readAllocation(m: Model, chosen: Candidate[], demand: Demand, v: Record<string, number>): Allocation {
  const pairs: PairResult[] = m.pairs.map((p) => {
    const via: Record<string, number> = {};
    for (const s of p.sats) {
      const y = (v[`y${p.index}_${s}`] ?? 0) * m.unit;
      if (y > 1e-6) via[String(s)] = y;
    }
    return { a: p.a, b: p.b, demandBits: p.bits, deliveredBits: Object.values(via).reduce((a, b) => a + b, 0), via };
  });
  const stationMetBits: Record<string, number> = {};
  let gIndex = 0;
  for (const [g, bits] of Object.entries(demand.stations)) {
    if (!(bits > 0)) continue;
    let sum = 0;
    for (const [name, val] of Object.entries(v)) if (name.startsWith(`l${gIndex}_`)) sum += val * m.unit;
    stationMetBits[g] = Math.min(bits, sum);
    gIndex += 1;
  }
  return { objective: objectiveOf(chosen, pairs, stationMetBits), pairs, stationMetBits };
}

/** A complete feasible start (x, y, l, z) from a heuristic selection and its allocation. */
function warmStartValues(
  m: Model,
  cands: readonly Candidate[],
  demand: Demand,
  w: NonNullable<MilpOptions['warmStart']>,
): Record<string, number> {
  const ids = new Set(w.chosen.map((c) => c.id));
  const v: Record<string, number> = {};
  const left = new Map<string, number>();
  cands.forEach((c, i) => {
    const on = ids.has(c.id) ? 1 : 0;
    v[`x${i}`] = on;
    const k = `${c.stationId}|${c.noradId}`;
    left.set(k, (left.get(k) ?? 0) + (on * weightBits(c)) / m.unit);
  });
  let z = m.pairs.length ? 1 : 0;
  for (const p of m.pairs) {
    const got = w.allocation.pairs.find((q) => q.a === p.a && q.b === p.b);
    let sum = 0;
    for (const s of p.sats) {
      const y = Math.max(
        0,
        Math.min((got?.via[String(s)] ?? 0) / m.unit, left.get(`${p.a}|${s}`) ?? 0, left.get(`${p.b}|${s}`) ?? 0),
      );
      v[`y${p.index}_${s}`] = y;
      left.set(`${p.a}|${s}`, (left.get(`${p.a}|${s}`) ?? 0) - y);
      left.set(`${p.b}|${s}`, (left.get(`${p.b}|${s}`) ?? 0) - y);
      sum += y;
    }
    z = Math.min(z, (sum * m.unit) / p.bits / m.zScale);
  }
  v.z = Math.min(1, Math.max(0, z * (1 - 1e-9)));
  let gIndex = 0;
  for (const [g, bits] of Object.entries(demand.stations)) {
    if (!(bits > 0)) continue;
    let need = bits / m.unit;
    for (const [k, cap] of left) {
      if (!k.startsWith(`${g}|`) || need <= 0) continue;
      const take = Math.max(0, Math.min(cap, need));
      v[`l${gIndex}_${k.split('|')[1]}`] = take;
      need -= take;
    }
    gIndex += 1;
  }
  return v;
}
