/**
 * One satellite-station search and the workspace it runs in. A findPasses call allocates one
 * workspace and passes it explicitly to each search; nothing is kept between calls, and concurrent
 * calls share only the (immutable) tracks.
 */
import type { Instant } from '../time/index.js';
import { geometricForApparentRad, stationGeometry, type StationGeometry } from './geometry.js';
import { emptyLook, lookAt, lookAtNode, siteFrame, type LookState, type SiteFrame } from './look.js';
import type { PassStation } from './model.js';
import { extremumBetween, hermiteRootAt, solveFrom, type Bracket } from './solver.js';
import type { Track } from './track.js';
import { cursorOn, positionAt, type PositionState, type TrackCursor } from './track-cursor.js';

/** A station as the search sees it. */
export interface StationContext {
  sg: StationGeometry;
  frame: SiteFrame;
  siteRadiusKm: number;
  /** Geometric elevation above which the (lowest) mask can be met: refraction lowers it. */
  thresholdRad: number;
}

export function stationContext(
  station: PassStation,
  minElevationRad: number | undefined,
  refraction: boolean,
): StationContext {
  const sg = stationGeometry(station, minElevationRad);
  const p = sg.site.positionEcefKm;
  return {
    sg,
    frame: siteFrame(sg.site),
    siteRadiusKm: Math.hypot(p.x, p.y, p.z),
    thresholdRad: refraction ? geometricForApparentRad(sg.minMaskRad) : sg.minMaskRad,
  };
}

/**
 * Elevation, its rate, range and range rate at the nodes of one station's examined intervals;
 * `stamp[k] === current` when node k's values are the current station's.
 */
interface NodeLooks {
  el: Float64Array;
  elRate: Float64Array;
  range: Float64Array;
  rangeRate: Float64Array;
  stamp: Int32Array;
  current: number;
}

function nodeLooks(capacity: number, old?: NodeLooks): NodeLooks {
  if (old && old.el.length >= capacity) return old;
  const values = () => new Float64Array(capacity);
  return {
    el: values(),
    elRate: values(),
    range: values(),
    rangeRate: values(),
    stamp: new Int32Array(capacity),
    current: old?.current ?? 0,
  };
}

/** Times, elevation, its rate, range and its rate at the points of one pass (describePass). */
export class PassPoints {
  t = new Float64Array(0);
  e = this.t;
  de = this.t;
  r = this.t;
  dr = this.t;
  capacity(needed: number): void {
    if (this.t.length >= needed) return;
    const size = Math.max(needed, 2 * this.t.length, 64);
    this.t = new Float64Array(size);
    this.e = new Float64Array(size);
    this.de = new Float64Array(size);
    this.r = new Float64Array(size);
    this.dr = new Float64Array(size);
  }
  put(index: number, instant: Instant, el: number, elRate: number, range: number, rangeRate: number): void {
    this.t[index] = instant;
    this.e[index] = el;
    this.de[index] = elRate;
    this.r[index] = range;
    this.dr[index] = rangeRate;
  }
}

/**
 * Scratch of one findPasses call, reused from one satellite and station to the next of that call
 * only: the cursor on the current track, the last look, node looks and pass points.
 */
export class PassWorkspace {
  private cursor: TrackCursor | undefined;
  private looks: NodeLooks | undefined;
  readonly look = emptyLook();
  readonly points = new PassPoints();

  /** Starts a search of `track` over `station`. */
  search(track: Track, station: StationContext, tolMs: number): Search {
    if (this.cursor?.nodes !== track) {
      this.cursor = cursorOn(track, this.cursor);
      this.looks = nodeLooks(track.n, this.looks);
    }
    this.looks!.current += 1;
    return new Search(track, station, this.cursor, this.looks!, this.look, this.points, tolMs);
  }
}

/** One satellite-station search: its track, station, workspace, and the rates the root solvers need. */
export class Search {
  constructor(
    readonly track: Track,
    readonly station: StationContext,
    private readonly cursor: TrackCursor,
    readonly nodes: NodeLooks,
    /** The last look evaluated (by `lookAt` or `node`). */
    readonly last: LookState,
    readonly points: PassPoints,
    readonly tolMs: number,
  ) {}

  /** Look angles at `instant`, into `last`. */
  lookAt(instant: Instant): LookState {
    return lookAt(this.cursor, this.station.frame, instant, this.last);
  }
  /** ECEF position and velocity at `instant` (the cursor's output: read it before the next evaluation). */
  positionAt(instant: Instant): PositionState {
    return positionAt(this.cursor, instant);
  }
  readonly elevationRate = (t: Instant): number => this.lookAt(t).elevationRateRadS;
  readonly rangeRate = (t: Instant): number => this.lookAt(t).rangeRateKmS;

  /**
   * A look value at t, the root of its rate just found: the solver's last evaluation, within the
   * tolerance of t, is kept (the value is stationary there; the difference is < 1e-9 of it).
   */
  lastValue(instant: Instant, key: 'elevationRad' | 'rangeKm'): number {
    const last = this.last;
    return last.atMs === instant || Math.abs(last.atMs - instant) <= this.tolMs ? last[key] : this.lookAt(instant)[key];
  }

  /** Looks at node `nodeIndex` (once per station). */
  node(nodeIndex: number): void {
    const nl = this.nodes;
    if (nl.stamp[nodeIndex] === nl.current) return;
    const la = lookAtNode(this.track, this.station.frame, nodeIndex, this.last);
    nl.el[nodeIndex] = la.elevationRad;
    nl.elRate[nodeIndex] = la.elevationRateRadS;
    nl.range[nodeIndex] = la.rangeKm;
    nl.rangeRate[nodeIndex] = la.rangeRateKmS;
    nl.stamp[nodeIndex] = nl.current;
  }

  /** The threshold of the crossing being solved, and its residual and slope (bound once per search). */
  private thresholdRad = 0;
  private readonly aboveThreshold = (t: Instant): number => this.lookAt(t).elevationRad - this.thresholdRad;
  private readonly lastElevationRatePerMs = (): number => this.last.elevationRateRadS / 1000;

  /**
   * Root of g = elevation - thresholdRad in [lo, hi], gLo = g(lo) and g(hi) of opposite signs, from
   * `guess`: Newton's method on the elevation rate (quadratic convergence leaves microseconds).
   */
  private crossing(thresholdRad: number, lo: Instant, hi: Instant, gLo: number, guess: Instant): Instant {
    this.thresholdRad = thresholdRad;
    return solveFrom(this.aboveThreshold, lo, hi, gLo, guess, Number.NaN, this.tolMs, this.lastElevationRatePerMs);
  }

  /**
   * Crossing inside a bracket of g = elevation - threshold and the elevation rate (rad/s): Newton
   * from the Hermite root.
   */
  crossingBetween(thresholdRad: number, bracket: Bracket): Instant {
    const { t0, t1, v0, d0, v1, d1 } = bracket;
    const hS = (t1 - t0) / 1000;
    return this.crossing(thresholdRad, t0, t1, v0, t0 + (t1 - t0) * hermiteRootAt(v0, d0 * hS, v1, d1 * hS));
  }

  /** Culmination inside a bracket of elevation and its rate: root of the elevation rate. */
  culminationBetween(bracket: Bracket, tolMs = this.tolMs): Instant {
    return extremumBetween(this.elevationRate, bracket, tolMs);
  }
}
