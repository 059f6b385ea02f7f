/** Free-space optical channel: per-second link budget for downlink and uplink. */
export * from './types.js';
export * from './beam.js';
export * from './atmosphere.js';
export * from './turbulence.js';
export * from './background.js';
export * from './link-budget.js';
export * from './diffraction.js';
export * from './least-squares.js';
export * from './calibration.js';
export * from './measured-loss.js';
