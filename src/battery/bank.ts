import { ParameterError } from '../errors.js';
import { prepareScene, type PreparedScene } from '../model/scene.js';
import type { SceneSolution } from '../dynamics/scene/types.js';
import { batteryErgotropyOf } from './ergotropy.js';

/**
 * The battery bank of a scene at one time (shared/scenes.md §3). Batteries B ⊂ emitters; with the
 * single-excitation state the reduced state of the bank is ρ_B = (1 − p)|0⟩⟨0| + |ψ⟩⟨ψ|,
 * |ψ⟩ = Σ_B c_b|1_b⟩, p = Σ_B |c_b|². Energies in ω11 (the reservoir's frequency unit).
 */
export interface BankState {
  /** E_B = Σ_B ω_b|c_b|². */
  energy: number;
  /** p = Σ_B |c_b|², the bank's excited population. */
  population: number;
  /** Collective ergotropy W_bank = E_B − min(p, 1 − p)·ω_min (ω_min = min_B ω_b), ≥ 0. */
  ergotropy: number;
  /** Each battery's own ergotropy ω_b·max(0, 2|c_b|² − 1) (Eq. 5), in the order of `prepared.batteries`. */
  localErgotropies: Float64Array;
  /** Σ_B ω_b·max(0, 2|c_b|² − 1) ≤ W_bank. */
  localErgotropy: number;
  /** Σ_chargers ω_j|c_j|². */
  chargerEnergy: number;
  /** Σ_all ω_j|c_j|² (chargers and batteries). */
  emitterEnergy: number;
}

/**
 * Collective ergotropy of the bank from its energy terms, scenes.md §3:
 *   W_bank = E_B − min(p, 1 − p)·ω_min = Σ_B (ω_b − ω_min)|c_b|² + ω_min·max(0, p − (1 − p)).
 * The passive state puts the larger eigenvalue of ρ_B (p or 1 − p) on the ground level and the smaller
 * on the lowest single-excitation level ω_min. Written as the second sum it is a sum of non-negative
 * terms: exactly 0 for equal ω_b and p ≤ ½ (no 1e-17 remainder of E_B − p·ω_min), and for one battery
 * 0 + ω·max(0, |c|² − (1 − |c|²)), which is today's batteryErgotropyOf bit for bit.
 */
function collectiveErgotropy(excess: number, p: number, wMin: number): number {
  return excess + wMin * Math.max(0, p - (1 - p));
}

/**
 * The bank's energy, collective and local ergotropies and the chargers' energy for the amplitudes c of
 * every emitter at one time (interleaved complex, length 2N, scene order), scenes.md §3.
 * Example: two batteries of frequency ω with |c|² = 0.4 each: E_B = 0.8ω, W_bank = 0.6ω, local 0.
 */
export function bankState(prepared: PreparedScene, c: ArrayLike<number>): BankState {
  if (c.length !== 2 * prepared.n) throw new ParameterError('c', `an array of length ${c.length}`, `must hold 2N = ${2 * prepared.n} numbers (re, im of each emitter)`, 'c');
  const { omega, batteries, chargers } = prepared;
  let wMin = Infinity;
  for (const b of batteries) wMin = Math.min(wMin, omega[b]);
  let energy = 0;
  let p = 0;
  let excess = 0;
  let localSum = 0;
  const local = new Float64Array(batteries.length);
  batteries.forEach((b, k) => {
    const re = c[2 * b];
    const im = c[2 * b + 1];
    const pb = re * re + im * im;
    energy += omega[b] * pb;
    p += pb;
    excess += (omega[b] - wMin) * pb;
    local[k] = batteryErgotropyOf(re, im, omega[b]);
    localSum += local[k];
  });
  let chargerEnergy = 0;
  for (const j of chargers) chargerEnergy += omega[j] * (c[2 * j] * c[2 * j] + c[2 * j + 1] * c[2 * j + 1]);
  return {
    energy, population: p, ergotropy: collectiveErgotropy(excess, p, wMin), localErgotropies: local, localErgotropy: localSum,
    chargerEnergy, emitterEnergy: energy + chargerEnergy,
  };
}

