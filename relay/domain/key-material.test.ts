import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { KeyMaterial } from './key-material.js';
import { cutKeys, segment } from './pool.js';

describe('KeyMaterial', () => {
  const bytes = () => Uint8Array.from({ length: 32 }, (_, i) => i * 7 + 1);
  it('prints [redacted] through JSON, String and inspect, never the bytes', () => {
    const k = KeyMaterial.adopt(bytes());
    const hex = Buffer.from(bytes()).toString('hex');
    for (const s of [JSON.stringify({ k }), String(k), inspect(k), inspect({ nested: { k } }), `${k}`]) {
      expect(s).toContain('redacted');
      expect(s).not.toContain(hex.slice(0, 8));
      expect(s).not.toContain(k.toBase64().slice(0, 8));
    }
  });
  it('zeroise wipes the buffer and later use throws', () => {
    const raw = bytes();
    const k = KeyMaterial.adopt(raw);
    k.zeroise();
    expect(raw.every((b) => b === 0)).toBe(true);
    expect(() => k.bytes()).toThrow(/after zeroisation/);
  });
  it('xor is its own inverse and refuses unequal lengths', () => {
    const a = KeyMaterial.adopt(bytes());
    const b = KeyMaterial.adopt(Uint8Array.from({ length: 32 }, (_, i) => 255 - i));
    expect(a.xor(b).xor(b).equals(a)).toBe(true);
    expect(() => a.xor(a.slice(0, 16))).toThrow(RangeError);
  });
  it('segments and keys partition the material exactly', () => {
    const m = KeyMaterial.adopt(Uint8Array.from({ length: 100 }, (_, i) => i));
    const segs = segment(m, 256);
    expect(segs.map((s) => s.lengthBytes)).toEqual([32, 32, 32, 4]);
    expect(KeyMaterial.concat(segs).equals(m)).toBe(true);
    const { keys, remainder } = cutKeys(m, 3, 128);
    expect(keys.map((k) => k.lengthBits)).toEqual([128, 128, 128]);
    expect(remainder?.lengthBytes).toBe(52);
    expect(KeyMaterial.concat([...keys, remainder!]).equals(m)).toBe(true);
    expect(() => cutKeys(m, 4, 256)).toThrow(RangeError);
  });
});
