/** `qkdsat` command-line entry point. */
import { Command, CommanderError } from 'commander';
import { COMMANDS } from './commands.js';

const program = new Command('qkdsat')
  .description('Satellite QKD: passes, link budgets, key rates, plans, key relay')
  .exitOverride()
  .configureOutput({ writeErr: (s) => process.stderr.write(s) });
for (const register of COMMANDS) register(program);

try {
  await program.parseAsync(process.argv);
} catch (e) {
  if (e instanceof CommanderError) {
    // Usage errors (unknown option, missing argument) exit 2; --help and --version exit 0.
    process.exitCode = e.exitCode === 0 ? 0 : 2;
  } else {
    process.stderr.write(`qkdsat: ${(e as Error).message}\n`);
    process.exitCode = 1;
  }
}
