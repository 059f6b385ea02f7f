/**
 * The network simulation: the service's loop (rolling re-plans on the cron over the horizon, frozen
 * near-term bookings, pass execution with the seeded pass simulation, key deposit, satellite
 * trusted-node relay, consumption by the demand, key expiry) on a discrete-event clock that jumps
 * from event to event. Planner, candidates and pass runner come in as ports (the same functions
 * the service uses); everything else here is pure bookkeeping, seeded, with no clock of its own.
 *
 * Events, in time order (ties: pass ends, then the daily draw, then a re-plan):
 * - re-plan (cron): passes at stations with demand (pair or station) are the candidates; forecasts
 *   replace the climatology of every candidate in the horizon, onboard key enters the plan as
 *   fixed pseudo-passes (so the planner completes half-held relays), the demand
 *   is what each pair still needs (its daily demand over the horizon plus the shortfall of its
 *   ground pool against `targetDays`), and the plan is trimmed to the onboard buffer (`fitToBuffer`);
 * - pass end (LOS): clear night -> the pass runner's key. As it arrives, the satellite XORs it with
 *   partner key waiting on board (K_A xor K_B announced: that part needs no storage), stores the
 *   rest up to the free buffer (the excess is discarded), then relays for every pair with both
 *   ends' key on board;
 * - daily draw (every 24 h from the start): each pair's consumer takes its daily demand from its
 *   ground pool (a day on which it gets nothing is a starved day); station demand from onboard key.
 * Expiry is applied before every event at the instant each block's lifetime ended.
 */
import type { Candidate, Demand } from '../../scheduler/domain/candidate.js';
import type { Plan } from '../../scheduler/domain/plan.js';
import type { Booking } from '../../scheduler/domain/booking.js';
import type { LedgerEntry } from './ledger.js';
import { fnv1a, mulberry32 } from '../../src/core/keyrate/random.js';
import { NetworkState, type SimPair, type SimSatellite } from './network-state.js';
import {
  DAY_MS,
  forecastClear,
  isClear,
  nightOf,
  realiseWeather,
  type StationWeather,
  type WeatherStation,
} from './weather.js';
import { robustPlan } from './robust.js';
import { fitToBuffer, HELD_PREFIX, heldPseudoPasses, horizonDemand } from './replan-inputs.js';
import type { Planning } from './config.schema.js';

interface PassOutcome {
  secureBits: number;
  cloudy: boolean;
}

export interface SimulationPorts {
  /** Predicted, weighted passes in [fromMs, toMs) with climatological clear-sky probability. */
  candidates(fromMs: number, toMs: number): Promise<Candidate[]>;
  /** The service's RunPass: here always called for a clear night (clearSkyProbability 1). */
  runPass(booking: Booking, seed: number): Promise<PassOutcome>;
  /** The service's planner (planSchedule with its solver). */
  plan(cands: Candidate[], demand: Demand, fixedIds: ReadonlySet<string>): Promise<Plan>;
  /** The next cron instant strictly after `afterMs`. */
  nextReplanMs(afterMs: number): number;
  /** Called after every re-plan with the simulated fraction done. */
  onProgress?(fraction: number): void | Promise<void>;
}

export interface SimulationSetup {
  startMs: number;
  days: number;
  seed: number;
  planning: Planning;
  stations: WeatherStation[];
  satellites: SimSatellite[];
  pairs: SimPair[];
  /** Station demand (key shared with a satellite, used at the station), bits per day. */
  stationDemand: Record<string, number>;
  horizonHours: number;
  frozenMinutes: number;
  weather: { persistence: number; forecastSkill: number; skillDecayHours: number };
  keys: { groundLifetimeMs: number; targetDays: number };
  robust: { scenarios: number; cvarFraction: number };
}

export interface SimulationResult {
  ledger: LedgerEntry[];
  pairs: {
    a: string;
    b: string;
    demandBits: number;
    deliveredBits: number;
    starvedDays: number;
    monthly: { month: string; demandBits: number; deliveredBits: number }[];
    relayedBits: number;
  }[];
  stations: {
    id: string;
    passesExecuted: number;
    clearNights: number;
    nights: number;
    utilisation: number;
    depositedBits: number;
    localDemandBits: number;
    localDeliveredBits: number;
  }[];
  satellites: {
    noradId: number;
    passesExecuted: number;
    storagePeakBits: number;
    depositedBits: number;
    discardedBits: number;
    expiredBits: number;
    storageDaily: number[];
  }[];
  replans: number;
}

