import { ParameterError } from '../errors.js';
import { solveExact } from './exact.js';
import { solveMarkov } from './markov.js';
import { solveVolterra } from './volterra.js';
import { METHODS, type DynamicsProblem, type Method, type Solution, type SolveOptions } from './types.js';

/**
 * Solves Eq. (3) with the named method (problem → solver → solution, as SciML):
 * - 'exact': resolvent (bound states of Eq. 7–8 + branch cut), src/dynamics/exact.ts;
 * - 'volterra': time stepping with product integration, src/dynamics/volterra.ts;
 * - 'markov': Eq. (6), src/dynamics/markov.ts.
 * Numerical trouble is reported in `status`/`message`, never silently; bad input throws ParameterError.
 */
export function solve(problem: DynamicsProblem, method: Method = 'exact', options: SolveOptions = {}): Solution {
  switch (method) {
    case 'exact': return solveExact(problem, options);
    case 'volterra': return solveVolterra(problem, options);
    case 'markov': return solveMarkov(problem, options);
    default: throw new ParameterError('method', method, `must be one of ${METHODS.join(', ')}`);
  }
}
