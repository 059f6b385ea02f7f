/** The simulation's JSON output (the CLI's `--format json` and the REST job result). */
import { z } from 'zod';
import { toIso } from '../../src/core/time/index.js';
import { PairDeliveryWire } from '../../scheduler/domain/wire.js';
import type { SimulationResult } from './simulate.js';

export const NetworkReportSchema = z
  .object({
    days: z.number(),
    seed: z.number(),
    start: z.string(),
    solver: z.enum(['exact', 'heuristic']),
    planning: z.enum(['expected', 'robust']),
    replans: z.number(),
    pairs: z.array(
      PairDeliveryWire.extend({
        starvedDays: z.number(),
        monthly: z.array(
          z.object({
            month: z.string().describe('YYYY-MM (UTC) of the daily draws'),
            demandBits: z.number(),
            deliveredBits: z.number(),
          }),
        ),
        relayedBits: z.number(),
      }),
    ),
    stations: z.array(
      z.object({
        id: z.string(),
        passesExecuted: z.number(),
        clearNights: z.number(),
        utilisation: z.number(),
        nights: z.number(),
        depositedBits: z.number(),
        localDemandBits: z.number(),
        localDeliveredBits: z.number(),
      }),
    ),
    satellites: z.array(
      z.object({
        noradId: z.number(),
        passesExecuted: z.number(),
        storagePeakBits: z.number(),
        bufferBits: z.number(),
        depositedBits: z.number(),
        discardedBits: z.number(),
        expiredBits: z.number(),
        /** Highest onboard level of each simulated day, bits. */
        storageDaily: z.array(z.number()),
      }),
    ),
    totals: z.object({
      depositedBits: z.number(),
      expiredBits: z.number(),
      deliveredBits: z.number(),
      worstPairP10MonthlyFraction: z.number(),
    }),
    runtimeMs: z.number(),
  })
  .meta({ id: 'NetworkSimulation' });
export type NetworkReport = z.infer<typeof NetworkReportSchema>;

export interface ReportMeta {
  days: number;
  seed: number;
  startMs: number;
  solver: 'exact' | 'heuristic';
  planning: 'expected' | 'robust';
  runtimeMs: number;
  buffers: Record<number, number>;
}

/** The `probability`-quantile by the nearest-rank rule (deterministic, no interpolation). */
export function quantile(values: readonly number[], probability: number): number {
  if (!values.length) return 0;
  const sorted = [...values].sort((x, y) => x - y);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(probability * sorted.length) - 1))]!;
}

/**
 * Worst pair's 10th-percentile monthly delivery, as a fraction of that month's demand (the days
 * simulated in it): for each pair, the 10th percentile (nearest rank) of its monthly
 * delivered/demand; the minimum over pairs.
 */
function worstPairP10(pairs: readonly { monthly: readonly { demandBits: number; deliveredBits: number }[] }[]): number {
  if (!pairs.length) return 1;
  return Math.min(
    ...pairs.map((p) =>
      quantile(
        p.monthly.map((m) => Math.min(1, m.deliveredBits / m.demandBits)),
        0.1,
      ),
    ),
  );
}

export function toReport(result: SimulationResult, meta: ReportMeta): NetworkReport {
  const onboardExpired = result.satellites.reduce((s, x) => s + x.expiredBits, 0);
  const groundExpired = result.ledger.reduce((s, e) => s + (e.kind === 'expire-ground' ? e.bits : 0), 0);
  return {
    days: meta.days,
    seed: meta.seed,
    start: toIso(meta.startMs),
    solver: meta.solver,
    planning: meta.planning,
    replans: result.replans,
    pairs: result.pairs.map((p) => ({
      a: p.a,
      b: p.b,
      demandBits: p.demandBits,
      deliveredBits: p.deliveredBits,
      starvedDays: p.starvedDays,
      monthly: p.monthly,
      relayedBits: p.relayedBits,
    })),
    stations: result.stations.map((g) => ({
      id: g.id,
      passesExecuted: g.passesExecuted,
      clearNights: g.clearNights,
      utilisation: Math.round(g.utilisation * 1e6) / 1e6,
      nights: g.nights,
      depositedBits: g.depositedBits,
      localDemandBits: g.localDemandBits,
      localDeliveredBits: g.localDeliveredBits,
    })),
    satellites: result.satellites.map((x) => ({
      noradId: x.noradId,
      passesExecuted: x.passesExecuted,
      storagePeakBits: x.storagePeakBits,
      bufferBits: meta.buffers[x.noradId]!,
      depositedBits: x.depositedBits,
      discardedBits: x.discardedBits,
      expiredBits: x.expiredBits,
      storageDaily: x.storageDaily,
    })),
    totals: {
      depositedBits: result.satellites.reduce((s, x) => s + x.depositedBits, 0),
      expiredBits: onboardExpired + groundExpired,
      deliveredBits: result.pairs.reduce((s, p) => s + p.deliveredBits, 0),
      worstPairP10MonthlyFraction: Math.round(worstPairP10(result.pairs) * 1e6) / 1e6,
    },
    runtimeMs: meta.runtimeMs,
  };
}
