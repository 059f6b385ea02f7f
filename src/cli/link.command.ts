/**
 * `qkdsat link (--config FILE.json | --preset NAME) --range-km R --elevation-deg E`: the LinkBudget
 * as JSON (losses as positive dB). With `--geometry FILE.csv` (`time_s, elevation_rad, range_km`)
 * it writes the SatQuMA loss table (`time_s, elevation_rad, efficiency`) to stdout instead.
 * A `table` atmosphere names a MODTRAN-layout file, relative to the config file's directory.
 */
import { dirname, resolve } from 'node:path';
import type { Command } from 'commander';
import { linkBudget, parseTransmittanceTable, tableAtWavelength, type LinkConfig } from '../core/channel/index.js';
import { QkdsatError } from '../core/errors.js';
import { dataRows, rowIssue } from '../core/text-table.js';
import { PRESETS } from '../core/presets/index.js';
import { LinkConfigFileSchema } from '../api/simulations.schemas.js';
import { presetOption } from './options.js';
import { parseNumberOption, readJsonFile, readTextFile, runCommand, UsageError, writeJson } from './run.js';

/** Reads a `link --config` file (a MODTRAN-layout atmosphere file is resolved relative to it). */
export function loadConfig(path: string): LinkConfig {
  const c = readJsonFile(path, '--config', LinkConfigFileSchema);
  if (c.atmosphere.model !== 'table' || !('file' in c.atmosphere)) return c as LinkConfig;
  const file = resolve(dirname(path), c.atmosphere.file);
  const parsed = parseTransmittanceTable(readTextFile(file, '--config atmosphere.file'));
  if (!parsed.ok) {
    const first = parsed.error[0]!;
    throw new UsageError(
      `--config: atmosphere.file ${file}: ${first.line ? `line ${first.line}: ` : ''}${first.message}`,
    );
  }
  const col = tableAtWavelength(parsed.value, c.atmosphere.wavelengthNm);
  if (!col.ok) throw new UsageError(`--config: atmosphere.wavelengthNm: ${col.error[0]!.message}`);
  const { aerosolOpticalDepth } = c.atmosphere;
  return {
    ...c,
    atmosphere: {
      model: 'table',
      table: col.value,
      ...(aerosolOpticalDepth !== undefined ? { aerosolOpticalDepth } : {}),
    },
  } as LinkConfig;
}

interface GeometryRow {
  timeS: number;
  elevationRad: number;
  rangeKm: number;
}

function parseGeometry(text: string, path: string): GeometryRow[] {
  const rows: GeometryRow[] = [];
  const names = ['time_s', 'elevation_rad', 'range_km'];
  for (const { line, cells } of dataRows(text)) {
    const v = cells.slice(0, 3).map((c) => (c === '' ? Number.NaN : Number(c)));
    if (cells.length < 3)
      throw new QkdsatError(
        'VALIDATION',
        `--geometry: ${path} line ${line}: expected time_s, elevation_rad, range_km`,
        [rowIssue(line, 'expected 3 columns')],
      );
    const bad = v.findIndex((x) => !Number.isFinite(x));
    if (bad >= 0)
      throw new QkdsatError(
        'VALIDATION',
        `--geometry: ${path} line ${line}: ${names[bad]} is not a number: '${cells[bad]}'`,
        [rowIssue(line, 'not a number', { index: bad + 1, name: names[bad]! })],
      );
    if (!(v[2]! > 0))
      throw new QkdsatError('VALIDATION', `--geometry: ${path} line ${line}: range_km must be > 0`, [
        rowIssue(line, 'must be > 0', { index: 3, name: 'range_km' }),
      ]);
    rows.push({ timeS: v[0]!, elevationRad: v[1]!, rangeKm: v[2]! });
  }
  if (rows.length === 0) throw new UsageError(`--geometry: ${path} has no data rows`);
  return rows;
}

export function registerLink(program: Command): void {
  program
    .command('link')
    .description('Link budget (every term as positive dB) for one range/elevation, or a loss table for a pass geometry')
    .option('--config <file>', 'link config JSON')
    .option('--preset <name>', `use a preset's link (${PRESETS.map((p) => p.id).join(', ')})`)
    .option('--range-km <km>', 'slant range, km')
    .option('--elevation-deg <deg>', 'elevation, degrees')
    .option('--geometry <file>', 'CSV time_s, elevation_rad, range_km: write the loss table CSV to stdout')
    .action((o: { config?: string; preset?: string; rangeKm?: string; elevationDeg?: string; geometry?: string }) =>
      runCommand(() => {
        if ((o.config === undefined) === (o.preset === undefined))
          throw new UsageError('link: give exactly one of --config FILE.json or --preset NAME');
        const config: LinkConfig = o.preset !== undefined ? presetOption(o.preset).link : loadConfig(o.config!);
        if (o.geometry !== undefined) {
          const rows = parseGeometry(readTextFile(o.geometry, '--geometry'), o.geometry);
          const lines = ['# time_s,elevation_rad,efficiency'];
          for (const row of rows) {
            const budget = linkBudget(config, { rangeKm: row.rangeKm, elevationRad: row.elevationRad });
            lines.push(`${row.timeS},${row.elevationRad},${budget.efficiency.toExponential(6)}`);
          }
          process.stdout.write(lines.join('\n') + '\n');
          return;
        }
        if (o.rangeKm === undefined || o.elevationDeg === undefined)
          throw new UsageError('link: give --range-km and --elevation-deg (or --geometry FILE.csv)');
        const rangeKm = parseNumberOption(o.rangeKm, '--range-km', (n) => n > 0 && n < 1e6, 'a range in km (> 0)');
        const elevationDeg = parseNumberOption(
          o.elevationDeg,
          '--elevation-deg',
          (n) => n > 0 && n <= 90,
          'an elevation in (0, 90] degrees',
        );
        writeJson(linkBudget(config, { rangeKm, elevationRad: (elevationDeg * Math.PI) / 180 }));
      }),
    );
}
