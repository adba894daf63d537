import type { BoundState } from '../spectrum/boundStates.js';
import { steadyAmplitude } from '../battery/steadyState.js';

/**
 * The long-time battery energy of Eq. (8): E(∞, t) = ω0|c2(∞, t)|² with
 * c2(∞, t) = Σ_{+ states} Z e^{−iEt} − Σ_{− states} Z e^{−iEt} (paper convention). Every discrete
 * eigenstate counts, as in steadyState; with one bound state this is ω0Z+², with two it oscillates
 * between ω0(Z+ − Z−)² and ω0(Z+ + Z−)² at angular frequency |E− − E+|.
 * Example: ω0 = 1.5, Γ11 = 0.5, Δz = 0.1 (one state, Z+ = 0.140065) → 0.029427 ω11 at every t.
 */
export function steadyEnergyAt(states: readonly BoundState[], omega0: number, t: number): number {
  const [re, im] = steadyAmplitude(states, t);
  return omega0 * (re * re + im * im);
}

/** The same from the bound-state columns of a sweep (E±, Z±; NaN when absent). */
export function steadyEnergyFromColumns(omega0: number, ePlus: number, zPlus: number, eMinus: number, zMinus: number, t: number): number {
  const states: BoundState[] = [];
  if (Number.isFinite(zPlus)) states.push({ channel: '+', energy: ePlus, residue: zPlus, inContinuum: false });
  if (Number.isFinite(zMinus)) states.push({ channel: '-', energy: eMinus, residue: zMinus, inContinuum: false });
  return steadyEnergyAt(states, omega0, t);
}
