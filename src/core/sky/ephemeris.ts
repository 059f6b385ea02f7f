/**
 * Fast Sun and Moon directions for many (time, station) queries: astronomy-engine evaluates the
 * geocentric Sun (with aberration) and Moon in the true equator of date at hourly nodes (cached);
 * queries interpolate the cubic through the 4 nearest nodes (the Moon moves 0.55 deg an hour: the
 * cubic's error is ~(w h)^4 3 / 128 < 1e-9 rad, where the former 10-minute chords erred 3e-7 rad)
 * and rotate by GAST to Earth-fixed, then subtract the station (parallax).
 */
import * as Astronomy from 'astronomy-engine';
import { gmstRad, type Site } from '../frames/earth.js';
import type { Vec3 } from '../frames/vectors.js';
import type { Instant } from '../time/index.js';
import { DEG } from '../units.js';

const KM_PER_AU = 149_597_870.7;
const NODE_MS = 3_600_000;

interface Node {
  sun: Vec3;
  moon: Vec3;
  gastMinusGmstRad: number;
}
export interface BodyLook {
  azimuthRad: number;
  elevationRad: number;
  enu: Vec3;
}
export interface SkyLook {
  sun: BodyLook;
  moon: BodyLook;
  moonIlluminatedFraction: number;
}

const scale = (v: { x: number; y: number; z: number }, k: number): Vec3 => ({ x: v.x * k, y: v.y * k, z: v.z * k });

/** Cubic Lagrange weights at f in [0, 1] for nodes at -1, 0, 1, 2. */
function cubicWeights(f: number): [number, number, number, number] {
  const a = f + 1,
    b = f,
    c = f - 1,
    d = f - 2;
  return [(-b * c * d) / 6, (a * c * d) / 2, (-a * b * d) / 2, (a * b * c) / 6];
}
const blend = (w: [number, number, number, number], p: Vec3, q: Vec3, r: Vec3, s: Vec3): Vec3 => ({
  x: w[0] * p.x + w[1] * q.x + w[2] * r.x + w[3] * s.x,
  y: w[0] * p.y + w[1] * q.y + w[2] * r.y + w[3] * s.y,
  z: w[0] * p.z + w[1] * q.z + w[2] * r.z + w[3] * s.z,
});

function look(bodyEqdKm: Vec3, gast: number, site: Site): BodyLook {
  const c = Math.cos(gast),
    s = Math.sin(gast);
  const dx = c * bodyEqdKm.x + s * bodyEqdKm.y - site.positionEcefKm.x;
  const dy = -s * bodyEqdKm.x + c * bodyEqdKm.y - site.positionEcefKm.y;
  const dz = bodyEqdKm.z - site.positionEcefKm.z;
  const e = dx * site.east.x + dy * site.east.y,
    n = dx * site.north.x + dy * site.north.y + dz * site.north.z;
  const u = dx * site.up.x + dy * site.up.y + dz * site.up.z;
  const r = Math.sqrt(e * e + n * n + u * u);
  let az = Math.atan2(e, n);
  if (az < 0) az += 2 * Math.PI;
  return { azimuthRad: az, elevationRad: Math.asin(u / r), enu: { x: e / r, y: n / r, z: u / r } };
}

export class SkyEphemeris {
  private readonly nodes = new Map<number, Node>();

  private node(i: number): Node {
    let n = this.nodes.get(i);
    if (!n) {
      const t = i * NODE_MS;
      const time = Astronomy.MakeTime(new Date(t));
      const rot = Astronomy.Rotation_EQJ_EQD(time);
      const sun = Astronomy.RotateVector(rot, Astronomy.GeoVector(Astronomy.Body.Sun, time, true));
      const moon = Astronomy.RotateVector(rot, Astronomy.GeoMoon(time));
      let d = Astronomy.SiderealTime(time) * 15 * DEG - gmstRad(t);
      d = Math.atan2(Math.sin(d), Math.cos(d));
      n = { sun: scale(sun, KM_PER_AU), moon: scale(moon, KM_PER_AU), gastMinusGmstRad: d };
      this.nodes.set(i, n);
    }
    return n;
  }

  /** Sun and Moon seen from `site` at `instant` (geometric, topocentric), and the Moon's lit fraction. */
  at(instant: Instant, site: Site): SkyLook {
    const i = Math.floor(instant / NODE_MS);
    const p = this.node(i - 1),
      a = this.node(i),
      b = this.node(i + 1),
      q = this.node(i + 2);
    const f = (instant - i * NODE_MS) / NODE_MS;
    const w = cubicWeights(f);
    const sun = blend(w, p.sun, a.sun, b.sun, q.sun),
      moon = blend(w, p.moon, a.moon, b.moon, q.moon);
    const gast =
      gmstRad(instant) +
      w[0] * p.gastMinusGmstRad +
      w[1] * a.gastMinusGmstRad +
      w[2] * b.gastMinusGmstRad +
      w[3] * q.gastMinusGmstRad;
    // Lit fraction from the phase angle at the Moon between the Sun and the Earth: (1 + cos i) / 2.
    const ms = { x: sun.x - moon.x, y: sun.y - moon.y, z: sun.z - moon.z };
    const cosI =
      -(ms.x * moon.x + ms.y * moon.y + ms.z * moon.z) /
      Math.sqrt((ms.x * ms.x + ms.y * ms.y + ms.z * ms.z) * (moon.x * moon.x + moon.y * moon.y + moon.z * moon.z));
    return { sun: look(sun, gast, site), moon: look(moon, gast, site), moonIlluminatedFraction: (1 + cosI) / 2 };
  }
}
