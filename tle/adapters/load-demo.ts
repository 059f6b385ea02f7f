/** Loads catalog files (TLE, OMM JSON/XML/KVN: parseCatalog detects) and a stations file (paths as in config/demo.json) into a catalog and station store. */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { QkdsatError } from '../../src/core/errors.js';
import { parseCatalog, StationListSchema, type CatalogPort, type StationStorePort } from '../domain/index.js';

export interface DemoFiles { tleFiles: string[]; stationsFile: string }

export async function loadCatalogFiles(files: DemoFiles, baseDir: string, catalog: CatalogPort, stations: StationStorePort): Promise<{ elementSets: number; rejected: number; stations: number }> {
  let count = 0, rejected = 0;
  for (const f of files.tleFiles) {
    const report = parseCatalog(readFileSync(resolve(baseDir, f), 'utf8'));
    rejected += report.rejected.length;
    for (const es of report.accepted) { await catalog.put(es); count += 1; }
  }
  const parsed = StationListSchema.safeParse(JSON.parse(readFileSync(resolve(baseDir, files.stationsFile), 'utf8')));
  if (!parsed.success) throw new QkdsatError('VALIDATION', `${files.stationsFile}: ${parsed.error.issues[0]!.path.join('.')}: ${parsed.error.issues[0]!.message}`);
  for (const s of parsed.data) await stations.put(s);
  return { elementSets: count, rejected, stations: parsed.data.length };
}
