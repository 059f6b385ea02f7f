export * from './vectors.js';
export * from './earth.js';
