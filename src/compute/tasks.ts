/**
 * The CPU-bound work of the API process, as tasks of the compute thread pool (worker-pool.ts):
 * pass finding, planning candidates, plans (MILP, weather scenarios), pass tracks and pass
 * simulations. Inputs and outputs are plain data (structured clone).
 */
import { LinkTables } from '../core/channel/index.js';
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
import type { PlanProblem } from '../../scheduler/adapters/ports.js';
import { planSchedule } from '../../scheduler/domain/index.js';

export interface PassesInput {
  sets: ElementSet[];
  stations: Station[];
  fromMs: number;
  toMs: number;
  minElevationDeg?: number;
  refraction?: boolean;
}

const milp = highsSolver();

/** This thread's link tables, kept across tasks (they hold Fresnel-integral tables; see LinkTables). */
const linkTables = new LinkTables();

export const computeTasks = {
  passes: (input: PassesInput) => passesOf(input.sets, input.stations, input),
  passPage: (input: PassPageInput) => passPage(input),
  parseCatalog: (body: unknown) => parseCatalog(body),
  candidates: (input: CandidateInput) => candidatesOf(input, linkTables),
  plan: (problem: PlanProblem) =>
    planSchedule(problem.cands, problem.demand, {
      solver: problem.solver,
      timeLimitS: problem.timeLimitS,
      gaps: problem.gaps,
      fixedIds: new Set(problem.fixedIds),
      milp,
      nowMs: () => performance.now(),
      ...(problem.weather ? { weather: problem.weather } : {}),
    }),
  passTrack: (input: { es: ElementSet; station: Station; aosMs: number }) =>
    passTrackAt(input.es, input.station, input.aosMs),
  simulatePass: (input: { track: TrackSample[]; setup: SimulationSetup; options: SimulateOptions }) =>
    simulatePass(input.track, input.setup, { ...input.options, tables: linkTables }),
};
export type ComputeTasks = typeof computeTasks;
