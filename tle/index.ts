/**
 * The catalog component's public surface for the composition roots: the Redis catalog and station
 * store, seeding from the config's catalog files, the `tle` config section and the REST routes.
 */
export { loadCatalogFiles, RedisCatalog, RedisStationStore, TleSettingsSchema } from './adapters/index.js';
export { registerTleRoutes } from './http/index.js';