export async function simulateNetwork(setup: SimulationSetup, ports: SimulationPorts): Promise<SimulationResult> {
  const endMs = setup.startMs + setup.days * DAY_MS;
  const horizonMs = setup.horizonHours * 3_600_000;
  const weather = realiseWeather(
    setup.stations,
    setup.startMs - DAY_MS,
    endMs + horizonMs + 2 * DAY_MS,
    setup.seed,
    setup.weather.persistence,
  );
  const station = new Map(setup.stations.map((g) => [g.id, g]));
  const wx = (g: string): StationWeather => weather.get(g)!;
  const net = new NetworkState(
    setup.stations.map((g) => g.id),
    setup.satellites,
    setup.pairs,
    setup.keys.groundLifetimeMs,
    setup.keys.targetDays,
  );
  const executed = new Set<string>();
  let bookings: Candidate[] = [];
  let replans = 0;
  // Planning scenarios draw from their own stream (the weather seeds per station), so robust planning never shifts the
  // weather.
  const rand = mulberry32((setup.seed ^ 0x9e3779b9) >>> 0);
  // Key at a station nobody asks for could only fill the onboard buffers: such passes are not planned.
  const served = new Set([...setup.pairs.flatMap((p) => [p.a, p.b]), ...Object.keys(setup.stationDemand)]);

  const executePass = async (b: Candidate) => {
    executed.add(b.id);
    const clear = isClear(wx(b.stationId), nightOf(station.get(b.stationId)!.longitudeDeg, b.startMs));
    const booking: Booking = {
      id: b.id,
      noradId: b.noradId,
      stationId: b.stationId,
      startMs: b.startMs,
      endMs: b.endMs,
      expectedSecureBits: b.expectedSecureBits,
      clearSkyProbability: 1,
      state: 'PASS',
      reason: 'simulated',
      planId: 'network',
      updatedMs: b.endMs,
    };
    const out = clear
      ? await ports.runPass(booking, (setup.seed ^ fnv1a(b.id)) >>> 0)
      : { secureBits: 0, cloudy: true };
    net.passRan(
      { id: b.id, stationId: b.stationId, noradId: b.noradId, startMs: b.startMs, endMs: b.endMs, clear },
      Math.max(0, Math.floor(out.secureBits)),
    );
  };
  const replan = async (nowMs: number) => {
    replans += 1;
    const frozenUntil = nowMs + setup.frozenMinutes * 60_000;
    const frozen = bookings.filter((b) => b.startMs < frozenUntil);
    const frozenIds = new Set(frozen.map((b) => b.id));
    const fresh = (await ports.candidates(nowMs, nowMs + horizonMs)).filter(
      (c) =>
        c.startMs >= frozenUntil &&
        !executed.has(c.id) &&
        !frozenIds.has(c.id) &&
        net.buffers.has(c.noradId) &&
        served.has(c.stationId) &&
        station.has(c.stationId),
    );
    const forecast = (c: Candidate): Candidate => ({
      ...c,
      expectedSecureBits: Math.min(c.expectedSecureBits, net.buffers.get(c.noradId)!.capacityBits),
      clearSkyProbability: forecastClear(
        wx(c.stationId),
        nightOf(station.get(c.stationId)!.longitudeDeg, c.startMs),
        nowMs,
        setup.weather,
      ),
    });
    const held = heldPseudoPasses(net.buffers, nowMs);
    const cands = [...frozen.map(forecast), ...fresh.map(forecast), ...held];
    const fixed = new Set([...frozenIds, ...held.map((h) => h.id)]);
    const demand = horizonDemand(setup, net.pools, horizonMs);
    const plan =
      setup.planning === 'robust'
        ? await robustPlan(cands, demand, fixed, ports.plan, {
            ...setup.robust,
            persistence: setup.weather.persistence,
            rand,
          })
        : await ports.plan(cands, demand, fixed);
    bookings = fitToBuffer(
      plan.bookings.filter((b) => !b.id.startsWith(HELD_PREFIX)),
      net.buffers,
      setup.pairs,
      frozenIds,
    );
    await ports.onProgress?.(Math.min(1, (nowMs - setup.startMs) / (endMs - setup.startMs)));
  };

  let nextReplan = setup.startMs;
  let nextDraw = setup.startMs + DAY_MS;
  for (;;) {
    const pass = bookings.reduce<Candidate | undefined>(
      (m, b) => (!m || b.endMs < m.endMs || (b.endMs === m.endMs && b.id < m.id) ? b : m),
      undefined,
    );
    const passAt = pass ? pass.endMs : Infinity;
    const t = Math.min(passAt, nextDraw, nextReplan);
    if (t > endMs || (t === endMs && passAt > endMs && nextDraw > endMs)) break;
    net.expire(t);
    if (pass && passAt === t) {
      bookings = bookings.filter((b) => b !== pass);
      await executePass(pass);
    } else if (nextDraw === t) {
      net.dailyDraw(t, setup.stationDemand);
      nextDraw += DAY_MS;
    } else {
      await replan(t);
      const n = ports.nextReplanMs(t);
      if (!(n > t)) throw new Error('nextReplanMs must move forward');
      nextReplan = n;
    }
  }
  return resultOf(setup, net, wx, replans);
}

function resultOf(
  s: SimulationSetup,
  net: NetworkState,
  wx: (g: string) => StationWeather,
  replans: number,
): SimulationResult {
  const endMs = s.startMs + s.days * DAY_MS;
  const nights = (g: WeatherStation) => {
    let clear = 0,
      all = 0;
    for (let n = nightOf(g.longitudeDeg, s.startMs); n < nightOf(g.longitudeDeg, endMs); n += 1) {
      all += 1;
      if (isClear(wx(g.id), n)) clear += 1;
    }
    return { clear, all };
  };
  return {
    ledger: net.ledger,
    replans,
    pairs: s.pairs.map((p, n) => {
      const c = net.pairCounters[n]!;
      return {
        a: p.a,
        b: p.b,
        demandBits: p.bitsPerDay * s.days,
        deliveredBits: c.delivered,
        starvedDays: c.starved,
        relayedBits: c.relayed,
        monthly: [...c.monthly].map(([month, m]) => ({ month, ...m })),
      };
    }),
    stations: s.stations.map((g) => {
      const x = net.stationCounters.get(g.id)!,
        w = nights(g);
      return {
        id: g.id,
        passesExecuted: x.passes,
        clearNights: w.clear,
        nights: w.all,
        utilisation: x.busyMs / (endMs - s.startMs),
        depositedBits: x.deposited,
        localDemandBits: x.localDemand,
        localDeliveredBits: x.localDelivered,
      };
    }),
    satellites: s.satellites.map((x) => {
      const v = net.satelliteCounters.get(x.noradId)!;
      return {
        noradId: x.noradId,
        passesExecuted: v.passes,
        storagePeakBits: v.peak,
        depositedBits: v.deposited,
        discardedBits: v.discarded,
        expiredBits: v.expired,
        storageDaily: v.daily,
      };
    }),
  };
}
