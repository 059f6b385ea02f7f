/**
 * `qkdsat simulate --preset NAME --tle FILE --station ID [--pass-aos ISO | --from ISO] [--stations FILE]
 * [--norad ID] [--optimise] [--monte-carlo N --seed S]`: finds the pass (the one whose AOS is within
 * 2 min of --pass-aos, or the next one after --from / now), samples it every second and prints the
 * whole-pass finite key with the link budget behind it.
 */
import type { Command } from 'commander';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { normalisationOf } from '../core/channel/index.js';
import { simulatePass } from '../core/keyrate/index.js';
import { PRESETS } from '../core/presets/index.js';
import { parseIso, toIso } from '../core/time/index.js';
import { keyResultToWire } from '../api/simulations.schemas.js';
import { parseCatalog, passesOf, passToWire, StationSchema } from '../../tle/domain/index.js';
import { passTrackAt } from '../../tle/domain/pass-track.js';
import { presetOption } from './options.js';
import { parseNumberOption, readJsonFile, readTextFile, runCommand, UsageError, warnStale, writeJson } from './run.js';

const DEFAULT_STATIONS = fileURLToPath(new URL('../../tle/data/stations.json', import.meta.url));

export function registerSimulate(program: Command): void {
  program
    .command('simulate')
    .description('Simulate one pass: per-second link budget and whole-pass finite key (Lim 2014)')
    .requiredOption('--preset <name>', `preset (${PRESETS.map((p) => p.id).join(', ')})`)
    .requiredOption('--tle <file>', 'TLE, OMM JSON, OMM XML or OMM KVN file (detected)')
    .requiredOption('--station <id>', 'station id')
    .option('--stations <file>', 'stations JSON (default: tle/data/stations.json)')
    .option('--pass-aos <iso>', 'AOS of the pass (within 2 min)')
    .option('--from <iso>', 'without --pass-aos: the next pass after this instant (default now)')
    .option('--norad <id>', 'NORAD id when the TLE file holds several satellites')
    .option('--optimise', 'optimise the protocol for this pass', false)
    .option('--monte-carlo <n>', 'seeded Monte-Carlo draws (turbulence fading)')
    .option('--seed <n>', 'Monte-Carlo seed', '1')
    .action(
      (o: {
        preset: string;
        tle: string;
        station: string;
        stations?: string;
        passAos?: string;
        from?: string;
        norad?: string;
        optimise: boolean;
        monteCarlo?: string;
        seed: string;
      }) =>
        runCommand(() => {
          const preset = presetOption(o.preset);
          const report = parseCatalog(readTextFile(o.tle, '--tle'));
          if (report.accepted.length === 0)
            throw new UsageError(
              `--tle: ${o.tle} holds no valid element set` +
                `${report.rejected[0] ? ` (${report.rejected[0].issues[0]?.message ?? ''})` : ''}`,
            );
          const norad =
            o.norad === undefined
              ? undefined
              : parseNumberOption(o.norad, '--norad', (n) => Number.isInteger(n) && n > 0, 'a NORAD id');
          const sets = norad === undefined ? report.accepted : report.accepted.filter((e) => e.noradId === norad);
          const sats = new Set(sets.map((e) => e.noradId));
          if (sats.size !== 1)
            throw new UsageError(
              norad === undefined
                ? `--tle: ${o.tle} holds ${sats.size} satellites; choose one with --norad`
                : `--norad: ${norad} is not in ${o.tle} ` +
                    `(it holds ${[...new Set(report.accepted.map((e) => e.noradId))].join(', ')})`,
            );
          // Several sets of the satellite: the one whose epoch is nearest the time asked for (as REST and passes do).
          const at =
            o.passAos !== undefined ? parseIso(o.passAos) : o.from !== undefined ? parseIso(o.from) : Date.now();
          const es = [...sets].sort((a, b) => Math.abs(a.epochMs - at) - Math.abs(b.epochMs - at))[0]!;
          const stations = readJsonFile(o.stations ?? DEFAULT_STATIONS, '--stations', z.array(StationSchema).min(1));
          const station = stations.find((s) => s.id === o.station);
          if (!station)
            throw new UsageError(
              `--station: unknown station '${o.station}' (known: ${stations.map((s) => s.id).join(', ')})`,
            );
          let found: ReturnType<typeof passTrackAt>;
          if (o.passAos !== undefined) {
            const aos = parseIso(o.passAos);
            if (Number.isNaN(aos))
              throw new UsageError(`--pass-aos: expected ISO-8601 with a zone, got '${o.passAos}'`);
            try {
              found = passTrackAt(es, station, aos);
            } catch (e) {
              throw new UsageError(`--pass-aos: ${(e as Error).message}`);
            }
          } else {
            const fromMs = o.from === undefined ? Date.now() : parseIso(o.from);
            if (Number.isNaN(fromMs)) throw new UsageError(`--from: expected ISO-8601 with a zone, got '${o.from}'`);
            const next = passesOf([es], [station], { fromMs, toMs: fromMs + 7 * 86_400_000 }).passes.find(
              (p) => !p.clippedAtStart,
            );
            if (!next)
              throw new UsageError(`no pass of ${es.noradId} over ${station.id} in the 7 days after ${toIso(fromMs)}`);
            found = passTrackAt(es, station, next.aosMs);
          }
          const { pass, track } = found;
          const wirePass = passToWire(pass);
          warnStale([wirePass]);
          const draws =
            o.monteCarlo === undefined
              ? 0
              : parseNumberOption(
                  o.monteCarlo,
                  '--monte-carlo',
                  (n) => Number.isInteger(n) && n >= 1 && n <= 10_000,
                  'an integer in [1, 10000]',
                );
          const seed = parseNumberOption(o.seed, '--seed', Number.isInteger, 'an integer');
          const sim = simulatePass(track, preset, {
            window: 'optimal',
            optimise: o.optimise,
            ...(draws ? { monteCarlo: { draws, seed } } : {}),
          });
          writeJson({
            pass: wirePass,
            preset: preset.id,
            normalisation: normalisationOf(preset.link),
            samples: track.length,
            key: keyResultToWire(sim.key),
            siftedBits: sim.siftedBits,
            durationS: sim.durationS,
            minLossDb: sim.minLossDb,
            ...(sim.monteCarlo ? { monteCarlo: sim.monteCarlo } : {}),
          });
        }),
    );
}
