/**
 * Study `nufft`: the accuracy table in src/numerics/nufft.ts's doc comment. The type-1 NUFFT
 * f_n = Σ_j c_j e^{−i n x_j} against direct summation whose phases n·x_j are reduced mod 2π in
 * extended precision (below), so the reference is exact to ≈1e-16 per term whatever n·x is. Errors are
 * max_n |f̃_n − f_n| / Σ_j|c_j|, in units of the requested tolerance ε.
 * - single point: c = 1 at 64 positions spread over one grid cell (x = 777 + (k + 0.31)·h/64), all n;
 *   N = 1024 (real plan, grid 4096: oversampling σ = 2 exactly, the band edge) and N = 1025 (grid 8192, σ ≈ 4);
 * - random sums: J = 600 and 2000 points in [−10, 40], strengths uniform in [−½, ½] (real, and complex),
 *   N = 1, 2, 7, 100, 1000, 1024, 4099 (seed 7).
 * Deterministic. Quoted in src/numerics/nufft.ts.
 */
import { nufft1, Nufft1Plan } from '../../src/numerics/nufft.js';
import { figure, seededRandom, uniform, type Study } from './common.js';
import { directSum as direct, maxDiff } from '../../test/numerics/nufftReference.js';

/** max_n |f_n − ref_n| over the whole interleaved array. */
const maxError = (f: Float64Array, ref: Float64Array): number => maxDiff(f, ref, f.length / 2);

export const TOLS = [1e-3, 1e-6, 1e-9, 1e-12, 1e-13, 1e-14];

export const study: Study = {
  name: 'nufft',
  description: 'NUFFT accuracy vs extended-precision direct sums: single points across a grid cell (σ = 2 and 4), random sums',
  run(verbose) {
    for (const N of [1024, 1025]) {
      const row: string[] = [];
      for (const tol of TOLS) {
        const plan = new Nufft1Plan(N, { tol });
        const h = (2 * Math.PI) / plan.gridSize;
        const out = new Float64Array(2 * N);
        let worst = 0;
        for (let k = 0; k < 64; k++) {
          const x = 777 + (h * (k + 0.31)) / 64;
          plan.clear();
          plan.addReal([x], [1]);
          plan.execute(out);
          worst = Math.max(worst, maxError(out, direct([x], [1], null, N)));
        }
        row.push(`${(worst / tol).toPrecision(2)}·ε (ε = ${tol})`);
        figure(`nufft.singlePoint.N${N}.grid${plan.gridSize}.tol${tol}`, `${(worst / tol).toPrecision(2)}·ε`);
      }
      if (verbose) console.log(`  single point, N = ${N}: ${row.join(', ')}`);
    }
    const rand = seededRandom(7);
    const worstByTol = new Map<number, number>();
    const bestByTol = new Map<number, number>();
    for (const J of [600, 2000]) {
      for (const complex of [false, true]) {
        for (const N of [1, 2, 7, 100, 1000, 1024, 4099]) {
          const x = Float64Array.from({ length: J }, () => uniform(rand, -10, 40));
          const a = Float64Array.from({ length: J }, () => rand() - 0.5);
          const b = complex ? Float64Array.from({ length: J }, () => rand() - 0.5) : null;
          let norm = 0;
          for (let j = 0; j < J; j++) norm += Math.hypot(a[j], b === null ? 0 : b[j]);
          const ref = direct(x, a, b, N);
          for (const tol of TOLS) {
            const r = maxError(nufft1(x, a, b, N, { tol }), ref) / norm / tol;
            worstByTol.set(tol, Math.max(worstByTol.get(tol) ?? 0, r));
            bestByTol.set(tol, Math.min(bestByTol.get(tol) ?? Infinity, r));
          }
        }
      }
    }
    for (const tol of TOLS) figure(`nufft.randomSums.tol${tol}`, `${bestByTol.get(tol)!.toPrecision(2)}–${worstByTol.get(tol)!.toPrecision(2)}·ε`);
  },
};
