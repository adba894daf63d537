/**
 * Study `tolSweep`: the exact method's status over a grid that stresses the antisymmetric channel at
 * small Δz (resonance width ∝ τ², level shift O(τ)) and the band edge: Δz = 1e-12, 1e-11, …, 1 (13 values)
 * × ω0 ∈ {1 + 1e-6, 1.001, 1.5, 10, 0.999998} × Γ11 ∈ {0.01, 5} = 130 cases, t ≤ 20 (dt 0.5), each at
 * tol 1e-9 and tol 1e-12. Prints how many are not 'success' at each tol (the status must say so when
 * the tolerance cannot be met: src/dynamics/exact.ts) and, where both succeed, the largest
 * |c(tol 1e-9) − c(tol 1e-12)| (must be ≤ 1e-9 + 1e-12 if both claims hold). Deterministic (a grid, no
 * random draws). Quoted in docs/methods.md §4.
 */
import { solveExact } from '../../src/dynamics/exact.js';
import type { Solution } from '../../src/dynamics/types.js';
import { figure, maxDifference, paramText, type Study } from './common.js';

export const DZ = Array.from({ length: 13 }, (_, i) => 10 ** (i - 12));
export const OMEGA0 = [1 + 1e-6, 1.001, 1.5, 10, 0.999998];
export const GAMMA11 = [0.01, 5];

export const study: Study = {
  name: 'tolSweep',
  description: 'exact method status at tol 1e-9 and 1e-12 over Δz = 1e-12…1 × 5 ω0 × 2 Γ11 (130 cases), t ≤ 20',
  run(verbose) {
    const notMet: Record<string, string[]> = { '1e-9': [], '1e-12': [] };
    let worst = 0;
    let cases = 0;
    for (const gamma11 of GAMMA11) {
      for (const omega0 of OMEGA0) {
        for (const dz of DZ) {
          const params = { omega0, gamma11, dz };
          const start = performance.now();
          const sols: Record<string, Solution> = {};
          for (const tol of [1e-9, 1e-12]) {
            const key = tol === 1e-9 ? '1e-9' : '1e-12';
            sols[key] = solveExact({ params, tMax: 20, dt: 0.5, tol });
            if (sols[key].status !== 'success') notMet[key].push(`${paramText(params)}: ${sols[key].status}, estimate ${sols[key].errorEstimate.toExponential(1)}`);
          }
          const both = sols['1e-9'].status === 'success' && sols['1e-12'].status === 'success';
          const d = both ? maxDifference(sols['1e-9'], sols['1e-12']) : Number.NaN;
          if (both) worst = Math.max(worst, d);
          cases++;
          if (verbose) {
            console.log(`  ${paramText(params)}: tol 1e-9 ${sols['1e-9'].status}, tol 1e-12 ${sols['1e-12'].status}, ` +
              `max|Δc| ${Number.isNaN(d) ? '—' : d.toExponential(1)} (${((performance.now() - start) / 1000).toFixed(1)} s)`);
          }
        }
      }
    }
    figure('tolSweep.cases', cases);
    figure('tolSweep.notSuccess.tol1e-9', notMet['1e-9'].length);
    figure('tolSweep.notSuccess.tol1e-12', notMet['1e-12'].length);
    figure('tolSweep.maxDifference.tol1e-9vs1e-12', worst.toExponential(1));
    for (const [tol, list] of Object.entries(notMet)) for (const line of list) console.log(`  not met at tol ${tol}: ${line}`);
  },
};
