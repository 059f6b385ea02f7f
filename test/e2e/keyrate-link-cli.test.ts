/** CLI contracts of `qkdsat keyrate` and `qkdsat link` (issue 3): JSON output and exit code 2 on bad input. */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));
const fixture = (p: string) => join(root, 'test/fixtures', p);
const dir = mkdtempSync(join(tmpdir(), 'qkdsat-cli-'));
const file = (name: string, content: string) => {
  const p = join(dir, name);
  writeFileSync(p, content);
  return p;
};
const run = (...args: string[]) => {
  const r = spawnSync(process.execPath, [join(root, 'bin/qkdsat.js'), ...args], { cwd: root, encoding: 'utf8' });
  return { code: r.status, out: r.stdout, err: r.stderr };
};

const SATQUMA = {
  repetitionRateHz: 1e8,
  basisProbabilityX: 0.7611,
  intensities: [0.7921, 0.1707, 0],
  intensityProbabilities: [0.7501, 0.1749, 0.075],
  extraneousCountProbability: 1e-8,
  afterpulseProbability: 1e-3,
  intrinsicQber: 1e-3,
  epsilonCorrectness: 1e-15,
  epsilonSecrecy: 1e-9,
  errorCorrection: { method: 'fixed-efficiency', efficiency: 1.16 },
  statistics: 'chernoff',
  window: { halfWidthS: 220 },
  minElevationDeg: 10,
  excessLossDb: 0,
  optimise: false,
};

describe('qkdsat keyrate', () => {
  it('reproduces the SatQuMA vector ℓ = 4,700,176 with the documented JSON fields', () => {
    const r = run(
      'keyrate',
      '--loss',
      fixture('satquma/FS_loss_XI0.csv'),
      '--protocol',
      file('p.json', JSON.stringify(SATQUMA)),
      '--format',
      'json',
    );
    expect(r.code).toBe(0);
    const j = JSON.parse(r.out);
    expect(j.secureKeyBits).toBe(4_700_176);
    for (const k of [
      'qberX',
      'phaseErrorX',
      'nX',
      'nZ',
      'mX',
      'lambdaEcBits',
      'sX0',
      'sX1',
      'vZ1',
      'sZ1',
      'window',
      'protocol',
    ])
      expect(j).toHaveProperty(k);
    expect(j.window).toMatchObject({ startS: 220, endS: -220 });
  });
  it('takes the protocol from a preset, with --protocol fields overriding it', () => {
    const r = run(
      'keyrate',
      '--loss',
      fixture('satquma/FS_loss_XI0.csv'),
      '--preset',
      'micius-xinglong',
      '--protocol',
      file('o.json', '{"excessLossDb": 3}'),
    );
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out).protocol.intensities).toEqual([0.8, 0.1, 0]);
  });
  it.each([
    ['probabilities not summing to 1', { intensityProbabilities: [0.5, 0.3, 0.3] }, /intensityProbabilities/],
    ['μ1 <= μ2 + μ3', { intensities: [0.3, 0.2, 0.15] }, /μ1 must be > μ2 \+ μ3/],
    ['negative excess loss', { excessLossDb: -1 }, /excessLossDb/],
  ])('rejects %s with exit 2 naming the field', (_name, patch, message) => {
    const r = run(
      'keyrate',
      '--loss',
      fixture('satquma/FS_loss_XI0.csv'),
      '--protocol',
      file('bad.json', JSON.stringify({ ...SATQUMA, ...patch })),
    );
    expect(r.code).toBe(2);
    expect(r.err).toMatch(message);
  });
  it('rejects a malformed CSV row with exit 2 naming the line', () => {
    const r = run(
      'keyrate',
      '--loss',
      file('bad.csv', '# t,el,eff\n1,0.5,1e-4\n0,abc,1e-4\n'),
      '--protocol',
      file('p2.json', JSON.stringify(SATQUMA)),
    );
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/line 3/);
    expect(r.err).toMatch(/elevation_rad/);
  });
});

