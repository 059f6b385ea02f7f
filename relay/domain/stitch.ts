/**
 * Key relay through trusted nodes (Micius, Liao et al., PRL 120, 030501, 2018; ITU-T Y.3803).
 *
 * A path n0 - n1 - ... - nh uses one key per hop i, K_i, held as L_i by n(i-1) and R_i by n(i)
 * (equal when the link worked). Each trusted node n_i (0 < i < h) announces D_i = R_i XOR L_(i+1),
 * authenticated with a MAC under its pre-shared authentication key: the satellite announces
 * K_A XOR K_B. The far end computes R_h XOR D_(h-1) XOR ... XOR D_1, which equals L_1 = the near
 * end's key. One-time pad: safe only if every K_i is uniform, of equal length and used once, so
 * the adapter consumes every operand exactly once whatever the outcome.
 * Before the stitched key becomes available both ends exchange a key-confirmation tag
 * MAC(K, "confirm" | relayId); a mismatch voids the relay (ETSI GS QKD 020 words: relayed, voided).
 */
import { KeyMaterial, zeroiseAll } from './key-material.js';

export type Mac = (key: Uint8Array, data: Uint8Array) => Uint8Array;

export interface HopKeys {
  /** The copy held by the hop's near end. */
  near: KeyMaterial;
  /** The copy held by the hop's far end. */
  far: KeyMaterial;
}

export interface Announcement {
  node: string;
  index: number;
  /** D_i: public, but only meaningful together with the hop keys. */
  xor: Uint8Array;
  tag: Uint8Array;
}

export type StitchOutcome =
  | { outcome: 'relayed'; key: KeyMaterial; announcements: number }
  | {
      outcome: 'voided';
      reason: 'announcement authentication failed' | 'key confirmation failed' | 'hop lengths differ';
    };

const enc = new TextEncoder();
const label = (relayId: string, index: number, what: string) => enc.encode(`${what}|${relayId}|${index}|`);

function concatBytes(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a, 0);
  out.set(b, a.length);
  return out;
}

function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let d = 0;
  for (let i = 0; i < a.length; i += 1) d |= a[i]! ^ b[i]!;
  return d === 0;
}

/** What trusted node `nodes[i]` announces between hops i-1 and i (0-based hops). */
function announce(
  relayId: string,
  node: string,
  index: number,
  inbound: HopKeys,
  outbound: HopKeys,
  authKey: Uint8Array,
  mac: Mac,
): Announcement {
  const d = inbound.far.xor(outbound.near);
  const xor = Uint8Array.from(d.bytes());
  d.zeroise();
  return { node, index, xor, tag: mac(authKey, concatBytes(label(relayId, index, 'announce'), xor)) };
}

function verifyAnnouncement(relayId: string, announcement: Announcement, authKey: Uint8Array, mac: Mac): boolean {
  return bytesEqual(
    mac(authKey, concatBytes(label(relayId, announcement.index, 'announce'), announcement.xor)),
    announcement.tag,
  );
}

/**
 * Runs the whole relay over one path: announcements by each trusted node, their verification and
 * the far end's reconstruction, then key confirmation. `tamper` lets tests alter an announcement in
 * transit. The hop keys stay owned by the caller (it zeroises them); the returned key is new.
 */
export function stitchPath(
  relayId: string,
  nodes: readonly string[],
  hops: readonly HopKeys[],
  authKeyFor: (node: string) => Uint8Array,
  mac: Mac,
  tamper: (a: Announcement) => Announcement = (a) => a,
): StitchOutcome {
  const len = hops[0]?.near.lengthBytes ?? 0;
  if (
    hops.length === 0 ||
    hops.length !== nodes.length - 1 ||
    hops.some((h) => h.near.lengthBytes !== len || h.far.lengthBytes !== len)
  ) {
    return { outcome: 'voided', reason: 'hop lengths differ' };
  }
  const announcements: Announcement[] = [];
  for (let i = 1; i < hops.length; i += 1) {
    announcements.push(tamper(announce(relayId, nodes[i]!, i, hops[i - 1]!, hops[i]!, authKeyFor(nodes[i]!), mac)));
  }
  if (!announcements.every((a) => verifyAnnouncement(relayId, a, authKeyFor(a.node), mac))) {
    return { outcome: 'voided', reason: 'announcement authentication failed' };
  }
  // Far end: R_h XOR D_(h-1) XOR ... XOR D_1.
  const farKey = Uint8Array.from(hops[hops.length - 1]!.far.bytes());
  for (const a of announcements) for (let j = 0; j < len; j += 1) farKey[j]! ^= a.xor[j]!;
  const far = KeyMaterial.adopt(farKey);
  const near = hops[0]!.near;
  const confirmNear = mac(near.bytes(), label(relayId, 0, 'confirm'));
  const confirmFar = mac(far.bytes(), label(relayId, 0, 'confirm'));
  if (!bytesEqual(confirmNear, confirmFar)) {
    zeroiseAll(far);
    return { outcome: 'voided', reason: 'key confirmation failed' };
  }
  return { outcome: 'relayed', key: far, announcements: announcements.length };
}
