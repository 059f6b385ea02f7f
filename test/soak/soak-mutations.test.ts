/**
 * The checker's own check (opt-in: QKDSAT_SOAK_MUTATIONS=1, about 2 x 2 minutes): the service runs
 * with a known defect re-introduced behind the test-only switch QKDSAT_TEST_MUTATION, and the soak
 * must report violations of the invariants that defect breaks.
 *   nonidempotent-deposit: the deposit script without its operation ledger (re-sent or retried
 *     deposits store a block twice) -> deposit-once / booking-once / pool-balance violations.
 *   delete-before-write: dec_keys consumes keys before the response is written (a hang-up or a
 *     killed KME loses them) -> audit-delivered-not-received / key-lost / key-refused-without-void.
 */
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { runSoak } from '../../soak/run.js';

const enabled =
  process.env.QKDSAT_SOAK_MUTATIONS === '1' &&
  spawnSync('redis-server', ['--version'], { stdio: 'ignore' }).status === 0;

describe.skipIf(!enabled)('soak mutation check: the checker catches re-introduced defects', () => {
  it.each([
    ['nonidempotent-deposit', ['deposit-once', 'booking-once', 'pool-balance']],
    ['delete-before-write', ['audit-delivered-not-received', 'key-lost', 'key-refused-without-void']],
  ])(
    '%s',
    async (mutation, invariants) => {
      const report = await runSoak({
        seed: 11,
        days: 1,
        speed: 1440,
        faultsPerDay: 2,
        fuzzPerDay: 100,
        mutation,
        log: () => undefined,
      });
      expect(report.violations.length).toBeGreaterThan(0);
      expect(report.violations.some((v) => invariants.includes(v.invariant))).toBe(true);
    },
    300_000,
  );
});
