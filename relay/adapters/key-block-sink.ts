/**
 * The port through which key from a pass enters the relay: the scheduler's pass processor (and the
 * `keys deposit` command, and the admin endpoint) call `deposit` with the secure bits a pass
 * yielded between a ground station and a satellite. Simulation: the key bits are drawn from the
 * CSPRNG, standing for the copy both ends hold after error correction and privacy amplification.
 */
import { randomBytes } from 'node:crypto';
import { QkdsatError } from '../../src/core/errors.js';
import { STATION_ID_PATTERN } from '../domain/config.schema.js';
import { KeyMaterial } from '../domain/key-material.js';
import { linkId, satelliteNode } from '../domain/links.js';
import type { KeyStore } from './key-store.redis.js';

export interface KeyBlockMeta {
  /** e.g. the scheduler's pass job ID. */
  passId?: string;
  /** Where the block came from: `pass`, `cli`, `admin`, `test`. */
  source?: string;
  qber?: number;
  /**
   * Operation ID of the deposit: a deposit under an ID already used changes nothing and returns
   * the first deposit's result (a pass uses `pass:<bookingId>`). Default: a new one.
   */
  depositId?: string;
}

export interface DepositResult {
  blockId: string;
  link: string;
  bits: number;
  segments: number;
}

export interface KeyBlockSink {
  /** Deposits `bits` secure key bits shared by `stationId` and satellite `noradId` (rounded down to bytes). */
  deposit(stationId: string, noradId: number, bits: number, meta?: KeyBlockMeta): Promise<DepositResult>;
}

export const MAX_DEPOSIT_BITS = 64 * 1024 * 1024;

export function redisKeyBlockSink(store: KeyStore): KeyBlockSink {
  return {
    async deposit(stationId, noradId, bits, meta = {}) {
      if (!STATION_ID_PATTERN.test(stationId))
        throw new QkdsatError('VALIDATION', 'stationId: expected a station ID ([a-z0-9_-])');
      if (!Number.isInteger(noradId) || noradId <= 0 || noradId > 999_999_999)
        throw new QkdsatError('VALIDATION', 'noradId: expected a positive integer');
      if (!Number.isInteger(bits) || bits < 8 || bits > MAX_DEPOSIT_BITS)
        throw new QkdsatError('VALIDATION', `bits: expected an integer in [8, ${MAX_DEPOSIT_BITS}]`);
      const sat = satelliteNode(noradId);
      const link = linkId('satellite', stationId, sat);
      const [a, b] = stationId < sat ? [stationId, sat] : [sat, stationId];
      const material = KeyMaterial.adopt(new Uint8Array(randomBytes(Math.floor(bits / 8))));
      try {
        const { depositId, ...auditMeta } = meta;
        const r = await store.deposit(
          link,
          { kind: 'satellite', a, b },
          material,
          { stationId, noradId, ...auditMeta },
          depositId,
        );
        return { blockId: r.blockId, link, bits: r.bits, segments: r.segments };
      } finally {
        material.zeroise();
      }
    },
  };
}
