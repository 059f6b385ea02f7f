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
}

export interface StationStorePort {
  put(station: Station): Promise<{ created: boolean }>;
  get(id: string): Promise<Station | undefined>;
  delete(id: string): Promise<boolean>;
  list(): Promise<Station[]>;
}
