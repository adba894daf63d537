import { AMPLITUDE_RANGE, argNumber, argObject, checkAmplitudeArgs } from '../arguments.js';
import { PARAM_RANGES } from '../model/params.js';

/**
 * A qubit density matrix in the eigenbasis {|g⟩, |e⟩} of H_B = ω0 σ†σ: populations pg, pe and the
 * coherence ρ_eg = ⟨e|ρ|g⟩ = coherenceRe + i·coherenceIm.
 */
export interface QubitState {
  pg: number;
  pe: number;
  coherenceRe: number;
  coherenceIm: number;
}

/** Populations of a density matrix: 0…1, with ±0.5 of slack for rounding and a loose solver tolerance. */
const POPULATION = { min: -0.5, max: 1.5, unit: 'a population, 0…1 for a density matrix' };
/** |ρ_eg| ≤ ½ for a qubit density matrix; components within ±1 are accepted. */
const COHERENCE = { min: -1, max: 1, unit: 'a component of ρ_eg, |ρ_eg| ≤ ½ for a density matrix' };

/**
 * Ergotropy of a qubit, Eq. (5) of the paper: W = Tr[ρH] − Tr[ρ̃H], with the passive state ρ̃ putting
 * the larger eigenvalue r1 of ρ on the ground level (energy 0) and the smaller r2 on the excited level
 * (energy ω0): W = ω0·(pe − r2). Eigenvalues of the 2×2 Hermitian matrix:
 * r1,2 = (1 ± √((pe − pg)² + 4|ρ_eg|²))/2 (for trace 1). Example: a pure |e⟩ gives W = ω0.
 * Arguments checked (ParameterError naming e.g. `state.pe`).
 */
export function ergotropy(state: QubitState, omega0: number): number {
  const s = argObject('state', state, '{pg, pe, coherenceRe, coherenceIm}');
  for (const key of ['pg', 'pe'] as const) argNumber(key, s[key], POPULATION, `state.${key}`);
  for (const key of ['coherenceRe', 'coherenceIm'] as const) argNumber(key, s[key], COHERENCE, `state.${key}`);
  argNumber('omega0', omega0, PARAM_RANGES.omega0, 'omega0', 'params.omega0');
  return ergotropyOf(state, omega0);
}

/**
 * Eq. (5), unchecked (see ergotropy). With d = pe − pg and R = √(d² + 4|ρ_eg|²), pe − r2 = (d + R)/2;
 * for d < 0 that difference cancels, so it is taken as 2|ρ_eg|²/(R − d) (the same number, times
 * (R − d)/(R − d)): W is then exactly 0 for a diagonal state with pe ≤ pg, and keeps full relative
 * precision for a nearly empty or nearly pure battery (the plain form gave W = 8e-19 for pe = 8e-19).
 */
function ergotropyOf(state: QubitState, omega0: number): number {
  const diff = state.pe - state.pg;
  const c2 = state.coherenceRe * state.coherenceRe + state.coherenceIm * state.coherenceIm;
  const root = Math.sqrt(diff * diff + 4 * c2);
  const excess = diff >= 0 ? 0.5 * (diff + root) : root - diff > 0 ? (2 * c2) / (root - diff) : 0;
  return Math.max(0, omega0 * excess);
}

/**
 * Reduced battery state for |Ψ(t)⟩ = [c1σ1† + c2σ2† + Σ d_k a_k†]|g1 g2 0⟩: tracing out charger and
 * field leaves ρ_B = diag(1 − |c2|², |c2|²), with no coherence (single excitation).
 */
export function batteryState(c2re: number, c2im: number): QubitState {
  argNumber('c2re', c2re, AMPLITUDE_RANGE, 'c2re', 'batteryState(sol.c2[2n], sol.c2[2n + 1])');
  argNumber('c2im', c2im, AMPLITUDE_RANGE, 'c2im', 'batteryState(sol.c2[2n], sol.c2[2n + 1])');
  return stateOf(c2re, c2im);
}

function stateOf(c2re: number, c2im: number): QubitState {
  const pe = c2re * c2re + c2im * c2im;
  return { pg: 1 - pe, pe, coherenceRe: 0, coherenceIm: 0 };
}

/** Battery ergotropy for amplitude c2: ω0·max(0, 2|c2|² − 1) (Eq. 5 with the diagonal ρ_B). Arguments checked. */
export function batteryErgotropy(c2re: number, c2im: number, omega0: number): number {
  checkAmplitudeArgs('c2', c2re, c2im, omega0, 'batteryErgotropy(sol.c2[2n], sol.c2[2n + 1], sol.params.omega0)');
  return batteryErgotropyOf(c2re, c2im, omega0);
}

/** batteryErgotropy unchecked (Eq. 5), for loops over a solver's own output (batterySeries, the explorer): NaN in, NaN out. */
export function batteryErgotropyOf(c2re: number, c2im: number, omega0: number): number {
  return ergotropyOf(stateOf(c2re, c2im), omega0);
}
