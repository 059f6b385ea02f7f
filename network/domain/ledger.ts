/**
 * What a network simulation did, event by event: the record the independent checker
 * (checker.ts) replays to prove conservation and the one-at-a-time rules.
 */
export type LedgerEntry =
  | {
      kind: 'pass';
      atMs: number;
      id: string;
      stationId: string;
      noradId: number;
      startMs: number;
      endMs: number;
      clear: boolean;
      secureBits: number;
    }
  | { kind: 'deposit'; atMs: number; stationId: string; noradId: number; storedBits: number; discardedBits: number }
  | { kind: 'relay'; atMs: number; noradId: number; a: string; b: string; bits: number }
  /** Key arriving from `stationId` XORed at once with `partner`'s key on board (never stored). */
  | {
      kind: 'relay-direct';
      atMs: number;
      noradId: number;
      stationId: string;
      partner: string;
      a: string;
      b: string;
      bits: number;
    }
  | { kind: 'local'; atMs: number; noradId: number; stationId: string; bits: number }
  | { kind: 'expire-onboard'; atMs: number; noradId: number; stationId: string; bits: number }
  | { kind: 'expire-ground'; atMs: number; a: string; b: string; bits: number }
  | { kind: 'consume'; atMs: number; a: string; b: string; bits: number };

export interface SatelliteLimits {
  noradId: number;
  bufferBits: number;
}
