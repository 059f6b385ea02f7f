/**
 * Wires the network simulation (network/domain) to the service's own code through its ports: the
 * candidate source (pass finder + key-rate yield, computed once for the whole span and served by
 * window), the pass runner (`simulationPassRunner` on an in-memory catalog), the planner
 * (`planSchedule` with HiGHS or the heuristic) and the re-plan cron (`nextCronMs`, UTC). Used by
 * the CLI (`qkdsat network simulate`) and the BullMQ network-simulation worker.
 */
import { resolve } from 'node:path';
import { z } from 'zod';
import { configSection, REPO_ROOT, type Config } from './platform/config.js';
import type { RunNetwork } from '../network/index.js';
import { MemoryCatalog, MemoryStationStore } from '../tle/adapters/catalog.memory.js';
import { passesOf } from '../tle/domain/index.js';
import {
  candidatesFromPasses,
  keyRateYield,
  planSchedule,
  type Candidate,
  type SolverKind,
} from '../scheduler/domain/index.js';
import { highsSolver } from '../scheduler/adapters/highs-solver.js';
import { CronExpressionParser } from 'cron-parser';
import { nextCronMs } from '../scheduler/adapters/queues.js';
import { simulationPassRunner } from '../scheduler/index.js';
import { loadNetwork, type LoadedNetwork } from '../network/adapters/load.js';
import {
  DAY_MS,
  simulateNetwork,
  toReport,
  type NetworkConfig,
  type NetworkReport,
  type Planning,
  type SimulationResult,
} from '../network/domain/index.js';

export interface NetworkRunOptions {
  startMs: number;
  days: number;
  seed: number;
  solver: SolverKind;
  planning: Planning;
  onProgress?: (fraction: number) => void | Promise<void>;
}

/**
 * `nextCronMs` for a caller that walks forward from cron time to cron time: one parsed expression
 * iterated (parsing per call cost ~0.5 ms, a third of a second a simulated year); any other
 * instant falls back to `nextCronMs`.
 */
function cronSequence(cron: string): (afterMs: number) => number {
  let it: ReturnType<typeof CronExpressionParser.parse> | undefined,
    last = NaN;
  return (afterMs) => {
    if (!it || afterMs !== last) {
      last = nextCronMs(cron, afterMs);
      it = CronExpressionParser.parse(cron, { currentDate: new Date(last), tz: 'UTC' });
      return last;
    }
    last = it.next().getTime();
    return last;
  };
}

/** Every candidate of [fromMs, toMs) found once; windows are served from it (no clipping at window edges). */
function spanCandidates(
  net: LoadedNetwork,
  fromMs: number,
  toMs: number,
): (a: number, b: number) => Promise<Candidate[]> {
  let all: Candidate[] | undefined;
  return async (a, b) => {
    if (!all) {
      const presetOf = (n: number) => net.terminals.get(n)?.preset;
      const { passes } = passesOf(net.sets, net.stations, { fromMs, toMs });
      all = candidatesFromPasses(passes, net.stations, keyRateYield(presetOf, net.sets, net.stations)).sort(
        (x, y) => x.startMs - y.startMs || x.id.localeCompare(y.id),
      );
    }
    return all.filter((c) => c.startMs >= a && c.startMs < b);
  };
}

export async function runNetworkSimulation(
  config: NetworkConfig,
  baseDir: string,
  options: NetworkRunOptions,
): Promise<{ report: NetworkReport; result: SimulationResult; net: LoadedNetwork }> {
  const t0 = performance.now();
  const net = loadNetwork(config, baseDir, options.startMs);
  const c = net.config;
  const catalog = new MemoryCatalog(),
    stations = new MemoryStationStore();
  for (const es of net.sets) await catalog.put(es);
  for (const s of net.stations) await stations.put(s);
  const presetOf = (n: number) => net.terminals.get(n)?.preset;
  const runPass = simulationPassRunner(catalog, stations, presetOf);
  const milp = highsSolver();
  const gaps = {
    stationSlewMs: c.scheduler.stationSlewSeconds * 1000,
    satelliteRetargetMs: c.scheduler.satelliteRetargetSeconds * 1000,
  };
  const horizonMs = c.scheduler.horizonHours * 3_600_000;
  const result = await simulateNetwork(
    {
      startMs: options.startMs,
      days: options.days,
      seed: options.seed,
      planning: options.planning,
      stations: net.stations.map((s) => ({ id: s.id, longitudeDeg: s.longitudeDeg, clearNight: s.clearNight })),
      satellites: net.sets.map((es) => ({
        noradId: es.noradId,
        bufferBits: net.terminals.get(es.noradId)!.bufferBits,
        keyLifetimeMs: net.terminals.get(es.noradId)!.keyLifetimeHours * 3_600_000,
      })),
      pairs: c.demand.pairs,
      stationDemand: c.demand.stations,
      horizonHours: c.scheduler.horizonHours,
      frozenMinutes: c.scheduler.frozenMinutes,
      weather: c.weather,
      keys: { groundLifetimeMs: c.keys.groundLifetimeHours * 3_600_000, targetDays: c.keys.targetDays },
      robust: c.robust,
    },
    {
      candidates: spanCandidates(
        net,
        options.startMs - DAY_MS,
        options.startMs + options.days * DAY_MS + horizonMs + DAY_MS,
      ),
      runPass: async (b, seed) => {
        const r = await runPass(b, seed);
        return { secureBits: r.secureBits, cloudy: r.cloudy };
      },
      plan: (cands, demand, fixedIds) =>
        planSchedule(cands, demand, {
          solver: options.solver,
          timeLimitS: c.scheduler.timeLimitSeconds,
          gaps,
          fixedIds,
          milp,
          nowMs: () => performance.now(),
        }),
      nextReplanMs: cronSequence(c.scheduler.cron),
      ...(options.onProgress ? { onProgress: options.onProgress } : {}),
    },
  );
  const buffers = Object.fromEntries([...net.terminals].map(([n, t]) => [n, t.bufferBits]));
  const report = toReport(result, {
    days: options.days,
    seed: options.seed,
    startMs: options.startMs,
    solver: options.solver,
    planning: options.planning,
    runtimeMs: Math.round(performance.now() - t0),
    buffers,
  });
  return { report, result, net };
}

/** The BullMQ job's run (network/adapters/jobs.ts): the same run as the CLI's. */
export const runNetworkJob: RunNetwork = async (data, onProgress) =>
  (
    await runNetworkSimulation(data.config, data.baseDir, {
      startMs: data.startMs,
      days: data.days,
      seed: data.seed,
      solver: data.solver,
      planning: data.planning,
      onProgress,
    })
  ).report;

/**
 * The service's network config: the config file's optional `network.configFile` (relative to it),
 * else config/network-demo.json.
 */
export function networkConfigFileOf(config: Config): string {
  const s = configSection(config, 'network', z.object({ configFile: z.string() }).optional());
  return s ? resolve(config.configDir, s.configFile) : resolve(REPO_ROOT, 'config/network-demo.json');
}
