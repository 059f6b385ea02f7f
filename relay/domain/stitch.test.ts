import { createHmac, randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { KeyMaterial } from './key-material.js';
import { stitchPath, type HopKeys, type Mac } from './stitch.js';

const mac: Mac = (key, data) => new Uint8Array(createHmac('sha256', key).update(data).digest());
const auth = (node: string) => new TextEncoder().encode(`auth-${node}`);
const hop = (bytes: Uint8Array): HopKeys => {
  const k = KeyMaterial.adopt(bytes);
  return { near: k, far: KeyMaterial.adopt(Uint8Array.from(bytes)) };
};

describe('XOR stitching through trusted nodes', () => {
  it('the far end reconstructs the near end key over any number of hops (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 6 }), fc.integer({ min: 1, max: 64 }), (hops, len) => {
        const keys = Array.from({ length: hops }, () => hop(new Uint8Array(randomBytes(len))));
        const nodes = ['graz', ...Array.from({ length: hops - 1 }, (_, i) => `n${i}`), 'xinglong'];
        const r = stitchPath('relay-1', nodes, keys, auth, mac);
        expect(r.outcome).toBe('relayed');
        if (r.outcome === 'relayed') expect(r.key.equals(keys[0]!.near)).toBe(true);
      }),
    );
  });
  it('Micius: the satellite announces K_A XOR K_B, which alone reveals neither key', () => {
    const ka = hop(new Uint8Array(randomBytes(32)));
    const kb = hop(new Uint8Array(randomBytes(32)));
    let seen: Uint8Array | undefined;
    const r = stitchPath('relay-2', ['graz', 'sat-43000', 'xinglong'], [ka, kb], auth, mac, (a) => {
      seen = a.xor;
      return a;
    });
    expect(r.outcome).toBe('relayed');
    expect(Buffer.from(seen!).equals(Buffer.from(ka.near.xor(kb.near).bytes()))).toBe(true);
    expect(Buffer.from(seen!).equals(Buffer.from(ka.near.bytes()))).toBe(false);
  });
  it('a tampered announcement is voided by its MAC', () => {
    const keys = [hop(new Uint8Array(randomBytes(32))), hop(new Uint8Array(randomBytes(32)))];
    const r = stitchPath('relay-3', ['graz', 'sat-1', 'xinglong'], keys, auth, mac, (a) => ({
      ...a,
      xor: a.xor.map((b, i) => (i === 0 ? b ^ 1 : b)),
    }));
    expect(r).toEqual({ outcome: 'voided', reason: 'announcement authentication failed' });
  });
  it('an announcement signed with another node key is voided', () => {
    const keys = [hop(new Uint8Array(randomBytes(32))), hop(new Uint8Array(randomBytes(32)))];
    const forged = (node: string) => (node === 'sat-1' ? new TextEncoder().encode('forger') : auth(node));
    let calls = 0;
    const r = stitchPath(
      'relay-4',
      ['graz', 'sat-1', 'xinglong'],
      keys,
      (n) => (calls++ === 0 ? forged(n) : auth(n)),
      mac,
    );
    expect(r.outcome).toBe('voided');
  });
  it('key confirmation voids the relay when the two ends of a link hold different bits', () => {
    const a = hop(new Uint8Array(randomBytes(32)));
    const bytes = new Uint8Array(randomBytes(32));
    const flipped = Uint8Array.from(bytes);
    flipped[5]! ^= 0x10;
    const b: HopKeys = { near: KeyMaterial.adopt(bytes), far: KeyMaterial.adopt(flipped) };
    expect(stitchPath('relay-5', ['graz', 'sat-1', 'xinglong'], [a, b], auth, mac)).toEqual({
      outcome: 'voided',
      reason: 'key confirmation failed',
    });
  });
  it('hops of different lengths are refused', () => {
    const r = stitchPath('relay-6', ['a', 'b', 'c'], [hop(new Uint8Array(8)), hop(new Uint8Array(16))], auth, mac);
    expect(r.outcome).toBe('voided');
  });
});
