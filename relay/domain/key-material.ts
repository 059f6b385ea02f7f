/**
 * Key material: bytes that must never reach a log, a JSON body by accident, or outlive their use.
 * `toJSON`, `toString` and Node's inspect print `[redacted]`; `zeroise()` overwrites the buffer.
 * The only ways out are `bytes()` (for ciphers and XOR) and `toBase64()` (for the ETSI response).
 */
const INSPECT = Symbol.for('nodejs.util.inspect.custom');

export class KeyMaterial {
  readonly #bytes: Uint8Array;
  #zeroised = false;

  private constructor(bytes: Uint8Array) {
    this.#bytes = bytes;
  }

  /** Takes ownership of `bytes` (the caller must not keep using them). */
  static adopt(bytes: Uint8Array): KeyMaterial {
    return new KeyMaterial(bytes);
  }

  static concat(parts: readonly KeyMaterial[]): KeyMaterial {
    const total = parts.reduce((n, p) => n + p.lengthBytes, 0);
    const out = new Uint8Array(total);
    let at = 0;
    for (const p of parts) {
      out.set(p.bytes(), at);
      at += p.lengthBytes;
    }
    return new KeyMaterial(out);
  }

  get lengthBytes(): number {
    return this.#bytes.length;
  }

  get lengthBits(): number {
    return this.#bytes.length * 8;
  }

  /** The raw bytes; throws once zeroised so a use-after-wipe is loud, not silent zeros. */
  bytes(): Uint8Array {
    if (this.#zeroised) throw new Error('key material used after zeroisation');
    return this.#bytes;
  }

  /** A copy of bytes [start, end). */
  slice(startByte: number, endByte: number): KeyMaterial {
    return new KeyMaterial(this.bytes().slice(startByte, endByte));
  }

  /** Bitwise XOR of two equal-length blocks (a new buffer). */
  xor(other: KeyMaterial): KeyMaterial {
    const a = this.bytes();
    const b = other.bytes();
    if (a.length !== b.length) throw new RangeError('xor of unequal lengths');
    const out = new Uint8Array(a.length);
    for (let i = 0; i < a.length; i += 1) out[i] = a[i]! ^ b[i]!;
    return new KeyMaterial(out);
  }

  /** Constant-time-ish equality (no early exit). */
  equals(other: KeyMaterial): boolean {
    const a = this.bytes();
    const b = other.bytes();
    if (a.length !== b.length) return false;
    let diff = 0;
    for (let i = 0; i < a.length; i += 1) diff |= a[i]! ^ b[i]!;
    return diff === 0;
  }

  /** Standard padded base64, for the ETSI 014 `key` field only. */
  toBase64(): string {
    return Buffer.from(this.bytes()).toString('base64');
  }

  zeroise(): void {
    this.#bytes.fill(0);
    this.#zeroised = true;
  }

  get zeroised(): boolean {
    return this.#zeroised;
  }

  toJSON(): string {
    return '[redacted]';
  }

  toString(): string {
    return '[redacted]';
  }

  [INSPECT](): string {
    return `KeyMaterial(${this.#bytes.length * 8} bits) [redacted]`;
  }
}

/** Zeroises every argument, ignoring ones already wiped. */
export function zeroiseAll(...items: (KeyMaterial | undefined)[]): void {
  for (const k of items) if (k && !k.zeroised) k.zeroise();
}
