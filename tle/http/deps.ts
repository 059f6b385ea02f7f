/** Dependencies of the catalog component's routes (ports the composition root fills). */
import type { Api } from '../../src/api/route.js';
import type { Logger } from '../../src/platform/logger.js';
import type {
  CatalogParseReport,
  CatalogPort,
  PassPageInput,
  PassPageOutput,
  StationStorePort,
} from '../domain/index.js';

/** One /v1/passes page's computation (tle/domain/pass-page.ts), in the compute pool. */
export type ComputePassPage = (input: PassPageInput) => Promise<PassPageOutput>;

/**
 * What else names stations and satellites (bookings; key pools): deleting one they name is refused
 * (409) unless the caller asks to cancel them (`?cascade=cancel`).
 */
export interface ReferencePort {
  /** Ids of active things (bookings, ...) that name the station or satellite. */
  active(kind: 'station' | 'satellite', id: string): Promise<string[]>;
  /** Cancels them (audited); returns their ids. */
  cancel(kind: 'station' | 'satellite', id: string, reason: string): Promise<string[]>;
}

export interface TleRouteDeps {
  api: Api;
  catalog: CatalogPort;
  stations: StationStorePort;
  logger: Logger;
  /** Wall or simulated clock for epoch ages (defaults to Date.now). */
  now?: () => number;
  /** tle.staleDays (default 14). */
  staleDays?: number;
  /** Called after an upload made some element set current (the scheduler re-plans). */
  onNewElementSets?: (batchKey: string) => Promise<unknown>;
  /** Parsing and checking an upload off the request loop (the compute pool); default inline. */
  parseUpload?: (body: unknown) => Promise<CatalogParseReport>;
  /** A /v1/passes page off the request loop (the compute pool); default inline (tests). */
  computePassPage?: ComputePassPage;
  /** Work budget of one /v1/passes page (satellite x station x hour units). */
  passPageWork?: number;
  /** NORAD ids of satellites with a QKD terminal (terminalsOnly); undefined: every satellite. */
  terminalIds?: () => readonly number[] | undefined;
  references?: ReferencePort;
}
