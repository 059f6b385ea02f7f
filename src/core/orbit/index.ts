export * from './sgp4.js';
