/**
 * Study `fastCheck`: the properties of test/dynamics/properties.test.ts over many more samples than the
 * test runs (it runs 12 exact and 8 volterra samples a time, with fast-check's random seed). The samples
 * are drawn by fast-check from the same arbitrary (doubles over the whole validated range, which
 * fast-check biases towards the extremes: 0.01, 10, Δz = 0, 20, values next to them), seeded
 * (SEED, SAMPLES below; `npm run validate -- fastCheck` reproduces them exactly). For each sample,
 * t ≤ 20 (dt 2.5), tol 1e-9: exact and volterra must both succeed, satisfy |c1|² + |c2|² ≤ 1 + 1e-9 + 3·tol
 * and 0 ≤ W ≤ E ≤ ω0(1 + 1e-9 + 3·tol), and agree on c1, c2 to 1e-9 (as the test asserts; each claims 1e-9). Prints the
 * count, the failures of each kind and the largest difference. Quoted in docs/methods.md §4.
 */
import fc from 'fast-check';
import { solve } from '../../src/dynamics/solve.js';
import { batterySeries } from '../../src/battery/energy.js';
import type { Solution } from '../../src/dynamics/types.js';
import { figure, maxDifference, paramText, type Study } from './common.js';

export const SEED = 1422;
export const SAMPLES = 400;

/** Same arbitrary as test/dynamics/properties.test.ts. */
const params = fc.record({
  omega0: fc.double({ min: 0.01, max: 10, noNaN: true }).filter((w) => Math.abs(w - 1) > 1e-6),
  gamma11: fc.double({ min: 0.01, max: 5, noNaN: true }),
  dz: fc.double({ min: 0, max: 20, noNaN: true }),
});

/** The physical bounds of properties.test.ts; returns a description of the first violation, or ''. */
function boundViolation(sol: Solution, tol: number): string {
  const b = batterySeries(sol);
  for (let i = 0; i < sol.t.length; i++) {
    const n = sol.c1[2 * i] ** 2 + sol.c1[2 * i + 1] ** 2 + sol.c2[2 * i] ** 2 + sol.c2[2 * i + 1] ** 2;
    if (!(n <= 1 + 1e-9 + 3 * tol)) return `|c1|² + |c2|² = ${n} at t = ${sol.t[i]}`;
    if (!(b.ergotropy[i] >= 0 && b.ergotropy[i] <= b.energy[i] + 1e-15)) return `W = ${b.ergotropy[i]}, E = ${b.energy[i]} at t = ${sol.t[i]}`;
    if (!(b.energy[i] <= sol.params.omega0 * (1 + 1e-9 + 3 * tol))) return `E = ${b.energy[i]} > ω0 at t = ${sol.t[i]}`;
  }
  return '';
}

export const study: Study = {
  name: 'fastCheck',
  description: `properties.test.ts's exact/volterra properties over ${SAMPLES} seeded fast-check samples, t ≤ 20, tol 1e-9`,
  run(verbose) {
    const samples = fc.sample(params, { seed: SEED, numRuns: SAMPLES });
    const failures: string[] = [];
    let worst = 0;
    let exactFail = 0;
    let volterraFail = 0;
    let boundFail = 0;
    let agreeFail = 0;
    for (const p of samples) {
      const start = performance.now();
      const problem = { params: p, tMax: 20, dt: 2.5, tol: 1e-9 };
      const e = solve(problem, 'exact');
      const v = solve(problem, 'volterra');
      const notes: string[] = [];
      if (e.status !== 'success') { exactFail++; notes.push(`exact ${e.status}: ${e.message}`); }
      if (v.status !== 'success') { volterraFail++; notes.push(`volterra ${v.status}: ${v.message}`); }
      for (const s of [e, v]) {
        const why = boundViolation(s, 1e-9);
        if (why) { boundFail++; notes.push(`${s.method} bound: ${why}`); }
      }
      const d = maxDifference(e, v);
      worst = Math.max(worst, d);
      if (!(d <= 1e-9)) { agreeFail++; notes.push(`max|Δc| = ${d}`); }
      if (notes.length > 0) failures.push(`${paramText(p)}: ${notes.join('; ')}`);
      if (verbose) console.log(`  ${paramText(p)}: exact ${e.status}, volterra ${v.status}, max|Δc| ${d.toExponential(2)} (${((performance.now() - start) / 1000).toFixed(1)} s)`);
    }
    figure('fastCheck.samples', samples.length);
    figure('fastCheck.exactNotSuccess', exactFail);
    figure('fastCheck.volterraNotSuccess', volterraFail);
    figure('fastCheck.boundViolations', boundFail);
    figure('fastCheck.disagreements', agreeFail);
    figure('fastCheck.maxDifference', worst.toExponential(1));
    for (const f of failures) console.log(`  failed: ${f}`);
  },
};
