/**
 * A generic 500 km / 810 nm design: SatQuMA's protocol defaults (cnqo-qcomms/SatQuMA, the docs/physics.md §5
 * test vector) on a diffraction-limited 100 mm payload and a 0.7 m ground station.
 */
import { SATQUMA_PROTOCOL } from '../keyrate/protocol.js';
import type { Preset } from './types.js';

export const GENERIC_500KM_810NM: Preset = {
  id: 'generic-500km-810nm',
  name: 'Generic 500 km, 810 nm',
  description: 'Diffraction-limited 100 mm payload at 810 nm, 0.7 m station, SatQuMA default protocol',
  satelliteAltitudeKm: 500,
  minElevationDeg: 10,
  link: {
    wavelengthNm: 810,
    direction: 'downlink',
    // Degnan's optimum for a truncated Gaussian: a_T ≈ 1.12 w0 (Degnan & Klein, Appl. Opt. 13, 2397, 1974).
    transmitter: { apertureRadiusM: 0.05, beamWaistM: 0.05 / 1.12, pointingJitterRad: 1e-6, opticsEfficiency: 0.8 },
    receiver: {
      apertureRadiusM: 0.35,
      opticsEfficiency: 0.5,
      altitudeM: 0,
      fieldOfViewRad: 100e-6,
      filterBandwidthNm: 1,
    },
    atmosphere: { model: 'sec-law', zenithTransmittance: 0.814 },
    systemLossDb: 0,
    detector: { efficiency: 0.6, darkCountRateHz: 100, count: 4, gateWidthS: 1e-9, deadTimeS: 22e-9 },
    turbulence: { model: 'hufnagel-valley' },
  },
  protocol: { ...SATQUMA_PROTOCOL },
  sources: {
    'link.wavelengthNm': 'design choice: 810 nm',
    'link.transmitter.beamWaistM': 'Degnan & Klein 1974: optimum truncation a_T = 1.12 w0',
    'link.transmitter.pointingJitterRad': 'design choice: 1 µrad rms per axis',
    'link.transmitter.opticsEfficiency': 'design choice: 0.8',
    'link.receiver': 'design choice: 0.7 m OGS, 50 % optics',
    'link.atmosphere.zenithTransmittance':
      'docs/physics.md §2.5: MODTRAN clear-sky zenith transmittance at 810 nm, sea level (0.814)',
    'link.detector': 'design choice: Si SPADs, 60 %, 100 cps (Excelitas SPCM class)',
    protocol: 'SatQuMA defaults = docs/physics.md §5 test vector',
  },
};
