export * from './key-material.js';
export * from './config.schema.js';
export * from './links.js';
export * from './routing.js';
export * from './stitch.js';
export * from './pool.js';
export * from './integrity.js';