/** Bank observables along a scene solution (one value per output time). */
export interface BankSeries {
  t: Float64Array;
  /** E_B(t) = Σ_B ω_b|c_b|² (ω11). */
  energy: Float64Array;
  /** W_bank(t) (ω11). */
  ergotropy: Float64Array;
  /** Σ_B ω_b max(0, 2|c_b|² − 1) (ω11). */
  localErgotropy: Float64Array;
  /** Each battery's ergotropy, one series per battery in the order of `batteries`. */
  localErgotropies: Float64Array[];
  /** Indices of the batteries (scene order). */
  batteries: readonly number[];
  /** Σ_chargers ω_j|c_j|² (ω11). */
  chargerEnergy: Float64Array;
  /**
   * Excitation lost to intrinsic decay, L(t) = ∫_0^t Σ_j γ_j|c_j(s)|² ds (a probability; trapezoid rule on
   * the output grid). Non-decreasing; ≤ 1 − Σ_j|c_j|² up to `lostError`.
   */
  lostExcitation: Float64Array;
  /**
   * Energy lost to intrinsic decay, ∫_0^t Σ_j γ_j ω_j|c_j(s)|² ds (ω11): each quantum emitted by emitter j
   * into its private (Markovian) bath carries ω_j. Same rule and error model as lostExcitation.
   */
  lostEnergy: Float64Array;
  /**
   * Error estimates at the last time (valid for every t) of lostExcitation and lostEnergy: twice the
   * trapezoid rule's leading term, 2·(h/12)·Σ|Δ²f| (−h³f''/12 per step, f'' from second differences;
   * the factor 2 covers the next terms: at h = 0.4/ω11 on a pair's Markov dynamics the leading term
   * alone fell 25 % short), plus the amplitudes' own error, t·Σ_j γ_j(ω_j)·(2|c_j| + e)·e with
   * e = sol.errorEstimate (0 if NaN). An estimate, not a rigorous bound, for grids that resolve f.
   */
  lostError: { excitation: number; energy: number };
  /**
   * Energy left in the field: initial energy − Σ_j ω_j|c_j|² − lostEnergy (ω11), i.e. what the
   * conserved ⟨H⟩ of emitters + reservoir holds outside the emitters' bare energies (photons and the
   * interaction energy).
   */
  fieldEnergy: Float64Array;
  /** Excitation in the field: 1 − Σ_j|c_j|² − lostExcitation. */
  fieldExcitation: Float64Array;
  /** Σ_j ω_j|c_j(0)|², ω11. */
  initialEnergy: number;
  /** Average charging power P(t) = E_B(t)/t (ω11²); NaN at t = 0, where it is undefined. */
  power: Float64Array;
  /** max over t > 0 of P(t) and the first time it is reached; null when the grid has no t > 0. */
  maxPower: { max: number; time: number } | null;
}

/**
 * Bank observables along a scene solution (shared/scenes.md §3): energy, collective and local
 * ergotropy, charger energy, losses to intrinsic decay, field energy and charging power. The scene is
 * re-validated from `sol.scene`; a solution whose series do not match it throws ParameterError
 * (`sol.c[j]`). NaN amplitudes (a run that did not succeed) pass through as NaN.
 */
