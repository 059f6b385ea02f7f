/**
 * Calibration of a link against a measured loss curve (docs/physics.md §6): weighted least squares of
 * chosen link parameters, reporting values with standard errors, χ², and residuals per elevation bin.
 * The model for a row is the link budget's channel loss (detector excluded, as experiments quote it)
 * or, with `lossIncludesDetector`, its total.
 */
import { levenbergMarquardt } from './least-squares.js';
import { LinkTables, linkFactors, newLinkFactors } from './link-budget.js';
import type { LinkConfig } from './types.js';
import type { MeasuredLossRow } from './measured-loss.js';
import { DEG } from '../units.js';

/** A fittable link parameter: where it lives, its physical bounds and the source of its prior. */
export interface FitParameter {
  name: string;
  unit: string;
  lower: number;
  upper: number;
  get(c: LinkConfig): number;
  set(c: LinkConfig, v: number): LinkConfig;
  prior: string;
}

const secLaw = (c: LinkConfig, name: string) => {
  if (c.atmosphere.model !== 'sec-law')
    throw new RangeError(`${name} needs a sec-law atmosphere (this link uses a table)`);
  return c.atmosphere;
};

/** The catalogue (docs/physics.md §6.1). */
export const FIT_PARAMETERS: readonly FitParameter[] = [
  {
    name: 'opticsEfficiency',
    unit: '',
    lower: 1e-4,
    upper: 1,
    get: (c) => c.receiver.opticsEfficiency,
    set: (c, v) => ({ ...c, receiver: { ...c.receiver, opticsEfficiency: v } }),
    prior:
      'receiver optics and analyser throughput: 0.3-0.7 typical of a 1 m class OGS with BB84 analyser ' +
      '(Liao et al. 2017 do not publish it; Bourgoin et al., New J. Phys. 15, 023006, 2013, budget 3-5 dB)',
  },
  {
    name: 'transmitterOpticsEfficiency',
    unit: '',
    lower: 1e-4,
    upper: 1,
    get: (c) => c.transmitter.opticsEfficiency,
    set: (c, v) => ({ ...c, transmitter: { ...c.transmitter, opticsEfficiency: v } }),
    prior: 'payload telescope and source optics: 0.5-0.9 (Bourgoin et al. 2013)',
  },
  {
    name: 'zenithTransmittance',
    unit: '',
    lower: 1e-3,
    upper: 1,
    get: (c) => secLaw(c, 'zenithTransmittance').zenithTransmittance,
    set: (c, v) => ({ ...c, atmosphere: { ...secLaw(c, 'zenithTransmittance'), zenithTransmittance: v } }),
    prior:
      'clear-sky MODTRAN zenith transmittance at sea level: 0.876 (785 nm), 0.814 (810 nm), 0.895 (850 nm) ' +
      '(SatQuMA MODTRAN table, docs/physics.md §2.5)',
  },
  {
    name: 'airmassExponent',
    unit: '',
    lower: 0.2,
    upper: 3,
    get: (c) => secLaw(c, 'airmassExponent').airmassExponent ?? 1,
    set: (c, v) => ({ ...c, atmosphere: { ...secLaw(c, 'airmassExponent'), airmassExponent: v } }),
    prior:
      '1 for a plane-parallel atmosphere; MODTRAN departs from it below ~15° ' +
      '(docs/physics.md §2.5; Kasten & Young, Appl. Opt. 28, 4735, 1989)',
  },
  {
    name: 'aerosolOpticalDepth',
    unit: '',
    lower: 0,
    upper: 10,
    get: (c) => c.atmosphere.aerosolOpticalDepth ?? 0,
    set: (c, v) => ({ ...c, atmosphere: { ...c.atmosphere, aerosolOpticalDepth: v } }),
    prior:
      'extra vertical aerosol optical depth beyond the clear-sky model: AERONET 870 nm climatology 0.02-0.5 ' +
      'for continental sites (Holben et al., Remote Sens. Environ. 66, 1, 1998)',
  },
  {
    name: 'pointingJitterRad',
    unit: 'rad',
    lower: 0,
    upper: 100e-6,
    get: (c) => c.transmitter.pointingJitterRad,
    set: (c, v) => ({ ...c, transmitter: { ...c.transmitter, pointingJitterRad: v } }),
    prior: 'rms per axis: ~1 µrad for Micius (Liao et al. 2017), 1-5 µrad for microsatellites',
  },
  {
    name: 'systemLossDb',
    unit: 'dB',
    lower: 0,
    upper: 60,
    get: (c) => c.systemLossDb,
    set: (c, v) => ({ ...c, systemLossDb: v }),
    prior: 'unlisted fixed losses (coupling, polarisation compensation): 0 dB unless known',
  },
];

export const DEFAULT_FIT = ['opticsEfficiency', 'aerosolOpticalDepth'];

export interface CalibrationOptions {
  fit: string[];
  /** Names the data in the calibrated link's `calibration` block. */
  dataName?: string;
  lossIncludesDetector?: boolean;
  /** Width of the elevation bins of the residual report (degrees). */
  elevationBinDeg?: number;
}

export interface CalibrationResult {
  parameters: Array<{
    name: string;
    unit: string;
    initial: number;
    value: number;
    standardError: number;
    atBound: boolean;
    prior: string;
  }>;
  chiSquare: number;
  degreesOfFreedom: number;
  reducedChiSquare: number;
  /**
   * `column`: χ² uses the rows' sigma_db; `residuals`: χ² uses σ = 1 dB and the standard errors are
   * scaled by sqrt(χ²/dof).
   */
  sigmaSource: 'column' | 'residuals';
  rmsResidualDb: number;
  residualsByElevation: Array<{ fromDeg: number; toDeg: number; rows: number; meanDb: number; rmsDb: number }>;
  iterations: number;
  evaluations: number;
  converged: boolean;
  link: LinkConfig;
}

