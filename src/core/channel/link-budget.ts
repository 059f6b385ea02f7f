/**
 * Link budget for one second of a pass (docs/physics.md §2):
 *   η = η_geo η_point η_turb η_atm η_tx η_rx 10^(-sys/10) η_det η_deadtime
 * η_geo is the exact (Fresnel-Hankel) collected fraction of the truncated Gaussian (§2.2), normalised to
 * the emitted or the transmitted power (§2.3); η_point the further loss from pointing jitter (§2.4).
 * every factor reported as a positive dB loss. Downlink: satellite transmits, station receives;
 * uplink: the reverse, with turbulence beam spread at the transmitter end.
 */
import { atmosphericTransmittance } from './atmosphere.js';
import { backgroundCountRateHz, skyRadiance } from './background.js';
import { beamRadiusM, beamWaistM, collectedFraction, jitteredRadiusM } from './beam.js';
import { CollectedFractionTable, transmittedFraction, type BeamGeometry, type Normalisation } from './diffraction.js';
import {
  coherenceRadiusM,
  downlinkScintillationIndex,
  rytovVariance,
  turbulenceMoments,
  uplinkLongTermRadiusM,
  type TurbulenceMoments,
} from './turbulence.js';
import type { LinkBudget, LinkConfig, LinkGeometry } from './types.js';

/** Cap on any one term so results stay finite and JSON-serialisable. */
const MAX_DB = 400;
const toDb = (eta: number) => Math.min(MAX_DB, Math.max(0, -10 * Math.log10(Math.max(eta, 1e-300))));
interface Diffraction {
  geo: CollectedFractionTable;
  jittered: CollectedFractionTable;
  scale: number;
  w0: number;
}

/** Beam geometries whose tables one LinkTables keeps (the oldest goes first). */
const MAX_GEOMETRIES = 64;

/**
 * The derived tables of links, computed on first use and kept for this object's life: collected-
 * fraction tables per beam geometry and jitter (each node a Fresnel-Hankel integral), the
 * normalisation per link, turbulence moments per link (keyed by the LinkConfig object). A caller that
 * evaluates many budgets keeps one (a yield model, a calibration, a compute thread) and passes it in
 * LinkOptions.tables; without one, each call computes what it needs afresh. The values never depend
 * on what the tables already hold.
 */
export class LinkTables {
  readonly #fractions = new Map<string, CollectedFractionTable>();
  readonly #diffraction = new WeakMap<LinkConfig, Diffraction>();
  readonly #moments = new WeakMap<LinkConfig, TurbulenceMoments>();

