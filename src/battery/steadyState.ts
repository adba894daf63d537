import { checkNumber } from '../errors.js';
import { checkParams, tauOf, type ModelParams } from '../model/params.js';
import { boundStates, type BoundState } from '../spectrum/boundStates.js';
import { resonances, type Resonance } from '../spectrum/continuum.js';
import { EFFECTIVE_DEFAULTS, EFFECTIVE_RANGES } from '../spectrum/classification.js';

/**
 * The battery amplitude of Eq. (8) at time t: c2(∞, t) = Σ_{+ states} Z e^{−iEt} − Σ_{− states} Z e^{−iEt}
 * (paper convention), for any list of discrete eigenstates. Returns [re, im].
 * Example: ω0 = 1.5, Γ11 = 0.5, Δz = 0.1 (Z+ = 0.140065): |c2(∞, t)|² = Z+² at every t.
 */
export function steadyAmplitude(states: readonly BoundState[], t: number): [number, number] {
  let re = 0;
  let im = 0;
  for (const s of states) {
    const sign = s.channel === '+' ? 1 : -1;
    re += sign * s.residue * Math.cos(s.energy * t);
    im -= sign * s.residue * Math.sin(s.energy * t);
  }
  return [re, im];
}

/** Settings of the "effective" classification (physics.md: the paper's counts are effective ones). */
export interface SteadyStateOptions {
  /**
   * Bound states with residue Z below this are counted as absent in `effectiveCount` (default 0.014:
   * with Γ11 = 0.5, Δz = 0.1λ11 this puts the paper's one-to-zero boundary at ω0 ≈ 2.79ω11, where
   * it reports 2.8ω11; the stored energy ω0Z² there is ≈ 5·10⁻⁴ ω11).
   */
  residueThreshold?: number;
  /**
   * Two bound states whose beat period 2π/|E− − E+| exceeds this time (in 1/ω11) are called
   * degenerate ("2D" in the paper's Fig. 4a) (default 2000: |E− − E+| < π·10⁻³ ω11, which puts the
   * paper's 1.7λ11 boundary at ω0 = 1.4ω11 where the gap is 3.0·10⁻³ ω11).
   */
  observationTime?: number;
  /** Also search the continuum for resonances and report the slowest one (default true). */
  resonances?: boolean;
}

/** The paper's regime label: number of (effective) bound states, "2D" when two are degenerate. */
export type Regime = '0' | '1' | '2' | '2D';

/** Long-time behaviour of charger and battery, Eq. (8). */
export interface SteadyState {
  params: ModelParams;
  /** Every discrete eigenstate (bound states, and the decoupled one at Δz = 0). */
  boundStates: BoundState[];
  /** Exact number M of bound states below the band edge. */
  count: number;
  /** Bound states below the band edge with residue ≥ residueThreshold. */
  effectiveCount: number;
  /** True when two effective bound states beat slower than the observation time. */
  degenerate: boolean;
  regime: Regime;
  residueThreshold: number;
  observationTime: number;
  /** E(∞) oscillates between these (ω11): ω0(Z+ − Z−)² and ω0(Z+ + Z−)² for two states. */
  energyMin: number;
  energyMax: number;
  /** Maximum over the oscillation of W(∞) = ω0·max(0, 2|c2(∞)|² − 1) (ω11). */
  ergotropyMax: number;
  /** Angular frequency |E− − E+| of the energy exchange (ω11); 0 with fewer than two states. */
  frequency: number;
  /** Charger energy range ω0|c1(∞)|² (ω11). */
  chargerEnergyMin: number;
  chargerEnergyMax: number;
  /** The narrowest continuum resonance found (decays slowest), or null. Long-lived if width ≪ 1/t. */
  slowestResonance: Resonance | null;
}

/**
 * Steady state of Eq. (8): c_j(∞) = Σ_b (±)Z_b e^{−iE_b t} (symmetric states enter c1 and c2 with the
 * same sign, antisymmetric ones with opposite signs), hence E(∞) = ω0|c2(∞)|² between
 * ω0(Z+ − Z−)² and ω0(Z+ + Z−)², oscillating at |E+ − E−|. The continuum part decays (t^−3/2) except
 * near bound states in the continuum, reported through `slowestResonance`.
 */
export function steadyState(params: ModelParams, options: SteadyStateOptions = {}): SteadyState {
  const p = checkParams(params);
  const residueThreshold = checkNumber('residueThreshold', options.residueThreshold ?? EFFECTIVE_DEFAULTS.residueThreshold, EFFECTIVE_RANGES.residueThreshold);
  const observationTime = checkNumber('observationTime', options.observationTime ?? EFFECTIVE_DEFAULTS.observationTime, EFFECTIVE_RANGES.observationTime);
  const spectrum = boundStates(p);
  const states = spectrum.boundStates;
  // Amplitudes of c1(∞), c2(∞) on each discrete frequency.
  let sumPlus = 0;
  let sumMinus = 0;
  for (const s of states) {
    if (s.channel === '+') sumPlus += s.residue;
    else sumMinus += s.residue;
  }
  const w0 = p.omega0;
  const two = states.filter((s) => s.channel === '+').length > 0 && states.filter((s) => s.channel === '-').length > 0;
  const energyMax = w0 * (sumPlus + sumMinus) ** 2;
  const energyMin = two ? w0 * (sumPlus - sumMinus) ** 2 : energyMax;
  const chargerEnergyMax = energyMax;
  const chargerEnergyMin = energyMin;
  const ergotropyMax = w0 * Math.max(0, 2 * (sumPlus + sumMinus) ** 2 - 1);
  const ePlus = states.find((s) => s.channel === '+');
  const eMinus = states.find((s) => s.channel === '-');
  const frequency = ePlus && eMinus ? Math.abs(eMinus.energy - ePlus.energy) : 0;
  // Effective count: bound states in the gap with a residue above threshold (a state embedded in the
  // continuum — the decoupled one at Δz = 0 — contributes to E(∞) but is not counted, as in `count`).
  const effective = states.filter((s) => !s.inContinuum && s.residue >= residueThreshold);
  const effPlus = effective.find((s) => s.channel === '+');
  const effMinus = effective.find((s) => s.channel === '-');
  const degenerate = !!(effPlus && effMinus) && 2 * Math.PI > observationTime * Math.abs(effMinus.energy - effPlus.energy);
  const regime: Regime = effective.length === 0 ? '0' : effective.length === 1 ? '1' : degenerate ? '2D' : '2';
  let slowestResonance: Resonance | null = null;
  if (options.resonances ?? true) {
    const tau = tauOf(p.dz);
    const kMax = p.omega0 + 2 + 2 * p.gamma11;
    for (const ch of ['+', '-'] as const) {
      for (const r of resonances(ch, p.omega0, p.gamma11, tau, kMax)) {
        if (!slowestResonance || r.width < slowestResonance.width) slowestResonance = r;
      }
    }
  }
  return {
    params: p, boundStates: states, count: spectrum.count, effectiveCount: effective.length, degenerate, regime,
    residueThreshold, observationTime, energyMin, energyMax, ergotropyMax, frequency, chargerEnergyMin, chargerEnergyMax, slowestResonance,
  };
}
