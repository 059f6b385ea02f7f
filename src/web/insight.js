// Dashboard time views: the UTC axis, night shading and local time of each station's lane.
import { el } from './dom.js';

const DEG = Math.PI / 180;
const H = 3_600_000;

/** Sun elevation (deg) at a place and time: NOAA's low-precision solar position (~0.1 deg). */
export function sunElevationDeg(latDeg, lonDeg, tMs) {
  const d = tMs / 86_400_000 + 2440587.5 - 2451545.0;
  const g = (357.529 + 0.98560028 * d) * DEG;
  const q = 280.459 + 0.98564736 * d;
  const L = (q + 1.915 * Math.sin(g) + 0.02 * Math.sin(2 * g)) * DEG;
  const e = (23.439 - 0.00000036 * d) * DEG;
  const ra = Math.atan2(Math.cos(e) * Math.sin(L), Math.cos(L));
  const dec = Math.asin(Math.sin(e) * Math.sin(L));
  const gmst = ((18.697374558 + 24.06570982441908 * d) % 24) * 15 * DEG;
  const ha = gmst + lonDeg * DEG - ra;
  const lat = latDeg * DEG;
  return Math.asin(Math.sin(lat) * Math.sin(dec) + Math.cos(lat) * Math.cos(dec) * Math.cos(ha)) / DEG;
}

/** Station local time as mean solar time rounded to the hour (stations carry no time zone). */
const localOffsetH = (s) => Math.round(s.longitudeDeg / 15);
const hhmm = (ms) => new Date(ms).toISOString().slice(11, 16);
const offsetLabel = (h) => `UTC${h >= 0 ? '+' : '−'}${Math.abs(h)}`;

/** The UTC axis above the lanes (a tick every 3 h). */
export function timeAxis(from, to) {
  const axis = el('div', { class: 'axis', 'aria-label': 'time axis, UTC' });
  axis.append(el('span', { class: 'axis-name' }, 'UTC'));
  const lane = el('div', { class: 'axis-lane' });
  for (let t = Math.ceil(from / (3 * H)) * 3 * H; t < to; t += 3 * H) {
    const tick = el('span', { class: 'tick', 'data-utc': new Date(t).toISOString() }, hhmm(t));
    tick.style.left = `${((t - from) / (to - from)) * 100}%`;
    lane.append(tick);
  }
  axis.append(lane);
  return axis;
}

/** Night (sun below -6 deg, civil twilight) as shaded spans in a station's lane, and its local-time ticks. */
export function shadeLane(lane, station, from, to) {
  const step = 10 * 60_000;
  let start;
  for (let t = from; t <= to; t += step) {
    const night = sunElevationDeg(station.latitudeDeg, station.longitudeDeg, t) < -6;
    if (night && start === undefined) start = t;
    if ((!night || t + step > to) && start !== undefined) {
      const span = el('div', { class: 'night', title: `night at ${station.id} (sun below −6°)` });
      span.style.left = `${((start - from) / (to - from)) * 100}%`;
      span.style.width = `${((t - start) / (to - from)) * 100}%`;
      lane.append(span);
      start = undefined;
    }
  }
  const off = localOffsetH(station) * H;
  for (let t = Math.ceil((from + off) / (6 * H)) * 6 * H - off; t < to; t += 6 * H) {
    const tick = el('span', { class: 'tick-local' }, hhmm(t + off));
    tick.style.left = `${((t - from) / (to - from)) * 100}%`;
    lane.append(tick);
  }
}

export const stationLabel = (station) => `${station.id} · ${offsetLabel(localOffsetH(station))}`;
