export * from './model.js';
export * from './mask.js';
export * from './geometry.js';
export * from './find-passes.js';
export * from './sample-track.js';
