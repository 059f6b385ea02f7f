/**
 * One page's worth of GET /v1/passes, computed where the CPU work is done (a compute thread): parse
 * and check the stored element sets, find their passes over the stations (one track per satellite),
 * and serialize each pass to its wire JSON, grouped by satellite in the order given, each group by
 * AOS then station. The request loop then only concatenates strings.
 */
import type { SatelliteFailure } from '../../src/core/passes/index.js';
import { ElementSetSchema } from './element-set.js';
import { passesOf, passToDetailWire, type CatalogPass } from './passes.js';
import type { Station } from './station.js';

export interface PassPageInput {
  setsJson: string[];
  stations: Station[];
  fromMs: number;
  toMs: number;
  minElevationDeg?: number;
  refraction?: boolean;
  staleDays?: number;
}
export interface PassPageOutput {
  sats: { noradId: number; items: string[] }[];
  failures: SatelliteFailure[];
}

export function passPage(input: PassPageInput): PassPageOutput {
  const sets = input.setsJson.map((s) => ElementSetSchema.parse(JSON.parse(s)));
  const r = passesOf(sets, input.stations, input);
  const bySat = new Map<number, CatalogPass[]>();
  for (const p of r.passes) {
    const l = bySat.get(p.noradId);
    if (l) l.push(p);
    else bySat.set(p.noradId, [p]);
  }
  const order = [...new Set(sets.map((es) => es.noradId))];
  return {
    sats: order.map((noradId) => ({
      noradId,
      items: (bySat.get(noradId) ?? [])
        .sort((a, b) => a.aosMs - b.aosMs || a.stationId.localeCompare(b.stationId))
        .map((p) => JSON.stringify(passToDetailWire(p, input.staleDays))),
    })),
    failures: r.failures,
  };
}
