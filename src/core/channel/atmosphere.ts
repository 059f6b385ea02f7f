/**
 * Atmospheric extinction: plane-parallel sec law η = T_z^(1/sin el) (docs/physics.md §2), or a table of
 * transmittance against elevation (e.g. SatQuMA's MODTRAN table). Parsing the table text is pure;
 * reading the file belongs to the caller.
 */
import { err, ok, type Issue, type Result } from '../errors.js';
import type { AtmosphereConfig, TransmittanceTable } from './types.js';

/** sin(el) floor: keeps losses finite for grazing samples (≈ 0.06°). */
const MIN_SIN_EL = 1e-3;

/**
 * η_atm(el) (docs/physics.md §2.5): sec law T_z^(m^γ) with air mass m = 1/sin el (γ = 1 unless fitted),
 * or the table; times exp(-τ_aer m) when an extra aerosol optical depth is given.
 */
export function atmosphericTransmittance(atm: AtmosphereConfig, elevationRad: number): number {
  const m = 1 / Math.max(MIN_SIN_EL, Math.sin(elevationRad));
  const base =
    atm.model === 'sec-law'
      ? Math.pow(atm.zenithTransmittance, atm.airmassExponent === undefined ? m : Math.pow(m, atm.airmassExponent))
      : interpolate(atm.table.elevationDeg, atm.table.transmittance, (elevationRad * 180) / Math.PI);
  return atm.aerosolOpticalDepth ? base * Math.exp(-atm.aerosolOpticalDepth * m) : base;
}

/** Linear interpolation, clamped to the end values; xs ascending. */
function interpolate(xs: ArrayLike<number>, ys: ArrayLike<number>, x: number): number {
  const n = xs.length;
  if (x <= xs[0]!) return ys[0]!;
  if (x >= xs[n - 1]!) return ys[n - 1]!;
  let lo = 0;
  let hi = n - 1;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (xs[mid]! <= x) lo = mid;
    else hi = mid;
  }
  const t = (x - xs[lo]!) / (xs[hi]! - xs[lo]!);
  return ys[lo]! + t * (ys[hi]! - ys[lo]!);
}

export interface MultiWavelengthTable {
  elevationDeg: number[];
  wavelengthNm: number[];
  /** transmittance[i][j]: elevation i, wavelength j. */
  transmittance: number[][];
}

/**
 * Parses the MODTRAN layout: header `# theta (deg),785 nm,790 nm,...`, then one row per elevation
 * (degrees) with one transmittance column per wavelength.
 */
export function parseTransmittanceTable(text: string): Result<MultiWavelengthTable> {
  const lines = text.split(/\r?\n/);
  const issues: Issue[] = [];
  let wavelengthNm: number[] | undefined;
  const elevationDeg: number[] = [];
  const transmittance: number[][] = [];
  lines.forEach((raw, i) => {
    const line = raw.trim();
    if (line === '') return;
    if (line.startsWith('#') || /[a-df-z]/i.test(line.replace(/e[+-]?\d/gi, ''))) {
      if (!wavelengthNm)
        wavelengthNm = line
          .replace(/^#/, '')
          .split(',')
          .slice(1)
          .map((c) => Number.parseFloat(c));
      return;
    }
    const cells = line.split(',').map(Number);
    if (cells.some((c) => !Number.isFinite(c)))
      issues.push({ path: ['row', i + 1], line: i + 1, message: 'non-numeric cell' });
    else if (cells.slice(1).some((c) => c < 0 || c > 1))
      issues.push({ path: ['row', i + 1], line: i + 1, message: 'transmittance outside [0, 1]' });
    else {
      elevationDeg.push(cells[0]!);
      transmittance.push(cells.slice(1));
    }
  });
  if (!wavelengthNm || wavelengthNm.some((w) => !Number.isFinite(w)))
    issues.push({ path: ['header'], message: 'expected a header row with one wavelength (nm) per column' });
  if (elevationDeg.length < 2) issues.push({ path: ['rows'], message: 'need at least two elevation rows' });
  if (issues.length) return err(issues);
  return ok({ elevationDeg, wavelengthNm: wavelengthNm!, transmittance });
}

/** The column for one wavelength, linearly interpolated between neighbouring columns. */
export function tableAtWavelength(multiTable: MultiWavelengthTable, wavelengthNm: number): Result<TransmittanceTable> {
  const ws = multiTable.wavelengthNm;
  if (wavelengthNm < ws[0]! - 1e-9 || wavelengthNm > ws[ws.length - 1]! + 1e-9) {
    return err([
      {
        path: ['atmosphere', 'wavelengthNm'],
        message: `${wavelengthNm} nm is outside the table (${ws[0]}-${ws[ws.length - 1]} nm)`,
      },
    ]);
  }
  const idx = ws.map((_, j) => j);
  return ok({
    elevationDeg: multiTable.elevationDeg.slice(),
    transmittance: multiTable.transmittance.map((row) =>
      interpolate(
        ws,
        idx.map((j) => row[j]!),
        wavelengthNm,
      ),
    ),
  });
}
