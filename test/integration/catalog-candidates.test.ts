import { describe, expect, it } from 'vitest';
import { MemoryCatalog, MemoryStationStore } from '../../tle/adapters/catalog.memory.js';
import { loadCatalogFiles } from '../../tle/adapters/load-demo.js';
import { catalogCandidateSource } from '../../scheduler/adapters/catalog-source.js';
import { SchedulerSettingsSchema, terminalPresetOf } from '../../scheduler/adapters/settings.js';

const day = Date.parse('2022-08-10T00:00:00Z');

describe('candidates from the catalog', () => {
  it('only satellites with a QKD terminal become candidates; without the map every satellite does', async () => {
    const catalog = new MemoryCatalog(),
      stations = new MemoryStationStore();
    await loadCatalogFiles(
      { tleFiles: ['tle/data/demo.tle'], stationsFile: 'tle/data/stations.json' },
      process.cwd(),
      catalog,
      stations,
    );
    const withMap = SchedulerSettingsSchema.parse({ terminals: { 41731: 'micius-xinglong' } });
    const micius = await catalogCandidateSource(catalog, stations, terminalPresetOf(withMap))(day, day + 86_400_000);
    expect(micius.length).toBeGreaterThan(0);
    expect(new Set(micius.map((c) => c.noradId))).toEqual(new Set([41731]));
    const everyone = await catalogCandidateSource(
      catalog,
      stations,
      terminalPresetOf(SchedulerSettingsSchema.parse({})),
    )(day, day + 86_400_000);
    expect(new Set(everyone.map((c) => c.noradId)).size).toBeGreaterThan(3);
  });

  it('rejects an unknown preset or a malformed NORAD number in the settings, naming the field', () => {
    const bad = SchedulerSettingsSchema.safeParse({ terminals: { 41731: 'no-such-preset', abc: 'micius-xinglong' } });
    expect(bad.success).toBe(false);
    const paths = bad.error!.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    expect(paths.some((p) => p.startsWith('terminals.41731: unknown preset'))).toBe(true);
    expect(paths.some((p) => p.startsWith('terminals.abc: '))).toBe(true);
  });
});
