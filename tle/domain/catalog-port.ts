/** The catalog port: newest element set per satellite plus its history; stations by id. */
import type { ElementSet } from './element-set.js';
import type { Station } from './station.js';

export interface CatalogPort {
  /**
   * Stores the set in the satellite's history (idempotent per epoch) and makes it the current one
   * when its epoch is the newest. Returns whether it became current.
   */
  put(es: ElementSet): Promise<{ current: boolean }>;
  get(noradId: number): Promise<ElementSet | undefined>;
  /** History, oldest epoch first. */
  history(noradId: number, limit?: number): Promise<ElementSet[]>;
  /** Current sets, by NORAD id ascending. */
  list(): Promise<ElementSet[]>;
  /** Up to `limit` current sets with NORAD id > `after` (all when undefined), ascending; only `ids` when given. */
  page(after: number | undefined, limit: number, ids?: readonly number[]): Promise<ElementSet[]>;
  /** As `page`, the stored JSON of each set unparsed (parsed and checked where it is used: a compute thread). */
  pageJson(after: number | undefined, limit: number, ids?: readonly number[]): Promise<string[]>;
  /** Removes the satellite and its history; false when it was not there. */
  delete(noradId: number): Promise<boolean>;
  /** Changes whenever a current set is added, replaced or deleted (ETags). */
  version(): Promise<string>;
  /** Removes every satellite (`--reseed`). */
  clear(): Promise<void>;
}

export interface StationStorePort {
  put(station: Station): Promise<{ created: boolean }>;
  get(id: string): Promise<Station | undefined>;
  delete(id: string): Promise<boolean>;
  list(): Promise<Station[]>;
  /** Whether the store was seeded from the config file already (seed once: API edits survive restarts). */
  seeded(): Promise<boolean>;
  markSeeded(): Promise<void>;
  /** Removes every station and the seeded mark (`--reseed`). */
  clear(): Promise<void>;
}
