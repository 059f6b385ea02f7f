/**
 * `qkdsat network simulate --config FILE --start ISO --days N --seed S [--solver exact|heuristic]
 *  [--planning expected|robust] [--format json] [--html FILE]`: a discrete-event run of the whole
 * network (re-plans, weather, passes, onboard storage, relay, demand) in virtual time.
 */
import { writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { parseIso } from '../core/time/index.js';
import { PlanningSchema } from '../../network/domain/index.js';
import { readNetworkConfigFile } from '../../network/adapters/load.js';
import { renderHtmlReport } from '../../network/adapters/html-report.js';
import { runNetworkSimulation } from '../network-run.js';
import { checkJsonFormat, parseIntegerOption, parseSeedOption, parseSolverOption } from './options.js';
import { runCommand, UsageError, writeJson } from './run.js';

interface NetworkOpts {
  config: string;
  start: string;
  days: string;
  seed: string;
  solver: string;
  planning: string;
  format?: string;
  html?: string;
}

export const registerNetwork = (program: Command): void => {
  program
    .command('network')
    .description('capacity planning of the whole network')
    .command('simulate')
    .description(
      'simulate the network in virtual time: rolling re-plans, weather, passes, onboard key storage, relay, demand',
    )
    .requiredOption('--config <file>', 'network config JSON (see README, "Network simulation")')
    .requiredOption('--start <iso>', 'simulation start, ISO-8601 with zone')
    .requiredOption('--days <n>', 'simulated days (integer, 1..3660)')
    .requiredOption('--seed <s>', 'seed of weather, pass simulation and planning scenarios (0..2^32-1)')
    .option('--solver <kind>', 'exact | heuristic', 'heuristic')
    .option('--planning <kind>', 'expected | robust', 'expected')
    .option('--format <fmt>', 'json')
    .option('--html <file>', 'also write the HTML report with charts to this file')
    .action((o: NetworkOpts) => runCommand(() => simulate(o)));
};

async function simulate(o: NetworkOpts): Promise<void> {
  const startMs = parseIso(o.start);
  if (Number.isNaN(startMs)) throw new UsageError(`--start: expected ISO-8601 with a zone, got '${o.start}'`);
  const days = parseIntegerOption(o.days, '--days', { min: 1, max: 3660 }, 'an integer number of days in 1..3660');
  const seed = parseSeedOption(o.seed);
  const solver = parseSolverOption(o.solver);
  const planning = PlanningSchema.safeParse(o.planning);
  if (!planning.success) throw new UsageError(`--planning: expected expected or robust, got '${o.planning}'`);
  checkJsonFormat(o.format);
  const { config, baseDir } = readNetworkConfigFile(o.config);
  const tty = process.stderr.isTTY;
  const { report } = await runNetworkSimulation(config, baseDir, {
    startMs,
    days,
    seed,
    solver,
    planning: planning.data,
    ...(tty
      ? {
          onProgress: (f: number) => {
            process.stderr.write(`\rsimulating ${(f * 100).toFixed(0).padStart(3)} %`);
          },
        }
      : {}),
  });
  if (tty) process.stderr.write('\r\x1b[K');
  if (o.html) writeFileSync(o.html, renderHtmlReport(report));
  if (o.format === 'json') {
    writeJson(report);
    return;
  }
  const mbit = (bits: number) => (bits / 1e6).toFixed(2);
  for (const pair of report.pairs)
    process.stdout.write(
      `pair ${`${pair.a}~${pair.b}`.padEnd(22)} ${mbit(pair.deliveredBits).padStart(9)} / ` +
        `${mbit(pair.demandBits)} Mbit delivered, ${pair.starvedDays} starved days\n`,
    );
  for (const station of report.stations)
    process.stdout.write(
      `station ${station.id.padEnd(14)} ${String(station.passesExecuted).padStart(5)} passes, ` +
        `${station.clearNights}/${station.nights} clear nights, ` +
        `utilisation ${(station.utilisation * 100).toFixed(2)} %\n`,
    );
  for (const satellite of report.satellites)
    process.stdout.write(
      `satellite ${String(satellite.noradId).padEnd(7)} ${satellite.passesExecuted} passes, ` +
        `storage peak ${mbit(satellite.storagePeakBits)} / ${mbit(satellite.bufferBits)} Mbit\n`,
    );
  const { totals } = report;
  process.stdout.write(
    `${report.days} days, seed ${report.seed}, ${report.solver}/${report.planning}: ` +
      `delivered ${mbit(totals.deliveredBits)} Mbit, ` +
      `worst pair p10 monthly ${(totals.worstPairP10MonthlyFraction * 100).toFixed(1)} % of demand, ` +
      `${report.replans} re-plans, ${report.runtimeMs} ms\n`,
  );
}