export function bankSeries(sol: SceneSolution): BankSeries {
  if (sol === null || typeof sol !== 'object' || !(sol.t instanceof Float64Array) || !Array.isArray(sol.c)) {
    throw new ParameterError('sol', sol, 'must be a SceneSolution {t, c, scene, …} returned by solveScene', 'sol');
  }
  const prepared = prepareScene(sol.scene, 'sol.scene');
  const { n, omega, loss } = prepared;
  const points = sol.t.length;
  if (sol.c.length !== n) throw new ParameterError('c', `${sol.c.length} series`, `must hold one series per emitter (${n})`, 'sol.c');
  sol.c.forEach((x, j) => {
    if (!(x instanceof Float64Array) || x.length !== 2 * points) throw new ParameterError('c', x, `must be a Float64Array of length 2·t.length = ${2 * points}`, `sol.c[${j}]`);
  });
  const nb = prepared.batteries.length;
  const energy = new Float64Array(points);
  const ergotropy = new Float64Array(points);
  const localErgotropy = new Float64Array(points);
  const localErgotropies = Array.from({ length: nb }, () => new Float64Array(points));
  const chargerEnergy = new Float64Array(points);
  const lostExcitation = new Float64Array(points);
  const lostEnergy = new Float64Array(points);
  const fieldEnergy = new Float64Array(points);
  const fieldExcitation = new Float64Array(points);
  const power = new Float64Array(points);
  const rateX = new Float64Array(points); // Σ γ_j|c_j|²
  const rateE = new Float64Array(points); // Σ γ_j ω_j|c_j|²
  const emitterEnergy = new Float64Array(points);
  const population = new Float64Array(points);
  const amp = new Float64Array(2 * n);
  let maxAmp = 0;
  for (let i = 0; i < points; i++) {
    for (let j = 0; j < n; j++) { amp[2 * j] = sol.c[j][2 * i]; amp[2 * j + 1] = sol.c[j][2 * i + 1]; }
    const s = bankState(prepared, amp);
    energy[i] = s.energy;
    ergotropy[i] = s.ergotropy;
    localErgotropy[i] = s.localErgotropy;
    for (let k = 0; k < nb; k++) localErgotropies[k][i] = s.localErgotropies[k];
    chargerEnergy[i] = s.chargerEnergy;
    emitterEnergy[i] = s.emitterEnergy;
    let pop = 0;
    for (let j = 0; j < n; j++) {
      const pj = amp[2 * j] * amp[2 * j] + amp[2 * j + 1] * amp[2 * j + 1];
      pop += pj;
      rateX[i] += loss[j] * pj;
      rateE[i] += loss[j] * omega[j] * pj;
      maxAmp = Math.max(maxAmp, Math.sqrt(pj));
    }
    population[i] = pop;
    power[i] = sol.t[i] > 0 ? s.energy / sol.t[i] : Number.NaN;
  }
  // Trapezoid rule for the losses, with its error estimate 2·(h/12)·Σ|Δ²f|.
  let curvX = 0;
  let curvE = 0;
  for (let i = 1; i < points; i++) {
    const h = sol.t[i] - sol.t[i - 1];
    lostExcitation[i] = lostExcitation[i - 1] + 0.5 * h * (rateX[i - 1] + rateX[i]);
    lostEnergy[i] = lostEnergy[i - 1] + 0.5 * h * (rateE[i - 1] + rateE[i]);
    if (i + 1 < points) {
      const h2 = sol.t[i + 1] - sol.t[i];
      curvX += (Math.max(h, h2) / 6) * Math.abs(rateX[i + 1] - 2 * rateX[i] + rateX[i - 1]);
      curvE += (Math.max(h, h2) / 6) * Math.abs(rateE[i + 1] - 2 * rateE[i] + rateE[i - 1]);
    }
  }
  const tEnd = points > 0 ? sol.t[points - 1] : 0;
  const e = Number.isFinite(sol.errorEstimate) ? sol.errorEstimate : 0;
  let gX = 0;
  let gE = 0;
  for (let j = 0; j < n; j++) { gX += loss[j]; gE += loss[j] * omega[j]; }
  const ampPart = tEnd * (2 * maxAmp + e) * e;
  const initialEnergy = emitterEnergyOf(prepared, prepared.initial);
  for (let i = 0; i < points; i++) {
    fieldEnergy[i] = initialEnergy - emitterEnergy[i] - lostEnergy[i];
    fieldExcitation[i] = 1 - population[i] - lostExcitation[i];
  }
  let maxPower: { max: number; time: number } | null = null;
  for (let i = 0; i < points; i++) {
    if (!(sol.t[i] > 0)) continue;
    if (maxPower === null || power[i] > maxPower.max) maxPower = { max: power[i], time: sol.t[i] };
  }
  return {
    t: sol.t, energy, ergotropy, localErgotropy, localErgotropies, batteries: prepared.batteries, chargerEnergy,
    lostExcitation, lostEnergy, lostError: { excitation: curvX + gX * ampPart, energy: curvE + gE * ampPart },
    fieldEnergy, fieldExcitation, initialEnergy, power, maxPower,
  };
}

function emitterEnergyOf(prepared: PreparedScene, c: Float64Array): number {
  let s = 0;
  for (let j = 0; j < prepared.n; j++) s += prepared.omega[j] * (c[2 * j] * c[2 * j] + c[2 * j + 1] * c[2 * j + 1]);
  return s;
}
