import { brentRoot } from '../numerics/brent.js';
import { checkParams, tauOf, type Channel, type ModelParams } from '../model/params.js';
import { selfEnergy, selfEnergyDerivative } from '../model/selfEnergy.js';

/** A bound state of the total system: a root E < 1 of Y±(E) = E (Eq. 7) and its residue (Eq. 8). */
export interface BoundState {
  channel: Channel;
  /** Eigenenergy E±^b, in ω11. */
  energy: number;
  /** Residue Z± = ½(1 + ∫J±/(E − ω)² dω)^−1 in the paper's convention (c2(∞) = Z+e^{−iE+t} − Z−e^{−iE−t}). */
  residue: number;
  /** True for a state embedded in the continuum (E ≥ 1); only the decoupled antisymmetric state at Δz = 0. */
  inContinuum: boolean;
}

/** The discrete spectrum of Eq. (1) in the single-excitation sector. */
export interface Spectrum {
  params: ModelParams;
  /** Bound states sorted by channel ('+' first). */
  boundStates: BoundState[];
  /** Number M of bound states below the band edge (the paper's count, exact). */
  count: number;
}

/**
 * Bound states of the charger–battery–waveguide system, Eq. (7)–(8) of the paper.
 *
 * ## Method
 * In each channel F(E) = E − ω0 + Σ±(E) is strictly increasing on (−∞, 1) because Σ±' > 0. F → −∞ as
 * E → −∞. In the symmetric channel Σ+ → +∞ as E → 1⁻ (J+ ~ (ω − 1)^−1/2, the 1D van Hove edge), so a
 * root always exists; in the antisymmetric channel it exists iff F(1⁻) = 1 − ω0 + Σ−(1) > 0, i.e.
 * Y−(1) < 1. Roots are bracketed (halving 1 − E towards the edge, doubling downwards) and polished by
 * Brent's method to full double precision. Σ± and Σ±' come from src/model/selfEnergy.ts (≈1e-15).
 * At Δz = 0 the antisymmetric channel is decoupled (J− ≡ 0): E− = ω0 exactly, Z− = ½, in the band gap
 * if ω0 < 1 and a bound state in the continuum otherwise.
 */
export function boundStates(params: ModelParams): Spectrum {
  const p = checkParams(params);
  const tau = tauOf(p.dz);
  const states: BoundState[] = [];
  for (const channel of ['+', '-'] as const) {
    if (channel === '-' && tau === 0) {
      states.push({ channel, energy: p.omega0, residue: 0.5, inContinuum: p.omega0 >= 1 });
      continue;
    }
    const e = channelRoot(channel, p.omega0, p.gamma11, tau);
    if (e === null) continue;
    // Σ' = ∫J/(ω − E)² ≥ 0; at Δz → 0 the antisymmetric value is a cancellation of O(1) terms and can
    // round to −1e-16, which must not push Z above ½.
    const residue = 0.5 / (1 + Math.max(0, selfEnergyDerivative(channel, e, p.gamma11, tau)));
    states.push({ channel, energy: e, residue, inContinuum: false });
  }
  return { params: p, boundStates: states, count: states.filter((s) => !s.inContinuum).length };
}

/** F(E) = E − ω0 + Σ±(E) = E − Y±(E); bound states are its zeros below 1. */
export function boundStateFunction(channel: Channel, E: number, omega0: number, gamma11: number, tau: number): number {
  return E - omega0 + selfEnergy(channel, E, gamma11, tau);
}

/** The root of F in channel ± below the band edge, or null if there is none. */
function channelRoot(channel: Channel, omega0: number, gamma11: number, tau: number): number | null {
  const F = (E: number) => boundStateFunction(channel, E, omega0, gamma11, tau);
  // Upper bracket: approach the edge until F > 0.
  // The largest double below 1 is 1 − 2^−53; never evaluate at the edge itself.
  const LAST = 1 - Number.EPSILON / 2;
  let hi = Math.min(omega0, 1 - 1e-3);
  let fhi = F(hi);
  let delta = 1 - hi;
  while (fhi <= 0) {
    if (hi >= LAST) {
      // F(1⁻) ≤ 0 in the antisymmetric channel: no bound state (at the threshold itself the residue
      // is zero). In the symmetric channel: a root closer to the edge than double precision resolves
      // (tiny Γ11, large ω0): report the last double below 1.
      return channel === '-' ? null : LAST;
    }
    delta = Math.max(delta * (delta > 1e-3 ? 0.5 : 0.01), Number.EPSILON / 2);
    hi = 1 - delta;
    fhi = F(hi);
  }
  let lo = hi - 1;
  let flo = F(lo);
  while (flo > 0) {
    lo = hi - 2 * (hi - lo);
    flo = F(lo);
  }
  return brentRoot(F, lo, hi, 0, 200).root;
}
