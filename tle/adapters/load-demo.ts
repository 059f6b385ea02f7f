/**
 * Seeds a catalog and station store from the config's files (TLE, OMM JSON/XML/KVN: parseCatalog
 * detects; a stations file; paths as in config/demo.json). Seeding happens once per store: after
 * it, stations and satellites created, edited or deleted through the API are what the store holds
 * across restarts. `reseed` (`npm start -- --reseed`) empties both and seeds them again.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { QkdsatError } from '../../src/core/errors.js';
import { parseCatalog, StationListSchema, type CatalogPort, type StationStorePort } from '../domain/index.js';

export interface DemoFiles {
  tleFiles: string[];
  stationsFile: string;
}

export interface SeedResult {
  seeded: boolean;
  elementSets: number;
  rejected: number;
  stations: number;
}

export async function loadCatalogFiles(
  files: DemoFiles,
  baseDir: string,
  catalog: CatalogPort,
  stations: StationStorePort,
  opts: { reseed?: boolean } = {},
): Promise<SeedResult> {
  if (opts.reseed) {
    await stations.clear();
    await catalog.clear();
  } else if (await stations.seeded()) return { seeded: false, elementSets: 0, rejected: 0, stations: 0 };
  const parsed = StationListSchema.safeParse(JSON.parse(readFileSync(resolve(baseDir, files.stationsFile), 'utf8')));
  if (!parsed.success)
    throw new QkdsatError(
      'VALIDATION',
      `${files.stationsFile}: ${parsed.error.issues[0]!.path.join('.')}: ${parsed.error.issues[0]!.message}`,
    );
  let count = 0,
    rejected = 0;
  for (const f of files.tleFiles) {
    const report = parseCatalog(readFileSync(resolve(baseDir, f), 'utf8'));
    rejected += report.rejected.length;
    for (const es of report.accepted) {
      await catalog.put(es);
      count += 1;
    }
  }
  for (const s of parsed.data) await stations.put(s);
  await stations.markSeeded();
  return { seeded: true, elementSets: count, rejected, stations: parsed.data.length };
}
