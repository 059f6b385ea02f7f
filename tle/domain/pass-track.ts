/**
 * The 1 s geometry track of one pass, found by its AOS: what a pass simulation runs on. Shared by
 * the `simulate` CLI verb and `POST /v1/simulations/pass`.
 */
import { QkdsatError } from '../../src/core/errors.js';
import { sampleTrack, type TrackSample } from '../../src/core/passes/index.js';
import { toIso, type Instant } from '../../src/core/time/instant.js';
import type { ElementSet } from './element-set.js';
import { passesOf, propagatorOf, toPassStation } from './index.js';
import type { Station } from './station.js';

/** How far a requested AOS may be from the predicted one. */
const AOS_TOLERANCE_MS = 120_000;

export function passTrackAt(
  es: ElementSet,
  station: Station,
  aosMs: Instant,
  stepS = 1,
): { pass: ReturnType<typeof passesOf>['passes'][number]; track: TrackSample[] } {
  const found = passesOf([es], [station], {
    fromMs: aosMs - AOS_TOLERANCE_MS,
    toMs: aosMs + AOS_TOLERANCE_MS + 1_800_000,
  }).passes;
  const pass = found.find((p) => !p.clippedAtStart && Math.abs(p.aosMs - aosMs) <= AOS_TOLERANCE_MS);
  if (!pass)
    throw new QkdsatError(
      'NOT_FOUND',
      `no pass of ${es.noradId} over ${station.id} with AOS within 2 min of ${toIso(aosMs)}`,
      [{ path: ['aos'], message: 'no such pass' }],
    );
  const p = propagatorOf(es);
  if (!p.ok) throw new QkdsatError('SGP4_FAILURE', `SGP4 cannot start ${es.noradId}: ${p.reason}`);
  return {
    pass,
    track: sampleTrack(
      { noradId: es.noradId, propagator: p.propagator },
      toPassStation(station),
      pass.aosMs,
      pass.losMs,
      stepS,
    ),
  };
}
