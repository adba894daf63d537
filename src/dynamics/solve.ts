import { ParameterError } from '../errors.js';
import { solveExact, solveMarkov, solveVolterra } from '../checkedEntries.js';
import { METHODS, type DynamicsProblem, type Method, type Solution, type SolveOptions } from './types.js';

/**
 * Solves Eq. (3) with the named method (problem → solver → solution, as SciML):
 * - 'exact': resolvent (bound states of Eq. 7–8 + branch cut), src/dynamics/exact.ts;
 * - 'volterra': time stepping with product integration, src/dynamics/volterra.ts;
 * - 'markov': Eq. (6), src/dynamics/markov.ts.
 * Numerical trouble is reported in `status`/`message`, never silently; bad input (problem, method or
 * options, e.g. `options.onProgress` not a function) throws ParameterError naming it.
 */
export function solve(problem: DynamicsProblem, method: Method = 'exact', options: SolveOptions = {}): Solution {
  if (!(METHODS as readonly unknown[]).includes(method)) throw new ParameterError('method', method, `must be one of ${METHODS.map((m) => `'${m}'`).join(', ')}`);
  // The checked entry points validate problem and options (each method's own options too).
  switch (method) {
    case 'exact': return solveExact(problem, options);
    case 'volterra': return solveVolterra(problem, options);
    default: return solveMarkov(problem, options);
  }
}
