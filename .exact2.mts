import { readNetworkConfigFile } from './network/index.js';
import { runNetworkSimulation } from './src/network-run.js';
const { config, baseDir } = readNetworkConfigFile('config/network-demo.json');
const run = async () => (await runNetworkSimulation(config, baseDir, { startMs: Date.UTC(2022,7,10), days: 365, seed: 1, solver: 'exact', planning: 'expected' })).report;
const a = await run(), b = await run();
console.log('exact year runtimes', a.runtimeMs, b.runtimeMs, 'identical without runtimeMs:', JSON.stringify({ ...a, runtimeMs: 0 }) === JSON.stringify({ ...b, runtimeMs: 0 }));
