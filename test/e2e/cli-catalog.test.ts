/**
 * The CLI behaves as REST does: one set per satellite and instant, element-set age with a stderr warning, terminals
 * honoured.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '../..');
const dir = mkdtempSync(join(tmpdir(), 'qkdsat-cli-'));
const run = (...args: string[]) => {
  const r = spawnSync(process.execPath, [join(root, 'bin/qkdsat.js'), ...args], {
    cwd: root,
    encoding: 'utf8',
    env: { ...process.env, QKDSAT_CONFIG: join(root, 'config/demo.json') },
  });
  return { code: r.status, out: r.stdout, err: r.stderr };
};
// Two Micius and two ISS sets (2021/2024 and 2022-08-09) in one file, as the demo catalog used to ship.
const both = join(dir, 'both.tle');
writeFileSync(
  both,
  readFileSync(join(root, 'test/fixtures/history/old-sets.tle'), 'utf8') +
    readFileSync(join(root, 'tle/data/demo.tle'), 'utf8'),
);
const stations = join(root, 'tle/data/stations.json');

describe('qkdsat CLI on a file with several sets of one satellite', () => {
  it(
    'passes: no duplicate passes; each from the set nearest its time, with its epoch and age; no ' +
      'warning when fresh',
    () => {
      const r = run(
        'passes',
        '--tle',
        both,
        '--stations',
        stations,
        '--start',
        '2022-08-10T00:00:00Z',
        '--hours',
        '24',
      );
      expect(r.code).toBe(0);
      const passes = JSON.parse(r.out).passes as {
        noradId: number;
        stationId: string;
        aos: string;
        elementSetEpoch: string;
        epochAgeDays: number;
        stale: boolean;
      }[];
      const micius = passes.filter((p) => p.noradId === 41731);
      expect(micius.length).toBeGreaterThan(3);
      const keys = micius.map((p) => `${p.stationId} ${p.aos.slice(0, 15)}`);
      expect(new Set(keys).size).toBe(keys.length);
      expect(new Set(micius.map((p) => p.elementSetEpoch))).toEqual(new Set(['2022-08-09T18:07:24.321Z']));
      expect(passes.every((p) => !p.stale)).toBe(true);
      expect(r.err).not.toMatch(/warning/);
    },
  );
  it('passes: warns on stderr (never stdout) when the sets are stale at the pass time', () => {
    const r = run(
      'passes',
      '--tle',
      join(root, 'tle/data/demo.tle'),
      '--stations',
      stations,
      '--start',
      '2023-08-10T00:00:00Z',
      '--hours',
      '6',
    );
    expect(r.code).toBe(0);
    expect(r.err).toMatch(/warning: .*more than 14 days from their epoch/);
    expect(JSON.parse(r.out).passes[0]).toMatchObject({ stale: true });
  });
  it('simulate --norad picks that satellite among several sets of it', () => {
    const r = run(
      'simulate',
      '--preset',
      'micius-xinglong',
      '--tle',
      both,
      '--station',
      'xinglong',
      '--norad',
      '41731',
      '--from',
      '2022-08-10T00:00:00Z',
    );
    expect(r.code, r.err).toBe(0);
    expect(JSON.parse(r.out).pass).toMatchObject({
      noradId: 41731,
      elementSetEpoch: '2022-08-09T18:07:24.321Z',
      stale: false,
    });
    const missing = run(
      'simulate',
      '--preset',
      'micius-xinglong',
      '--tle',
      both,
      '--station',
      'xinglong',
      '--norad',
      '12345',
    );
    expect(missing.code).toBe(2);
    expect(missing.err).toMatch(/--norad: 12345 is not in/);
  });
  it(
    "plan books only satellites with a QKD terminal (the config's, --terminals FILE, or --all) and " +
      'refuses stale sets unless --allow-stale',
    () => {
      const demo = join(root, 'tle/data/demo.tle');
      const args = [
        'plan',
        '--tle',
        demo,
        '--stations',
        stations,
        '--start',
        '2022-08-10T00:00:00Z',
        '--hours',
        '24',
        '--solver',
        'heuristic',
        '--format',
        'json',
      ];
      const cfg = JSON.parse(run(...args).out);
      expect(new Set(cfg.bookings.map((b: { noradId: number }) => b.noradId))).toEqual(new Set([41731]));
      expect(cfg.bookings[0].elementSetEpoch).toBe('2022-08-09T18:07:24.321Z');
      const file = join(dir, 'terminals.json');
      writeFileSync(file, JSON.stringify({ 25544: 'micius-xinglong' }));
      expect(
        new Set(JSON.parse(run(...args, '--terminals', file).out).bookings.map((b: { noradId: number }) => b.noradId)),
      ).toEqual(new Set([25544]));
      expect(
        new Set(JSON.parse(run(...args, '--all').out).bookings.map((b: { noradId: number }) => b.noradId)).size,
      ).toBeGreaterThan(1);
      const stale = run(
        'plan',
        '--tle',
        demo,
        '--stations',
        stations,
        '--start',
        '2023-08-10T00:00:00Z',
        '--hours',
        '24',
        '--solver',
        'heuristic',
        '--format',
        'json',
      );
      expect(stale.code).toBe(2);
      expect(stale.err).toMatch(/stale|more than 14 days/);
      const allowed = run(
        'plan',
        '--tle',
        demo,
        '--stations',
        stations,
        '--start',
        '2023-08-10T00:00:00Z',
        '--hours',
        '24',
        '--solver',
        'heuristic',
        '--format',
        'json',
        '--allow-stale',
      );
      expect(allowed.code).toBe(0);
      expect(allowed.err).toMatch(/warning/);
    },
  );
});
