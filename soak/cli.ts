/**
 * `npm run soak -- --seed N --days D [--speed S] [--faults-per-day F] [--fuzz-per-day Z] [--keep]`
 * Runs the system soak (soak/run.ts) and writes var/reports/soak-latest.json and .md; exits 1 when
 * the checker found violations. `--mutation NAME` (test-only) runs the service with
 * QKDSAT_TEST_MUTATION=NAME and writes var/reports/soak-mutation-NAME.json instead.
 */
import { Command } from 'commander';
import { runSoak } from './run.js';

const program = new Command('soak')
  .option('--seed <n>', 'seed of faults, load and fuzz inputs', '1')
  .option('--days <d>', 'simulated days', '2')
  .option(
    '--speed <s>',
    "simulated seconds per real second (default: the fastest at which each day's faults fit, at most 1440)",
  )
  .option('--faults-per-day <f>', 'injections of each fault kind per simulated day', '3')
  .option('--fuzz-per-day <z>', 'fuzz requests per simulated day', '400')
  .option('--mutation <name>', 'test-only: re-introduce a known defect (nonidempotent-deposit | delete-before-write)')
  .option('--keep', 'keep the run directory (Redis data, logs) even when all invariants held')
  .parse();
const o = program.opts<{
  seed: string;
  days: string;
  speed: string;
  faultsPerDay: string;
  fuzzPerDay: string;
  mutation?: string;
  keep?: boolean;
}>();
process.on('SIGINT', () => process.exit(130));
process.on('SIGTERM', () => process.exit(143));
const report = await runSoak({
  seed: Number(o.seed),
  days: Number(o.days),
  ...(o.speed ? { speed: Number(o.speed) } : {}),
  faultsPerDay: Number(o.faultsPerDay),
  fuzzPerDay: Number(o.fuzzPerDay),
  ...(o.mutation ? { mutation: o.mutation } : {}),
  keep: !!o.keep,
});
const { violations, faults, bookingsExecuted, bitsDeposited, bitsDelivered, bitsRelayed, keysServed } = report;
const summary = {
  seed: report.seed,
  days: report.days,
  violations: violations.length,
  faults,
  bookingsExecuted,
  bitsDeposited,
  bitsDelivered,
  bitsRelayed,
  keysServed,
};
process.stdout.write(`${JSON.stringify(summary)}\n`);
for (const v of violations.slice(0, 30)) process.stdout.write(`VIOLATION ${v.invariant}: ${v.detail}\n`);
process.exit(violations.length ? 1 : 0);
