/** In-memory catalog and station store (CLI, tests). Same contract as the Redis ones. */
import type { CatalogPort, ElementSet, Station, StationStorePort } from '../domain/index.js';

export class MemoryCatalog implements CatalogPort {
  private readonly current = new Map<number, ElementSet>();
  private readonly hist = new Map<number, Map<number, ElementSet>>();
  private changes = 0;

  async put(es: ElementSet): Promise<{ current: boolean }> {
    let h = this.hist.get(es.noradId);
    if (!h) this.hist.set(es.noradId, (h = new Map()));
    h.set(es.epochMs, es);
    const cur = this.current.get(es.noradId);
    if (cur && cur.epochMs > es.epochMs) return { current: false };
    this.current.set(es.noradId, es);
    this.changes += 1;
    return { current: true };
  }
  async page(after: number | undefined, limit: number, ids?: readonly number[]) {
    const wanted = ids ? new Set(ids) : undefined;
    return (await this.list())
      .filter((es) => (after === undefined || es.noradId > after) && (!wanted || wanted.has(es.noradId)))
      .slice(0, limit);
  }
  async pageJson(after: number | undefined, limit: number, ids?: readonly number[]) {
    return (await this.page(after, limit, ids)).map((es) => JSON.stringify(es));
  }
  async delete(noradId: number) {
    this.hist.delete(noradId);
    const had = this.current.delete(noradId);
    if (had) this.changes += 1;
    return had;
  }
  async version() {
    return String(this.changes);
  }
  async clear() {
    this.current.clear();
    this.hist.clear();
    this.changes += 1;
  }
  async get(noradId: number) {
    return this.current.get(noradId);
  }
  async history(noradId: number, limit = 100) {
    return [...(this.hist.get(noradId)?.values() ?? [])].sort((a, b) => a.epochMs - b.epochMs).slice(-limit);
  }
  async list() {
    return [...this.current.values()].sort((a, b) => a.noradId - b.noradId);
  }
}

export class MemoryStationStore implements StationStorePort {
  private readonly map = new Map<string, Station>();
  private seed = false;
  async seeded() {
    return this.seed;
  }
  async markSeeded() {
    this.seed = true;
  }
  async clear() {
    this.map.clear();
    this.seed = false;
  }
  async put(station: Station) {
    const created = !this.map.has(station.id);
    this.map.set(station.id, station);
    return { created };
  }
  async get(id: string) {
    return this.map.get(id);
  }
  async delete(id: string) {
    return this.map.delete(id);
  }
  async list() {
    return [...this.map.values()].sort((a, b) => a.id.localeCompare(b.id));
  }
}