  /** The collected-fraction table of a beam geometry and pointing jitter. */
  fractionTable(geometry: BeamGeometry, jitterRad = 0): CollectedFractionTable {
    const key =
      `${geometry.wavelengthM}|${geometry.txApertureRadiusM}|${geometry.waistM}|` +
      `${geometry.rxApertureRadiusM}|${jitterRad}`;
    let table = this.#fractions.get(key);
    if (!table) {
      if (this.#fractions.size >= MAX_GEOMETRIES) this.#fractions.delete(this.#fractions.keys().next().value!);
      table = new CollectedFractionTable(geometry, jitterRad);
      this.#fractions.set(key, table);
    }
    return table;
  }

  /** The link's diffraction tables (no jitter, with jitter) and its normalisation factor (§2.3). */
  diffraction(link: LinkConfig): Diffraction {
    let found = this.#diffraction.get(link);
    if (!found) {
      const lambda = link.wavelengthNm * 1e-9;
      const w0 = beamWaistM(lambda, link.transmitter);
      const geometry = {
        wavelengthM: lambda,
        txApertureRadiusM: link.transmitter.apertureRadiusM,
        waistM: w0,
        rxApertureRadiusM: link.receiver.apertureRadiusM,
      };
      const scale = normalisationOf(link) === 'transmitted' ? 1 / transmittedFraction(geometry) : 1;
      found = {
        geo: this.fractionTable(geometry),
        jittered: this.fractionTable(geometry, link.transmitter.pointingJitterRad),
        scale,
        w0,
      };
      this.#diffraction.set(link, found);
    }
    return found;
  }

  /** The turbulence moments of the link's profile, if it has one. */
  moments(link: LinkConfig): TurbulenceMoments | undefined {
    if (!link.turbulence) return undefined;
    let found = this.#moments.get(link);
    if (!found) {
      found = turbulenceMoments(link.receiver.altitudeM, link.turbulence);
      this.#moments.set(link, found);
    }
    return found;
  }
}

export const normalisationOf = (link: LinkConfig): Normalisation => link.transmitter.normalisation ?? 'emitted';

export interface LinkOptions {
  /** Mean photon number per pulse and pulse rate, for detector dead-time saturation (optional). */
  meanPhotonNumber?: number;
  repetitionRateHz?: number;
  /** Skip the (mean-neutral) downlink scintillation index: the fast scorer does not need it. */
  skipScintillation?: boolean;
  /** Tables shared with other calls (see LinkTables); none: this call's own. */
  tables?: LinkTables;
}

/** Linear factors of one budget (efficiencies in (0, 1]); filled in place to keep the scorer allocation-free. */
export interface LinkFactors {
  geo: number;
  trunc: number;
  point: number;
  turb: number;
  atm: number;
  optics: number;
  system: number;
  detector: number;
  /** η including the detector. */
  efficiency: number;
  scintillationIndex: number;
  beamRadiusM: number;
  darkCountRateHz: number;
  backgroundCountRateHz: number;
  skyRadiance: number;
  extraneousCountProbability: number;
}

export const newLinkFactors = (): LinkFactors => ({
  geo: 1,
  trunc: 1,
  point: 1,
  turb: 1,
  atm: 1,
  optics: 1,
  system: 1,
  detector: 1,
  efficiency: 1,
  scintillationIndex: 0,
  beamRadiusM: 0,
  darkCountRateHz: 0,
  backgroundCountRateHz: 0,
  skyRadiance: 0,
  extraneousCountProbability: 0,
});

/** Computes every factor of the budget into `factors` (docs/physics.md §2). */
export function linkFactors(
  link: LinkConfig,
  geometry: LinkGeometry,
  options: LinkOptions = {},
  factors: LinkFactors = newLinkFactors(),
): LinkFactors {
  const lambda = link.wavelengthNm * 1e-9;
  const L = geometry.rangeKm * 1000;
  const tx = link.transmitter;
  const rx = link.receiver;
  const tables = options.tables ?? new LinkTables();
  const d = tables.diffraction(link);
  const w = beamRadiusM(d.w0, lambda, L);
  const geo = d.geo.at(L) * d.scale;
  const wJit = jitteredRadiusM(w, tx.pointingJitterRad, L);
  factors.geo = geo;
  // Informational: exact over untruncated-Gaussian collection (the part of η_geo due to the aperture).
  factors.trunc = geo / collectedFraction(rx.apertureRadiusM, w);
  factors.point = tx.pointingJitterRad > 0 ? (d.jittered.at(L) * d.scale) / geo : 1;
  factors.turb = 1;
  factors.scintillationIndex = 0;
  const m = tables.moments(link);
  if (m) {
    if (link.direction === 'uplink') {
      const wLt = uplinkLongTermRadiusM(wJit, lambda, L, coherenceRadiusM(m, lambda, geometry.elevationRad));
      factors.turb = collectedFraction(rx.apertureRadiusM, wLt) / collectedFraction(rx.apertureRadiusM, wJit);
      factors.scintillationIndex = rytovVariance(m, lambda, geometry.elevationRad);
    } else if (!options.skipScintillation) {
      factors.scintillationIndex = downlinkScintillationIndex(m, lambda, geometry.elevationRad, 2 * rx.apertureRadiusM);
    }
  }
  factors.atm = atmosphericTransmittance(link.atmosphere, geometry.elevationRad);
  factors.optics = tx.opticsEfficiency * rx.opticsEfficiency;
  factors.system = Math.pow(10, -link.systemLossDb / 10);
  const det = link.detector;
  const nDet = det.count ?? 4;
  const channelEta = factors.geo * factors.point * factors.turb * factors.atm * factors.optics * factors.system;
  // Dead time: non-paralysable, 1 / (1 + R τ) with R the signal click rate per detector.
  let deadTime = 1;
  if (det.deadTimeS && options.meanPhotonNumber && options.repetitionRateHz) {
    const perDet = (options.repetitionRateHz * options.meanPhotonNumber * channelEta * det.efficiency) / nDet;
    deadTime = 1 / (1 + perDet * det.deadTimeS);
  }
  factors.detector = det.efficiency * deadTime;
  factors.efficiency = channelEta * factors.detector;
  factors.beamRadiusM = w;
  factors.skyRadiance = geometry.sky ? skyRadiance(geometry.sky) : 0;
  factors.backgroundCountRateHz =
    geometry.sky && rx.fieldOfViewRad && rx.filterBandwidthNm
      ? backgroundCountRateHz(
          factors.skyRadiance,
          rx.fieldOfViewRad,
          rx.apertureRadiusM,
          rx.filterBandwidthNm,
          rx.opticsEfficiency,
          det.efficiency,
          lambda,
        )
      : 0;
  factors.darkCountRateHz = (det.darkCountRateHz ?? 0) * nDet;
  factors.extraneousCountProbability = Math.min(
    0.49,
    ((factors.darkCountRateHz + factors.backgroundCountRateHz) / nDet) * (det.gateWidthS ?? 1e-9),
  );
  return factors;
}

export function linkBudget(link: LinkConfig, geometry: LinkGeometry, options: LinkOptions = {}): LinkBudget {
  const f = linkFactors(link, geometry, options);
  const geometricDb = toDb(f.geo);
  const atmosphereDb = toDb(f.atm);
  const pointingDb = toDb(f.point);
  const turbulenceDb = toDb(f.turb);
  const opticsDb = toDb(f.optics);
  const systemDb = link.systemLossDb;
  const detectorDb = toDb(f.detector);
  const channelDb = geometricDb + atmosphereDb + pointingDb + turbulenceDb + opticsDb + systemDb;
  const totalDb = channelDb + detectorDb;
  return {
    geometricDb,
    truncationDb: toDb(f.trunc),
    atmosphereDb,
    pointingDb,
    turbulenceDb,
    opticsDb,
    systemDb,
    detectorDb,
    channelDb,
    totalDb,
    efficiency: Math.pow(10, -totalDb / 10),
    normalisation: normalisationOf(link),
    scintillationIndex: f.scintillationIndex,
    beamRadiusM: f.beamRadiusM,
    darkCountRateHz: f.darkCountRateHz,
    backgroundCountRateHz: f.backgroundCountRateHz,
    skyRadianceWm2SrNm: f.skyRadiance,
    extraneousCountProbability: f.extraneousCountProbability,
  };
}
