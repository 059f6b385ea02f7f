/**
 * Encryption at rest: AES-256-GCM under a key-encryption key (KEK) that never enters Redis, with the
 * record's ID as associated data (a ciphertext moved to another ID fails to decrypt). Stored form:
 * base64(iv[12] | tag[16] | ciphertext). The KEK comes from QKDSAT_KEK or, in development, from
 * var/kek.hex (created 0600 on first start). Rotating the KEK is what destroys deleted keys that an
 * AOF file still holds.
 */
import { createCipheriv, createDecipheriv, createHmac, randomBytes } from 'node:crypto';
import { QkdsatError } from '../../src/core/errors.js';
import { KeyMaterial } from '../domain/key-material.js';
import { loadOrCreateVarSecret } from '../../src/platform/secrets.js';

export class Kek {
  readonly #key: Buffer;

  constructor(key: Buffer) {
    if (key.length !== 32) throw new QkdsatError('VALIDATION', 'the KEK must be 32 bytes');
    this.#key = Buffer.from(key);
  }

  static fromHex(hex: string): Kek {
    return new Kek(Buffer.from(hex, 'hex'));
  }

  encrypt(material: KeyMaterial, aad: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.#key, iv);
    cipher.setAAD(Buffer.from(aad, 'utf8'));
    const body = Buffer.concat([cipher.update(material.bytes()), cipher.final()]);
    const out = Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64');
    body.fill(0);
    return out;
  }

  /**
   * The record's plaintext, or undefined when it fails authentication (tampered, truncated, moved to
   * another ID, or sealed under another KEK). GCM's update() yields plaintext before the tag is
   * checked: that unauthenticated output is wiped, never returned.
   */
  tryDecrypt(stored: string, aad: string): KeyMaterial | undefined {
    const raw = Buffer.from(stored, 'base64');
    if (raw.length < 28) return undefined;
    const d = createDecipheriv('aes-256-gcm', this.#key, raw.subarray(0, 12));
    d.setAAD(Buffer.from(aad, 'utf8'));
    d.setAuthTag(raw.subarray(12, 28));
    const plain = d.update(raw.subarray(28));
    try {
      d.final();
    } catch {
      plain.fill(0);
      return undefined;
    }
    const out = new Uint8Array(plain.length);
    out.set(plain);
    plain.fill(0);
    return KeyMaterial.adopt(out);
  }

  decrypt(stored: string, aad: string): KeyMaterial {
    const m = this.tryDecrypt(stored, aad);
    if (!m) throw new QkdsatError('INTERNAL', `stored key record ${aad} failed authentication (wrong KEK or tampered)`);
    return m;
  }

  /** A sub-key for another purpose (HKDF-like single HMAC step; labels are distinct constants). */
  derive(label: string): Uint8Array {
    return new Uint8Array(createHmac('sha256', this.#key).update(`qkdsat derive ${label}`).digest());
  }

  toJSON(): string {
    return '[redacted]';
  }

  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return 'Kek [redacted]';
  }
}

/** QKDSAT_KEK when set; otherwise var/kek.hex, created with mode 0600 when missing. */
export function loadOrCreateKek(kekHex: string | undefined, varDir: string): { kek: Kek; source: string } {
  if (kekHex) return { kek: Kek.fromHex(kekHex), source: 'QKDSAT_KEK' };
  const f = loadOrCreateVarSecret(
    varDir,
    'kek.hex',
    () => randomBytes(32).toString('hex'),
    /^[0-9a-fA-F]{64}$/,
    'a 64-hex-digit KEK',
  );
  return { kek: Kek.fromHex(f.value), source: f.path };
}
