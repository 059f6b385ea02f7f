/**
 * Fast Sun and Moon directions for many (time, station) queries: astronomy-engine evaluates the
 * geocentric Sun (with aberration) and Moon in the true equator of date at nodes every 10 minutes
 * (cached); queries interpolate linearly there (Moon moves < 0.1 deg per node step; the chord error
 * is below 1e-6 rad) and rotate by GAST to Earth-fixed, then subtract the station (parallax).
 */
import * as Astronomy from 'astronomy-engine';
import { gmstRad, type Site } from '../frames/earth.js';
import type { Vec3 } from '../frames/vectors.js';
import type { Instant } from '../time/index.js';

const KM_PER_AU = 149_597_870.7;
const DEG = Math.PI / 180;
const NODE_MS = 600_000;

interface Node { sun: Vec3; moon: Vec3; gastMinusGmstRad: number }
export interface BodyLook { azimuthRad: number; elevationRad: number; enu: Vec3 }
export interface SkyLook { sun: BodyLook; moon: BodyLook; moonIlluminatedFraction: number }

const scale = (v: { x: number; y: number; z: number }, k: number): Vec3 => ({ x: v.x * k, y: v.y * k, z: v.z * k });
const lerp = (a: Vec3, b: Vec3, f: number): Vec3 => ({ x: a.x + (b.x - a.x) * f, y: a.y + (b.y - a.y) * f, z: a.z + (b.z - a.z) * f });

function look(bodyEqdKm: Vec3, gast: number, site: Site): BodyLook {
  const c = Math.cos(gast), s = Math.sin(gast);
  const dx = c * bodyEqdKm.x + s * bodyEqdKm.y - site.positionEcefKm.x;
  const dy = -s * bodyEqdKm.x + c * bodyEqdKm.y - site.positionEcefKm.y;
  const dz = bodyEqdKm.z - site.positionEcefKm.z;
  const e = dx * site.east.x + dy * site.east.y, n = dx * site.north.x + dy * site.north.y + dz * site.north.z;
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

  /** Sun and Moon seen from `site` at `t` (geometric, topocentric), and the Moon's lit fraction. */
  at(t: Instant, site: Site): SkyLook {
    const i = Math.floor(t / NODE_MS);
    const a = this.node(i), b = this.node(i + 1);
    const f = (t - i * NODE_MS) / NODE_MS;
    const sun = lerp(a.sun, b.sun, f), moon = lerp(a.moon, b.moon, f);
    const gast = gmstRad(t) + a.gastMinusGmstRad + (b.gastMinusGmstRad - a.gastMinusGmstRad) * f;
    // Lit fraction from the phase angle at the Moon between the Sun and the Earth: (1 + cos i) / 2.
    const ms = { x: sun.x - moon.x, y: sun.y - moon.y, z: sun.z - moon.z };
    const cosI = -(ms.x * moon.x + ms.y * moon.y + ms.z * moon.z) / (Math.hypot(ms.x, ms.y, ms.z) * Math.hypot(moon.x, moon.y, moon.z));
    return { sun: look(sun, gast, site), moon: look(moon, gast, site), moonIlluminatedFraction: (1 + cosI) / 2 };
  }
}
