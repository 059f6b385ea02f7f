/**
 * `qkdsat calibrate --measured FILE.csv (--preset NAME | --config FILE.json) [--fit a,b,...]
 * [--loss-includes-detector] [--out FILE.json] [--format json|text]`: fits chosen link parameters to a
 * measured loss curve (CSV `time_s, range_km, elevation_deg, loss_db[, sigma_db]`, `#` comments) by
 * weighted least squares (docs/physics.md §6). `--out` writes the calibrated link in the `link --config`
 * format, with a `calibration` block naming its data. Exit 2 on bad input.
 */
import { writeFileSync } from 'node:fs';
import { basename } from 'node:path';
import type { Command } from 'commander';
import {
  calibrateLink,
  DEFAULT_FIT,
  FIT_PARAMETERS,
  normalisationOf,
  parseMeasuredLoss,
  type LinkConfig,
} from '../core/channel/index.js';
import { PRESETS } from '../core/presets/index.js';
import { loadConfig } from './link.command.js';
import { checkJsonOrTextFormat, presetOption, tableRows } from './options.js';
import { readTextFile, runCommand, UsageError, writeJson } from './run.js';

interface Options {
  measured: string;
  preset?: string;
  config?: string;
  fit?: string;
  lossIncludesDetector?: boolean;
  out?: string;
  format: string;
}

export function registerCalibrate(program: Command): void {
  program
    .command('calibrate')
    .description(
      'Fit link parameters to a measured loss curve (weighted least squares); ' +
        'report values, standard errors, χ² and residuals per elevation bin',
    )
    .requiredOption(
      '--measured <file>',
      'CSV: time_s, range_km, elevation_deg, loss_db[, sigma_db] ' +
        '(loss without the detector unless --loss-includes-detector)',
    )
    .option('--preset <name>', `start from a preset's link (${PRESETS.map((p) => p.id).join(', ')})`)
    .option('--config <file>', 'start from a link config JSON (the link --config format)')
    .option(
      '--fit <names>',
      `comma-separated parameters (${FIT_PARAMETERS.map((p) => p.name).join(', ')})`,
      DEFAULT_FIT.join(','),
    )
    .option('--loss-includes-detector', 'loss_db includes the detector efficiency')
    .option('--out <file>', 'write the calibrated link config (link --config format)')
    .option('--format <format>', 'json or text', 'json')
    .action((o: Options) => runCommand(() => calibrateCommand(o)));
}

function calibrateCommand(o: Options): void {
  checkJsonOrTextFormat(o.format);
  if ((o.preset === undefined) === (o.config === undefined))
    throw new UsageError('calibrate: give exactly one of --preset NAME or --config FILE.json');
  const link: LinkConfig = o.preset !== undefined ? presetOption(o.preset).link : loadConfig(o.config!);
  const fit = (o.fit ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
  if (fit.length === 0) throw new UsageError('--fit: name at least one parameter');
  if (fit.length > 6) throw new UsageError('--fit: at most 6 parameters');
  const rows = tableRows(parseMeasuredLoss(readTextFile(o.measured, '--measured')), '--measured', o.measured);
  let r;
  try {
    r = calibrateLink(link, rows, {
      fit,
      lossIncludesDetector: o.lossIncludesDetector ?? false,
      dataName: basename(o.measured),
    });
  } catch (e) {
    if (e instanceof RangeError) throw new UsageError(`--fit: ${e.message}`);
    throw e;
  }
  if (o.out !== undefined) {
    try {
      writeFileSync(o.out, JSON.stringify(r.link, null, 2) + '\n');
    } catch (e) {
      throw new UsageError(
        `--out: cannot write ${o.out}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`,
      );
    }
  }
  const out = {
    start: o.preset ?? o.config,
    normalisation: normalisationOf(link),
    data: { file: o.measured, rows: rows.length },
    ...r,
  };
  if (o.format === 'json') return writeJson(out);
  const lines = [
    `calibrated ${out.start} on ${o.measured} (${out.data.rows} rows, normalisation ${out.normalisation})`,
    ...r.parameters.map(
      (parameter) =>
        `  ${parameter.name.padEnd(28)} ${parameter.value.toPrecision(5)} ± ` +
        `${parameter.standardError.toPrecision(2)}${parameter.unit ? ` ${parameter.unit}` : ''} ` +
        `(start ${parameter.initial.toPrecision(4)})${parameter.atBound ? ' at a bound' : ''}`,
    ),
    `  χ² ${r.chiSquare.toFixed(2)} for ${r.degreesOfFreedom} degrees of freedom ` +
      `(${r.sigmaSource === 'column' ? 'σ from sigma_db' : 'σ = 1 dB nominal, errors scaled by √(χ²/dof)'}); ` +
      `RMS residual ${r.rmsResidualDb.toFixed(3)} dB`,
    '  residual by elevation: ' +
      r.residualsByElevation
        .map(
          (bin) =>
            `${bin.fromDeg}-${bin.toDeg}° ${bin.meanDb >= 0 ? '+' : ''}${bin.meanDb.toFixed(2)} dB ` +
            `(rms ${bin.rmsDb.toFixed(2)}, ${bin.rows})`,
        )
        .join('; '),
  ];
  process.stdout.write(lines.join('\n') + '\n');
}
