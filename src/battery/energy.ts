import type { Solution } from '../dynamics/types.js';
import { ParameterError } from '../errors.js';
import { argNumber, AMPLITUDE_RANGE, checkAmplitudeArgs } from '../arguments.js';
import { batteryErgotropyOf } from './ergotropy.js';
import { checkSolution } from '../dynamics/accessors.js';

/** Battery energy, Eq. (4): E(t) = Tr[ρ_B H_B] = ω0|c2(t)|². Arguments checked (ParameterError). */
export function batteryEnergy(c2re: number, c2im: number, omega0: number): number {
  checkAmplitudeArgs('c2', c2re, c2im, omega0, 'batteryEnergy(sol.c2[2n], sol.c2[2n + 1], sol.params.omega0)');
  return batteryEnergyOf(c2re, c2im, omega0);
}

/** Charger energy ω0|c1|² (Eq. 4 for the charger). Arguments checked (ParameterError). */
export function chargerEnergy(c1re: number, c1im: number, omega0: number): number {
  checkAmplitudeArgs('c1', c1re, c1im, omega0, 'chargerEnergy(sol.c1[2n], sol.c1[2n + 1], sol.params.omega0)');
  return batteryEnergyOf(c1re, c1im, omega0);
}

/**
 * ω0|c|² (Eq. 4), unchecked: for loops over a solver's own output (batterySeries, sweeps, the explorer),
 * where NaN from a run that did not succeed must come through as NaN for the caller to report.
 */
export function batteryEnergyOf(re: number, im: number, omega0: number): number {
  return omega0 * (re * re + im * im);
}

/** Per-time battery observables derived from a Solution. */
export interface BatterySeries {
  t: Float64Array;
  /** E(t) = ω0|c2|², Eq. (4) (ω11). */
  energy: Float64Array;
  /** W(t), Eq. (5) (ω11). */
  ergotropy: Float64Array;
  /** ω0|c1|² (ω11). */
  chargerEnergy: Float64Array;
  /** 1 − |c1|² − |c2|²: the excitation carried by the waveguide field. */
  fieldExcitation: Float64Array;
}

/**
 * Energy (Eq. 4), ergotropy (Eq. 5), charger energy and field excitation along a solution. The
 * solution's shape is checked (ParameterError naming e.g. `sol.c2`); in a solution whose status is
 * 'success' so is every amplitude (finite, components in [−1.5, 1.5]). The amplitudes of a run that did
 * not succeed (e.g. the NaN of a 'cancelled' or 'max-steps' run, as its message says) pass through.
 */
export function batterySeries(sol: Solution): BatterySeries {
  checkSolution(sol);
  const n = sol.t.length;
  const w0 = sol.params.omega0;
  const lim = AMPLITUDE_RANGE.max!;
  const energy = new Float64Array(n);
  const ergo = new Float64Array(n);
  const charger = new Float64Array(n);
  const field = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const ar = sol.c1[2 * i];
    const ai = sol.c1[2 * i + 1];
    const br = sol.c2[2 * i];
    const bi = sol.c2[2 * i + 1];
    if (!(Math.abs(ar) <= lim && Math.abs(ai) <= lim && Math.abs(br) <= lim && Math.abs(bi) <= lim)) checkSample(sol, i);
    energy[i] = batteryEnergyOf(br, bi, w0);
    ergo[i] = batteryErgotropyOf(br, bi, w0);
    charger[i] = batteryEnergyOf(ar, ai, w0);
    field[i] = 1 - (ar * ar + ai * ai) - (br * br + bi * bi);
  }
  return { t: sol.t, energy, ergotropy: ergo, chargerEnergy: charger, fieldExcitation: field };
}

/**
 * Throws for sample i of a 'success' solution (a component outside [−1.5, 1.5] or NaN). The samples of a
 * run that did not succeed pass through: its status and message already say they are not to be trusted.
 */
function checkSample(sol: Solution, i: number): void {
  if (sol.status !== 'success') return;
  for (const c of ['c1', 'c2'] as const) {
    for (const k of [2 * i, 2 * i + 1]) {
      const v = sol[c][k];
      if (Number.isNaN(v)) throw new ParameterError(c, v, "NaN in a solution whose status is 'success'", `sol.${c}[${k}]`);
      argNumber(c, v, AMPLITUDE_RANGE, `sol.${c}[${k}]`);
    }
  }
}
