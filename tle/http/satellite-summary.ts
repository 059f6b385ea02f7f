/** How satellites appear in catalog reads: a summary with epoch age and flags, and a weak ETag. */
import { createHash } from 'node:crypto';
import type { Request, Response } from 'express';
import type { z } from 'zod';
import { assessElementSet, formatTle, type CatalogPort, type ElementSet } from '../domain/index.js';
import type { SatelliteSummarySchema } from './satellites.schemas.js';

export type SatelliteSummary = z.infer<typeof SatelliteSummarySchema>;

export function summaryOf(elementSet: ElementSet, nowMs: number, staleDays?: number): SatelliteSummary {
  const tle = formatTle(elementSet);
  return {
    noradId: elementSet.noradId,
    ...(elementSet.name ? { name: elementSet.name } : {}),
    epoch: elementSet.epoch,
    source: elementSet.source,
    ...(tle ?? {}),
    ...assessElementSet(elementSet, nowMs, staleDays),
  };
}

/** Weak ETag of a catalog read: the catalog version and the request's URL. */
const etagOf = (version: string, url: string) =>
  `W/"c${version}-${createHash('sha256').update(url).digest('base64url').slice(0, 12)}"`;

/** Sets the read's ETag; answers 304 (and true) when the client's If-None-Match holds it. */
export async function notModified(catalog: CatalogPort, req: Request, res: Response): Promise<boolean> {
  const tag = etagOf(await catalog.version(), req.originalUrl);
  res.set('ETag', tag);
  res.set('Cache-Control', 'no-cache');
  const ifNoneMatch = req.get('if-none-match');
  const clientTags = ifNoneMatch ? ifNoneMatch.split(',').map((clientTag) => clientTag.trim()) : [];
  if (!clientTags.includes(tag)) return false;
  res.status(304).end();
  return true;
}
