/**
 * Gaussian-beam geometry (docs/physics.md §2.1; Siegman, Lasers, ch. 17; Degnan & Klein, Appl. Opt. 13, 2397, 1974).
 */

/** w0 from the config: explicit waist, else λ/(πθ) from a quoted divergence, else the aperture radius. */
export function beamWaistM(
  wavelengthM: number,
  tx: { beamWaistM?: number; divergenceHalfAngleRad?: number; apertureRadiusM: number },
): number {
  if (tx.beamWaistM !== undefined) return tx.beamWaistM;
  if (tx.divergenceHalfAngleRad !== undefined) return wavelengthM / (Math.PI * tx.divergenceHalfAngleRad);
  return tx.apertureRadiusM;
}

/** w(L) = w0 sqrt(1 + (L/z_R)²), z_R = π w0² / λ. */
export function beamRadiusM(w0M: number, wavelengthM: number, rangeM: number): number {
  const zR = (Math.PI * w0M * w0M) / wavelengthM;
  return w0M * Math.sqrt(1 + (rangeM / zR) ** 2);
}

/** Fraction of a centred Gaussian of radius w collected by an aperture of radius a: 1 - exp(-2a²/w²). */
export function collectedFraction(apertureRadiusM: number, wM: number): number {
  return -Math.expm1((-2 * apertureRadiusM * apertureRadiusM) / (wM * wM));
}

/**
 * (Not used by the link budget, which integrates the exact field: diffraction.ts, docs/physics.md §2.2.)
 * On-axis intensity of a Gaussian (waist w0, flat phase) truncated by an aperture of radius a, relative
 * to the untruncated beam of equal power, at range L. Exact Fresnel on-axis integral:
 *   U ∝ ∫0^a e^(-c r²) r dr = (1 - e^(-c a²)) / (2c),  c = 1/w0² - i k/(2L)
 * so the ratio is |1 - e^(-c a²)|² = 1 - 2 e^(-α) cos β + e^(-2α), α = a²/w0², β = k a²/(2L).
 * Far field (β → 0) with a = w0: (1 - e^-1)² = 0.40 (-4.0 dB). A small receiver sees the on-axis value.
 */
export function truncationFactor(apertureRadiusM: number, w0M: number, wavelengthM: number, rangeM: number): number {
  const alpha = (apertureRadiusM * apertureRadiusM) / (w0M * w0M);
  const beta = (Math.PI * apertureRadiusM * apertureRadiusM) / (wavelengthM * rangeM);
  const ea = Math.exp(-alpha);
  return Math.min(1, 1 - 2 * ea * Math.cos(beta) + ea * ea);
}

/** w_eff² = w² + 4 (σ_p L)²: long-term beam radius with per-axis Gaussian jitter σ_p (docs/physics.md §2.4). */
export function jitteredRadiusM(wM: number, jitterRad: number, rangeM: number): number {
  return Math.sqrt(wM * wM + 4 * (jitterRad * rangeM) ** 2);
}
