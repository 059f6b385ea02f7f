/**
 * One satellite's Earth-fixed track for the pass finder and the track sampler: SGP4 positions on
 * a grid of nodes, rotated to ECEF once per node. Built once per element set and never changed
 * after: every station and every reader shares it, each through its own cursor (track-cursor.ts),
 * which interpolates the node positions.
 *
 * Why positions only: SGP4's velocity is not the time derivative of its position (they disagree
 * by up to 1.7e-4 km/s in LEO), so a cubic Hermite on positions and velocities errs by metres
 * whatever the step. The 10-node polynomial on positions errs by under 1 cm at 1/28 of the
 * perigee period (200 s in LEO: 7.7 mm worst over 100 LEO element sets; 8 nodes would need
 * 140 s for that, a cubic Hermite on SGP4 velocities errs 2 m at 56 s), i.e. about 1 us of
 * along-track time, with a quarter of the SGP4 calls of a 56 s grid. Its derivative gives a
 * velocity consistent with the interpolated positions, as Newton's method needs.
 */
import { gmstRad } from '../frames/index.js';
import type { Instant } from '../time/index.js';
import { TWO_PI } from '../units.js';
import type { PassSatellite, SatelliteFailure } from './model.js';
import { cursorOn, EXTRA, positionAt, STENCIL, type TrackCursor, type TrackNodes } from './track-cursor.js';

/**
 * Node spacing: 1/28 of the time the orbit takes to sweep 2 pi at its perigee angular rate
 * n (1 + e)^2 / (1 - e^2)^1.5 (the period for circular orbits), 1/60 for eccentric orbits
 * (e > 0.1, whose perigee passage is sharper than a circle at that rate: a Molniya errs 1.8 m
 * at 1/28, 7 cm at 1/60), between 10 s and 300 s.
 */
export function nodeStepMs(periodS: number, eccentricity: number): number {
  const e = Math.min(Math.max(eccentricity, 0), 0.99);
  const perigeeRateRadS = ((TWO_PI / periodS) * (1 + e) ** 2) / (1 - e * e) ** 1.5;
  return Math.min(Math.max(TWO_PI / (e > 0.1 ? 60 : 28) / perigeeRateRadS, 10), 300) * 1000;
}

export interface Track extends TrackNodes {
  /** Geocentric radius (km) per node. */
  readonly r: Float64Array;
  /** ECEF velocity (km/s) at the window nodes: the interpolating polynomial's derivative there. */
  readonly vx: Float64Array;
  readonly vy: Float64Array;
  readonly vz: Float64Array;
  /** Window nodes are first..last: t[first] = fromMs, t[last] = toMs or the last good ms before an SGP4 failure. */
  readonly last: number;
  /** Upper bound of the angular rate of the sub-satellite point (rad/ms), from SGP4's velocities. */
  readonly maxGroundRateRadMs: number;
  /** Largest speed (km/s), smallest and largest radius (km) over the window nodes. */
  readonly maxSpeedKmS: number;
  readonly minRadiusKm: number;
  readonly maxRadiusKm: number;
  readonly endReason: 'window' | 'decayed';
  readonly failure?: SatelliteFailure;
}

const EARTH_RATE_RAD_S = 7.292115e-5;

type Vec = { x: number; y: number; z: number };

