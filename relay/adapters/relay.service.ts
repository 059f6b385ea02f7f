/**
 * Relay requests: route choice over physical links by stored key (domain/routing), reservation of
 * every hop's key in one Lua call, stitching with authenticated announcements and key confirmation
 * (domain/stitch), then one commit that consumes the operands and stores the stitched key in the
 * virtual link `relayed:A~B`, or voids it. Outcomes use ETSI GS QKD 020's words. A request larger
 * than RELAY_CHUNK_SEGMENTS segments runs as consecutive chunks, each its own reserve/commit
 * (bounded script arguments whatever the size); `relayedBits` says how much went through.
 */
import { createHmac, randomUUID } from 'node:crypto';
import { QkdsatError } from '../../src/core/errors.js';
import { KeyIntegrityError } from '../domain/integrity.js';
import { KeyMaterial, zeroiseAll } from '../domain/key-material.js';
import { linkId } from '../domain/links.js';
import { segment, type RelayOutcome } from '../domain/pool.js';
import { planRoutes, type GraphEdge, type RoutePlan } from '../domain/routing.js';
import { stitchPath, type HopKeys, type Mac } from '../domain/stitch.js';
import type { KeyStore } from './key-store.redis.js';
import type { NewSegment, ReservedSegment } from './store-shapes.js';

export interface RelayResult {
  relayId: string;
  outcome: RelayOutcome;
  from: string;
  to: string;
  bits: number;
  /** Bits stored in the relayed pool by this request (all of `bits` when the outcome is relayed). */
  relayedBits: number;
  route: { paths: RoutePlan['paths'] };
  reason?: string;
}

/** Segments per relay chunk (per hop): bounds each chunk's reserve reply and commit arguments. */
const RELAY_CHUNK_SEGMENTS = 512;

const hmacSha256: Mac = (key, data) => new Uint8Array(createHmac('sha256', key).update(data).digest());

/** The paths of several chunks as one list: the same path's bits summed. */
function mergePaths(paths: RoutePlan['paths']): RoutePlan['paths'] {
  const byLinks = new Map<string, RoutePlan['paths'][number]>();
  for (const p of paths) {
    const key = p.linkIds.join('|');
    const seen = byLinks.get(key);
    byLinks.set(key, seen ? { ...seen, bits: seen.bits + p.bits } : { ...p });
  }
  return [...byLinks.values()];
}

/** Bits consumed from each link by a plan (every hop of a path gives the path's bits). */
function drawnBits(plan: RoutePlan): Record<string, number> {
  const out: Record<string, number> = {};
  for (const p of plan.paths) for (const l of p.linkIds) out[l] = (out[l] ?? 0) + p.bits;
  return out;
}

export class RelayService {
  constructor(
    private readonly store: KeyStore,
    private readonly authSecret: Uint8Array,
    private readonly segmentBits: number,
  ) {}

  private authKeyFor = (node: string): Uint8Array =>
    hmacSha256(this.authSecret, new TextEncoder().encode(`node-auth|${node}`));

  async edges(): Promise<GraphEdge[]> {
    const stats = await this.store.poolStats();
    return stats
      .filter((s) => s.meta && (s.meta.kind === 'satellite' || s.meta.kind === 'fibre'))
      .map((s) => ({ linkId: s.link, a: s.meta!.a, b: s.meta!.b, storedBits: s.storedBits }));
  }

  async relay(from: string, to: string, bits: number): Promise<RelayResult> {
    const relayId = randomUUID();
    if (from === to) throw new QkdsatError('VALIDATION', 'to: must differ from from');
    if (!planRoutes(await this.edges(), from, to, bits)) {
      return {
        relayId,
        from,
        to,
        bits,
        relayedBits: 0,
        outcome: 'failed',
        route: { paths: [] },
        reason: 'insufficient key on the routes between these stations',
      };
    }
    const chunkBits = RELAY_CHUNK_SEGMENTS * this.segmentBits;
    const paths: RoutePlan['paths'] = [];
    let relayedBits = 0;
    for (let chunk = 0; relayedBits < bits; chunk += 1) {
      const r = await this.relayChunk(`${relayId}:${chunk}`, from, to, Math.min(chunkBits, bits - relayedBits));
      paths.push(...r.route.paths);
      if (r.outcome !== 'relayed') return { ...r, relayId, bits, relayedBits, route: { paths: mergePaths(paths) } };
      relayedBits += r.bits;
    }
    return { relayId, outcome: 'relayed', from, to, bits, relayedBits, route: { paths: mergePaths(paths) } };
  }

