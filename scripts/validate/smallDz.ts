/**
 * Study `smallDz`: exact vs volterra at tol 1e-9 over t ≤ 1000 at four small-Δz / band-edge cases,
 * where the antisymmetric resonance is narrower than 1e-9 (J− ∝ τ²) and the exact method replaces it
 * by a window pole (src/spectrum/narrowResonance.ts). The cases are those of
 * test/dynamics/crossMethod.test.ts (which runs them to t ≤ 20), first of all fast-check's
 * counterexample at Δz = 5e-324. Quoted in docs/methods.md §4.
 */
import { caseLine, crossCheck, summarise, type Study } from './common.js';

export const CASES: Array<{ omega0: number; gamma11: number; dz: number }> = [
  { omega0: 1.0000010000000001, gamma11: 0.01, dz: 5e-324 },
  { omega0: 1.0000010001, gamma11: 0.01, dz: 1e-5 },
  { omega0: 1.0000010001, gamma11: 5, dz: 1e-7 },
  { omega0: 10, gamma11: 0.01, dz: 2e-4 },
];

export const study: Study = {
  name: 'smallDz',
  description: 'exact vs volterra at four small-Δz cases, t ≤ 1000, tol 1e-9',
  run(verbose) {
    const results = CASES.map((p) => {
      const r = crossCheck(p, 1000, 1e-9);
      if (verbose) console.log(caseLine(r));
      return r;
    });
    summarise('smallDz', results);
  },
};
