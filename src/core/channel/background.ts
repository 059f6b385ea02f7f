/**
 * Sky background at the receiver (docs/physics.md §2.7): R_bg = H_sky Ω_FOV A_rx Δλ η_rx η_det / (h c / λ).
 *
 * Sky spectral radiance H_sky [W m^-2 sr^-1 nm^-1] near 800-850 nm, order-of-magnitude values:
 * - moonless night: I-band dark sky ≈ 20 mag/arcsec² (Krisciunas & Schaefer, PASP 103, 1033, 1991;
 *   I-band zero point 1.13e-11 W m^-2 nm^-1) ⇒ 4.8e-9.
 * - full Moon at 90° from the line of sight adds ≈ 2 mag brighter sky ⇒ 3e-8, scaled by the
 *   illuminated fraction^1.5 and the Krisciunas-Schaefer scattering function
 *   f(ρ) = 10^5.36 (1.06 + cos² ρ) + 10^(6.15 - ρ/40), ρ in degrees, normalised at 90°.
 * - clear daytime sky ≈ 1.2e-2 (≈ 4 mag/arcsec² in I); twilight: log-linear in the Sun's elevation
 *   from -18° (night) to 0° (1e-3 at sunset).
 */
import type { SkyGeometry } from './types.js';
import { DEG } from '../units.js';

const PLANCK_JS = 6.62607015e-34;
const LIGHT_MS = 299_792_458;
const H_NIGHT = 4.8e-9;
const H_FULL_MOON_90 = 3e-8;
const H_SUNSET = 1e-3;
const H_DAY = 1.2e-2;

const ksScattering = (rhoDeg: number) => 10 ** 5.36 * (1.06 + Math.cos(rhoDeg * DEG) ** 2) + 10 ** (6.15 - rhoDeg / 40);

export function skyRadiance(sky: SkyGeometry): number {
  const sunDeg = sky.sunElevationRad / DEG;
  if (sunDeg >= 0) return H_DAY;
  let h = H_NIGHT;
  if (sunDeg > -18)
    h = 10 ** (Math.log10(H_NIGHT) + ((sunDeg + 18) / 18) * (Math.log10(H_SUNSET) - Math.log10(H_NIGHT)));
  if ((sky.moonElevationRad ?? -1) > 0 && (sky.moonIlluminatedFraction ?? 0) > 0) {
    const rho = Math.max(2, (sky.moonSeparationRad ?? Math.PI / 2) / DEG);
    h += H_FULL_MOON_90 * sky.moonIlluminatedFraction! ** 1.5 * (ksScattering(rho) / ksScattering(90));
  }
  return h;
}

/** Detected background click rate (all detectors together). */
export function backgroundCountRateHz(
  radiance: number,
  fovFullAngleRad: number,
  apertureRadiusM: number,
  filterNm: number,
  rxEfficiency: number,
  detEfficiency: number,
  wavelengthM: number,
): number {
  const omega = Math.PI * (fovFullAngleRad / 2) ** 2; // small-angle solid angle of the field stop
  const area = Math.PI * apertureRadiusM * apertureRadiusM;
  const photonJ = (PLANCK_JS * LIGHT_MS) / wavelengthM;
  return (radiance * omega * area * filterNm * rxEfficiency * detEfficiency) / photonJ;
}
