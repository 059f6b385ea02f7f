/** `qkdsat keys deposit --station ID --satellite NORAD --bits N`: a simulated pass's key block. */
import type { Command } from 'commander';
import { parseIntegerOption } from './options.js';
import { runCommand, writeJson } from './run.js';
import { withRelay } from './relay.command.js';

export function registerKeys(program: Command): void {
  const keys = program.command('keys').description('Key pools');
  keys
    .command('deposit')
    .description('Deposit a key block shared by a station and a satellite, as a simulated pass would')
    .requiredOption('--station <id>', 'ground station ID')
    .requiredOption('--satellite <norad>', 'NORAD catalog number')
    .requiredOption('--bits <n>', 'secure key bits (rounded down to whole bytes)')
    .action((o: { station: string; satellite: string; bits: string }) =>
      runCommand(async () => {
        const norad = parseIntegerOption(o.satellite, '--satellite', { min: 1 }, 'a positive integer');
        const bits = parseIntegerOption(o.bits, '--bits', { min: 8 }, 'an integer >= 8');
        writeJson(await withRelay((core) => core.sink.deposit(o.station, norad, bits, { source: 'cli' })));
      }),
    );
}
