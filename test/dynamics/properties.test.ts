import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { solve } from '../../src/dynamics/solve.js';
import { batterySeries } from '../../src/battery/energy.js';

/** Random valid parameters over the whole validated range (Markov needs ω0 ≠ 1). */
const params = fc.record({
  omega0: fc.double({ min: 0.01, max: 10, noNaN: true }).filter((w) => Math.abs(w - 1) > 1e-6),
  gamma11: fc.double({ min: 0.01, max: 5, noNaN: true }),
  dz: fc.double({ min: 0, max: 20, noNaN: true }),
});

function checkPhysical(method: 'exact' | 'markov' | 'volterra', p: { omega0: number; gamma11: number; dz: number }, tol: number): void {
  const sol = solve({ params: p, tMax: 20, dt: 2.5, tol }, method);
  const b = batterySeries(sol);
  for (let i = 0; i < sol.t.length; i++) {
    const n1 = sol.c1[2 * i] ** 2 + sol.c1[2 * i + 1] ** 2;
    const n2 = sol.c2[2 * i] ** 2 + sol.c2[2 * i + 1] ** 2;
    for (const v of [n1, n2, b.energy[i], b.ergotropy[i]]) expect(Number.isFinite(v)).toBe(true);
    // The excitation can only leak into the field: |c1|² + |c2|² ≤ 1 (+ the method's tolerance, twice:
    // it bounds |c| errors, and |c|² errors are ≤ 2|c|·δ + δ²).
    expect(n1 + n2).toBeLessThanOrEqual(1 + 1e-9 + 3 * tol);
    expect(b.ergotropy[i]).toBeGreaterThanOrEqual(0);
    expect(b.ergotropy[i]).toBeLessThanOrEqual(b.energy[i] + 1e-15);
    expect(b.energy[i]).toBeLessThanOrEqual(p.omega0 * (1 + 1e-9 + 3 * tol));
  }
}

describe('physical bounds over random valid parameters (fast-check)', () => {
  it('markov: |c1|² + |c2|² ≤ 1 + 1e-9 and 0 ≤ W ≤ E ≤ ω0 (200 runs)', () => {
    fc.assert(fc.property(params, (p) => checkPhysical('markov', p, 1e-14)), { numRuns: 200 });
  });
  it('exact (tol 1e-9): the same bounds, and success status (12 runs: each is a full solve)', () => {
    fc.assert(fc.property(params, (p) => {
      checkPhysical('exact', p, 1e-9);
      expect(solve({ params: p, tMax: 5, dt: 5, tol: 1e-9 }, 'exact').status).toBe('success');
    }), { numRuns: 12 });
  }, 240_000);
  it('volterra (tol 1e-9): the same bounds, success, and agreement with exact to 1e-9 (8 runs)', () => {
    // docs/methods.md §4: over 400 seeded fast-check samples (npm run validate -- fastCheck) the two agree to ≤ 1.4e-10 at tol 1e-9; 1e-9 is
    // 7× that (≤ 10× the claim) and still holds each method to its own tol.
    fc.assert(fc.property(params, (p) => {
      checkPhysical('volterra', p, 1e-9);
      const problem = { params: p, tMax: 20, dt: 2.5, tol: 1e-9 };
      const v = solve(problem, 'volterra');
      const e = solve(problem, 'exact');
      expect(v.status, v.message).toBe('success');
      for (let i = 0; i < v.c1.length; i++) {
        expect(Math.abs(v.c1[i] - e.c1[i])).toBeLessThanOrEqual(1e-9);
        expect(Math.abs(v.c2[i] - e.c2[i])).toBeLessThanOrEqual(1e-9);
      }
    }), { numRuns: 8 });
  }, 240_000);
});
