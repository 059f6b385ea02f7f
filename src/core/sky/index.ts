export * from './sun-moon.js';
export * from './ephemeris.js';
