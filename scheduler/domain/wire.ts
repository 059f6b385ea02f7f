/** The plan's wire form (CLI JSON and REST): ISO times, `via` as satellites with bits. */
import { z } from 'zod';
import { toIso } from '../../src/core/time/index.js';
import type { Plan } from './plan.js';
import { expectedSecureBitsWeather } from './candidate.js';

/** A pair's demand and the key it got: the common part of plan and network-report pairs. */
export const PairDeliveryWire = z.object({
  a: z.string(),
  b: z.string(),
  demandBits: z.number(),
  deliveredBits: z.number(),
});
const ObjectiveWire = z.object({ worstPairFraction: z.number(), demandMetBits: z.number(), totalKeyBits: z.number() });
const SpreadWire = z.object({ mean: z.number(), p10: z.number(), p50: z.number(), p90: z.number(), min: z.number() });
const WeatherWire = z
  .object({
    scenarios: z.number(),
    seed: z.number(),
    worstPairFraction: SpreadWire,
    demandMetBits: SpreadWire,
    totalKeyBits: SpreadWire,
    pairStarvedProbability: z.number(),
  })
  .meta({
    id: 'WeatherRisk',
    description:
      'the plan under sampled weather: one clear/cloud draw per station-night with its clear-sky probability',
  });

export const PlanWireSchema = z
  .object({
    bookings: z.array(
      z.object({
        id: z.string(),
        noradId: z.number(),
        stationId: z.string(),
        start: z.string(),
        end: z.string(),
        expectedSecureBits: z.number().describe('secure bits if the sky is clear'),
        expectedSecureBitsWeather: z.number().describe('expectedSecureBits times clearSkyProbability'),
        clearSkyProbability: z.number(),
        elementSetEpoch: z.string().optional().describe('epoch of the element set the pass was predicted from'),
        epochAgeDays: z.number().optional().describe('mid-pass minus that epoch, days'),
      }),
    ),
    pairs: z.array(
      PairDeliveryWire.extend({
        via: z.array(z.object({ noradId: z.number(), bits: z.number() })),
      }),
    ),
    stations: z.record(z.string(), z.number()),
    objective: ObjectiveWire,
    bound: ObjectiveWire.nullable(),
    gapPercent: z.number().nullable(),
    solver: z.enum(['exact', 'heuristic']),
    status: z.string(),
    solveTimeMs: z.number(),
    weather: WeatherWire.optional(),
  })
  .meta({ id: 'Plan' });
export type PlanWire = z.infer<typeof PlanWireSchema>;

const round = (x: number) => Math.round(x);
const obj = (o: Plan['objective']) => ({
  worstPairFraction: Math.round(o.worstPairFraction * 1e6) / 1e6,
  demandMetBits: round(o.demandMetBits),
  totalKeyBits: round(o.totalKeyBits),
});

export function planToWire(plan: Plan): PlanWire {
  return {
    bookings: plan.bookings.map((b) => ({
      id: b.id,
      noradId: b.noradId,
      stationId: b.stationId,
      start: toIso(b.startMs),
      end: toIso(b.endMs),
      expectedSecureBits: b.expectedSecureBits,
      expectedSecureBitsWeather: expectedSecureBitsWeather(b),
      clearSkyProbability: b.clearSkyProbability,
      ...(b.elementSetEpochMs !== undefined
        ? {
            elementSetEpoch: toIso(b.elementSetEpochMs),
            epochAgeDays: Math.round((((b.startMs + b.endMs) / 2 - b.elementSetEpochMs) / 86_400_000) * 1000) / 1000,
          }
        : {}),
    })),
    pairs: plan.pairs.map((q) => ({
      a: q.a,
      b: q.b,
      demandBits: q.demandBits,
      deliveredBits: round(q.deliveredBits),
      via: Object.entries(q.via).map(([s, bits]) => ({ noradId: Number(s), bits: round(bits) })),
    })),
    stations: Object.fromEntries(Object.entries(plan.stationMetBits).map(([g, v]) => [g, round(v)])),
    objective: obj(plan.objective),
    bound: plan.bound && obj(plan.bound),
    gapPercent: plan.gapPercent === null ? null : Math.round(plan.gapPercent * 1e4) / 1e4,
    solver: plan.solver,
    status: plan.status,
    solveTimeMs: Math.round(plan.solveTimeMs),
    ...(plan.weather ? { weather: plan.weather } : {}),
  };
}
