/**
 * What the catalog's delete routes share: the 404 of an unknown satellite or station, and the rule
 * for things that still name it (409, or `?cascade=cancel` cancels them, logged as an audit record).
 */
import { z } from 'zod';
import { QkdsatError } from '../../src/core/errors.js';
import type { RouteSpec } from '../../src/api/route.js';
import type { Logger } from '../../src/platform/logger.js';
import type { ReferencePort, TleRouteDeps } from './deps.js';

export const CascadeQuery = z.object({
  cascade: z
    .enum(['cancel'])
    .optional()
    .describe('cancel: cancel the active bookings that name it (audited), then delete'),
});

const noReferences: ReferencePort = { active: async () => [], cancel: async () => [] };

export const satelliteNotFound = (noradId: number): QkdsatError =>
  new QkdsatError('NOT_FOUND', `noradId: no satellite ${noradId} in the catalog`, [
    { path: ['params', 'noradId'], message: 'not in the catalog' },
  ]);

export const stationNotFound = (id: string): QkdsatError =>
  new QkdsatError('NOT_FOUND', `id: no station '${id}'`, [{ path: ['params', 'id'], message: 'unknown station' }]);

export interface ReleaseRequest {
  kind: 'station' | 'satellite';
  id: string;
  cascade: 'cancel' | undefined;
  /** Where the id came from in the request (`params.id`), named by the 409. */
  path: string[];
}

/** 409 naming what still refers to it, or (cascade=cancel) cancels those, logged as an audit record. */
async function releaseReferences(
  references: ReferencePort | undefined,
  logger: Logger,
  { kind, id, cascade, path }: ReleaseRequest,
): Promise<void> {
  const ports = references ?? noReferences;
  const active = await ports.active(kind, id);
  if (active.length === 0) return;
  if (cascade !== 'cancel') {
    const named = `${active.slice(0, 5).join(', ')}${active.length > 5 ? ', ...' : ''}`;
    throw new QkdsatError(
      'CONFLICT',
      `${path.join('.')}: ${active.length} active booking(s) name ${kind} ${id} (${named}); ` +
        'cancel them first or pass ?cascade=cancel',
      [{ path, message: `named by ${active.length} active booking(s)` }],
    );
  }
  const cancelled = await ports.cancel(kind, id, `${kind} ${id} deleted (cascade=cancel)`);
  logger.info(
    { audit: 'cascade-cancel', kind, id, cancelled },
    `deleting ${kind} ${id} cancelled ${cancelled.length} booking(s)`,
  );
}

type ParamsSchema = z.ZodObject<z.ZodRawShape>;

/** The path parameter that names the record (and, as a string, the id bookings name it by). */
const ID_PARAM: Record<ReleaseRequest['kind'], string> = { satellite: 'noradId', station: 'id' };

/** A catalog record's DELETE route: where it is, what it says, and which kind of record it removes. */
export interface CascadeDelete<P extends ParamsSchema> {
  path: string;
  summary: string;
  params: P;
  kind: ReleaseRequest['kind'];
}

/** Where records of a kind are read and removed by id (the catalog, the station store). */
export interface DeletableRecords<Id> {
  get(id: Id): Promise<unknown>;
  delete(id: Id): Promise<unknown>;
}

/** The DELETE route of a record: 404 when absent, then the cascade rule, then the removal (204). */
export function cascadeDeleteRoute<P extends ParamsSchema, Id>(
  deps: Pick<TleRouteDeps, 'references' | 'logger'>,
  route: CascadeDelete<P>,
  records: DeletableRecords<Id>,
  notFound: (id: Id) => QkdsatError,
): RouteSpec<P, typeof CascadeQuery, z.ZodType, z.ZodNull> {
  const idParam = ID_PARAM[route.kind];
  return {
    method: 'delete',
    path: route.path,
    tags: ['catalog'],
    summary: route.summary,
    params: route.params,
    query: CascadeQuery,
    response: z.null(),
    status: 204,
    errors: [404, 409],
    handler: async ({ params, query }) => {
      const id = (params as Record<string, unknown>)[idParam] as Id;
      if (!(await records.get(id))) throw notFound(id);
      const release = { kind: route.kind, id: String(id), cascade: query.cascade, path: ['params', idParam] };
      await releaseReferences(deps.references, deps.logger, release);
      await records.delete(id);
      return undefined;
    },
  };
}
