/** Configuration of one free-space optical QKD link (wire names; SI units and radians inside). */

export interface TransmitterConfig {
  /** Radius a_T of the transmit aperture (truncates the Gaussian). */
  apertureRadiusM: number;
  /** 1/e² intensity waist w0 at the aperture. Either this or `divergenceHalfAngleRad`; default a_T. */
  beamWaistM?: number;
  /** Far-field 1/e² half-angle θ, when a payload quotes divergence instead of waist (w0 = λ/(πθ)). */
  divergenceHalfAngleRad?: number;
  /** σ_p, rms pointing jitter per axis. */
  pointingJitterRad: number;
  opticsEfficiency: number;
  /**
   * Power the geometric term is relative to (docs/physics.md §2.3): `emitted` (before the transmit
   * aperture; physics, default) or `transmitted` (after it; SatQuMA's convention).
   */
  normalisation?: 'emitted' | 'transmitted';
}

export interface ReceiverConfig {
  apertureRadiusM: number;
  opticsEfficiency: number;
  altitudeM: number;
  /** Full-angle field of view (field stop), for sky background. */
  fieldOfViewRad?: number;
  /** Spectral filter width Δλ, for sky background. */
  filterBandwidthNm?: number;
}

export interface DetectorConfig {
  efficiency: number;
  /** Dark count rate per detector. */
  darkCountRateHz?: number;
  /** Number of detectors n_det (4 for passive-basis polarisation BB84). */
  count?: number;
  /** Coincidence gate Δt_gate. */
  gateWidthS?: number;
  /** Dead time per detector (non-paralysable). */
  deadTimeS?: number;
}

export interface TransmittanceTable {
  elevationDeg: number[];
  transmittance: number[];
}

/** Elevation-dependent terms a calibration can fit (docs/physics.md §2.5); both default to none. */
export interface AtmosphereExtras {
  /** Extra vertical optical depth τ (aerosol): η *= exp(-τ m), m = 1/sin el. */
  aerosolOpticalDepth?: number;
}

export type AtmosphereConfig =
  | ({
      model: 'sec-law';
      zenithTransmittance: number;
      /** γ in T_z^(m^γ); 1 = plane-parallel. */ airmassExponent?: number;
    } & AtmosphereExtras)
  | ({ model: 'table'; table: TransmittanceTable } & AtmosphereExtras);

export interface TurbulenceConfig {
  /** Hufnagel-Valley Cn² profile; A = ground-layer strength (HV5/7: 1.7e-14 m^-2/3), v = rms wind (21 m/s). */
  model: 'hufnagel-valley';
  groundCn2M23?: number;
  rmsWindSpeedMs?: number;
}

export interface LinkConfig {
  wavelengthNm: number;
  direction?: 'downlink' | 'uplink';
  transmitter: TransmitterConfig;
  receiver: ReceiverConfig;
  atmosphere: AtmosphereConfig;
  /** Fixed intrinsic loss not covered by the other terms (positive dB). */
  systemLossDb: number;
  detector: DetectorConfig;
  turbulence?: TurbulenceConfig;
  /** Set on a calibrated link: the data it was fitted to and what was fitted (docs/physics.md §6). */
  calibration?: CalibrationProvenance;
}

export interface CalibrationProvenance {
  /** The measured data: a file name, or a booking's outcome. */
  data: string;
  rows: number;
  fitted: Record<string, { value: number; standardError: number }>;
  rmsResidualDb: number;
  chiSquare: number;
  degreesOfFreedom: number;
}

/** Sun and Moon geometry at the station, for sky background. */
export interface SkyGeometry {
  sunElevationRad: number;
  moonElevationRad?: number;
  /** Angle between the Moon and the line of sight. */
  moonSeparationRad?: number;
  moonIlluminatedFraction?: number;
}

export interface LinkGeometry {
  rangeKm: number;
  elevationRad: number;
  sky?: SkyGeometry;
}

/** Every term as positive dB (loss), plus totals and count rates. */
export interface LinkBudget {
  /** Diffraction, transmit-aperture truncation and finite receiver collection (no jitter), exact (§2.2). */
  geometricDb: number;
  /** Part of geometricDb due to truncation by the transmit aperture (exact vs untruncated Gaussian; 0 if a gain). */
  truncationDb: number;
  atmosphereDb: number;
  pointingDb: number;
  /** Mean turbulence loss (uplink beam spread; 0 for downlink, where scintillation averages out). */
  turbulenceDb: number;
  /** Transmitter and receiver optics together. */
  opticsDb: number;
  systemDb: number;
  detectorDb: number;
  /** Everything except the detector (what experiments call channel loss). */
  channelDb: number;
  totalDb: number;
  /** η = 10^(-totalDb/10), the single-photon transmittance including the detector. */
  efficiency: number;
  /** What geometricDb is relative to (docs/physics.md §2.3). */
  normalisation: 'emitted' | 'transmitted';
  /** Scintillation index after aperture averaging (lognormal fading variance of η). */
  scintillationIndex: number;
  beamRadiusM: number;
  darkCountRateHz: number;
  backgroundCountRateHz: number;
  skyRadianceWm2SrNm: number;
  /** P_ec per detector per gate: (DCR + R_bg / n_det) Δt_gate. */
  extraneousCountProbability: number;
}
