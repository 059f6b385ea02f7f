/**
 * The per-pass yield used to weight candidates: the key-rate core's `passYield` (link budget per
 * second + Lim 2014 finite key, preset's protocol, elevation-mask window) on the pass track (5 s steps).
 */
import { LinkTables, type LinkConfig } from '../../src/core/channel/index.js';
import { passYield } from '../../src/core/keyrate/index.js';
import {
  sampleTrack,
  trackSampler,
  type PassSatellite,
  type PassStation,
  type TrackSample,
} from '../../src/core/passes/index.js';
import type { Track } from '../../src/core/passes/track.js';
import { findPreset, PRESETS, type Preset } from '../../src/core/presets/index.js';
import { SkyEphemeris } from '../../src/core/sky/index.js';
import { QkdsatError } from '../../src/core/errors.js';
import { propagatorOf, toPassStation, type ElementSet, type Station } from '../../tle/domain/index.js';
import type { PassYieldBits } from './from-passes.js';

const DEFAULT_PRESET = 'micius-xinglong';
/** Track sampling step; passYield scales its per-slot counts by the step. */
const TRACK_STEP_S = 5;

export function presetFor(presetId: string = DEFAULT_PRESET): Preset {
  const preset = findPreset(presetId);
  if (!preset) {
    throw new QkdsatError(
      'VALIDATION',
      `preset: unknown preset '${presetId}' (known: ${PRESETS.map((p) => p.id).join(', ')})`,
      [{ path: ['preset'], message: 'unknown preset' }],
    );
  }
  return preset;
}

/** Which preset's QKD terminal a satellite carries; undefined when it carries none. */
export type TerminalPresetOf = (noradId: number) => string | undefined;

/** Calibrated links keyed `<noradId>:<stationId>` (docs/physics.md §6.5); they replace the preset's link. */
export type CalibratedLinks = ReadonlyMap<string, LinkConfig>;

/**
 * Finite-key yield of each pass, from its sampled track, with the preset of the satellite's
 * terminal (`presetOf`, or one preset id for every satellite); 0 for a satellite without one.
 * With `window` (the passes' search window), each satellite is propagated once over it and all
 * its passes, over every station, are sampled from that one track. Where a calibrated link exists
 * for the (satellite, station) pair, it is used instead of the preset's.
 */
export function keyRateYield(
  presetOf: string | undefined | TerminalPresetOf,
  sets: readonly ElementSet[],
  stations: readonly Station[],
  window?: { fromMs: number; toMs: number; tracks?: ReadonlyMap<number, Track> },
  calibrated: CalibratedLinks = new Map(),
  tables: LinkTables = new LinkTables(),
): PassYieldBits {
  const lookup: TerminalPresetOf = typeof presetOf === 'function' ? presetOf : () => presetOf ?? DEFAULT_PRESET;
  const presets = new Map<string, Preset>();
  const presetOfSat = (noradId: number): Preset | undefined => {
    const id = lookup(noradId);
    if (id === undefined) return undefined;
    let p = presets.get(id);
    if (!p) presets.set(id, (p = presetFor(id)));
    return p;
  };
  type Sample = (site: PassStation, aosMs: number, losMs: number) => TrackSample[];
  const sats = new Map<number, Sample>();
  const sky = new SkyEphemeris();
  for (const es of sets) {
    const p = propagatorOf(es);
    if (!p.ok) continue;
    const sat: PassSatellite = { noradId: es.noradId, propagator: p.propagator };
    // Built on first use: by then the pass finder has handed over its track (window.tracks), if any.
    let shared: ReturnType<typeof trackSampler> | undefined;
    sats.set(
      es.noradId,
      window
        ? (site, aosMs, losMs) =>
            (shared ??= trackSampler(sat, window.fromMs, window.toMs, window.tracks?.get(es.noradId)))(
              site,
              aosMs,
              losMs,
              TRACK_STEP_S,
              { sky },
            )
        : (site, aosMs, losMs) => sampleTrack(sat, site, aosMs, losMs, TRACK_STEP_S, { sky }),
    );
  }
  const sites = new Map<string, PassStation>(stations.map((s) => [s.id, toPassStation(s)]));
  return (pass) => {
    const sample = sats.get(pass.noradId),
      site = sites.get(pass.stationId),
      preset = presetOfSat(pass.noradId);
    if (!sample || !site || !preset) return 0;
    const link = calibrated.get(`${pass.noradId}:${pass.stationId}`);
    return passYield(sample(site, pass.aosMs, pass.losMs), link ? { ...preset, link } : preset, tables).secureBits;
  };
}
