/**
 * Weighted non-linear least squares by Levenberg-Marquardt (Moré, "The Levenberg-Marquardt algorithm:
 * implementation and theory", LNM 630, 1978: Marquardt's diagonal scaling, forward-difference Jacobian),
 * with box bounds by projection, and the parameter covariance (JᵀJ)⁻¹ at the solution
 * (docs/physics.md §6.2). Residuals are already weighted: r_i = (model_i - data_i) / σ_i.
 */
export interface LeastSquaresOptions {
  lower: number[];
  upper: number[];
  maxIterations?: number;
  /** Stop when χ² improves by less than this fraction. */
  relativeTolerance?: number;
}

export interface LeastSquaresResult {
  x: number[];
  chiSquare: number;
  /** (JᵀJ)⁻¹ at x: the covariance when the σ_i are the true standard deviations. */
  covariance: number[][];
  iterations: number;
  evaluations: number;
  converged: boolean;
}

const sumSq = (r: ArrayLike<number>) => {
  let s = 0;
  for (let i = 0; i < r.length; i++) s += r[i]! * r[i]!;
  return s;
};

/** Solves A x = b (A symmetric positive definite, small) by Cholesky; undefined if not positive definite. */
function choleskySolve(A: number[][], b: number[]): number[] | undefined {
  const n = b.length;
  const L = A.map(() => new Array<number>(n).fill(0));
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let s = A[i]![j]!;
      for (let k = 0; k < j; k++) s -= L[i]![k]! * L[j]![k]!;
      if (i === j) {
        if (!(s > 0)) return undefined;
        L[i]![i] = Math.sqrt(s);
      } else L[i]![j] = s / L[j]![j]!;
    }
  }
  const y = new Array<number>(n).fill(0);
  for (let i = 0; i < n; i++) {
    let s = b[i]!;
    for (let k = 0; k < i; k++) s -= L[i]![k]! * y[k]!;
    y[i] = s / L[i]![i]!;
  }
  const x = new Array<number>(n).fill(0);
  for (let i = n - 1; i >= 0; i--) {
    let s = y[i]!;
    for (let k = i + 1; k < n; k++) s -= L[k]![i]! * x[k]!;
    x[i] = s / L[i]![i]!;
  }
  return x;
}

/** Inverse of a small symmetric positive definite matrix (column by column); NaNs if singular. */
function invertSpd(A: number[][]): number[][] {
  const n = A.length;
  const cols = A.map(
    (_, j) =>
      choleskySolve(
        A,
        A.map((__, i) => (i === j ? 1 : 0)),
      ) ?? new Array<number>(n).fill(Number.NaN),
  );
  return A.map((_, i) => cols.map((c) => c[i]!));
}

function jacobian(
  f: (x: number[]) => Float64Array,
  x: number[],
  r0: Float64Array,
  lower: number[],
  upper: number[],
): Float64Array[] {
  return x.map((xj, j) => {
    let h = 1e-6 * Math.max(Math.abs(xj), (upper[j]! - lower[j]!) * 1e-3);
    if (xj + h > upper[j]!) h = -h; // step inward at an upper bound
    const xp = x.slice();
    xp[j] = xj + h;
    const rp = f(xp);
    const col = new Float64Array(r0.length);
    for (let i = 0; i < r0.length; i++) col[i] = (rp[i]! - r0[i]!) / h;
    return col;
  });
}

function normalEquations(J: Float64Array[], r: Float64Array): { JtJ: number[][]; Jtr: number[] } {
  const p = J.length;
  const JtJ = J.map(() => new Array<number>(p).fill(0));
  const Jtr = new Array<number>(p).fill(0);
  for (let a = 0; a < p; a++) {
    for (let b = a; b < p; b++) {
      let s = 0;
      for (let i = 0; i < r.length; i++) s += J[a]![i]! * J[b]![i]!;
      JtJ[a]![b] = JtJ[b]![a] = s;
    }
    let s = 0;
    for (let i = 0; i < r.length; i++) s += J[a]![i]! * r[i]!;
    Jtr[a] = s;
  }
  return { JtJ, Jtr };
}

export function levenbergMarquardt(
  residuals: (x: number[]) => Float64Array,
  x0: number[],
  options: LeastSquaresOptions,
): LeastSquaresResult {
  const clamp = (x: number[]) => x.map((v, j) => Math.min(options.upper[j]!, Math.max(options.lower[j]!, v)));
  let evaluations = 0;
  const f = (x: number[]) => {
    evaluations++;
    return residuals(x);
  };
  let x = clamp(x0);
  let r = f(x);
  let chi = sumSq(r);
  let lambda = 1e-3;
  let converged = false;
  let it = 0;
  const maxIt = options.maxIterations ?? 100;
  const tol = options.relativeTolerance ?? 1e-10;
  for (; it < maxIt && !converged; it++) {
    const J = jacobian(f, x, r, options.lower, options.upper);
    const { JtJ, Jtr } = normalEquations(J, r);
    let improved = false;
    for (let tries = 0; tries < 30 && !improved; tries++) {
      const A = JtJ.map((row, a) => row.map((v, b) => (a === b ? v + lambda * Math.max(v, 1e-300) : v)));
      const step = choleskySolve(
        A,
        Jtr.map((v) => -v),
      );
      if (!step) {
        lambda *= 10;
        continue;
      }
      const xn = clamp(x.map((v, j) => v + step[j]!));
      const rn = f(xn);
      const chin = sumSq(rn);
      if (chin < chi) {
        converged =
          chi - chin <= tol * chi || step.every((s, j) => Math.abs(s) <= 1e-12 * Math.max(1e-300, Math.abs(x[j]!)));
        x = xn;
        r = rn;
        chi = chin;
        lambda = Math.max(1e-12, lambda / 10);
        improved = true;
      } else lambda *= 10;
    }
    if (!improved) converged = true; // no downhill step at any damping: a (bounded) minimum
  }
  const J = jacobian(f, x, r, options.lower, options.upper);
  return {
    x,
    chiSquare: chi,
    covariance: invertSpd(normalEquations(J, r).JtJ),
    iterations: it,
    evaluations,
    converged,
  };
}
