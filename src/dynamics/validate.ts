import { checkNumber } from '../errors.js';
import { ParameterError } from '../errors.js';
import { argCallback, argObject, argOptions, argSignal } from '../arguments.js';
import { checkParams } from '../model/params.js';
import { decimalGrid } from './decimalGrid.js';
import { MAX_OUTPUT_POINTS, type DynamicsProblem, type SolveOptions } from './types.js';

/** Largest tMax accepted, in 1/ω11. */
export const MAX_T = 1e6;

/** A validated problem with its output grid size. */
export interface CheckedProblem extends Required<DynamicsProblem> { points: number }

/** Validates a DynamicsProblem (throws ParameterError naming the bad field by its path, e.g. `problem.params.dz`). */
export function checkProblem(problem: DynamicsProblem): CheckedProblem {
  argObject('problem', problem, '{params, tMax, dt, tol?}');
  const params = checkParams(problem.params, 'problem.params');
  return { params, ...checkTimeGrid(problem, MAX_OUTPUT_POINTS, 'absolute, on c1 and c2') };
}

/**
 * The output grid and tolerance of a problem: tMax ∈ [0, MAX_T], dt ∈ (0, MAX_T], tol ∈ [1e-14, 0.1]
 * (default 1e-8; `tolUnit` says on what), and at most `maxPoints` output times (ParameterError naming
 * `problem.dt` with the smallest dt allowed). Shared by the two-emitter and the scene problems.
 */
export function checkTimeGrid(
  problem: { tMax: unknown; dt: unknown; tol?: unknown },
  maxPoints: number,
  tolUnit: string,
  why = `the memory bound of ${maxPoints - 1} steps`,
): { tMax: number; dt: number; tol: number; points: number } {
  const tMax = checkNumber('tMax', problem.tMax, { min: 0, max: MAX_T, unit: '1/ω11' }, 'problem.tMax');
  const dt = checkNumber('dt', problem.dt, { min: 0, minOpen: true, max: MAX_T, unit: '1/ω11' }, 'problem.dt');
  const tol = checkNumber('tol', problem.tol === undefined ? 1e-8 : problem.tol, { min: 1e-14, max: 0.1, unit: tolUnit }, 'problem.tol');
  const points = Math.floor(tMax / dt + 1e-9) + 1;
  if (points > maxPoints) {
    throw new ParameterError('dt', dt, `tMax/dt + 1 = ${points} output points exceeds ${why}; use dt ≥ ${tMax / (maxPoints - 1)}`, 'problem.dt');
  }
  return { tMax, dt, tol, points };
}

/**
 * Validates the options every solver shares (SolveOptions): undefined or an object whose `onProgress`
 * is a function and whose `signal` is AbortSignal-like. Returns them (an empty object for undefined).
 */
export function checkSolveOptions(options: SolveOptions | undefined, shape = '{onProgress?, signal?}'): SolveOptions {
  const o = argOptions(options, shape);
  argCallback('onProgress', o.onProgress, '(fraction: number) => void', 'options.onProgress');
  argSignal('signal', o.signal, 'options.signal');
  return o as SolveOptions;
}

/** The output grid t_n = n·dt, n = 0 … points − 1, without rounding noise (3 × 0.3 → 0.9; see decimalGrid.ts). */
export function outputGrid(dt: number, points: number): Float64Array {
  return decimalGrid(dt, points);
}
