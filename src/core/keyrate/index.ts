/** Decoy-state BB84 key rates: asymptotic GLLP, Lim 2014 finite key per pass, windows, optimisation. */
export * from './protocol.js';
export * from './math.js';
export * from './gllp.js';
export * from './detection.js';
export * from './error-correction.js';
export * from './finite-key.js';
export * from './loss-table.js';
export * from './window.js';
export * from './optimise.js';
export * from './pass-key.js';
export * from './random.js';
export * from './pass-simulation.js';
export * from './spread.js';
