/**
 * The short soak in `npm test`: about 2 simulated days of the whole system as separate processes
 * (2 API, KME, 3 workers) on its own AOF Redis, with each fault kind injected twice, load and
 * fuzzing; the independent checker must find nothing. Needs `redis-server` on the PATH (as the
 * rest of `npm test` needs Redis). The full soak: `npm run soak -- --seed N --days D`.
 */
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { runSoak } from '../../soak/run.js';

const hasRedisServer = spawnSync('redis-server', ['--version'], { stdio: 'ignore' }).status === 0;

describe.skipIf(!hasRedisServer)('system soak (short)', () => {
  it('2 simulated days under crashes, lost replies, load and hostile input: zero violations', async () => {
    const seed = Number(process.env.QKDSAT_SOAK_SEED ?? 7);
    const report = await runSoak({
      seed,
      days: 2,
      speed: 1440,
      faultsPerDay: 1,
      fuzzPerDay: 150,
      reportName: 'soak-short',
      log: () => undefined,
    });
    expect(report.violations).toEqual([]);
    // The soak really ran: every fault kind injected, passes executed, key deposited, delivered and relayed.
    for (const [kind, n] of Object.entries(report.faults)) expect(n, kind).toBeGreaterThanOrEqual(2);
    expect(report.keysServed).toBeGreaterThan(0);
    expect(report.keysReceivedBySlaves).toBeGreaterThan(0);
    expect(report.bitsDeposited).toBeGreaterThan(0);
    expect(report.fuzz.requests).toBeGreaterThan(0);
  }, 240_000);
});
