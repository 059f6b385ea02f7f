export * from './catalog.memory.js';
export * from './catalog.redis.js';
export * from './load-demo.js';
export * from './settings.js';
