export * from './routes.js';
export * from './satellites.schemas.js';
