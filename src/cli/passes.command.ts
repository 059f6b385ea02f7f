/**
 * `qkdsat passes --tle FILE --stations FILE --start ISO --hours N [--min-elevation DEG]
 * [--format json|table]`: every pass of every element set over every station, sorted by AOS.
 */
import cliProgress from 'cli-progress';
import type { Command } from 'commander';
import { z } from 'zod';
import { parseIso } from '../core/time/index.js';
import { parseCatalog, passesOf, passToWire, StationSchema, type ParseReport } from '../../tle/domain/index.js';
import { parseNumberOption, readJsonFile, readTextFile, runCommand, UsageError, writeJson, warnStale } from './run.js';

const MAX_HOURS = 31 * 24;

/** TLE, OMM JSON, OMM XML or OMM KVN: detected by the same function as the HTTP upload. */
const readElementSets = (path: string): ParseReport => parseCatalog(readTextFile(path, '--tle'));

function failOnRejected(path: string, report: ParseReport): void {
  if (report.rejected.length === 0 && report.accepted.length > 0) return;
  if (report.accepted.length === 0 && report.rejected.length === 0)
    throw new UsageError(`--tle: ${path} holds no element sets`);
  const lines = report.rejected.slice(0, 20).flatMap((record) =>
    record.issues.map((issue) => {
      const where = issue.line ? `:${issue.line}${issue.column ? `:${issue.column}` : ''}` : '';
      const field = issue.path ? ` ${issue.path.join('.')}` : '';
      return `  ${path}${where}${field}: ${issue.code}: ${issue.message}`;
    }),
  );
  throw new UsageError(`--tle: ${report.rejected.length} bad record(s) in ${path}:\n${lines.join('\n')}`);
}

function table(rows: ReturnType<typeof passToWire>[]): string {
  const head = [
    'noradId',
    'station',
    'aos',
    'tca',
    'los',
    'maxEl',
    'aosAz',
    'losAz',
    'minRangeKm',
    'sunEl',
    'sunlit',
    'moonSep',
    'clipped',
  ];
  const body = rows.map((p) => [
    String(p.noradId),
    p.stationId,
    p.aos,
    p.tca,
    p.los,
    p.maxElevationDeg.toFixed(2),
    p.aosAzimuthDeg.toFixed(1),
    p.losAzimuthDeg.toFixed(1),
    p.minRangeKm.toFixed(1),
    p.sunElevationDegAtTca.toFixed(1),
    p.satelliteSunlitAtTca ? 'yes' : 'no',
    p.moonSeparationDegAtTca.toFixed(1),
    p.clipped ? 'yes' : '',
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((r) => r[i]!.length)));
  return (
    [head, ...body]
      .map((r) =>
        r
          .map((c, i) => c.padEnd(widths[i]!))
          .join('  ')
          .trimEnd(),
      )
      .join('\n') + '\n'
  );
}

export function registerPasses(program: Command): void {
  program
    .command('passes')
    .description('Passes of satellites over optical ground stations (AOS/TCA/LOS, max elevation, Sun, Moon)')
    .requiredOption('--tle <file>', 'TLE text (2- or 3-line), OMM JSON, OMM XML or OMM KVN file (detected)')
    .requiredOption(
      '--stations <file>',
      'JSON array of { id, name, latitudeDeg, longitudeDeg, altitudeM, minElevationDeg? }',
    )
    .requiredOption('--start <iso>', 'window start, ISO-8601 with zone, e.g. 2022-08-10T00:00:00Z')
    .requiredOption('--hours <n>', `window length in hours (0 < n <= ${MAX_HOURS})`)
    .option('--min-elevation <deg>', 'elevation mask for every station (overrides the stations file)')
    .option('--format <format>', 'json or table', 'json')
    .action(
      (o: { tle: string; stations: string; start: string; hours: string; minElevation?: string; format: string }) =>
        runCommand(() => {
          if (o.format !== 'json' && o.format !== 'table')
            throw new UsageError(`--format: expected json or table, got '${o.format}'`);
          const fromMs = parseIso(o.start);
          if (Number.isNaN(fromMs))
            throw new UsageError(
              `--start: expected ISO-8601 with a zone (e.g. 2022-08-10T00:00:00Z), got '${o.start}'`,
            );
          const hours = parseNumberOption(
            o.hours,
            '--hours',
            (n) => n > 0 && n <= MAX_HOURS,
            `a number of hours in (0, ${MAX_HOURS}]`,
          );
          const minElevationDeg =
            o.minElevation === undefined
              ? undefined
              : parseNumberOption(o.minElevation, '--min-elevation', (n) => n >= 0 && n <= 90, 'degrees in [0, 90]');
          const stations = readJsonFile(o.stations, '--stations', z.array(StationSchema).min(1));
          const dup = stations.find((s, i) => stations.findIndex((t) => t.id === s.id) !== i);
          if (dup) throw new UsageError(`--stations: duplicate station id '${dup.id}'`);
          const report = readElementSets(o.tle);
          failOnRejected(o.tle, report);
          const showBar = process.stderr.isTTY && !(o.format === 'json' && !process.stdout.isTTY);
          const bar = showBar
            ? new cliProgress.SingleBar(
                { stream: process.stderr, format: 'passes [{bar}] {value}/{total} satellites' },
                cliProgress.Presets.shades_classic,
              )
            : undefined;
          bar?.start(report.accepted.length, 0);
          const r = passesOf(report.accepted, stations, {
            fromMs,
            toMs: fromMs + hours * 3_600_000,
            ...(minElevationDeg !== undefined ? { minElevationDeg } : {}),
            ...(bar ? { onProgress: (done: number) => bar.update(done) } : {}),
          });
          bar?.stop();
          for (const failure of r.failures)
            process.stderr.write(
              `qkdsat: warning: satellite ${failure.noradId}: SGP4 failed at ` +
                `${new Date(failure.atMs).toISOString()}: ${failure.reason} (passes end there)\n`,
            );
          const passes = r.passes.map((p) => passToWire(p));
          warnStale(passes);
          if (o.format === 'json') writeJson({ passes });
          else process.stdout.write(table(passes));
        }),
    );
}
