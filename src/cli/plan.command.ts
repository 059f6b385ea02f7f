/**
 * `qkdsat plan --tle FILE --stations FILE --start ISO --hours N [--demand FILE.json] [--preset NAME]
 *  [--solver exact|heuristic] [--time-limit S] [--format json]`: conflict-free bookings for the
 * horizon and the pair key they deliver (issue 4's output contract with --format json).
 */
import type { Command } from 'commander';
import { parseIso } from '../core/time/index.js';
import { z } from 'zod';
import { configSection, loadConfig } from '../platform/config.js';
import { StationListSchema, parseCatalog } from '../../tle/domain/index.js';
import {
  DemandSchema,
  demandIssues,
  planSchedule,
  planToWire,
  presetFor,
  type Candidate,
} from '../../scheduler/domain/index.js';
import { candidatesOf, freshCandidates } from '../../scheduler/adapters/catalog-source.js';
import { highsSolver } from '../../scheduler/adapters/highs-solver.js';
import { SchedulerSettingsSchema, gapsOf } from '../../scheduler/adapters/settings.js';
import { checkJsonFormat, parseIntegerOption, parseSeedOption, parseSolverOption } from './options.js';
import { parseNumberOption, readJsonFile, readTextFile, runCommand, UsageError, warnStale, writeJson } from './run.js';

const TerminalsSchema = z.record(z.string().regex(/^[0-9]{1,9}$/, 'a NORAD catalog number'), z.string());

/** The scheduler section of QKDSAT_CONFIG (default config/demo.json), as the REST service reads it. */
function configuredSettings() {
  try {
    return configSection(loadConfig(), 'scheduler', SchedulerSettingsSchema.default(SchedulerSettingsSchema.parse({})));
  } catch (e) {
    throw new UsageError(`QKDSAT_CONFIG: ${(e as Error).message}`);
  }
}

const ageOf = (c: Candidate) => {
  const days = c.elementSetEpochMs === undefined ? 0 : ((c.startMs + c.endMs) / 2 - c.elementSetEpochMs) / 86_400_000;
  return { epochAgeDays: days, stale: Math.abs(days) > 14 };
};

interface PlanOpts {
  tle: string;
  stations: string;
  start: string;
  hours: string;
  demand?: string;
  preset?: string;
  solver: string;
  timeLimit: string;
  format?: string;
  scenarios?: string;
  seed: string;
  terminals?: string;
  all: boolean;
  allowStale: boolean;
}

export const registerPlan = (program: Command): void => {
  program
    .command('plan')
    .description('plan conflict-free passes over a horizon (MILP or heuristic) and the pair key they deliver')
    .requiredOption('--tle <file>', 'TLE, OMM JSON, OMM XML or OMM KVN file (detected)')
    .requiredOption('--stations <file>', 'stations JSON file')
    .requiredOption('--start <iso>', 'horizon start, ISO-8601 with zone')
    .requiredOption('--hours <n>', 'horizon length in hours (0 < n <= 336)')
    .option('--demand <file>', 'demand JSON: { "stations": { "<id>": bits }, "pairs": [ { "a", "b", "bits" } ] }')
    .option('--preset <name>', 'payload/station/protocol preset for the yield model')
    .option('--solver <kind>', 'exact | heuristic', 'exact')
    .option('--time-limit <s>', 'solver time limit, seconds', '10')
    .option('--format <fmt>', 'json')
    .option(
      '--scenarios <n>',
      'also evaluate the plan under N seeded weather scenarios (one cloud draw per station-night)',
    )
    .option('--seed <s>', 'seed of the weather scenarios', '1')
    .option(
      '--terminals <file>',
      'JSON { "<NORAD id>": "<preset>" }: the satellites with a QKD terminal ' +
        '(default: scheduler.terminals of QKDSAT_CONFIG, as REST plans)',
    )
    .option('--all', 'every satellite of the file carries the --preset terminal', false)
    .option(
      '--allow-stale',
      'plan passes predicted from element sets more than 14 days from their epoch (refused otherwise)',
      false,
    )
    .action((o: PlanOpts) => runCommand(() => plan(o)));
};

