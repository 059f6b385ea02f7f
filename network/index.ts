/**
 * The network component's public surface: `createNetworkSimulations` builds the BullMQ queue, the
 * REST routes and (on demand) the worker. The run itself (`RunNetwork`) is injected by the
 * composition roots, which wire it to the scheduler's planner and pass runner (src/network-run.ts).
 */
export { createNetworkSimulations } from './create-network-simulations.js';
export type { RunNetwork } from './adapters/jobs.js';
export { readNetworkConfigFile } from './adapters/load.js';
