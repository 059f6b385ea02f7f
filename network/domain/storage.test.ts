import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { KeyBuffer } from './storage.js';

type Op = { kind: 'deposit' | 'take'; owner: string; bits: number; dtMs: number };
const op = fc.record({
  kind: fc.constantFrom('deposit' as const, 'take' as const),
  owner: fc.constantFrom('a', 'b', 'c'),
  bits: fc.integer({ min: 0, max: 5000 }),
  dtMs: fc.integer({ min: 0, max: 3000 }),
});

describe('KeyBuffer (onboard key, ground pools)', () => {
  it('property: never above capacity, never negative, deposited = taken + expired + held', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 20_000 }),
        fc.integer({ min: 1, max: 10_000 }),
        fc.array(op, { maxLength: 80 }),
        (cap, life, ops: Op[]) => {
          const b = new KeyBuffer(cap, life);
          let now = 0,
            stored = 0,
            taken = 0,
            expired = 0;
          for (const o of ops) {
            now += o.dtMs;
            for (const e of b.expire(now)) {
              expired += e.bits;
              expect(e.atMs).toBeLessThanOrEqual(now);
            }
            if (o.kind === 'deposit') {
              const r = b.deposit(o.owner, o.bits, now);
              expect(r.storedBits + r.discardedBits).toBe(o.bits);
              stored += r.storedBits;
            } else {
              const got = b.take(o.owner, o.bits);
              expect(got).toBeLessThanOrEqual(o.bits);
              taken += got;
            }
            expect(b.levelBits).toBeLessThanOrEqual(cap);
            expect(b.levelBits).toBeGreaterThanOrEqual(0);
            expect(['a', 'b', 'c'].reduce((s, g) => s + b.held(g), 0)).toBe(b.levelBits);
            expect(stored).toBe(taken + expired + b.levelBits);
          }
        },
      ),
    );
  });

  it('takes oldest key first, so what expires later is kept', () => {
    const b = new KeyBuffer(1e6, 100);
    b.deposit('a', 10, 0);
    b.deposit('a', 10, 50);
    expect(b.take('a', 15)).toBe(15);
    expect(b.expire(120)).toEqual([]);
    expect(b.expire(150)).toEqual([{ owner: 'a', bits: 5, atMs: 150 }]);
  });

  it('a full buffer discards what does not fit', () => {
    const b = new KeyBuffer(100, 1000);
    expect(b.deposit('a', 80, 0)).toEqual({ storedBits: 80, discardedBits: 0 });
    expect(b.deposit('b', 50, 1)).toEqual({ storedBits: 20, discardedBits: 30 });
    expect(b.freeBits).toBe(0);
  });
});