describe('qkdsat link', () => {
  it('prints the LinkBudget with every term as positive dB', () => {
    const r = run('link', '--preset', 'micius-xinglong', '--range-km', '645', '--elevation-deg', '49');
    expect(r.code).toBe(0);
    const b = JSON.parse(r.out);
    for (const k of ['geometricDb', 'atmosphereDb', 'pointingDb', 'opticsDb', 'systemDb', 'detectorDb', 'totalDb'])
      expect(b[k]).toBeGreaterThanOrEqual(0);
  });
  it('reads a config with a MODTRAN table atmosphere and writes the loss CSV for a geometry', () => {
    const cfg = file(
      'link.json',
      JSON.stringify({
        wavelengthNm: 810,
        transmitter: { apertureRadiusM: 0.05, beamWaistM: 0.045, pointingJitterRad: 1e-6, opticsEfficiency: 0.8 },
        receiver: { apertureRadiusM: 0.35, opticsEfficiency: 0.5, altitudeM: 0 },
        atmosphere: {
          model: 'table',
          file: fixture('satquma/MODTRAN_wl_785.0-850.0-5.0nm_h1_500.0km_h0_0.0km_elevation_data.csv'),
          wavelengthNm: 810,
        },
        systemLossDb: 0,
        detector: { efficiency: 0.5 },
      }),
    );
    const one = run('link', '--config', cfg, '--range-km', '500', '--elevation-deg', '90');
    expect(one.code).toBe(0);
    expect(JSON.parse(one.out).atmosphereDb).toBeCloseTo(-10 * Math.log10(0.814), 1);
    const geo = file('geo.csv', 'time_s,elevation_rad,range_km\n-1,1.5,510\n0,1.5708,500\n1,1.5,510\n');
    const r = run('link', '--config', cfg, '--geometry', geo);
    expect(r.code).toBe(0);
    const rows = r.out
      .trim()
      .split('\n')
      .filter((l) => !l.startsWith('#'));
    expect(rows).toHaveLength(3);
    expect(Number(rows[1]!.split(',')[2])).toBeGreaterThan(0);
  });
  it('exits 2 on a bad range, a bad config field and a malformed geometry row', () => {
    expect(run('link', '--preset', 'micius-xinglong', '--range-km', '-3', '--elevation-deg', '40').code).toBe(2);
    const bad = run(
      'link',
      '--config',
      file('badcfg.json', '{"wavelengthNm": 810}'),
      '--range-km',
      '500',
      '--elevation-deg',
      '40',
    );
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/transmitter/);
    const g = run('link', '--preset', 'micius-xinglong', '--geometry', file('g.csv', '0,1.2,500\n1,x,510\n'));
    expect(g.code).toBe(2);
    expect(g.err).toMatch(/line 2/);
  });
});

describe('qkdsat simulate', () => {
  const micius = file('micius.tle', readFileSync(join(root, 'test/fixtures/history/micius-2021.tle'), 'utf8'));
  const stations = file(
    'stations.json',
    JSON.stringify([
      {
        id: 'xinglong',
        name: 'Xinglong',
        latitudeDeg: 40.3958,
        longitudeDeg: 117.575,
        altitudeM: 960,
        minElevationDeg: 10,
      },
    ]),
  );
  it('simulates the pass at --pass-aos: night pass gives key, seeded Monte-Carlo is reproducible', () => {
    const args = [
      'simulate',
      '--preset',
      'micius-xinglong',
      '--tle',
      micius,
      '--station',
      'xinglong',
      '--stations',
      stations,
      '--pass-aos',
      '2021-04-28T16:07:40Z',
      '--monte-carlo',
      '20',
      '--seed',
      '3',
    ];
    const a = run(...args);
    expect(a.code).toBe(0);
    const j = JSON.parse(a.out);
    expect(j.pass.noradId).toBe(41731);
    expect(j.key.secureKeyBits).toBeGreaterThan(0);
    expect(JSON.parse(run(...args).out).monteCarlo).toEqual(j.monteCarlo);
  });
  it('a daylight pass gives no key (sky background drives the QBER to 1/2)', () => {
    const r = run(
      'simulate',
      '--preset',
      'micius-xinglong',
      '--tle',
      micius,
      '--station',
      'xinglong',
      '--stations',
      stations,
      '--pass-aos',
      '2021-04-28T03:06:29Z',
    );
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out).key.secureKeyBits).toBe(0);
  });
  it('exits 2 for an unknown station or a pass that does not exist', () => {
    expect(
      run('simulate', '--preset', 'micius-xinglong', '--tle', micius, '--station', 'nowhere', '--stations', stations)
        .code,
    ).toBe(2);
    expect(
      run(
        'simulate',
        '--preset',
        'micius-xinglong',
        '--tle',
        micius,
        '--station',
        'xinglong',
        '--stations',
        stations,
        '--pass-aos',
        '2021-04-28T10:00:00Z',
      ).code,
    ).toBe(2);
  });
});
