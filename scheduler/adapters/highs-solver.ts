/**
 * The MilpSolver port on HiGHS (npm `highs`, WebAssembly). One fresh model per call; the solve is
 * synchronous and blocks the event loop for at most the time limit (planning runs in the worker,
 * never on the API's request path for large instances).
 */
import highsModule, { type Highs } from 'highs';
import type { MilpRequest, MilpResult, MilpSolver } from '../domain/milp.js';

// The package's single .d.ts is read as CommonJS under NodeNext; at runtime ESM gets the loader as default.
const highsLoader = highsModule as unknown as () => Promise<Highs>;
let loading: Promise<Highs> | undefined;

const OPTIMAL = 7,
  INFEASIBLE = 8,
  TIME_LIMIT = 13,
  INTERRUPTED = 17,
  SOLUTION_LIMIT = 16,
  ITERATION_LIMIT = 14;

export function highsSolver(): MilpSolver {
  return async (req: MilpRequest): Promise<MilpResult> => {
    const highs = await (loading ??= highsLoader());
    const model = highs.createModel({ format: 'lp', data: req.lp });
    try {
      model.options.set({ output_flag: false, time_limit: Math.max(0.05, req.timeLimitS), mip_rel_gap: req.relGap });
      const n = model.getLp().numCols;
      const names: string[] = [];
      for (let i = 0; i < n; i += 1) names.push(model.getColName(i) as string);
      if (req.start) model.setSolution({ colValue: new Float64Array(names.map((nm) => req.start![nm] ?? 0)) });
      model.run();
      const status = Number(model.getModelStatus());
      if (status === INFEASIBLE) return { status: 'infeasible', values: {} };
      const sol = model.getSolution();
      const hasSolution = sol.colValue.length === n && Number(model.info.get('primal_solution_status')) === 2;
      if (!hasSolution) return { status: 'no-solution', values: {} };
      const values: Record<string, number> = {};
      names.forEach((nm, i) => {
        values[nm] = sol.colValue[i]!;
      });
      const dual = Number(model.info.get('mip_dual_bound'));
      const objective = model.getObjectiveValue();
      const limited = [TIME_LIMIT, INTERRUPTED, SOLUTION_LIMIT, ITERATION_LIMIT].includes(status);
      return {
        status: status === OPTIMAL ? 'optimal' : limited ? 'feasible' : 'feasible',
        objective,
        bound: Number.isFinite(dual) ? dual : objective,
        values,
      };
    } finally {
      model.dispose();
    }
  };
}
