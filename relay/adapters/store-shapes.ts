/** What the key store takes and gives: link metadata, segments, keys and pool statistics. */
import type { KeyMaterial } from '../domain/key-material.js';

export interface LinkMeta {
  kind: 'satellite' | 'fibre' | 'relayed';
  a: string;
  b: string;
  rateBps?: number;
}

export interface ReservedSegment {
  group: number;
  id: string;
  pool: string;
  bits: number;
  createdAt: number;
  material: KeyMaterial;
}

export interface NewSegment {
  pool: string;
  material: KeyMaterial;
  createdAt?: number;
  /** Put back at the front of the pool (remainders: used first). */
  front?: boolean;
}

export interface NewKey {
  keyId: string;
  master: string;
  slave: string;
  material: KeyMaterial;
  route: 'direct' | 'indirect';
}

export interface PoolStat {
  link: string;
  meta: LinkMeta | undefined;
  storedBits: number;
  oldestCreatedAt: number | undefined;
}