/** Modelled loss (dB) for each row under `link`. */
export function modelLossDb(
  link: LinkConfig,
  rows: readonly MeasuredLossRow[],
  includeDetector = false,
  tables: LinkTables = new LinkTables(),
): Float64Array {
  const f = newLinkFactors();
  const g = { rangeKm: 0, elevationRad: 0 };
  const out = new Float64Array(rows.length);
  for (let i = 0; i < rows.length; i++) {
    g.rangeKm = rows[i]!.rangeKm;
    g.elevationRad = rows[i]!.elevationDeg * DEG;
    linkFactors(link, g, { skipScintillation: true, tables }, f);
    const eta = includeDetector ? f.efficiency : f.geo * f.point * f.turb * f.atm * f.optics * f.system;
    out[i] = -10 * Math.log10(Math.max(eta, 1e-300));
  }
  return out;
}

function fitParameter(name: string): FitParameter | undefined {
  return FIT_PARAMETERS.find((p) => p.name === name);
}

/** Fits `options.fit` of link `config` to the rows. Throws RangeError naming a bad parameter. */
export function calibrateLink(
  config: LinkConfig,
  rows: readonly MeasuredLossRow[],
  options: CalibrationOptions,
): CalibrationResult {
  const params = options.fit.map((n) => {
    const p = fitParameter(n);
    if (!p)
      throw new RangeError(`unknown fit parameter '${n}' (known: ${FIT_PARAMETERS.map((q) => q.name).join(', ')})`);
    p.get(config); // throws for a sec-law parameter on a table atmosphere
    return p;
  });
  if (new Set(options.fit).size !== options.fit.length) throw new RangeError('a fit parameter is listed twice');
  if (rows.length <= params.length)
    throw new RangeError(`need more rows (${rows.length}) than fitted parameters (${params.length})`);
  const withSigma = rows.every((r) => r.sigmaDb !== undefined && r.sigmaDb > 0);
  const sigma = rows.map((r) => (withSigma ? r.sigmaDb! : 1));
  const apply = (x: number[]) => params.reduce((cc, p, j) => p.set(cc, x[j]!), config);
  const include = options.lossIncludesDetector ?? false;
  // One set of tables for the whole fit: the fitted parameters rarely change the beam geometry.
  const tables = new LinkTables();
  const residuals = (x: number[]) => {
    const m = modelLossDb(apply(x), rows, include, tables);
    for (let i = 0; i < m.length; i++) m[i] = (m[i]! - rows[i]!.lossDb) / sigma[i]!;
    return m;
  };
  const x0 = params.map((p) => Math.min(p.upper, Math.max(p.lower, p.get(config))));
  const lower = params.map((p) => p.lower);
  const upper = params.map((p) => p.upper);
  const r = levenbergMarquardt(residuals, x0, { lower, upper });
  const dof = rows.length - params.length;
  const reduced = r.chiSquare / dof;
  const scale = withSigma ? 1 : reduced;
  const fitted = apply(r.x);
  const resid = modelLossDb(fitted, rows, include, tables).map((m, i) => m - rows[i]!.lossDb);
  const parameters = params.map((p, j) => ({
    name: p.name,
    unit: p.unit,
    initial: x0[j]!,
    value: r.x[j]!,
    standardError: Math.sqrt(Math.max(0, r.covariance[j]![j]! * scale)),
    atBound: r.x[j] === p.lower || r.x[j] === p.upper,
    prior: p.prior,
  }));
  const rmsResidualDb = Math.sqrt(resid.reduce((a, v) => a + v * v, 0) / resid.length);
  const link: LinkConfig = {
    ...fitted,
    calibration: {
      data: options.dataName ?? 'measured loss curve',
      rows: rows.length,
      fitted: Object.fromEntries(parameters.map((p) => [p.name, { value: p.value, standardError: p.standardError }])),
      rmsResidualDb,
      chiSquare: r.chiSquare,
      degreesOfFreedom: dof,
    },
  };
  return {
    parameters,
    chiSquare: r.chiSquare,
    degreesOfFreedom: dof,
    reducedChiSquare: reduced,
    sigmaSource: withSigma ? 'column' : 'residuals',
    rmsResidualDb,
    residualsByElevation: elevationBins(rows, resid, options.elevationBinDeg ?? 10),
    iterations: r.iterations,
    evaluations: r.evaluations,
    converged: r.converged,
    link,
  };
}

function elevationBins(rows: readonly MeasuredLossRow[], resid: Float64Array, width: number) {
  const bins = new Map<number, number[]>();
  rows.forEach((r, i) => {
    const b = Math.floor(r.elevationDeg / width);
    const list = bins.get(b) ?? [];
    list.push(resid[i]!);
    bins.set(b, list);
  });
  return [...bins.entries()]
    .sort((a, b) => a[0] - b[0])
    .map(([b, v]) => ({
      fromDeg: b * width,
      toDeg: (b + 1) * width,
      rows: v.length,
      meanDb: v.reduce((a, x) => a + x, 0) / v.length,
      rmsDb: Math.sqrt(v.reduce((a, x) => a + x * x, 0) / v.length),
    }));
}
