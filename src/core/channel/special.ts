/**
 * Special functions for the diffraction integral (docs/physics.md §2.2): Bessel J0, the exponentially
 * scaled I0, and Gauss-Legendre nodes. Polynomial approximations from Abramowitz & Stegun (1964).
 */

/**
 * J0(x), A&S 9.4.1 (|x| <= 3, |error| < 5e-8) and 9.4.3 (|x| > 3, modulus/phase form, |error| < 1.6e-8 in
 * f0 and 7e-8 in θ0).
 */
export function besselJ0(argument: number): number {
  const ax = Math.abs(argument);
  if (ax <= 3) {
    const y = (ax / 3) ** 2;
    return 1 + y * (-2.2499997 + y * (1.2656208 + y * (-0.3163866 + y * (0.0444479 + y * (-0.0039444 + y * 0.00021)))));
  }
  const y = 3 / ax;
  const f0 =
    0.79788456 +
    y * (-0.00000077 + y * (-0.0055274 + y * (-0.00009512 + y * (0.00137237 + y * (-0.00072805 + y * 0.00014476)))));
  const t0 =
    ax -
    0.78539816 +
    y * (-0.04166397 + y * (-0.00003954 + y * (0.00262573 + y * (-0.00054125 + y * (-0.00029333 + y * 0.00013558)))));
  return (f0 * Math.cos(t0)) / Math.sqrt(ax);
}

/** e^(-|x|) I0(x): A&S 9.8.1 (|x| <= 3.75, |ε| < 1.6e-7 relative) and 9.8.2 (|x| > 3.75, |ε| < 1.9e-7). */
export function besselI0e(argument: number): number {
  const ax = Math.abs(argument);
  if (ax <= 3.75) {
    const t = (ax / 3.75) ** 2;
    return (
      Math.exp(-ax) *
      (1 + t * (3.5156229 + t * (3.0899424 + t * (1.2067492 + t * (0.2659732 + t * (0.0360768 + t * 0.0045813))))))
    );
  }
  const t = 3.75 / ax;
  return (
    (0.39894228 +
      t *
        (0.01328592 +
          t *
            (0.00225319 +
              t *
                (-0.00157565 +
                  t * (0.00916281 + t * (-0.02057706 + t * (0.02635537 + t * (-0.01647633 + t * 0.00392377)))))))) /
    Math.sqrt(ax)
  );
}

/** n-point Gauss-Legendre nodes and weights on [-1, 1] (Newton on P_n; Golub-Welsch accuracy ~1e-15). */
export function gaussLegendre(order: number): { x: Float64Array; w: Float64Array } {
  const x = new Float64Array(order);
  const w = new Float64Array(order);
  for (let i = 0; i < Math.ceil(order / 2); i++) {
    let z = Math.cos((Math.PI * (i + 0.75)) / (order + 0.5));
    let dp = 0;
    for (let it = 0; it < 100; it++) {
      let p0 = 1;
      let p1 = z;
      for (let k = 2; k <= order; k++) {
        const p2 = ((2 * k - 1) * z * p1 - (k - 1) * p0) / k;
        p0 = p1;
        p1 = p2;
      }
      dp = (order * (z * p1 - p0)) / (z * z - 1);
      const dz = p1 / dp;
      z -= dz;
      if (Math.abs(dz) < 1e-15) break;
    }
    x[i] = -z;
    x[order - 1 - i] = z;
    w[i] = w[order - 1 - i] = 2 / ((1 - z * z) * dp * dp);
  }
  return { x, w };
}