async function plan(o: PlanOpts): Promise<void> {
  const startMs = parseIso(o.start);
  if (Number.isNaN(startMs)) throw new UsageError(`--start: expected ISO-8601 with a zone, got '${o.start}'`);
  const hours = parseNumberOption(o.hours, '--hours', (n) => n > 0 && n <= 336, 'a number of hours in (0, 336]');
  const timeLimitS = parseNumberOption(o.timeLimit, '--time-limit', (n) => n > 0 && n <= 3600, 'seconds in (0, 3600]');
  const scenarios =
    o.scenarios === undefined
      ? undefined
      : parseIntegerOption(o.scenarios, '--scenarios', { min: 1, max: 100_000 }, 'an integer in 1..100000');
  const seed = parseSeedOption(o.seed);
  const solver = parseSolverOption(o.solver);
  checkJsonFormat(o.format);
  try {
    presetFor(o.preset);
  } catch (e) {
    throw new UsageError(`--${(e as Error).message}`);
  }
  const report = parseCatalog(readTextFile(o.tle, '--tle'));
  if (!report.accepted.length) throw new UsageError(`--tle: ${o.tle}: no valid element set`);
  const stations = readJsonFile(o.stations, 'stations', StationListSchema);
  const demand = o.demand ? readJsonFile(o.demand, 'demand', DemandSchema) : { stations: {}, pairs: [] };
  const issue = demandIssues(demand, new Set(stations.map((s) => s.id)))[0];
  if (issue) throw new UsageError(`${issue.path.join('.')}: ${issue.message}`);
  if (o.all && o.terminals) throw new UsageError('--terminals and --all: give one of them');
  const settings = configuredSettings();
  const terminals = o.all
    ? undefined
    : o.terminals
      ? readJsonFile(o.terminals, '--terminals', TerminalsSchema)
      : settings.terminals;
  const preset = o.preset ?? settings.preset;
  const found = candidatesOf({
    sets: report.accepted,
    stations,
    fromMs: startMs,
    toMs: startMs + hours * 3_600_000,
    terminals,
    preset,
  });
  warnStale(found.map((c) => ({ noradId: c.noradId, ...ageOf(c) })));
  const candidates = freshCandidates(found, { allowStale: o.allowStale });
  const p = await planSchedule(candidates, demand, {
    solver,
    timeLimitS,
    gaps: gapsOf(settings),
    milp: highsSolver(),
    nowMs: () => performance.now(),
    ...(scenarios ? { weather: { scenarios, seed } } : {}),
  });
  const wire = planToWire(p);
  if (o.format === 'json') {
    writeJson(wire);
    return;
  }
  const kbit = (bits: number) => (bits / 1e3).toFixed(1);
  const mbit = (bits: number) => (bits / 1e6).toFixed(2);
  const percent = (fraction: number) => (fraction * 100).toFixed(1);
  for (const booking of wire.bookings)
    process.stdout.write(
      `${booking.start}  ${booking.end.slice(11)}  ${booking.stationId.padEnd(14)} ` +
        `${String(booking.noradId).padStart(6)}  ` +
        `expectedSecureBits ${kbit(booking.expectedSecureBits).padStart(8)} kbit, ` +
        `expectedSecureBitsWeather ${kbit(booking.expectedSecureBitsWeather).padStart(8)} kbit ` +
        `(clear sky ${booking.clearSkyProbability})\n`,
    );
  for (const pair of wire.pairs)
    process.stdout.write(`pair ${pair.a}~${pair.b}: ${kbit(pair.deliveredBits)} / ${kbit(pair.demandBits)} kbit\n`);
  if (wire.weather) {
    const weather = wire.weather;
    const { p10, p50, p90 } = weather.worstPairFraction;
    process.stdout.write(
      `weather (${weather.scenarios} scenarios, seed ${weather.seed}): ` +
        `worst pair p10/p50/p90 ${[p10, p50, p90].map(percent).join('/')} %, ` +
        `demand met mean ${mbit(weather.demandMetBits.mean)} Mbit, ` +
        `a pair starved in ${percent(weather.pairStarvedProbability)} % of scenarios\n`,
    );
  }
  const { objective } = wire;
  process.stdout.write(
    `${wire.bookings.length} bookings of ${candidates.length} candidates; ` +
      `worst pair ${percent(objective.worstPairFraction)} %, demand met ${mbit(objective.demandMetBits)} Mbit, ` +
      `key ${mbit(objective.totalKeyBits)} Mbit; ${wire.solver} ${wire.status}` +
      `${wire.gapPercent !== null ? `, gap ${wire.gapPercent} %` : ''}, ${wire.solveTimeMs} ms\n`,
  );
}
