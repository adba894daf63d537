import { brentRoot } from '../numerics/brent.js';
import { checkParams, tauOf, type Channel, type ModelParams } from '../model/params.js';
import { reducedSelfEnergy, selfEnergy, selfEnergyDerivative } from '../model/selfEnergy.js';

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
    if (channel === '+' && 1 - e < EDGE_RESIDUE_GAP) {
      states.push({ channel, energy: e === BEYOND_LAST ? LAST : e, residue: edgeResidue(p.omega0, p.gamma11, tau), inContinuum: false });
      continue;
    }
    // Σ' = ∫J/(ω − E)² ≥ 0; at Δz → 0 the antisymmetric value is a cancellation of O(1) terms and can
    // round to −1e-16, which must not push Z above ½.
    const energy = e === BEYOND_LAST ? LAST : e;
    const residue = 0.5 / (1 + Math.max(0, selfEnergyDerivative(channel, energy, p.gamma11, tau)));
    states.push({ channel, energy, residue, inContinuum: false });
  }
  return { params: p, boundStates: states, count: states.filter((s) => !s.inContinuum).length };
}

/** F(E) = E − ω0 + Σ±(E) = E − Y±(E); bound states are its zeros below 1. */
export function boundStateFunction(channel: Channel, E: number, omega0: number, gamma11: number, tau: number): number {
  return E - omega0 + selfEnergy(channel, E, gamma11, tau);
}

/** The largest double below the band edge, 1 − 2^−53. */
const LAST = 1 - Number.EPSILON / 2;
/** channelRoot's answer for a root in (LAST, 1): closer to the edge than a double resolves. */
const BEYOND_LAST = 1;

/**
 * Below this distance 1 − E+ from the edge, Z+ comes from edgeResidue: Σ+' ∝ 1/κ³ evaluated at a root
 * rounded to a double has a relative error ≈ 1.5·2^−53/(1 − E) (1e-6 at 5e-11, 50 % a few ulps from
 * the edge), larger there than the edge form's O(κ²) (measured ≈ 24κ² at τ = 5: 2.4e-9 here).
 * Only tiny Γ11 (Γ11/|ω0 − 1| ≲ 1e-5) or ω0 within 5e-11 of the edge comes this close.
 */
const EDGE_RESIDUE_GAP = 5e-11;

/**
 * Residue Z+ of a symmetric bound state within EDGE_RESIDUE_GAP of the edge or beyond LAST (e.g.
 * Γ11 = 1e-12 at ω0 = 10: 1 − E+ ≈ 6e-27). E is not resolved there, but κ = √(1 − E²) is: with
 * E = √(1 − κ²), E − 1 = −κ²/(1 + E), A(E) = (π − asin κ)/κ (exact for 0 < E < 1) and
 * I−(E) = I−(1) + O(κ) (reducedSelfEnergy at E = 1), Eq. (7) reads
 *   G(κ) = (1 − ω0) − κ²/(1 + E) + (Γ11/2π)(2(π − asin κ)/κ − I−(1)) = 0,
 * decreasing in κ (from +∞ at κ → 0⁺), solved by Brent's method on (0, κ(1 − EDGE_RESIDUE_GAP)]; then
 *   Σ+'(E) = (Γ11/2π)·(2(1 + E·A)/κ² − I−'(E)),  I−' = O(1/κ) ≪ 1/κ³,   Z+ = ½/(1 + Σ+'),
 * with relative errors O(κ²) ≤ 1e-9. (At E = LAST instead, Z+ came out too large by (κ(LAST)/κ+)³:
 * 1.65e-12 instead of 6.9e-28 at Γ11 = 1e-12, ω0 = 10, and ½ instead of 0 at Γ11 = 1e-300.)
 * κ² underflows when Z+ is below the smallest double: 0 is then exact to double precision.
 */
function edgeResidue(omega0: number, gamma11: number, tau: number): number {
  const g = gamma11 / (2 * Math.PI);
  const iMinus1 = reducedSelfEnergy('-', 1, tau);
  const gap = 1 - omega0;
  const G = (kappa: number): number => {
    const E = Math.sqrt((1 - kappa) * (1 + kappa));
    return gap - (kappa * kappa) / (1 + E) + g * ((2 * (Math.PI - Math.asin(kappa))) / kappa - iMinus1);
  };
  const kS = Math.sqrt(EDGE_RESIDUE_GAP * (2 - EDGE_RESIDUE_GAP));
  let hi = kS;
  let lo = kS;
  if (G(hi) > 0) lo = hi; // the root sits at the switch itself (to the formula's accuracy)
  else {
    do { hi = lo; lo *= 0.5; } while (lo > 0 && !(G(lo) > 0));
  }
  const kappa = lo === 0 ? 0 : lo === hi ? lo : brentRoot(G, lo, hi, 0, 200).root;
  if (!(kappa > 0)) return 0;
  const E = Math.sqrt((1 - kappa) * (1 + kappa));
  const k2 = kappa * kappa;
  // Z = ½/(1 + 2g(1 + E·A)/κ²) = ½κ²/(κ² + 2g(1 + E·A)), which stays finite when κ² underflows.
  return (0.5 * k2) / (k2 + 2 * g * (1 + (E * (Math.PI - Math.asin(kappa))) / kappa));
}

/** The root of F in channel ± below the band edge, BEYOND_LAST for one in (LAST, 1), or null if there is none. */
function channelRoot(channel: Channel, omega0: number, gamma11: number, tau: number): number | null {
  const F = (E: number) => boundStateFunction(channel, E, omega0, gamma11, tau);
  // Upper bracket: approach the edge until F > 0.
  // The largest double below 1 is LAST; never evaluate at the edge itself.
  let hi = Math.min(omega0, 1 - 1e-3);
  let fhi = F(hi);
  let delta = 1 - hi;
  while (fhi <= 0) {
    if (hi >= LAST) {
      // F(LAST) ≤ 0. In the symmetric channel (F → +∞ at the edge) and in the antisymmetric one when
      // the edge limit F(1⁻) = 1 − ω0 + Σ−(1) is still > 0 (Σ−(1) from its cancellation-free form,
      // reducedSelfEnergy at E = 1), the root lies closer to the edge than double precision resolves
      // (tiny Γ11 against ω0 − 1; or ω0 = 1 at tiny Δz, where 1 − E− ≈ Γ11τ/4): the energy is reported
      // as LAST, within 2^−53 of the root, and the residue from the edge forms (edgeResidue; in the
      // antisymmetric channel Z− = ½/(1 + O(Γ11τ²/κ)) is ½ to double precision either way). Otherwise
      // F(1⁻) ≤ 0: no antisymmetric bound state (at the threshold itself the residue is zero).
      if (channel === '+') return BEYOND_LAST;
      return 1 - omega0 + selfEnergy(channel, 1, gamma11, tau) > 0 ? BEYOND_LAST : null;
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
