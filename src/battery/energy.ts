import type { Solution } from '../dynamics/types.js';
import { batteryErgotropy } from './ergotropy.js';

/** Battery energy, Eq. (4): E(t) = Tr[ρ_B H_B] = ω0|c2(t)|². */
export function batteryEnergy(c2re: number, c2im: number, omega0: number): number {
  return omega0 * (c2re * c2re + c2im * c2im);
}

/** Charger energy ω0|c1(t)|². */
export function chargerEnergy(c1re: number, c1im: number, omega0: number): number {
  return omega0 * (c1re * c1re + c1im * c1im);
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

/** Energy, ergotropy, charger energy and field excitation along a solution. */
export function batterySeries(sol: Solution): BatterySeries {
  const n = sol.t.length;
  const w0 = sol.params.omega0;
  const energy = new Float64Array(n);
  const ergo = new Float64Array(n);
  const charger = new Float64Array(n);
  const field = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const [ar, ai, br, bi] = [sol.c1[2 * i], sol.c1[2 * i + 1], sol.c2[2 * i], sol.c2[2 * i + 1]];
    energy[i] = batteryEnergy(br, bi, w0);
    ergo[i] = batteryErgotropy(br, bi, w0);
    charger[i] = chargerEnergy(ar, ai, w0);
    field[i] = 1 - (ar * ar + ai * ai) - (br * br + bi * bi);
  }
  return { t: sol.t, energy, ergotropy: ergo, chargerEnergy: charger, fieldExcitation: field };
}
