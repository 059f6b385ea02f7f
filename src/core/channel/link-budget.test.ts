import { describe, expect, it } from 'vitest';
import { MICIUS_XINGLONG, GENERIC_500KM_810NM } from '../presets/index.js';
import { atmosphericTransmittance, parseTransmittanceTable, tableAtWavelength } from './atmosphere.js';
import { beamRadiusM, collectedFraction, truncationFactor } from './beam.js';
import { skyRadiance } from './background.js';
import { LinkTables, linkBudget } from './link-budget.js';
import { DEG } from '../units.js';

describe('Gaussian beam', () => {
  it('w(L) -> θ L in the far field with θ = λ/(π w0)', () => {
    const w0 = 0.05;
    const lambda = 810e-9;
    expect(beamRadiusM(w0, lambda, 1e9) / 1e9).toBeCloseTo(lambda / (Math.PI * w0), 12);
  });
  it('collection is 1 - exp(-2a²/w²) and → 2a²/w² for a small receiver', () => {
    expect(collectedFraction(0.5, 10) / ((2 * 0.25) / 100)).toBeCloseTo(1, 2);
  });
  it('truncation at a_T = w0 costs 4.0 dB in the far field and none for a wide aperture', () => {
    expect(-10 * Math.log10(truncationFactor(0.1, 0.1, 810e-9, 1e9))).toBeCloseTo(3.98, 2);
    expect(truncationFactor(0.3, 0.1, 810e-9, 1e9)).toBeGreaterThan(0.999);
  });
});

describe('atmosphere', () => {
  it('sec law: T_z^(1/sin el)', () => {
    expect(atmosphericTransmittance({ model: 'sec-law', zenithTransmittance: 0.814 }, 30 * DEG)).toBeCloseTo(
      0.814 ** 2,
      12,
    );
  });
  it('parses the MODTRAN layout and interpolates a wavelength column', () => {
    const text = '# theta (deg),800 nm,810 nm\n0,0.1,0.2\n90,0.8,0.9\n';
    const t = parseTransmittanceTable(text);
    expect(t.ok).toBe(true);
    if (!t.ok) return;
    const col = tableAtWavelength(t.value, 805);
    expect(col.ok && col.value.transmittance).toEqual([0.15000000000000002, 0.8500000000000001]);
    expect(tableAtWavelength(t.value, 900).ok).toBe(false);
    expect(
      atmosphericTransmittance(
        { model: 'table', table: { elevationDeg: [0, 90], transmittance: [0.1, 0.9] } },
        45 * DEG,
      ),
    ).toBeCloseTo(0.5, 12);
  });
});

describe('link budget', () => {
  it('reports every term as a positive dB that sums to the total', () => {
    const b = linkBudget(MICIUS_XINGLONG.link, {
      rangeKm: 800,
      elevationRad: 36 * DEG,
      sky: { sunElevationRad: -30 * DEG },
    });
    for (const v of [b.geometricDb, b.atmosphereDb, b.pointingDb, b.opticsDb, b.systemDb, b.detectorDb, b.turbulenceDb])
      expect(v).toBeGreaterThanOrEqual(0);
    expect(
      b.geometricDb + b.atmosphereDb + b.pointingDb + b.turbulenceDb + b.opticsDb + b.systemDb + b.detectorDb,
    ).toBeCloseTo(b.totalDb, 10);
    expect(b.efficiency).toBeCloseTo(10 ** (-b.totalDb / 10), 15);
  });
  it('loss grows with range and with falling elevation', () => {
    const a = linkBudget(GENERIC_500KM_810NM.link, { rangeKm: 500, elevationRad: 90 * DEG });
    const b = linkBudget(GENERIC_500KM_810NM.link, { rangeKm: 1200, elevationRad: 20 * DEG });
    expect(b.totalDb).toBeGreaterThan(a.totalDb);
    expect(b.atmosphereDb).toBeGreaterThan(a.atmosphereDb);
  });
  it('uplink turbulence beam spread costs far more than the downlink', () => {
    const down = linkBudget(GENERIC_500KM_810NM.link, { rangeKm: 600, elevationRad: 60 * DEG });
    const up = linkBudget(
      { ...GENERIC_500KM_810NM.link, direction: 'uplink' },
      { rangeKm: 600, elevationRad: 60 * DEG },
    );
    expect(down.turbulenceDb).toBe(0);
    expect(up.turbulenceDb).toBeGreaterThan(3);
  });
  it('daylight sky background is orders of magnitude above a moonless night', () => {
    expect(skyRadiance({ sunElevationRad: 10 * DEG }) / skyRadiance({ sunElevationRad: -40 * DEG })).toBeGreaterThan(
      1e5,
    );
    const moon = skyRadiance({
      sunElevationRad: -40 * DEG,
      moonElevationRad: 0.5,
      moonSeparationRad: 0.3,
      moonIlluminatedFraction: 1,
    });
    expect(moon).toBeGreaterThan(skyRadiance({ sunElevationRad: -40 * DEG }));
  });
});

describe('LinkTables', () => {
  it('a budget is the same from fresh tables and from tables other links filled first', () => {
    const shared = new LinkTables();
    for (const rangeKm of [600, 900, 1400])
      linkBudget(GENERIC_500KM_810NM.link, { rangeKm, elevationRad: 0.6 }, { tables: shared });
    for (const rangeKm of [520, 777, 1203, 1890]) {
      const geometry = { rangeKm, elevationRad: 40 * DEG };
      const fresh = linkBudget(MICIUS_XINGLONG.link, geometry);
      expect(linkBudget(MICIUS_XINGLONG.link, geometry, { tables: shared })).toEqual(fresh);
    }
  });
});