  /** One chunk: route, reserve, stitch, commit; its reservation is idempotent under `chunkId`. */
  private async relayChunk(
    chunkId: string,
    from: string,
    to: string,
    bits: number,
  ): Promise<Omit<RelayResult, 'relayedBits'>> {
    const relayId = chunkId;
    const base = { relayId, from, to, bits };
    const plan = planRoutes(await this.edges(), from, to, bits);
    if (!plan)
      return {
        ...base,
        outcome: 'failed',
        route: { paths: [] },
        reason: 'insufficient key on the routes between these stations',
      };
    const groups = plan.paths.flatMap((p) => p.linkIds.map((l) => ({ needBits: p.bits, pools: [l] })));
    let res: { resId: string; segments: ReservedSegment[] };
    try {
      res = await this.store.reserve(
        groups,
        { relayId, from, to, bits, links: groups.map((g) => g.pools[0]) },
        `relay:${relayId}`,
      );
    } catch (e) {
      if (e instanceof QkdsatError && e.code === 'INSUFFICIENT_KEY') {
        return {
          ...base,
          outcome: 'failed',
          route: { paths: plan.paths },
          reason: 'key was taken by a concurrent request; retry',
        };
      }
      // The store voided the corrupt segments (audited) and released the rest of the reservation.
      if (e instanceof KeyIntegrityError)
        return { ...base, outcome: 'failed', route: { paths: plan.paths }, reason: e.message };
      throw e;
    }
    return this.stitchAndCommit(relayId, base, plan, res);
  }

  private async stitchAndCommit(
    relayId: string,
    base: Omit<RelayResult, 'outcome' | 'route' | 'relayedBits'>,
    plan: RoutePlan,
    res: { resId: string; segments: ReservedSegment[] },
  ): Promise<Omit<RelayResult, 'relayedBits'>> {
    const back: NewSegment[] = [];
    const hopKeys: KeyMaterial[] = [];
    const pathKeys: KeyMaterial[] = [];
    let voided: string | undefined;
    let g = 0;
    try {
      for (const p of plan.paths) {
        const hops: HopKeys[] = [];
        for (const l of p.linkIds) {
          const segs = res.segments.filter((s) => s.group === g + 1);
          g += 1;
          const joined = KeyMaterial.concat(segs.map((s) => s.material));
          const k = joined.slice(0, p.bits / 8);
          if (joined.lengthBytes > p.bits / 8) {
            back.push({
              pool: l,
              material: joined.slice(p.bits / 8, joined.lengthBytes),
              createdAt: segs[segs.length - 1]!.createdAt,
              front: true,
            });
          }
          joined.zeroise();
          hopKeys.push(k);
          // Simulated links hold identical copies at both ends; the stored block stands for both.
          hops.push({ near: k, far: k });
        }
        const r = stitchPath(relayId, p.nodes, hops, this.authKeyFor, hmacSha256);
        if (r.outcome === 'relayed') pathKeys.push(r.key);
        else voided ??= r.reason;
      }
      const stitched = voided ? [] : segment(KeyMaterial.concat(pathKeys), this.segmentBits);
      const target = linkId('relayed', base.from, base.to);
      const outcome: RelayOutcome = voided ? 'voided' : 'relayed';
      if (!voided)
        await this.store.registerLink(target, {
          kind: 'relayed',
          a: base.from < base.to ? base.from : base.to,
          b: base.from < base.to ? base.to : base.from,
        });
      await this.store.commit(
        res.resId,
        voided ? 'void' : 'relay',
        {
          relayId,
          outcome,
          from: base.from,
          to: base.to,
          bits: base.bits,
          drawn: drawnBits(plan),
          paths: plan.paths,
          ...(voided ? { reason: voided } : {}),
        },
        [...back, ...stitched.map((m) => ({ pool: target, material: m }))],
        [],
      );
      zeroiseAll(...stitched);
      return { ...base, outcome, route: { paths: plan.paths }, ...(voided ? { reason: voided } : {}) };
    } finally {
      zeroiseAll(...res.segments.map((s) => s.material), ...hopKeys, ...pathKeys, ...back.map((b) => b.material));
    }
  }
}
