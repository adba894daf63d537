/**
 * Study `crossRandom`: exact (resolvent, src/dynamics/exact.ts) vs volterra (time stepping,
 * src/dynamics/volterra.ts) at tol 1e-9 on 60 random cases over the whole validated range
 * (ω0 ∈ [0.01, 10], Γ11 log-uniform in [0.01, 5], Δz ∈ [0, 20]), t ≤ 20. Seed 20261130.
 * Both methods claim |Δc| ≤ 1e-9 on c1, c2; the study prints their statuses and the largest
 * difference. Quoted in docs/methods.md §4.
 */
import { caseLine, crossCheck, randomParams, seededRandom, summarise, type Study } from './common.js';

export const SEED = 20261130;
export const CASES = 60;

export const study: Study = {
  name: 'crossRandom',
  description: 'exact vs volterra, 60 random cases over the whole range, t ≤ 20, tol 1e-9',
  run(verbose) {
    const rand = seededRandom(SEED);
    const results = [];
    for (let i = 0; i < CASES; i++) {
      const params = randomParams(rand);
      const r = crossCheck(params, 20, 1e-9);
      if (verbose) console.log(caseLine(r));
      results.push(r);
    }
    summarise('crossRandom', results);
  },
};
