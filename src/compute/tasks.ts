/**
 * The CPU-bound work of the API process, as tasks of the compute thread pool (worker-pool.ts):
 * pass finding, planning candidates, plans (MILP, weather scenarios), pass tracks and pass
 * simulations. Inputs and outputs are plain data (structured clone).
 */
import { simulatePass, type SimulateOptions, type SimulationSetup, type TrackSample } from '../core/keyrate/index.js';
import {
  parseCatalog,
  passesOf,
  passPage,
  type ElementSet,
  type PassPageInput,
  type Station,
} from '../../tle/domain/index.js';
import { passTrackAt } from '../../tle/domain/pass-track.js';
import { candidatesOf, type CandidateInput } from '../../scheduler/adapters/catalog-source.js';
import { highsSolver } from '../../scheduler/adapters/highs-solver.js';
import { planSchedule, type Candidate, type Demand, type Gaps, type SolverKind } from '../../scheduler/domain/index.js';

export interface PassesInput {
  sets: ElementSet[];
  stations: Station[];
  fromMs: number;
  toMs: number;
  minElevationDeg?: number;
  refraction?: boolean;
}
export interface PlanInput {
  cands: Candidate[];
  demand: Demand;
  solver: SolverKind;
  timeLimitS: number;
  gaps: Gaps;
  fixedIds: string[];
  weather?: { scenarios: number; seed: number };
}

const milp = highsSolver();

export const computeTasks = {
  passes: (q: PassesInput) => passesOf(q.sets, q.stations, q),
  passPage: (q: PassPageInput) => passPage(q),
  parseCatalog: (body: unknown) => parseCatalog(body),
  candidates: (q: CandidateInput) => candidatesOf(q),
  plan: (q: PlanInput) =>
    planSchedule(q.cands, q.demand, {
      solver: q.solver,
      timeLimitS: q.timeLimitS,
      gaps: q.gaps,
      fixedIds: new Set(q.fixedIds),
      milp,
      nowMs: () => performance.now(),
      ...(q.weather ? { weather: q.weather } : {}),
    }),
  passTrack: (q: { es: ElementSet; station: Station; aosMs: number }) => passTrackAt(q.es, q.station, q.aosMs),
  simulatePass: (q: { track: TrackSample[]; setup: SimulationSetup; options: SimulateOptions }) =>
    simulatePass(q.track, q.setup, q.options),
};
export type ComputeTasks = typeof computeTasks;
