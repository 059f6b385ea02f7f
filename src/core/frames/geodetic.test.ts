import { describe, expect, it } from 'vitest';
import { ecefToGeodetic, siteOf } from './earth.js';

describe('ecefToGeodetic', () => {
  it('inverts siteOf to under a millimetre from sea level to GEO height', () => {
    for (const [latDeg, lonDeg, hKm] of [
      [40.39, 117.58, 0.9],
      [-33.93, 18.86, 0.1],
      [89.9, -75, 500],
      [0, 0, 35786],
      [-60, 170, 1200],
    ] as const) {
      const g = ecefToGeodetic(siteOf((latDeg * Math.PI) / 180, (lonDeg * Math.PI) / 180, hKm).positionEcefKm);
      expect(Math.abs((g.latitudeRad * 180) / Math.PI - latDeg)).toBeLessThan(1e-8);
      expect(Math.abs((g.longitudeRad * 180) / Math.PI - lonDeg)).toBeLessThan(1e-8);
      expect(Math.abs(g.altitudeKm - hKm)).toBeLessThan(1e-6);
    }
  });
});
