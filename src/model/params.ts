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

/** Retardation τ = Δz/c in 1/ω11 for Δz in λ11: τ = 2π·Δz (Eq. 2). Δz is checked against PARAM_RANGES.dz. */
export function tauOf(dz: number): number {
  return 2 * Math.PI * checkNumber('dz', dz, PARAM_RANGES.dz);
}

/** Which collective channel: symmetric (c1 + c2, spectral density J0 + J1) or antisymmetric. */
export type Channel = '+' | '-';