/** Node arrays being filled, and the extremes of the window nodes seen so far. */
class NodeGrid {
  n = 0;
  readonly t: Float64Array;
  readonly x: Float64Array;
  readonly y: Float64Array;
  readonly z: Float64Array;
  readonly r: Float64Array;
  /** ECEF velocities, filled once the positions are in (fillNodeVelocities). */
  readonly vx: Float64Array;
  readonly vy: Float64Array;
  readonly vz: Float64Array;
  maxRate = 0;
  maxSpeed = 0;
  minRadius = Infinity;
  maxRadius = 0;
  /** One buffer for the track's eight arrays: one allocation per track instead of eight. */
  constructor(capacity: number) {
    const buffer = new ArrayBuffer(8 * capacity * Float64Array.BYTES_PER_ELEMENT);
    const column = (i: number) => new Float64Array(buffer, i * capacity * Float64Array.BYTES_PER_ELEMENT, capacity);
    this.t = column(0);
    this.x = column(1);
    this.y = column(2);
    this.z = column(3);
    this.r = column(4);
    this.vx = column(5);
    this.vy = column(6);
    this.vz = column(7);
  }
  /** Adds the TEME state (position, velocity) at t as an ECEF node. */
  add(t: Instant, position: Vec, velocity: Vec, inWindow: boolean): void {
    const gmst = gmstRad(t),
      cos = Math.cos(gmst),
      sin = Math.sin(gmst);
    const i = this.n++;
    this.t[i] = t;
    this.x[i] = cos * position.x + sin * position.y;
    this.y[i] = -sin * position.x + cos * position.y;
    this.z[i] = position.z;
    const radius = Math.sqrt(position.x * position.x + position.y * position.y + position.z * position.z),
      speed = Math.sqrt(velocity.x * velocity.x + velocity.y * velocity.y + velocity.z * velocity.z);
    this.r[i] = radius;
    if (inWindow) {
      this.maxRate = Math.max(this.maxRate, speed / radius);
      this.maxSpeed = Math.max(this.maxSpeed, speed);
      this.minRadius = Math.min(this.minRadius, radius);
      this.maxRadius = Math.max(this.maxRadius, radius);
    }
  }
}

/** Adds the EXTRA nodes before fromMs that SGP4 can reach, in time order. */
function addNodesBefore(grid: NodeGrid, sat: PassSatellite, fromMs: Instant, spacingMs: number): void {
  let before = 0;
  while (before < EXTRA && sat.propagator.propagate(fromMs - (before + 1) * spacingMs).ok) before += 1;
  for (let j = before; j >= 1; j -= 1) {
    const state = sat.propagator.propagate(fromMs - j * spacingMs);
    if (state.ok) grid.add(fromMs - j * spacingMs, state.positionTemeKm, state.velocityTemeKmS, false);
  }
}

/**
 * Adds the window nodes; on an SGP4 failure, bisects to the last good millisecond, which becomes
 * the last node. Returns the failure, if any.
 */
function addWindowNodes(
  grid: NodeGrid,
  sat: PassSatellite,
  fromMs: Instant,
  toMs: Instant,
  steps: number,
  stepMs: number,
): SatelliteFailure | undefined {
  let lastGood = Number.NaN;
  for (let k = 0; k <= steps; k += 1) {
    const t = k === steps ? toMs : fromMs + k * stepMs;
    const state = sat.propagator.propagate(t);
    if (state.ok) {
      grid.add(t, state.positionTemeKm, state.velocityTemeKmS, true);
      lastGood = t;
      continue;
    }
    const failure = { noradId: sat.noradId, atMs: t, code: state.code, reason: state.reason };
    if (Number.isNaN(lastGood)) {
      grid.n = 0;
      return failure;
    }
    let good = lastGood,
      bad = t;
    while (bad - good > 1) {
      const mid = Math.floor((good + bad) / 2);
      if (sat.propagator.propagate(mid).ok) good = mid;
      else bad = mid;
    }
    const last = sat.propagator.propagate(good);
    if (last.ok && good > lastGood) grid.add(good, last.positionTemeKm, last.velocityTemeKmS, true);
    return { ...failure, atMs: bad };
  }
  return undefined;
}

/**
 * Propagates `sat` on the node grid over [fromMs, toMs] plus EXTRA nodes on either side (where
 * SGP4 succeeds). On an SGP4 failure inside the window, bisects to the last good millisecond,
 * which becomes the last node.
 */
