/** tle/domain public surface. */
export * from './element-set.js';
export * from './alpha5.js';
export { checksum } from './tle-fields.js';
export * from './tle-text.js';
export * from './omm.js';
export * from './omm-xml.js';
export * from './omm-kvn.js';
export * from './catalog-format.js';
export * from './assess.js';
export * from './station.js';
export * from './passes.js';
export * from './catalog-port.js';
export * from './pass-page.js';
