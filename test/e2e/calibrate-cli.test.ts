/** CLI contract of `qkdsat calibrate` (docs/physics.md §6) and `keyrate ... optimisation` output. */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'qkdsat-cal-'));
const measured = join(root, 'test/fixtures/micius/micius2017_measured_loss.csv');
const run = (...args: string[]) => {
  const r = spawnSync(process.execPath, [join(root, 'bin/qkdsat.js'), ...args], { cwd: root, encoding: 'utf8' });
  return { code: r.status, out: r.stdout, err: r.stderr };
};

describe('qkdsat calibrate', () => {
  it(
    'fits, reports values with standard errors, χ² and elevation bins, and --out writes a link --config ' +
      'that names its data',
    () => {
      const out = join(dir, 'calibrated.json');
      const r = run(
        'calibrate',
        '--measured',
        measured,
        '--preset',
        'micius-xinglong',
        '--fit',
        'opticsEfficiency,aerosolOpticalDepth',
        '--out',
        out,
      );
      expect(r.code).toBe(0);
      const j = JSON.parse(r.out);
      expect(j.normalisation).toBe('emitted');
      expect(j.parameters.map((p: { name: string }) => p.name)).toEqual(['opticsEfficiency', 'aerosolOpticalDepth']);
      expect(j.parameters[0].standardError).toBeGreaterThan(0);
      expect(j.rmsResidualDb).toBeLessThan(1.2);
      expect(j.residualsByElevation.length).toBeGreaterThan(2);
      const cfg = JSON.parse(readFileSync(out, 'utf8'));
      expect(cfg.calibration.data).toBe('micius2017_measured_loss.csv');
      const link = run('link', '--config', out, '--range-km', '800', '--elevation-deg', '35');
      expect(link.code).toBe(0);
      expect(JSON.parse(link.out).normalisation).toBe('emitted');
    },
  );
  it('exits 2 naming the problem: unknown parameter, sec-law parameter on a table link, bad row', () => {
    const bad = run(
      'calibrate',
      '--measured',
      measured,
      '--preset',
      'micius-xinglong',
      '--fit',
      'opticsEfficiency,warpFactor',
    );
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/--fit: unknown fit parameter 'warpFactor'/);
    const noPreset = run('calibrate', '--measured', measured);
    expect(noPreset.code).toBe(2);
    const rows = run(
      'calibrate',
      '--measured',
      join(root, 'test/fixtures/satquma/FS_loss_XI0.csv'),
      '--preset',
      'micius-xinglong',
    );
    expect(rows.code).toBe(2);
    expect(rows.err).toMatch(/--measured: .* line \d+/);
  });
});

describe('qkdsat keyrate --format json with optimise', () => {
  it('adds optimisation { evaluations, timeMs }, and leaves it out when the optimiser did not run', () => {
    const p = join(dir, 'opt.json');
    writeFileSync(p, JSON.stringify({ optimise: true }));
    const loss = join(root, 'test/fixtures/satquma/FS_loss_XI0.csv');
    const r = run('keyrate', '--loss', loss, '--preset', 'generic-500km-810nm', '--protocol', p, '--format', 'json');
    expect(r.code).toBe(0);
    const j = JSON.parse(r.out);
    expect(j.optimisation.evaluations).toBeGreaterThan(100);
    expect(j.optimisation.timeMs).toBeGreaterThan(0);
    expect(j.secureKeyBits).toBeGreaterThan(4_700_176);
    expect(
      JSON.parse(run('keyrate', '--loss', loss, '--preset', 'generic-500km-810nm').out).optimisation,
    ).toBeUndefined();
  });
});
