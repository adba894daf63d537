import { checkNumber, ParameterError } from '../errors.js';

/**
 * Dimensionless parameters of the model, Eq. (1)–(2) of the paper, in units ω11 = c = 1.
 * - `omega0`: transition frequency ω0 of charger and battery, in ω11.
 * - `gamma11`: radiation rate Γ11 into the TM11 mode, in ω11.
 * - `dz`: charger–battery distance Δz, in λ11 = 2πc/ω11.
 */
export interface ModelParams {
  omega0: number;
  gamma11: number;
  dz: number;
}

/** The ranges qbwave validates and tests its accuracy claims on (issue 2). */
export const PARAM_RANGES = {
  omega0: { min: 0, minOpen: true, max: 10, unit: 'units of ω11' },
  gamma11: { min: 0, minOpen: true, max: 5, unit: 'units of ω11' },
  dz: { min: 0, max: 20, unit: 'units of λ11' },
} as const;

/** Largest retardation τ = 2πΔz, 1/ω11: at the largest Δz of PARAM_RANGES (20λ11), 40π. */
export const TAU_MAX = 2 * Math.PI * PARAM_RANGES.dz.max;

/**
 * Validates and returns a copy of the parameters (throws ParameterError naming the bad one by its
 * path, `path` + '.omega0' etc., e.g. `problem.params.dz`).
 */
export function checkParams(p: ModelParams, path = 'params'): ModelParams {
  if (p === null || typeof p !== 'object' || Array.isArray(p)) throw new ParameterError('params', p, 'must be an object {omega0, gamma11, dz}', path);
  return {
    omega0: checkNumber('omega0', p.omega0, PARAM_RANGES.omega0, `${path}.omega0`),
    gamma11: checkNumber('gamma11', p.gamma11, PARAM_RANGES.gamma11, `${path}.gamma11`),
    dz: checkNumber('dz', p.dz, PARAM_RANGES.dz, `${path}.dz`),
  };
}

/**
 * Retardation τ = Δz/c in 1/ω11 for Δz in λ11: τ = 2π·Δz (Eq. 2). Δz is checked against PARAM_RANGES.dz.
 * Below TAU_NEGLIGIBLE it is exactly 0 (see there): such a Δz behaves as Δz = 0 in every method.
 */
export function tauOf(dz: number): number {
  const tau = 2 * Math.PI * checkNumber('dz', dz, PARAM_RANGES.dz);
  return tau < TAU_NEGLIGIBLE ? 0 : tau;
}

/** The longest time qbwave computes at, in 1/ω11 (the dynamics' MAX_T; a test keeps them equal). */
export const LONGEST_TIME = 1e6;

/**
 * Retardation below which every τ-dependent correction is below 1e-17 (in ω11 for energies and shifts,
 * absolute on the amplitudes up to t = LONGEST_TIME), so τ is taken as exactly 0.
 * Derivation: the τ-dependent parts are bounded for all E ≤ 1,
 * ω > 1 by |Σ−(E)| = |Σ+(E) − Σ+|_{τ=0}(E)| ≤ (Γ11/2π)∫(1 − cos τk)(ω + 1)/(ωk²)dk ≤ Γ11τ/2 and
 * |Δ±(ω) − Δ±|_{τ=0}(ω)| ≤ (Γ11/2π)(ω·P + π|sin τk|/k) ≤ (Γ11/2π)(πτ/2 + πτ) = ¾Γ11τ; J−/J0 = 1 − cos τk and
 * Σ±' change by O(τ²). An energy error δE moves a phase by δE·t, so ¾·Γ11,max·τ·LONGEST_TIME ≤ 1e-17 gives
 * τ ≤ 1e-17/(0.75·5·1e6) = 2.67e-24 (Δz ≤ 4.2e-25 λ11). Below it the formulas would not all be safe
 * either: τ² and the antisymmetric resonance width ∝ τ² underflow below τ ≈ 1e-154.
 */
export const TAU_NEGLIGIBLE = 1e-17 / (0.75 * PARAM_RANGES.gamma11.max * LONGEST_TIME);

/** Which collective channel: symmetric (c1 + c2, spectral density J0 + J1) or antisymmetric. */
export type Channel = '+' | '-';
