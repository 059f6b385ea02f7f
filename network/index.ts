/**
 * The network component's public surface: `createNetworkSimulations` builds the BullMQ queue, the
 * REST routes and (on demand) the worker. The run itself (`RunNetwork`) is injected by the
 * composition roots, which wire it to the scheduler's planner and pass runner (src/network-run.ts).
 */
export { createNetworkSimulations, type NetworkDeps } from './create-network-simulations.js';
export type { RunNetwork, NetworkJobData } from './adapters/jobs.js';
export { readNetworkConfigFile, loadNetwork } from './adapters/load.js';
export { renderHtmlReport } from './adapters/html-report.js';
