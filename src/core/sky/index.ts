export * from './ephemeris.js';
