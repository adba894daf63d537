/**
 * Study `estimates`: how conservative each method's own error estimate is. For 20 random cases over
 * the whole range (same draw as `crossRandom`, its first 20), t ≤ 20, both methods at tol 1e-9 report
 * `errorEstimate`; the true error is max |Δc| against the exact method at tol 1e-12 (cases where that
 * reference is not 'success' are skipped and counted). Prints the range of estimate / true error per
 * method (src/dynamics/volterra.ts's doc says "true errors … were 5–15× smaller" than its estimate).
 */
import { solveExact } from '../../src/dynamics/exact.js';
import { solveVolterra } from '../../src/dynamics/volterra.js';
import { figure, maxDifference, paramText, randomParams, seededRandom, type Study } from './common.js';
import { SEED } from './crossRandom.js';

export const CASES = 20;

export const study: Study = {
  name: 'estimates',
  description: 'error estimate / true error of exact and volterra at tol 1e-9 (reference: exact at tol 1e-12), 20 random cases, t ≤ 20',
  run(verbose) {
    const rand = seededRandom(SEED);
    const ratios: Record<'exact' | 'volterra', number[]> = { exact: [], volterra: [] };
    let skipped = 0;
    for (let i = 0; i < CASES; i++) {
      const params = randomParams(rand);
      const problem = { params, tMax: 20, dt: 0.5 };
      const ref = solveExact({ ...problem, tol: 1e-12 });
      if (ref.status !== 'success') { skipped++; continue; }
      const line: string[] = [];
      for (const [name, sol] of [['exact', solveExact({ ...problem, tol: 1e-9 })], ['volterra', solveVolterra({ ...problem, tol: 1e-9 })]] as const) {
        const err = maxDifference(sol, ref);
        ratios[name].push(sol.errorEstimate / err);
        line.push(`${name} estimate ${sol.errorEstimate.toExponential(1)}, error ${err.toExponential(1)}`);
      }
      if (verbose) console.log(`  ${paramText(params)}: ${line.join('; ')}`);
    }
    figure('estimates.cases', CASES - skipped);
    figure('estimates.skippedReferenceNotMet', skipped);
    for (const name of ['exact', 'volterra'] as const) {
      const r = ratios[name];
      figure(`estimates.${name}.estimateOverError`, r.length ? `${Math.min(...r).toPrecision(2)}–${Math.max(...r).toPrecision(2)}` : 'none');
    }
  },
};
