/**
 * Deterministic Nelder-Mead simplex minimiser (Nelder & Mead 1965, with the standard coefficients
 * reflection 1, expansion 2, contraction 1/2, shrink 1/2; Lagarias et al., SIAM J. Optim. 9, 1998).
 * Unconstrained: callers map bounded parameters through smooth transforms.
 */
export interface NelderMeadOptions {
  maxEvaluations: number;
  /** Stop when the simplex's function values span less than this. */
  fTolerance: number;
  initialStep: number;
}

export function nelderMead(
  objective: (x: number[]) => number,
  x0: number[],
  opts: NelderMeadOptions,
): { x: number[]; fx: number; evaluations: number } {
  const n = x0.length;
  let evals = 0;
  const ev = (x: number[]) => {
    evals++;
    const v = objective(x);
    return Number.isFinite(v) ? v : Number.MAX_VALUE;
  };
  const simplex: number[][] = [x0.slice()];
  for (let i = 0; i < n; i++) {
    const v = x0.slice();
    v[i] = v[i]! + opts.initialStep;
    simplex.push(v);
  }
  let values = simplex.map(ev);
  const combine = (a: number[], b: number[], t: number) => a.map((ai, i) => ai + t * (b[i]! - ai));
  while (evals < opts.maxEvaluations) {
    const order = values.map((_, i) => i).sort((a, b) => values[a]! - values[b]!);
    const s = order.map((i) => simplex[i]!);
    const v = order.map((i) => values[i]!);
    simplex.splice(0, simplex.length, ...s);
    values = v;
    if (Math.abs(values[n]! - values[0]!) <= opts.fTolerance * (1 + Math.abs(values[0]!))) break;
    const centroid = new Array<number>(n).fill(0);
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) centroid[j]! += simplex[i]![j]! / n;
    const worst = simplex[n]!;
    const xr = combine(centroid, worst, -1);
    const fr = ev(xr);
    if (fr < values[0]!) {
      const xe = combine(centroid, worst, -2);
      const fe = ev(xe);
      if (fe < fr) {
        simplex[n] = xe;
        values[n] = fe;
      } else {
        simplex[n] = xr;
        values[n] = fr;
      }
    } else if (fr < values[n - 1]!) {
      simplex[n] = xr;
      values[n] = fr;
    } else {
      const outside = fr < values[n]!;
      const xc = combine(centroid, outside ? xr : worst, 0.5);
      const fc = ev(xc);
      if (fc < (outside ? fr : values[n]!)) {
        simplex[n] = xc;
        values[n] = fc;
      } else {
        for (let i = 1; i <= n; i++) {
          simplex[i] = combine(simplex[0]!, simplex[i]!, 0.5);
          values[i] = ev(simplex[i]!);
        }
      }
    }
  }
  let best = 0;
  for (let i = 1; i < values.length; i++) if (values[i]! < values[best]!) best = i;
  return { x: simplex[best]!, fx: values[best]!, evaluations: evals };
}
