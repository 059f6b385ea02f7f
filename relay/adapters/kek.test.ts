import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { KeyMaterial } from '../domain/key-material.js';
import { Kek } from './kek.js';

describe('Kek.tryDecrypt', () => {
  const kek = new Kek(randomBytes(32));
  const sealed = (id: string) => kek.encrypt(KeyMaterial.adopt(new Uint8Array(randomBytes(32))), id);

  it('opens its own record and refuses, without throwing, a flipped bit, another ID, another KEK, a truncation', () => {
    const ct = sealed('a');
    expect(kek.tryDecrypt(ct, 'a')?.lengthBits).toBe(256);
    const raw = Buffer.from(ct, 'base64');
    for (const at of [0, 12, 28, raw.length - 1]) {
      const t = Buffer.from(raw);
      t[at]! ^= 0x80;
      expect(kek.tryDecrypt(t.toString('base64'), 'a'), `byte ${at}`).toBeUndefined();
    }
    expect(kek.tryDecrypt(ct, 'b')).toBeUndefined();
    expect(new Kek(randomBytes(32)).tryDecrypt(ct, 'a')).toBeUndefined();
    expect(kek.tryDecrypt(raw.subarray(0, 27).toString('base64'), 'a')).toBeUndefined();
    expect(kek.tryDecrypt('', 'a')).toBeUndefined();
    expect(() => kek.decrypt(ct, 'b')).toThrow(/failed authentication/);
  });
});
