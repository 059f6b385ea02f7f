/**
 * Collected fraction of a truncated Gaussian beam from the Fresnel-Hankel integral, with pointing jitter
 * (docs/physics.md §2.2-2.4). Valid from the near to the far field: no far-field truncation correction.
 *
 *   U(y) = (k/L) ∫0^aT e^(-ρ²/w0²) e^(i k ρ²/(2L)) J0(k ρ y / L) ρ dρ          field at radius y, range L
 *   I(y) = |U(y)|²,   P_emit = π w0² / 2 = ∫ |e^(-ρ²/w0²)|² dA   (power before the transmit aperture)
 *   η = 2π ∫0^∞ I(y) K(y) y dy / P_norm,   K(y) = P(|y + d| <= aR),  d ~ N(0, (σ_p L)² I₂)
 * K is the Rician CDF 1 - Q1(y/σ, aR/σ) (Marcum Q); without jitter K is the aperture's indicator.
 * P_norm is P_emit (`emitted`) or the power leaving the aperture, P_emit (1 - e^(-2aT²/w0²)) (`transmitted`).
 *
 * Quadrature: composite 16-point Gauss-Legendre in ρ and y, with panels sized to the number of
 * oscillations of the integrand (J0 argument and Fresnel phase) and to the jitter scale σ; a cubic
 * Lagrange table in ln L per beam geometry makes a pass cost a few table look-ups per second.
 */
import { besselI0e, besselJ0, gaussLegendre } from './special.js';

export type Normalisation = 'emitted' | 'transmitted';

export interface BeamGeometry {
  wavelengthM: number;
  /** Transmit aperture radius a_T. */
  txApertureRadiusM: number;
  /** 1/e² intensity waist w0 at the (flat-phase) transmit aperture. */
  waistM: number;
  /** Receive aperture radius a_R. */
  rxApertureRadiusM: number;
}

const GL16 = gaussLegendre(16);
const GL8 = gaussLegendre(8);

/** Appends composite-GL nodes for [a, b] split into `panels` equal panels. */
function panelNodes(a: number, b: number, panels: number, xs: number[], ws: number[], rule = GL16): void {
  if (!(b > a)) return;
  const h = (b - a) / panels;
  for (let p = 0; p < panels; p++) {
    const c = a + (p + 0.5) * h;
    for (let i = 0; i < rule.x.length; i++) {
      xs.push(c + 0.5 * h * rule.x[i]!);
      ws.push(0.5 * h * rule.w[i]!);
    }
  }
}

/**
 * P(|x + d| <= β) for a point at distance α from the centre and a standard 2-D Gaussian offset d:
 * 1 - Q1(α, β) = ∫0^β t e^(-(t-α)²/2) I0e(α t) dt (the integrand is e^(-(t²+α²)/2) I0(α t) t, bounded
 * by t e^(-(t-α)²/2), so only |t - α| < 9 contributes above 1e-17).
 */
export function ricianCdf(alpha: number, beta: number): number {
  const lo = Math.max(0, alpha - 9);
  const hi = Math.min(beta, alpha + 9);
  if (!(hi > lo)) return alpha > beta ? 0 : 1;
  const panels = Math.max(1, Math.ceil(hi - lo));
  const h = (hi - lo) / panels;
  let s = 0;
  for (let p = 0; p < panels; p++) {
    const c = lo + (p + 0.5) * h;
    for (let i = 0; i < 8; i++) {
      const t = c + 0.5 * h * GL8.x[i]!;
      s += GL8.w[i]! * t * Math.exp(-0.5 * (t - alpha) ** 2) * besselI0e(alpha * t);
    }
  }
  return Math.min(1, 0.5 * h * s);
}

/** Power fraction through the transmit aperture: 1 - e^(-2 aT²/w0²). */
export function transmittedFraction(geometry: BeamGeometry): number {
  return -Math.expm1((-2 * geometry.txApertureRadiusM ** 2) / geometry.waistM ** 2);
}

/**
 * η for one range by direct quadrature (docs/physics.md §2.2). `jitterSigmaM` = σ_p L, the rms offset
 * per axis of the beam centre at the receiver. Relative to the emitted power.
 */
