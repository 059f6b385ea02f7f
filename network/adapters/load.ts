/**
 * Reads a network config and everything it names (stations, element sets, the shipped
 * climatology) and resolves the satellites: catalogued ones, field presets and Walker-delta
 * constellations, each with its terminal (preset, buffer, key lifetime).
 */
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { QkdsatError } from '../../src/core/errors.js';
import { parseCatalog, StationListSchema, type ElementSet, type Station } from '../../tle/domain/index.js';
import {
  elementSetOf,
  NetworkConfigSchema,
  presetOrbit,
  SATELLITE_PRESETS,
  walkerDelta,
  type NetworkConfig,
  type Terminal,
} from '../domain/index.js';

const here = dirname(fileURLToPath(import.meta.url));
const CLIMATOLOGY_FILE = resolve(here, '../data/climatology.json');

const ClimatologyFileSchema = z.object({
  stations: z.record(z.string(), z.object({ clearNight: z.array(z.number().min(0).max(1)).length(12) })),
});

export interface LoadedNetwork {
  config: NetworkConfig;
  stations: (Station & { clearNight: number[] })[];
  sets: ElementSet[];
  terminals: Map<number, Terminal>;
}

const invalid = (path: (string | number)[], message: string) =>
  new QkdsatError('VALIDATION', `${path.join('.')}: ${message}`, [{ path, message }]);

function readText(path: string, field: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (e) {
    throw invalid([field], `cannot read ${path}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
}

function parseNetworkConfig(raw: unknown): NetworkConfig {
  const r = NetworkConfigSchema.safeParse(raw);
  if (!r.success) {
    const i = r.error.issues[0]!;
    throw invalid(['config', ...i.path.map((p) => (typeof p === 'symbol' ? String(p) : p))], i.message);
  }
  return r.data;
}

export function readNetworkConfigFile(path: string): { config: NetworkConfig; baseDir: string } {
  let raw: unknown;
  try {
    raw = JSON.parse(readText(path, 'config'));
  } catch (e) {
    if (e instanceof QkdsatError) throw e;
    throw invalid(['config'], `${path} is not valid JSON: ${(e as Error).message}`);
  }
  return { config: parseNetworkConfig(raw), baseDir: dirname(resolve(path)) };
}

/** Resolves a parsed config against `baseDir` (file paths) at `epochMs` (generated orbits). */
export function loadNetwork(config: NetworkConfig, baseDir: string, epochMs: number): LoadedNetwork {
  const stationList =
    config.stations ??
    StationListSchema.parse(JSON.parse(readText(resolve(baseDir, config.stationsFile!), 'stationsFile')));
  const clim =
    config.climatology === 'demo'
      ? ClimatologyFileSchema.parse(JSON.parse(readText(CLIMATOLOGY_FILE, 'climatology'))).stations
      : config.climatology === 'stations'
        ? {}
        : Object.fromEntries(Object.entries(config.climatology).map(([k, v]) => [k, { clearNight: v }]));
  const stations = stationList.map((s, i) => {
    const clearNight = clim[s.id]?.clearNight ?? s.clearSky;
    if (!clearNight) throw invalid(['stations', i, 'clearSky'], `no climatology for station '${s.id}'`);
    return { ...s, clearNight, clearSky: clearNight };
  });
  const ids = new Set(stations.map((s) => s.id));
  config.demand.pairs.forEach((p, i) => {
    for (const end of ['a', 'b'] as const)
      if (!ids.has(p[end])) throw invalid(['demand', 'pairs', i, end], `unknown station '${p[end]}'`);
    if (p.a === p.b) throw invalid(['demand', 'pairs', i, 'b'], 'a pair needs two different stations');
  });
  for (const g of Object.keys(config.demand.stations))
    if (!ids.has(g)) throw invalid(['demand', 'stations', g], `unknown station '${g}'`);
  const catalog = new Map<number, ElementSet>();
  for (const f of config.tleFiles)
    for (const es of parseCatalog(readText(resolve(baseDir, f), 'tleFiles')).accepted) {
      const cur = catalog.get(es.noradId);
      if (!cur || cur.epochMs < es.epochMs) catalog.set(es.noradId, es);
    }
  const sets: ElementSet[] = [];
  const terminals = new Map<number, Terminal>();
  const add = (es: ElementSet, t: Terminal, path: (string | number)[]) => {
    if (terminals.has(es.noradId)) throw invalid(path, `satellite ${es.noradId} is listed twice`);
    sets.push(es);
    terminals.set(es.noradId, t);
  };
  config.satellites.forEach((s, i) => {
    const t: Terminal = { preset: s.preset, bufferBits: s.bufferBits, keyLifetimeHours: s.keyLifetimeHours };
    if (s.noradId !== undefined) {
      const es = catalog.get(s.noradId);
      if (!es) throw invalid(['satellites', i, 'noradId'], `satellite ${s.noradId} is not in tleFiles`);
      add(es, t, ['satellites', i, 'noradId']);
    } else {
      const p = SATELLITE_PRESETS.find((x) => x.id === s.constellationPreset);
      if (!p)
        throw invalid(
          ['satellites', i, 'constellationPreset'],
          `unknown preset (known: ${SATELLITE_PRESETS.map((x) => x.id).join(', ')})`,
        );
      add(elementSetOf(presetOrbit(p, epochMs), epochMs), t, ['satellites', i, 'constellationPreset']);
    }
  });
  config.walker.forEach((w, i) => {
    for (const o of walkerDelta(w.pattern, w.altitudeKm, w.firstNoradId))
      add(
        elementSetOf(o, epochMs),
        { preset: w.preset, bufferBits: w.bufferBits, keyLifetimeHours: w.keyLifetimeHours },
        ['walker', i],
      );
  });
  if (!sets.length) throw invalid(['satellites'], 'no satellite with a QKD terminal');
  return { config, stations, sets, terminals };
}
