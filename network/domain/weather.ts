/**
 * Realised weather and forecasts per station and night.
 *
 * A night is the station's local solar day from noon to noon (longitude / 15 h from UTC), indexed
 * by `nightOf`. Each station's nights follow a two-state (clear / cloudy) Markov chain whose
 * marginal probability of a clear night is exactly the climatological fraction of that night's
 * month, with night-to-night correlation `persistence` (Madsen et al. 1985 model cloud-cover
 * sequences as first-order Markov chains). With p0 = P(clear) of the previous night and p1 of this
 * one, the transitions are
 *   P(clear | clear)  = p1 + r (1 - p0),   P(clear | cloudy) = p1 - r p0,
 * so P(clear) = p0 (p1 + r (1 - p0)) + (1 - p0)(p1 - r p0) = p1 for any r, and r is the lag-one
 * correlation when p0 = p1. r is clipped to min(persistence, p1/p0, (1-p1)/(1-p0)) to keep both in
 * [0, 1] across month changes. Seeded per station (mulberry32 of seed xor FNV-1a(station id)).
 *
 * A forecast issued at time t for a night blends the realised state into climatology with a skill
 * that decays with lead time: p = clim + skill e^(-lead/decay) (realised - clim).
 */
import { fnv1a, mulberry32 } from '../../src/core/keyrate/random.js';

export const DAY_MS = 86_400_000;

export interface WeatherStation {
  id: string;
  longitudeDeg: number;
  clearNight: readonly number[];
}

const offsetMs = (longitudeDeg: number) => (longitudeDeg / 360) * DAY_MS;

/** Local noon-to-noon night index of an instant at a station. */
export const nightOf = (longitudeDeg: number, atMs: number): number =>
  Math.floor((atMs + offsetMs(longitudeDeg) - DAY_MS / 2) / DAY_MS);

/** UTC instant of local midnight in night n. */
export const midnightOf = (longitudeDeg: number, night: number): number =>
  (night + 1) * DAY_MS - offsetMs(longitudeDeg);

/** Climatological clear-night probability of night n (calendar month of its local midnight). */
const climatologyOf = (station: WeatherStation, night: number): number =>
  station.clearNight[new Date((night + 1) * DAY_MS).getUTCMonth()]!;

/** Transition probabilities P(clear | clear), P(clear | cloudy) with exact marginal p1 (see above). */
export function transition(p0: number, p1: number, persistence: number): { fromClear: number; fromCloudy: number } {
  let r = persistence;
  if (p0 > 0) r = Math.min(r, p1 / p0);
  if (p0 < 1) r = Math.min(r, (1 - p1) / (1 - p0));
  r = Math.max(0, r);
  return { fromClear: Math.min(1, p1 + r * (1 - p0)), fromCloudy: Math.max(0, p1 - r * p0) };
}

export interface StationWeather {
  station: WeatherStation;
  firstNight: number;
  clear: Uint8Array;
}

/** The realised clear/cloudy sequence of each station over the nights touching [fromMs, toMs). */
export function realiseWeather(
  stations: readonly WeatherStation[],
  fromMs: number,
  toMs: number,
  seed: number,
  persistence: number,
): Map<string, StationWeather> {
  const out = new Map<string, StationWeather>();
  for (const s of stations) {
    const rand = mulberry32((seed ^ fnv1a(s.id)) >>> 0);
    const first = nightOf(s.longitudeDeg, fromMs) - 1,
      last = nightOf(s.longitudeDeg, toMs) + 1;
    const clear = new Uint8Array(last - first + 1);
    let prevP = climatologyOf(s, first);
    clear[0] = rand() < prevP ? 1 : 0;
    for (let k = 1; k < clear.length; k += 1) {
      const p = climatologyOf(s, first + k);
      const t = transition(prevP, p, persistence);
      clear[k] = rand() < (clear[k - 1] ? t.fromClear : t.fromCloudy) ? 1 : 0;
      prevP = p;
    }
    out.set(s.id, { station: s, firstNight: first, clear });
  }
  return out;
}

export function isClear(weather: StationWeather, night: number): boolean {
  const k = night - weather.firstNight;
  if (k < 0 || k >= weather.clear.length)
    throw new RangeError(`night ${night} outside the realised weather of ${weather.station.id}`);
  return weather.clear[k] === 1;
}

export interface ForecastSkill {
  forecastSkill: number;
  skillDecayHours: number;
}

/** Forecast clear-night probability of `night`, issued at `issuedMs`. */
export function forecastClear(
  weather: StationWeather,
  night: number,
  issuedMs: number,
  forecast: ForecastSkill,
): number {
  const clim = climatologyOf(weather.station, night);
  const leadH = Math.max(0, midnightOf(weather.station.longitudeDeg, night) - issuedMs) / 3_600_000;
  const skill = forecast.forecastSkill * Math.exp(-leadH / forecast.skillDecayHours);
  return clim + skill * ((isClear(weather, night) ? 1 : 0) - clim);
}
