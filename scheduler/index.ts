/**
 * The scheduler's public surface: `createScheduler` builds the booking store, the queues, the
 * planner and (on demand) the workers and REST routes from their ports. Composition roots call it.
 */
export { createScheduler, type Scheduler } from './create-scheduler.js';
export { SchedulerSettingsSchema, terminalPresetOf, type SchedulerSettings } from './adapters/settings.js';
export { catalogCandidateSource } from './adapters/catalog-source.js';
export type { CandidateSource, PassKeySink, PlanComputer } from './adapters/ports.js';
export { freshCandidates } from './adapters/catalog-source.js';
export { BookingStore } from './adapters/booking-store.redis.js';
export { LinkCalibrationStore } from './adapters/link-calibrations.redis.js';
export { simulationSiftedPredictor } from './adapters/sifted-predictor.js';
export { registerOutcomeRoutes } from './http/outcome.routes.js';

export { simulationPassRunner } from './adapters/pass-simulation.runner.js';
