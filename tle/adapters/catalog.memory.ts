/** In-memory catalog and station store (CLI, tests). Same contract as the Redis ones. */
import type { CatalogPort, ElementSet, Station, StationStorePort } from '../domain/index.js';

export class MemoryCatalog implements CatalogPort {
  private readonly current = new Map<number, ElementSet>();
  private readonly hist = new Map<number, Map<number, ElementSet>>();

  async put(es: ElementSet): Promise<{ current: boolean }> {
    let h = this.hist.get(es.noradId);
    if (!h) this.hist.set(es.noradId, (h = new Map()));
    h.set(es.epochMs, es);
    const cur = this.current.get(es.noradId);
    if (cur && cur.epochMs > es.epochMs) return { current: false };
    this.current.set(es.noradId, es);
    return { current: true };
  }
  async get(noradId: number) { return this.current.get(noradId); }
  async history(noradId: number, limit = 100) {
    return [...(this.hist.get(noradId)?.values() ?? [])].sort((a, b) => a.epochMs - b.epochMs).slice(-limit);
  }
  async list() { return [...this.current.values()].sort((a, b) => a.noradId - b.noradId); }
}

export class MemoryStationStore implements StationStorePort {
  private readonly map = new Map<string, Station>();
  async put(s: Station) { const created = !this.map.has(s.id); this.map.set(s.id, s); return { created }; }
  async get(id: string) { return this.map.get(id); }
  async delete(id: string) { return this.map.delete(id); }
  async list() { return [...this.map.values()].sort((a, b) => a.id.localeCompare(b.id)); }
}
