/**
 * What the key store and the KME's lease store share: their options, opening the sealed records a
 * script returns, and running an idempotent script so that a lost reply is asked for again under
 * the same ID.
 */
import type { Redis } from 'ioredis';
import { QkdsatError } from '../../src/core/errors.js';
import { runLua, type LuaScript } from '../../src/platform/lua.js';
import { zeroiseAll, type KeyMaterial } from '../domain/key-material.js';
import type { Kek } from './kek.js';

export interface KeyStoreOptions {
  redis: Redis;
  /** Redis key prefix for this component, e.g. `{qkdsat}:relay:`. */
  prefix: string;
  kek: Kek;
  ttlMs: number;
  segmentBits: number;
  now: () => number;
  /**
   * A KME lease not settled within this is settled as unknown by sweepLeases (default 20 s). It also
   * bounds how late a KME script may run after its operation ID was made (a re-sent one arriving
   * later is refused): a lease can then never be written into a bucket the sweep has passed.
   */
  leaseTimeoutMs?: number;
  /** Re-asks of an operation whose reply was lost (default 3, 150 ms apart). */
  retries?: number;
}

/** A stored record as a script returned it: ID (the AAD), ciphertext, recorded length. */
export interface Sealed {
  id: string;
  ct: string;
  bits: number;
}

export type Opened = { ok: true; materials: KeyMaterial[] } | { ok: false; failed: boolean[] };

/**
 * Decrypts every record. One that fails authentication or does not hold its recorded length is
 * corrupt: then no material is returned and whatever was decrypted is zeroised.
 */
export function openSealed(kek: Kek, records: readonly Sealed[]): Opened {
  const materials: KeyMaterial[] = [];
  const failed = records.map((record) => {
    const material = kek.tryDecrypt(record.ct, record.id);
    if (material && material.lengthBits === record.bits) {
      materials.push(material);
      return false;
    }
    zeroiseAll(material);
    return true;
  });
  if (!failed.includes(true)) return { ok: true, materials };
  zeroiseAll(...materials);
  return { ok: false, failed };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Runs an idempotent script under `opKey`; when the reply is lost (connection trouble) asks again
 * under the same key, `retries` times 150 ms apart and more, so the operation takes effect at most
 * once and its first reply is returned.
 */
export async function runIdempotent(
  redis: Redis,
  script: LuaScript,
  opKey: string,
  args: (string | number)[],
  retries: number,
): Promise<unknown> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await runLua(redis, script, { opKey, args });
    } catch (e) {
      if (!(e instanceof QkdsatError && e.code === 'UNAVAILABLE') || attempt > retries) throw e;
      await sleep(150 * attempt);
    }
  }
}
