/**
 * A test double of RunPass: seeded draws around the planned expectation, no orbit or link model.
 * Clear sky with the station's clear-sky probability; turbulence scales the yield by a log-normal
 * factor (sigma 0.3, mean 1). The service runs passes with simulationPassRunner
 * (scheduler/adapters/pass-simulation.runner.ts).
 */
import { mulberry32 } from '../../src/core/keyrate/random.js';
import type { RunPass } from '../../scheduler/adapters/ports.js';

export const seededPassRunner: RunPass = async (booking, seed) => {
  const rnd = mulberry32(seed);
  const cloudy = rnd() > booking.clearSkyProbability;
  // Box-Muller normal; log-normal with E[factor] = 1.
  const n = Math.sqrt(-2 * Math.log(1 - rnd())) * Math.cos(2 * Math.PI * rnd());
  const factor = Math.exp(0.3 * n - 0.045);
  return { cloudy, secureBits: cloudy ? 0 : Math.floor(booking.expectedSecureBits * factor) };
};
