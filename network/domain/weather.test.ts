import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { forecastClear, isClear, midnightOf, nightOf, realiseWeather, transition, DAY_MS } from './weather.js';

const prob = fc.double({ min: 0, max: 1, noNaN: true });

describe('weather: two-state Markov chain per station', () => {
  it("property: transitions are probabilities and keep the marginal exactly at the new month's fraction", () => {
    fc.assert(
      fc.property(prob, prob, fc.double({ min: 0, max: 0.99, noNaN: true }), (p0, p1, r) => {
        const t = transition(p0, p1, r);
        for (const x of [t.fromClear, t.fromCloudy]) {
          expect(x).toBeGreaterThanOrEqual(0);
          expect(x).toBeLessThanOrEqual(1);
        }
        expect(p0 * t.fromClear + (1 - p0) * t.fromCloudy).toBeCloseTo(p1, 12);
      }),
    );
  });

  it('realised nights match the monthly fraction and the night-to-night correlation equals the persistence', () => {
    const clearNight = [0.2, 0.2, 0.2, 0.7, 0.7, 0.7, 0.7, 0.7, 0.7, 0.7, 0.7, 0.2];
    const from = Date.UTC(2000, 0, 1),
      to = Date.UTC(2040, 0, 1);
    const w = realiseWeather([{ id: 'g', longitudeDeg: 30, clearNight }], from, to, 42, 0.4).get('g')!;
    let clearA = 0,
      nA = 0,
      clearM = 0,
      nM = 0,
      c11 = 0,
      c1 = 0;
    for (let n = nightOf(30, from); n < nightOf(30, to); n += 1) {
      const month = new Date((n + 1) * DAY_MS).getUTCMonth(),
        x = isClear(w, n);
      if (month === 0) {
        nA += 1;
        if (x) clearA += 1;
      }
      if (month >= 4 && month <= 9) {
        nM += 1;
        if (x) clearM += 1;
        if (isClear(w, n - 1)) {
          c1 += 1;
          if (x) c11 += 1;
        }
      }
    }
    // 4 standard errors; correlation r inflates the variance of a mean by (1 + r) / (1 - r) = 2.33 (x1.53 in sigma).
    const se = Math.sqrt(((0.2 * 0.8) / nA) * (1.4 / 0.6));
    expect(Math.abs(clearA / nA - 0.2)).toBeLessThan(4 * se);
    expect(Math.abs(clearM / nM - 0.7)).toBeLessThan(0.03);
    // P(clear | clear) = p + r (1 - p) = 0.7 + 0.4 * 0.3 = 0.82 within a month of constant p.
    expect(Math.abs(c11 / c1 - 0.82)).toBeLessThan(0.03);
  });

  it('the same seed realises the same nights; stations draw independent streams', () => {
    const st = [
      { id: 'a', longitudeDeg: 0, clearNight: Array(12).fill(0.5) },
      { id: 'b', longitudeDeg: 0, clearNight: Array(12).fill(0.5) },
    ];
    const x = realiseWeather(st, 0, 200 * DAY_MS, 7, 0.3),
      y = realiseWeather(st, 0, 200 * DAY_MS, 7, 0.3);
    expect([...x.get('a')!.clear]).toEqual([...y.get('a')!.clear]);
    expect([...x.get('a')!.clear]).not.toEqual([...x.get('b')!.clear]);
  });

  it('a night runs from local noon to local noon', () => {
    const lon = 117.5; // Xinglong, UTC+7.8 h solar
    const n = nightOf(lon, Date.UTC(2022, 7, 10, 15)); // 22:50 local
    expect(nightOf(lon, Date.UTC(2022, 7, 10, 20))).toBe(n); // 03:50 local, same night
    expect(nightOf(lon, Date.UTC(2022, 7, 11, 6))).toBe(n + 1); // 13:50 local, next
    expect(new Date(midnightOf(lon, n)).getUTCHours()).toBe(16);
  });

  it('forecasts: full skill at zero lead is the realised weather, zero skill climatology; skill fades', () => {
    const w = realiseWeather(
      [{ id: 'g', longitudeDeg: 0, clearNight: Array(12).fill(0.6) }],
      0,
      30 * DAY_MS,
      1,
      0.3,
    ).get('g')!;
    for (let n = 1; n < 25; n += 1) {
      const real = isClear(w, n) ? 1 : 0,
        mid = midnightOf(0, n);
      expect(forecastClear(w, n, mid, { forecastSkill: 1, skillDecayHours: 48 })).toBeCloseTo(real, 12);
      expect(forecastClear(w, n, mid - 5 * DAY_MS, { forecastSkill: 0, skillDecayHours: 48 })).toBeCloseTo(0.6, 12);
      const near = Math.abs(forecastClear(w, n, mid - DAY_MS, { forecastSkill: 0.8, skillDecayHours: 48 }) - 0.6);
      const far = Math.abs(forecastClear(w, n, mid - 4 * DAY_MS, { forecastSkill: 0.8, skillDecayHours: 48 }) - 0.6);
      expect(far).toBeLessThan(near);
    }
  });
});