export function fresnelCollectedFraction(geometry: BeamGeometry, rangeM: number, jitterSigmaM = 0): number {
  const k = (2 * Math.PI) / geometry.wavelengthM;
  const L = rangeM;
  const aR = geometry.rxApertureRadiusM;
  const sigma = jitterSigmaM;
  // Beyond 6.5 w0 the Gaussian is below e^-42 of its peak: nothing left to truncate.
  const rhoMax = Math.min(geometry.txApertureRadiusM, 6.5 * geometry.waistM);
  const yMax = sigma > 0 ? aR + 9 * sigma : aR;
  // ρ nodes: oscillation of J0(kρy/L) e^(ikρ²/2L) over [0, rhoMax] is at most (kρ yMax + kρ²/2)/L rad.
  const phase = (k * rhoMax * (yMax + rhoMax / 2)) / L;
  const rx: number[] = [];
  const rw: number[] = [];
  panelNodes(0, rhoMax, 1 + Math.ceil(phase / (1.5 * Math.PI)), rx, rw);
  const nr = rx.length;
  const re = new Float64Array(nr);
  const im = new Float64Array(nr);
  const kr = new Float64Array(nr);
  for (let j = 0; j < nr; j++) {
    const r = rx[j]!;
    const a = rw[j]! * r * Math.exp(-(r * r) / geometry.waistM ** 2);
    const ph = (k * r * r) / (2 * L);
    re[j] = a * Math.cos(ph);
    im[j] = a * Math.sin(ph);
    kr[j] = (k * r) / L;
  }
  // y nodes: ring structure of I(y) (period ~ πL/(k rhoMax)) and, with jitter, the scale σ of K(y).
  const ys: number[] = [];
  const yw: number[] = [];
  const ringPanels = (a: number, b: number) => 1 + Math.ceil((k * rhoMax * (b - a)) / (L * 1.5 * Math.PI));
  if (sigma > 0) {
    const b1 = Math.max(0, aR - 9 * sigma);
    panelNodes(0, b1, ringPanels(0, b1), ys, yw);
    panelNodes(b1, yMax, Math.max(ringPanels(b1, yMax), Math.ceil((yMax - b1) / sigma)), ys, yw);
  } else {
    panelNodes(0, aR, ringPanels(0, aR), ys, yw);
  }
  let p = 0;
  for (let i = 0; i < ys.length; i++) {
    const y = ys[i]!;
    let ur = 0;
    let ui = 0;
    for (let j = 0; j < nr; j++) {
      const b = besselJ0(kr[j]! * y);
      ur += re[j]! * b;
      ui += im[j]! * b;
    }
    const K = sigma > 0 ? ricianCdf(y / sigma, aR / sigma) : 1;
    p += yw[i]! * y * (ur * ur + ui * ui) * K;
  }
  const collected = 2 * Math.PI * (k / L) ** 2 * p;
  return collected / ((Math.PI * geometry.waistM ** 2) / 2);
}

/** Table step in ln L (nodes every 2.5 %). */
const LN_STEP = 0.025;

/** Lazily filled table of ln η over ln L (cubic Lagrange on 4 nodes); one per (geometry, σ_p). */
export class CollectedFractionTable {
  private readonly nodes = new Map<number, number>();
  constructor(
    private readonly geometry: BeamGeometry,
    private readonly jitterRad: number,
  ) {}
  private node(i: number): number {
    let v = this.nodes.get(i);
    if (v === undefined) {
      const L = Math.exp(i * LN_STEP);
      v = Math.log(Math.max(1e-300, fresnelCollectedFraction(this.geometry, L, this.jitterRad * L)));
      this.nodes.set(i, v);
    }
    return v;
  }
  at(rangeM: number): number {
    const u = Math.log(rangeM) / LN_STEP;
    const i = Math.floor(u);
    const t = u - i;
    const [a, b, c, d] = [this.node(i - 1), this.node(i), this.node(i + 1), this.node(i + 2)];
    // Lagrange cubic through nodes at -1, 0, 1, 2.
    const v =
      (-t * (t - 1) * (t - 2) * a) / 6 +
      ((t + 1) * (t - 1) * (t - 2) * b) / 2 -
      ((t + 1) * t * (t - 2) * c) / 2 +
      ((t + 1) * t * (t - 1) * d) / 6;
    return Math.exp(v);
  }
}

/**
 * η(L) relative to the emitted power, from the per-geometry table (docs/physics.md §2.4): within
 * 1e-5 dB of `fresnelCollectedFraction` (tested), and O(1) per call once the nodes near L exist.
 */
export function collectedFractionAt(geometry: BeamGeometry, rangeM: number, jitterRad = 0): number {
  return new CollectedFractionTable(geometry, jitterRad).at(rangeM);
}
