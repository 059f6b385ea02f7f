/**
 * Network simulation bench (issue 13's quality bars):
 * 1. a year of the demo network (config/network-demo.json: 10 stations, Micius) with the heuristic,
 *    run twice: wall time, and the two JSON reports compared byte for byte without `runtimeMs`;
 * 2. the same year with the exact solver (HiGHS);
 * 3. 20 stations x 6 satellites x 90 days (the ten shipped stations plus ten observatory sites;
 *    Micius from the catalog, four field presets and one Walker satellite), heuristic.
 * The peer is the live demo at 60x (a year takes 6.1 days of wall time).
 *   npx tsx bench/network.bench.ts [--skip-exact] [--seed 1]
 */
import { resolve } from 'node:path';
import { readNetworkConfigFile } from '../network/index.js';
import { checkLedger, type NetworkConfig } from '../network/domain/index.js';
import { runNetworkSimulation } from '../src/network-run.js';
import { EXTRA_OBSERVATORIES } from './observatories.js';

const args = process.argv.slice(2);
const seed = Number(args[args.indexOf('--seed') + 1] ?? 1) || 1;
const root = resolve(import.meta.dirname, '..');
const { config, baseDir } = readNetworkConfigFile(resolve(root, 'config/network-demo.json'));
const startMs = Date.UTC(2022, 7, 10);
const strip = (r: { runtimeMs: number }) => JSON.stringify({ ...r, runtimeMs: 0 });
const LIVE_DEMO_SPEED = 60;

async function year(solver: 'heuristic' | 'exact', times: number) {
  const out = [];
  for (let i = 0; i < times; i += 1)
    out.push(await runNetworkSimulation(config, baseDir, { startMs, days: 365, seed, solver, planning: 'expected' }));
  const r = out[0]!;
  const check = checkLedger(
    r.result.ledger,
    r.result.satellites.map((s) => ({
      noradId: s.noradId,
      bufferBits: r.report.satellites.find((x) => x.noradId === s.noradId)!.bufferBits,
    })),
  );
  const ms = r.report.runtimeMs;
  console.log(
    `demo network, 365 days, ${solver}: ${(ms / 1000).toFixed(1)} s (bar: ` +
      `${solver === 'heuristic' ? '60 s' : '600 s'}); ${r.report.replans} re-plans, ` +
      `${r.report.satellites[0]!.passesExecuted} passes; ` +
      `delivered ${(r.report.totals.deliveredBits / 1e6).toFixed(1)} Mbit; checker ` +
      `${check.ok ? 'ok' : check.violations.slice(0, 3).join('; ')}; ` +
      `${((365 * 86_400_000) / ms).toExponential(2)}x real time = ` +
      `${((365 * 86_400_000) / LIVE_DEMO_SPEED / ms).toFixed(0)}x the 60x live demo` +
      (times > 1
        ? `; second run byte-identical (without runtimeMs): ${out.every((x) => strip(x.report) === strip(r.report))}`
        : ''),
  );
}

async function big() {
  const { config: demo } = readNetworkConfigFile(resolve(root, 'config/network-demo.json'));
  const shipped = (await import('../tle/domain/index.js')).StationListSchema.parse(
    JSON.parse((await import('node:fs')).readFileSync(resolve(root, 'tle/data/stations.json'), 'utf8')),
  );
  // Ten more observatories (bench/observatories.ts: clear-sky 0.6, a bench-only assumption).
  const stations = [...shipped, ...EXTRA_OBSERVATORIES];
  const cfg: NetworkConfig = {
    ...demo,
    stationsFile: undefined,
    stations,
    climatology: 'stations',
    satellites: [
      demo.satellites[0]!,
      ...['jinan-1', 'speqtral-1', 'qeyssat', 'eagle-1'].map((p) => ({
        constellationPreset: p,
        preset: 'generic-500km-810nm',
        bufferBits: 2e7,
        keyLifetimeHours: 720,
      })),
    ],
    walker: [
      {
        pattern: '97.5:1/1/0',
        altitudeKm: 550,
        firstNoradId: 900_001,
        preset: 'generic-500km-810nm',
        bufferBits: 2e7,
        keyLifetimeHours: 720,
      },
    ],
    demand: {
      stations: {},
      pairs: [
        { a: 'xinglong', b: 'graz', bitsPerDay: 4e5 },
        { a: 'nanshan', b: 'matera', bitsPerDay: 2e5 },
        { a: 'delingha', b: 'tenerife', bitsPerDay: 2e5 },
        { a: 'maunakea', b: 'kitt-peak', bitsPerDay: 2e5 },
        { a: 'paranal', b: 'sutherland', bitsPerDay: 2e5 },
        { a: 'siding-spring', b: 'hanle', bitsPerDay: 2e5 },
        { a: 'calar-alto', b: 'ottawa', bitsPerDay: 2e5 },
        { a: 'singapore', b: 'mt-stromlo', bitsPerDay: 2e5 },
        { a: 'la-palma', b: 'stellenbosch', bitsPerDay: 2e5 },
        { a: 'lijiang', b: 'mt-abu', bitsPerDay: 2e5 },
      ],
    },
  };
  const r = await runNetworkSimulation(cfg, baseDir, {
    startMs,
    days: 90,
    seed,
    solver: 'heuristic',
    planning: 'expected',
  });
  console.log(
    `20 stations x ${r.report.satellites.length} satellites x 90 days, heuristic: ` +
      `${(r.report.runtimeMs / 1000).toFixed(1)} s (bar: 600 s); ` +
      `${r.report.satellites.reduce((s, x) => s + x.passesExecuted, 0)} passes; delivered ` +
      `${(r.report.totals.deliveredBits / 1e6).toFixed(1)} Mbit`,
  );
}

await year('heuristic', 2);
if (!args.includes('--skip-exact')) await year('exact', 1);
await big();
