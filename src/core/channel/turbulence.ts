/**
 * Optical turbulence along a slant path, Hufnagel-Valley Cn² profile (Andrews & Phillips, Laser Beam
 * Propagation through Random Media, 2nd ed., 2005, eq. 12.1 for HV; eqs. 12.38-12.43 slant-path moments).
 */
import type { TurbulenceConfig } from './types.js';

/** Cn²(h) [m^-2/3]: 0.00594 (v/27)² (1e-5 h)^10 e^(-h/1000) + 2.7e-16 e^(-h/1500) + A e^(-h_g/100). */
function hufnagelValleyCn2(altitudeM: number, heightAboveGroundM: number, t: TurbulenceConfig): number {
  const v = t.rmsWindSpeedMs ?? 21;
  const a = t.groundCn2M23 ?? 1.7e-14;
  const h = altitudeM;
  return (
    0.00594 * (v / 27) ** 2 * (1e-5 * h) ** 10 * Math.exp(-h / 1000) +
    2.7e-16 * Math.exp(-h / 1500) +
    a * Math.exp(-heightAboveGroundM / 100)
  );
}

export interface TurbulenceMoments {
  /** μ0 = ∫ Cn² dh */
  mu0: number;
  /** μ_5/6 = ∫ Cn² (h - h0)^(5/6) dh */
  mu56: number;
}

/**
 * Path integrals from the station altitude h0 to 30 km (Simpson, 3000 intervals, log-spaced is not
 * needed at 10 m steps).
 */
export function turbulenceMoments(stationAltitudeM: number, turbulence: TurbulenceConfig): TurbulenceMoments {
  const top = 30_000;
  const n = 3000;
  const dh = (top - stationAltitudeM) / n;
  let mu0 = 0;
  let mu56 = 0;
  for (let i = 0; i <= n; i++) {
    const hg = i * dh;
    const w = i === 0 || i === n ? 1 : i % 2 ? 4 : 2;
    const c = hufnagelValleyCn2(stationAltitudeM + hg, hg, turbulence);
    mu0 += w * c;
    mu56 += w * c * hg ** (5 / 6);
  }
  return { mu0: (mu0 * dh) / 3, mu56: (mu56 * dh) / 3 };
}

/** Fried-type coherence radius ρ0 = [1.46 k² sec ζ μ0]^(-3/5) (plane wave; uplink beam spread uses it). */
export function coherenceRadiusM(moments: TurbulenceMoments, wavelengthM: number, elevationRad: number): number {
  const k = (2 * Math.PI) / wavelengthM;
  return (1.46 * k * k * (1 / Math.max(1e-3, Math.sin(elevationRad))) * moments.mu0) ** (-3 / 5);
}

/** Rytov variance σ_R² = 2.25 k^(7/6) sec^(11/6) ζ μ_5/6 (slant path, Andrews & Phillips eq. 12.42). */
export function rytovVariance(moments: TurbulenceMoments, wavelengthM: number, elevationRad: number): number {
  const k = (2 * Math.PI) / wavelengthM;
  return 2.25 * k ** (7 / 6) * (1 / Math.max(1e-3, Math.sin(elevationRad))) ** (11 / 6) * moments.mu56;
}

/**
 * Downlink scintillation index with aperture averaging: σ_I² ≈ σ_R² A, with the weak-turbulence
 * plane-wave factor A = [1 + 1.062 k D² / (4 L_t)]^(-7/6) (Andrews & Phillips eq. 10.28), L_t the
 * slant length through the turbulent layer (taken as 20 km / sin el).
 */
export function downlinkScintillationIndex(
  moments: TurbulenceMoments,
  wavelengthM: number,
  elevationRad: number,
  apertureDiameterM: number,
): number {
  const k = (2 * Math.PI) / wavelengthM;
  const lt = 20_000 / Math.max(1e-3, Math.sin(elevationRad));
  const a = (1 + (1.062 * k * apertureDiameterM * apertureDiameterM) / (4 * lt)) ** (-7 / 6);
  return rytovVariance(moments, wavelengthM, elevationRad) * a;
}

/** Uplink long-term beam radius: w_LT² = w² + 2 (λ L / (π ρ0))² (docs/physics.md §2.6). */
export function uplinkLongTermRadiusM(wM: number, wavelengthM: number, rangeM: number, rho0M: number): number {
  return Math.sqrt(wM * wM + 2 * ((wavelengthM * rangeM) / (Math.PI * rho0M)) ** 2);
}
