/**
 * `qkdsat keyrate --loss FILE.csv [--protocol FILE.json] [--preset NAME] [--format json|text]`:
 * finite key (Lim 2014) for one pass from a SatQuMA-layout loss table (`time_s, elevation_rad,
 * efficiency`, `#` comments, extra columns ignored). Protocol fields override the preset's (or, without
 * a preset, SatQuMA's defaults); pass options: window ({ halfWidthS } | "optimal", default optimal),
 * minElevationDeg (10), excessLossDb (0), optimise (false). With optimise, the output adds
 * `optimisation: { evaluations, timeMs }` (objective evaluations and wall time of the whole pass key).
 * Exit 2 on bad input.
 */
import type { Command } from 'commander';
import { parseLossTable, passKey, SATQUMA_PROTOCOL } from '../core/keyrate/index.js';
import { PRESETS } from '../core/presets/index.js';
import { keyResultToWire, ProtocolFileSchema, resolveProtocol } from '../api/simulations.schemas.js';
import { checkJsonOrTextFormat, presetOption, tableRows } from './options.js';
import { readJsonFile, readTextFile, runCommand, UsageError, writeJson } from './run.js';

export function registerKeyrate(program: Command): void {
  program
    .command('keyrate')
    .description('Finite-key secure key length (decoy BB84, Lim 2014) for one pass from a loss table')
    .requiredOption('--loss <file>', 'CSV: time_s, elevation_rad, efficiency (SatQuMA FS_loss layout)')
    .option('--protocol <file>', 'protocol JSON (fields override the preset)')
    .option('--preset <name>', `take the protocol from a preset (${PRESETS.map((p) => p.id).join(', ')})`)
    .option('--format <format>', 'json or text', 'json')
    .action((o: { loss: string; protocol?: string; preset?: string; format: string }) =>
      runCommand(() => {
        checkJsonOrTextFormat(o.format);
        const preset = o.preset === undefined ? undefined : presetOption(o.preset);
        if (!o.protocol && !preset) throw new UsageError('keyrate: give --protocol FILE.json, --preset NAME, or both');
        const file = o.protocol ? readJsonFile(o.protocol, '--protocol', ProtocolFileSchema) : {};
        const { protocol, options } = resolveProtocol(file, preset?.protocol ?? SATQUMA_PROTOCOL);
        const table = tableRows(parseLossTable(readTextFile(o.loss, '--loss')), '--loss', o.loss);
        const startedMs = performance.now();
        const r = passKey(
          { timeS: table.timeS, elevationRad: table.elevationRad, eta: table.efficiency },
          protocol,
          options,
        );
        const timeMs = performance.now() - startedMs;
        const out = {
          ...keyResultToWire(r),
          ...(r.optimisation
            ? { optimisation: { evaluations: r.optimisation.evaluations, timeMs: Math.round(timeMs * 10) / 10 } }
            : {}),
        };
        if (o.format === 'json') writeJson(out);
        else
          process.stdout.write(
            `secure key ${out.secureKeyBits} bits, QBER_X ${(100 * out.qberX).toFixed(3)} %, ` +
              `phase error ${(100 * out.phaseErrorX).toFixed(3)} %, ` +
              `window ${out.window.startS}..${out.window.endS} s (${out.window.slots} slots)\n`,
          );
      }),
    );
}
