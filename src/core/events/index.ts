export * from './find-events.js';
