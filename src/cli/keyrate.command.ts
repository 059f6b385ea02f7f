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
import { QkdsatError } from '../core/errors.js';
import { parseLossTable, passKey, SATQUMA_PROTOCOL } from '../core/keyrate/index.js';
import { findPreset, PRESETS } from '../core/presets/index.js';
import { keyResultToWire, ProtocolFileSchema, resolveProtocol } from '../api/simulations.schemas.js';
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
        if (o.format !== 'json' && o.format !== 'text')
          throw new UsageError(`--format: expected json or text, got '${o.format}'`);
        const preset = o.preset === undefined ? undefined : findPreset(o.preset);
        if (o.preset !== undefined && !preset)
          throw new UsageError(
            `--preset: unknown preset '${o.preset}' (known: ${PRESETS.map((p) => p.id).join(', ')})`,
          );
        if (!o.protocol && !preset) throw new UsageError('keyrate: give --protocol FILE.json, --preset NAME, or both');
        const file = o.protocol ? readJsonFile(o.protocol, '--protocol', ProtocolFileSchema) : {};
        const { protocol, options } = resolveProtocol(file, preset?.protocol ?? SATQUMA_PROTOCOL);
        const table = parseLossTable(readTextFile(o.loss, '--loss'));
        if (!table.ok) {
          const first = table.error[0]!;
          throw new QkdsatError(
            'VALIDATION',
            `--loss: ${o.loss}${first.line ? ` line ${first.line}` : ''}: ${first.message}`,
            table.error,
          );
        }
        const t = table.value;
        const t0 = performance.now();
        const r = passKey({ timeS: t.timeS, elevationRad: t.elevationRad, eta: t.efficiency }, protocol, options);
        const timeMs = performance.now() - t0;
        const out = {
          ...keyResultToWire(r),
          ...(r.optimisation
            ? { optimisation: { evaluations: r.optimisation.evaluations, timeMs: Math.round(timeMs * 10) / 10 } }
            : {}),
        };
        if (o.format === 'json') writeJson(out);
        else
          process.stdout.write(
            `secure key ${out.secureKeyBits} bits, QBER_X ${(100 * out.qberX).toFixed(3)} %, phase error ${(100 * out.phaseErrorX).toFixed(3)} %, window ${out.window.startS}..${out.window.endS} s (${out.window.slots} slots)\n`,
          );
      }),
    );
}
