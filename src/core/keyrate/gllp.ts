/**
 * Asymptotic decoy-state BB84 key rate per pulse (GLLP with vacuum + weak decoy: Lo, Ma, Chen, PRL 94,
 * 230504, 2005; Ma, Qi, Zhao, Lo, PRA 72, 012326, 2005, eqs. 33-37). docs/physics.md §4.
 */
import { binaryEntropy } from './math.js';

export interface GllpInput {
  /** Total single-photon transmittance η (channel × optics × detector). */
  eta: number;
  /** Signal μ and weak decoy ν < μ (vacuum decoy implied). */
  signal: number;
  decoy: number;
  /** Y0: background click probability per pulse. */
  darkYield: number;
  /** e_d: misalignment error. */
  intrinsicQber: number;
  /** f_EC (>= 1). */
  ecEfficiency: number;
  /** q: sifting factor (1/2 for BB84). */
  siftFactor: number;
}

export interface GllpResult {
  gainSignal: number;
  qberSignal: number;
  gainDecoy: number;
  qberDecoy: number;
  y1Lower: number;
  e1Upper: number;
  q1Lower: number;
  keyPerPulse: number;
}

const E0 = 0.5;

/** Q_k = Y0 + 1 - e^(-η k); E_k Q_k = e0 Y0 + e_d (1 - e^(-η k)). */
function gainAndQber(eta: number, k: number, y0: number, ed: number): [number, number] {
  const click = 1 - Math.exp(-eta * k);
  const q = y0 + click;
  return [q, (E0 * y0 + ed * click) / q];
}

export function gllpKeyRate(input: GllpInput): GllpResult {
  const { eta, signal: mu, decoy: nu, darkYield: y0, intrinsicQber: ed } = input;
  const [qMu, eMu] = gainAndQber(eta, mu, y0, ed);
  const [qNu, eNu] = gainAndQber(eta, nu, y0, ed);
  // Y1_L = μ/(μν - ν²) [ Q_ν e^ν - Q_μ e^μ ν²/μ² - ((μ² - ν²)/μ²) Y0 ]
  const y1 = Math.max(
    0,
    (mu / (mu * nu - nu * nu)) *
      (qNu * Math.exp(nu) - (qMu * Math.exp(mu) * nu * nu) / (mu * mu) - ((mu * mu - nu * nu) / (mu * mu)) * y0),
  );
  // e1_U = (E_ν Q_ν e^ν - e0 Y0) / (Y1_L ν)
  const e1 = y1 > 0 ? Math.min(0.5, (eNu * qNu * Math.exp(nu) - E0 * y0) / (y1 * nu)) : 0.5;
  const q1 = y1 * mu * Math.exp(-mu); // Q1_L = Y1_L μ e^(-μ)
  // R >= q { -Q_μ f h(E_μ) + Q1 [1 - h(e1)] }, floored at 0
  const r = input.siftFactor * (-qMu * input.ecEfficiency * binaryEntropy(eMu) + q1 * (1 - binaryEntropy(e1)));
  return {
    gainSignal: qMu,
    qberSignal: eMu,
    gainDecoy: qNu,
    qberDecoy: eNu,
    y1Lower: y1,
    e1Upper: e1,
    q1Lower: q1,
    keyPerPulse: Math.max(0, r),
  };
}
