/**
 * Pool arithmetic (pure): cutting deposited blocks into segments and reserved segments into keys.
 * All sizes are whole bytes; callers validate that sizes are multiples of 8 bits.
 */
import { KeyMaterial } from './key-material.js';

/** ETSI GS QKD 020's words for relay outcomes. */
export type RelayOutcome = 'relayed' | 'voided' | 'failed' | 'key not present';

/** Splits material into pieces of `segmentBits` (the last may be shorter). Does not consume `material`. */
export function segment(material: KeyMaterial, segmentBits: number): KeyMaterial[] {
  const step = segmentBits / 8;
  const out: KeyMaterial[] = [];
  for (let at = 0; at < material.lengthBytes; at += step)
    out.push(material.slice(at, Math.min(material.lengthBytes, at + step)));
  return out;
}

/** `number` keys of `sizeBits` from the front of `material`, and what is left (undefined when nothing). */
export function cutKeys(
  material: KeyMaterial,
  number: number,
  sizeBits: number,
): { keys: KeyMaterial[]; remainder?: KeyMaterial } {
  const step = sizeBits / 8;
  if (material.lengthBytes < number * step) throw new RangeError('not enough material to cut');
  const keys: KeyMaterial[] = [];
  for (let i = 0; i < number; i += 1) keys.push(material.slice(i * step, (i + 1) * step));
  const used = number * step;
  return used < material.lengthBytes ? { keys, remainder: material.slice(used, material.lengthBytes) } : { keys };
}