export function buildTrack(sat: PassSatellite, fromMs: Instant, toMs: Instant, stepMs: number): Track {
  const span = Math.max(toMs - fromMs, 0);
  const steps = Math.max(1, Math.ceil(span / stepMs));
  const windowStepMs = span / steps;
  // Outside the window the nodes keep the window's spacing unless that is degenerate (< 1 s).
  const outsideStepMs = windowStepMs >= 1000 ? windowStepMs : stepMs;
  const capacity = steps + 1 + 2 * EXTRA;
  const grid = new NodeGrid(capacity);
  addNodesBefore(grid, sat, fromMs, outsideStepMs);
  const first = grid.n;
  const failure = addWindowNodes(grid, sat, fromMs, toMs, steps, windowStepMs);
  const last = grid.n - 1;
  if (!failure) {
    for (let j = 1; j <= EXTRA; j += 1) {
      const state = sat.propagator.propagate(toMs + j * outsideStepMs);
      if (!state.ok) break;
      grid.add(toMs + j * outsideStepMs, state.positionTemeKm, state.velocityTemeKmS, false);
    }
  }
  // One object shape for every track (failure or not): the evaluators stay monomorphic.
  const track: Track = {
    n: grid.n,
    t: grid.t,
    x: grid.x,
    y: grid.y,
    z: grid.z,
    first,
    stepMs: windowStepMs,
    r: grid.r,
    vx: grid.vx,
    vy: grid.vy,
    vz: grid.vz,
    last,
    maxGroundRateRadMs: (grid.maxRate * 1.1 + EARTH_RATE_RAD_S) / 1000,
    maxSpeedKmS: grid.maxSpeed,
    minRadiusKm: grid.minRadius,
    maxRadiusKm: grid.maxRadius,
    endReason: failure ? 'decayed' : 'window',
    failure,
  };
  fillNodeVelocities(track);
  return track;
}

/**
 * Derivative at node 0 of the Lagrange basis on the nodes -EXTRA..STENCIL-1-EXTRA (unit spacing):
 * the velocity at a window node from its stencil's positions, as `positionAt` would give it.
 */
const DERIVATIVE_WEIGHTS = Array.from({ length: STENCIL }, (_, j) => {
  const xj = j - EXTRA;
  let sum = 0;
  for (let i = 0; i < STENCIL; i += 1) {
    if (i === j) continue;
    let term = 1 / (xj - (i - EXTRA));
    for (let m = 0; m < STENCIL; m += 1) if (m !== j && m !== i) term *= (0 - (m - EXTRA)) / (xj - (m - EXTRA));
    sum += term;
  }
  return sum;
});

/**
 * Velocities at the window nodes (part of building the track): fixed weights on evenly spaced
 * stencils, else the polynomial.
 */
function fillNodeVelocities(track: Track): void {
  const { t, x, y, z, vx, vy, vz, n, stepMs } = track;
  let cursor: TrackCursor | undefined;
  for (let k = track.first; k <= track.last; k += 1) {
    const lo = k - EXTRA;
    let even = lo >= 0 && lo + STENCIL <= n && stepMs > 0;
    for (let j = 1; even && j < STENCIL; j += 1) even = Math.abs(t[lo + j]! - t[lo + j - 1]! - stepMs) <= 1e-6 * stepMs;
    if (!even) {
      const p = positionAt((cursor ??= cursorOn(track)), t[k]!);
      vx[k] = p.vx;
      vy[k] = p.vy;
      vz[k] = p.vz;
      continue;
    }
    let sx = 0,
      sy = 0,
      sz = 0;
    for (let j = 0; j < STENCIL; j += 1) {
      const weight = DERIVATIVE_WEIGHTS[j]!;
      sx += weight * x[lo + j]!;
      sy += weight * y[lo + j]!;
      sz += weight * z[lo + j]!;
    }
    const inv = 1000 / stepMs;
    vx[k] = sx * inv;
    vy[k] = sy * inv;
    vz[k] = sz * inv;
  }
}
