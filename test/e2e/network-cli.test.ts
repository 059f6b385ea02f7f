/** CLI contract of `qkdsat network simulate` (issue 13): JSON fields, determinism, HTML report, exit 2 on bad input. */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { checkLedger } from '../../network/domain/index.js';
import { readNetworkConfigFile } from '../../network/index.js';
import { runNetworkSimulation } from '../../src/network-run.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'qkdsat-net-'));
const run = (...args: string[]) => {
  const r = spawnSync(process.execPath, [join(root, 'bin/qkdsat.js'), 'network', 'simulate', ...args], {
    cwd: root,
    encoding: 'utf8',
  });
  return { code: r.status, out: r.stdout, err: r.stderr };
};
const demo = join(root, 'config/network-demo.json');

describe('qkdsat network simulate', () => {
  it('prints the JSON contract; same seed, same bytes apart from runtimeMs; writes the HTML report', () => {
    const html = join(dir, 'r.html');
    const a = run(
      '--config',
      demo,
      '--start',
      '2022-08-10T00:00:00Z',
      '--days',
      '3',
      '--seed',
      '7',
      '--format',
      'json',
      '--html',
      html,
    );
    expect(a.code, a.err).toBe(0);
    const r = JSON.parse(a.out);
    expect(Object.keys(r)).toEqual(
      expect.arrayContaining(['days', 'seed', 'pairs', 'stations', 'satellites', 'runtimeMs']),
    );
    expect(r.pairs[0]).toEqual(
      expect.objectContaining({
        a: 'xinglong',
        b: 'graz',
        demandBits: 1_200_000,
        deliveredBits: expect.any(Number),
        starvedDays: expect.any(Number),
        monthly: expect.any(Array),
      }),
    );
    expect(r.stations).toHaveLength(10);
    expect(r.stations[0]).toEqual(
      expect.objectContaining({
        id: expect.any(String),
        passesExecuted: expect.any(Number),
        clearNights: expect.any(Number),
        utilisation: expect.any(Number),
      }),
    );
    expect(r.satellites[0]).toEqual(
      expect.objectContaining({
        noradId: 41731,
        passesExecuted: expect.any(Number),
        storagePeakBits: expect.any(Number),
      }),
    );
    const b = run(
      '--config',
      demo,
      '--start',
      '2022-08-10T00:00:00Z',
      '--days',
      '3',
      '--seed',
      '7',
      '--format',
      'json',
    );
    expect({ ...JSON.parse(b.out), runtimeMs: 0 }).toEqual({ ...r, runtimeMs: 0 });
    expect(b.out.replace(/"runtimeMs": \d+/, '')).toBe(a.out.replace(/"runtimeMs": \d+/, ''));
    expect(readFileSync(html, 'utf8')).toContain('Onboard key storage');
  });

  it('the real loop on the demo network passes the independent checker', async () => {
    const { config, baseDir } = readNetworkConfigFile(demo);
    const { result, report } = await runNetworkSimulation(config, baseDir, {
      startMs: Date.UTC(2022, 7, 10),
      days: 4,
      seed: 2,
      solver: 'exact',
      planning: 'expected',
    });
    const check = checkLedger(
      result.ledger,
      report.satellites.map((s) => ({ noradId: s.noradId, bufferBits: s.bufferBits })),
    );
    expect(check.violations).toEqual([]);
    expect(report.satellites[0]!.passesExecuted).toBeGreaterThan(0);
    expect(report.replans).toBe(16);
  });

  it('bad input exits 2 naming the field', () => {
    const cases: [string[], RegExp][] = [
      [['--config', demo, '--start', 'yesterday', '--days', '3', '--seed', '1'], /--start/],
      [
        ['--config', demo, '--start', '2022-08-10T00:00:00Z', '--days', '3', '--seed', '1', '--planning', 'lucky'],
        /--planning/,
      ],
    ];
    for (const [args, msg] of cases) {
      const r = run(...args);
      expect(r.code).toBe(2);
      expect(r.err).toMatch(msg);
    }
    const bad = join(dir, 'bad.json');
    writeFileSync(
      bad,
      JSON.stringify({
        stationsFile: join(root, 'tle/data/stations.json'),
        demand: { pairs: [{ a: 'xinglong', b: 'atlantis', bitsPerDay: 1 }] },
        satellites: [{ constellationPreset: 'eagle-1' }],
      }),
    );
    const u = run('--config', bad, '--start', '2022-08-10T00:00:00Z', '--days', '3', '--seed', '1');
    expect(u.code).toBe(2);
    expect(u.err).toMatch(/demand\.pairs\.0\.b: unknown station 'atlantis'/);
  });
});
