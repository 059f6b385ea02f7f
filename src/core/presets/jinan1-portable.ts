/**
 * Jinan-1 class quantum microsatellite (23 kg payload) with a 100 kg portable ground station:
 * Li et al., "Microsatellite-based real-time quantum key distribution", Nature (2025), arXiv:2408.10994
 * ("Li 2025"). The paper's optical details beyond mass, orbit and protocol class are not reproduced
 * here; the values marked "assumption" are typical of that class of hardware.
 */
import { SATQUMA_PROTOCOL } from '../keyrate/protocol.js';
import type { Preset } from './types.js';

const LI = 'Li et al., Nature (2025), arXiv:2408.10994';

export const JINAN1_PORTABLE: Preset = {
  id: 'jinan1-portable',
  name: 'Jinan-1 class microsatellite + 100 kg portable station',
  description: 'Microsatellite decoy-BB84 downlink at 850 nm into a portable ~0.28 m station',
  satelliteAltitudeKm: 500,
  minElevationDeg: 15,
  link: {
    wavelengthNm: 850,
    direction: 'downlink',
    transmitter: {
      apertureRadiusM: 0.05,
      divergenceHalfAngleRad: 8e-6,
      pointingJitterRad: 0.7e-6,
      opticsEfficiency: 0.8,
    },
    receiver: {
      apertureRadiusM: 0.14,
      opticsEfficiency: 0.6,
      altitudeM: 50,
      fieldOfViewRad: 150e-6,
      filterBandwidthNm: 1,
    },
    atmosphere: { model: 'sec-law', zenithTransmittance: 0.895 },
    systemLossDb: 0,
    detector: { efficiency: 0.6, darkCountRateHz: 100, count: 4, gateWidthS: 1e-9, deadTimeS: 22e-9 },
    turbulence: { model: 'hufnagel-valley' },
  },
  protocol: {
    ...SATQUMA_PROTOCOL,
    repetitionRateHz: 6.25e8,
    basisProbabilityX: 0.8,
    intensities: [0.7, 0.15, 0],
    intensityProbabilities: [0.7, 0.2, 0.1],
    extraneousCountProbability: 1e-7,
    intrinsicQber: 0.005,
  },
  sources: {
    satelliteAltitudeKm: `${LI}: ~500 km sun-synchronous orbit`,
    payload: `${LI}: payload ≈ 23 kg; ground station ≈ 100 kg; up to 0.59 Mbit (arXiv) / 1.07 Mbit (Nature) per pass`,
    'link.wavelengthNm': 'assumption: 850 nm band as Micius',
    'link.transmitter.apertureRadiusM': 'assumption: ~100 mm microsatellite telescope',
    'link.transmitter.divergenceHalfAngleRad': 'assumption: 8 µrad 1/e² half-angle',
    'link.transmitter.pointingJitterRad': 'assumption: 0.7 µrad rms per axis (fine pointing)',
    'link.receiver.apertureRadiusM': 'assumption: ~280 mm telescope of a 100 kg portable station',
    'link.receiver.opticsEfficiency': 'assumption: 0.6',
    'link.detector': 'assumption: Si SPADs, 60 %, 100 cps',
    'protocol.repetitionRateHz': 'assumption: 625 MHz source',
    'protocol.intensities': 'assumption: biased decoy BB84 (SatQuMA-like optimum region)',
  },
};
