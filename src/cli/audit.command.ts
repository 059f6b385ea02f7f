/** `qkdsat audit verify`: checks the hash chain of the key audit stream on REDIS_URL and its seals (with the KEK). */
import type { Command } from 'commander';
import { verifyAudit } from '../../relay/index.js';
import { runCommand, writeJson } from './run.js';
import { withRelay } from './relay.command.js';

export function registerAudit(program: Command): void {
  const audit = program.command('audit').description('Key audit log');
  audit
    .command('verify')
    .description('Verify the hash chain of the key audit stream and its KEK-keyed seals')
    .action(() =>
      runCommand(async () => {
        const verdict = await withRelay((core, redis) => verifyAudit(redis, core.prefix, core.auditSealKey));
        writeJson(verdict);
        if (!verdict.ok) process.exitCode = 1;
      }),
    );
}
