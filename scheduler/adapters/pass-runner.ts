/**
 * Default RunPass: seeded draws around the planned expectation. Clear sky with the station's
 * clear-sky probability; turbulence scales the yield by a log-normal factor (sigma 0.3, mean 1).
 * Replace with the key-rate core's pass simulation when wiring (same signature).
 */
import { mulberry32 } from '../domain/synthetic.js';
import type { RunPass } from './ports.js';

/** FNV-1a 32-bit: a stable seed from a booking id. */
export function seedOf(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i += 1) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}

export const seededPassRunner: RunPass = async (booking, seed) => {
  const rnd = mulberry32(seed);
  const cloudy = rnd() > booking.clearSkyProbability;
  // Box-Muller normal; log-normal with E[factor] = 1.
  const n = Math.sqrt(-2 * Math.log(1 - rnd())) * Math.cos(2 * Math.PI * rnd());
  const factor = Math.exp(0.3 * n - 0.045);
  return { cloudy, secureBits: cloudy ? 0 : Math.floor(booking.expectedSecureBits * factor) };
};
