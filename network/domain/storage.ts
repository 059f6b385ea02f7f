/**
 * Key held in blocks, oldest first, with a capacity and a lifetime: a satellite terminal's onboard
 * buffer (key shared with each ground station, waiting for the other end of a relay) and a pair's
 * ground pool (relayed key waiting for its consumer). Pure bookkeeping in bits; the times are
 * arguments. `expire` removes every block older than the lifetime and reports when each expired.
 */

export interface Block {
  owner: string;
  bits: number;
  createdMs: number;
}
export interface Expired {
  owner: string;
  bits: number;
  atMs: number;
}

export class KeyBuffer {
  private readonly blocks: Block[] = [];
  private total = 0;
  private readonly perOwner = new Map<string, number>();

  constructor(
    readonly capacityBits: number,
    readonly lifetimeMs: number,
  ) {
    if (!(capacityBits > 0) || !(lifetimeMs > 0)) throw new RangeError('capacity and lifetime must be positive');
  }

  get levelBits(): number {
    return this.total;
  }
  get freeBits(): number {
    return Math.max(0, this.capacityBits - this.total);
  }
  held(owner: string): number {
    return this.perOwner.get(owner) ?? 0;
  }
  owners(): string[] {
    return [...this.perOwner.keys()].filter((o) => this.held(o) > 0).sort();
  }

  /** Stores what fits; the rest is discarded (returned as `discardedBits`). */
  deposit(owner: string, bits: number, nowMs: number): { storedBits: number; discardedBits: number } {
    const stored = Math.max(0, Math.min(Math.floor(bits), Math.floor(this.freeBits)));
    if (stored > 0) {
      this.blocks.push({ owner, bits: stored, createdMs: nowMs });
      this.total += stored;
      this.perOwner.set(owner, this.held(owner) + stored);
    }
    return { storedBits: stored, discardedBits: Math.max(0, Math.floor(bits) - stored) };
  }

  /** Takes up to `bits` of `owner`'s key, oldest first; returns what was taken. */
  take(owner: string, bits: number): number {
    let want = Math.min(Math.floor(bits), this.held(owner));
    const got = want;
    for (let i = 0; i < this.blocks.length && want > 0; i += 1) {
      const b = this.blocks[i]!;
      if (b.owner !== owner) continue;
      const t = Math.min(b.bits, want);
      b.bits -= t;
      want -= t;
    }
    this.compact();
    this.total -= got;
    this.perOwner.set(owner, this.held(owner) - got);
    return got;
  }

  /** Removes the blocks whose lifetime ended at or before `nowMs`. */
  expire(nowMs: number): Expired[] {
    const out: Expired[] = [];
    for (const b of this.blocks) {
      if (b.bits > 0 && b.createdMs + this.lifetimeMs <= nowMs) {
        out.push({ owner: b.owner, bits: b.bits, atMs: b.createdMs + this.lifetimeMs });
        this.total -= b.bits;
        this.perOwner.set(b.owner, this.held(b.owner) - b.bits);
        b.bits = 0;
      }
    }
    this.compact();
    return out;
  }

  /** The earliest instant some block expires (Infinity when empty). */
  nextExpiryMs(): number {
    let t = Infinity;
    for (const b of this.blocks) if (b.bits > 0) t = Math.min(t, b.createdMs + this.lifetimeMs);
    return t;
  }

  private compact(): void {
    let w = 0;
    for (const b of this.blocks) if (b.bits > 0) this.blocks[w++] = b;
    this.blocks.length = w;
  }
}
