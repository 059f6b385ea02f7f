/**
 * Sun and Moon seen from a ground station, from astronomy-engine (VSOP87 / ELP-2000 truncations
 * kept by Don Cross; arcsecond-level). Geometric (unrefracted) horizontal coordinates.
 */
import * as Astronomy from 'astronomy-engine';
import type { Instant } from '../time/index.js';
import { DEG } from '../units.js';

export interface SkyBody {
  azimuthRad: number;
  elevationRad: number;
}
export interface SkyAt {
  sun: SkyBody;
  moon: SkyBody;
  moonIlluminatedFraction: number;
}

function horizontal(body: Astronomy.Body, date: Date, observer: Astronomy.Observer): SkyBody {
  const eq = Astronomy.Equator(body, date, observer, true, true);
  const hor = Astronomy.Horizon(date, observer, eq.ra, eq.dec);
  return { azimuthRad: hor.azimuth * DEG, elevationRad: hor.altitude * DEG };
}

export function sunAt(t: Instant, latitudeDeg: number, longitudeDeg: number, altitudeM: number): SkyBody {
  return horizontal(Astronomy.Body.Sun, new Date(t), new Astronomy.Observer(latitudeDeg, longitudeDeg, altitudeM));
}

export function skyAt(t: Instant, latitudeDeg: number, longitudeDeg: number, altitudeM: number): SkyAt {
  const date = new Date(t);
  const observer = new Astronomy.Observer(latitudeDeg, longitudeDeg, altitudeM);
  return {
    sun: horizontal(Astronomy.Body.Sun, date, observer),
    moon: horizontal(Astronomy.Body.Moon, date, observer),
    moonIlluminatedFraction: Astronomy.Illumination(Astronomy.Body.Moon, date).phase_fraction,
  };
}
