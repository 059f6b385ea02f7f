/**
 * The micius-xinglong preset calibrated on the measured pass (docs/physics.md §6.3): the physical
 * preset with the two parameters that `qkdsat calibrate` fits to the QNET digitisation of Liao et al.
 * 2017 (test/fixtures/micius/micius2017_measured_loss.csv): receiver optics efficiency and an extra
 * aerosol optical depth. These values are the fit's output, rounded to 4 digits; the reference test
 * re-runs the calibration and checks that it returns them, so they cannot drift into hand tuning.
 */
import { MICIUS_XINGLONG } from './micius-xinglong.js';
import type { Preset } from './types.js';

const FIT =
  'qkdsat calibrate --measured test/fixtures/micius/micius2017_measured_loss.csv --preset micius-xinglong ' +
  '--fit opticsEfficiency,aerosolOpticalDepth ' +
  '(276 rows, 20-50° elevation, χ²/dof 0.63 at σ from residuals, RMS residual 0.79 dB)';

export const MICIUS_XINGLONG_CALIBRATED: Preset = {
  ...MICIUS_XINGLONG,
  id: 'micius-xinglong-calibrated',
  name: 'Micius to Xinglong (2017), calibrated on the measured pass',
  description:
    'micius-xinglong with receiver optics efficiency and aerosol optical depth fitted to the measured loss curve ' +
    'of the 19 Dec 2016 pass',
  link: {
    ...MICIUS_XINGLONG.link,
    // Fitted: 0.1491 ± 0.0066 (5.3 dB below the 0.5 assumed from datasheets).
    receiver: { ...MICIUS_XINGLONG.link.receiver, opticsEfficiency: 0.1491 },
    // Fitted: 0.259 ± 0.023 extra vertical optical depth (1.1 dB at zenith, 3.3 dB at 20°).
    atmosphere: { model: 'sec-law', zenithTransmittance: 0.895, aerosolOpticalDepth: 0.2587 },
  },
  sources: {
    ...MICIUS_XINGLONG.sources,
    'link.receiver.opticsEfficiency': `fitted: ${FIT}`,
    'link.atmosphere.aerosolOpticalDepth':
      `fitted: ${FIT}; ` + 'within the AERONET 870 nm range for continental sites (Holben et al. 1998)',
  },
};
