/**
 * Micius -> Xinglong 1 m telescope, decoy BB84 downlink of Liao et al., "Satellite-to-ground quantum
 * key distribution", Nature 549, 43-47 (2017) ("Liao 2017"). Physical parameters only; nothing here
 * is fitted to the measured link loss (test/reference/micius.test.ts compares).
 */
import { SATQUMA_PROTOCOL } from '../keyrate/protocol.js';
import type { Preset } from './types.js';

const LIAO = 'Liao et al., Nature 549, 43 (2017)';

export const MICIUS_XINGLONG: Preset = {
  id: 'micius-xinglong',
  name: 'Micius to Xinglong (2017)',
  description: 'Micius decoy-BB84 downlink at 848.6 nm, 100 MHz, into the Xinglong 1.0 m telescope',
  satelliteAltitudeKm: 500,
  minElevationDeg: 10,
  link: {
    wavelengthNm: 848.6,
    direction: 'downlink',
    transmitter: {
      apertureRadiusM: 0.15,
      // "~10 µrad" divergence read as the full width at half maximum. For I ∝ exp(-2r²/w²),
      // FWHM = 1.1774 w, so the 1/e² half-angle is 10 µrad / 1.1774 = 8.49 µrad.
      divergenceHalfAngleRad: 10e-6 / 1.1774,
      pointingJitterRad: 1e-6,
      opticsEfficiency: 0.8,
    },
    receiver: {
      apertureRadiusM: 0.5,
      opticsEfficiency: 0.5,
      altitudeM: 960,
      fieldOfViewRad: 100e-6,
      filterBandwidthNm: 1,
    },
    atmosphere: { model: 'sec-law', zenithTransmittance: 0.895 },
    systemLossDb: 0,
    detector: { efficiency: 0.5, darkCountRateHz: 100, count: 4, gateWidthS: 2e-9, deadTimeS: 50e-9 },
    turbulence: { model: 'hufnagel-valley' },
  },
  protocol: {
    ...SATQUMA_PROTOCOL,
    repetitionRateHz: 1e8,
    basisProbabilityX: 0.5,
    intensities: [0.8, 0.1, 0],
    intensityProbabilities: [0.5, 0.25, 0.25],
    extraneousCountProbability: 1e-7,
    intrinsicQber: 0.01,
  },
  sources: {
    satelliteAltitudeKm: `${LIAO}: sun-synchronous orbit at ~500 km`,
    'link.wavelengthNm': `${LIAO}: ~850 nm; 848.6 nm per docs/physics.md §7`,
    'link.transmitter.apertureRadiusM': `${LIAO}: 300 mm aperture Cassegrain telescope`,
    'link.transmitter.divergenceHalfAngleRad': `${LIAO}: ~10 µrad divergence (taken as FWHM full angle)`,
    'link.transmitter.pointingJitterRad': `${LIAO}: ~1 µrad tracking accuracy (taken as rms per axis)`,
    'link.transmitter.opticsEfficiency':
      'assumption: not published; 0.8 (-1 dB), typical of a reflective telescope plus polarisation optics',
    'link.receiver.apertureRadiusM': `${LIAO}: Xinglong 1.0 m telescope`,
    'link.receiver.opticsEfficiency': 'assumption: not published; 0.5 (-3 dB) for telescope, relay and BB84 analyser',
    'link.receiver.altitudeM': 'NAOC Xinglong Observatory, ~960 m above sea level',
    'link.receiver.fieldOfViewRad': 'assumption: 100 µrad field stop',
    'link.receiver.filterBandwidthNm': 'assumption: 1 nm interference filter',
    'link.atmosphere.zenithTransmittance':
      'docs/physics.md §2.5: MODTRAN clear-sky zenith at 850 nm, sea level (0.895); ' +
      'station altitude ignored (conservative)',
    'link.detector.efficiency': `${LIAO}: Si SPADs, η_det ≈ 0.5 (also QNET micius2017 example)`,
    'link.detector.darkCountRateHz': 'assumption: 100 cps, typical Si SPAD (Excelitas SPCM: 25-250 cps)',
    'link.detector.count': 'polarisation BB84 with passive basis choice: 4 detectors',
    'link.detector.gateWidthS': 'assumption: 2 ns coincidence window',
    'link.detector.deadTimeS': 'Si SPAD datasheet order (Excelitas SPCM: 22-50 ns)',
    'link.turbulence': 'Hufnagel-Valley 5/7 defaults (Andrews & Phillips 2005, eq. 12.1)',
    'protocol.repetitionRateHz': `${LIAO}: 100 MHz`,
    'protocol.intensities': `${LIAO}: μ = 0.8 / 0.1 / 0`,
    'protocol.intensityProbabilities': `${LIAO}: 50 % / 25 % / 25 %`,
    'protocol.basisProbabilityX': `${LIAO}: unbiased bases`,
    'protocol.intrinsicQber': `${LIAO}: QBER ~1-2 %, of which ~1 % intrinsic (polarisation contrast)`,
    'protocol.extraneousCountProbability': 'replaced per second by the link budget (dark + sky background)',
    'protocol.afterpulseProbability': 'assumption: 0.1 % (Si SPAD)',
    'protocol.epsilon': 'SatQuMA defaults (ε_sec 1e-9, ε_cor 1e-15)',
    'protocol.errorCorrection': 'f_EC = 1.16 (docs/physics.md §5)',
  },
};
