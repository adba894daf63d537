import { describe, it, expect } from 'vitest';
import { solveExact } from '../../src/dynamics/exact.js';
import { solveVolterra } from '../../src/dynamics/volterra.js';
import type { Solution } from '../../src/dynamics/types.js';
import { assertClose } from '../helpers.js';

const abs2 = (a: Float64Array, i: number): number => a[2 * i] ** 2 + a[2 * i + 1] ** 2;

/** Largest rise of the excitation after an earlier minimum: max_{t > t'} P(t) − P(t'). */
function backflow(s: Solution): number {
  let low = Number.POSITIVE_INFINITY;
  let rise = 0;
  for (let i = 0; i < s.t.length; i++) {
    const p = abs2(s.c1, i) + abs2(s.c2, i);
    rise = Math.max(rise, p - low);
    low = Math.min(low, p);
  }
  return rise;
}

// Two independent methods: the resolvent (bound-state poles + branch-cut quadrature in frequency) and
// time stepping of the Volterra equation (product integration in time). They share only the model
// (spectral densities / closed-form kernels) and the bound-state energies (used by the time stepper
// merely to pick a rotating frame, which does not change its answer).
describe('exact (resolvent) vs volterra (product integration) — Eq. (3), t ≤ 100', () => {
  const cases: [number, number, number][] = [
    [0.5, 0.1, 0.5],
    [1.0, 0.1, 0.5],
    [1.5, 0.1, 0.5],
    [3.0, 0.1, 0.5],
    [1.4, 0.5, 0.5],
    [1.2, 0, 0.5],
  ];
  for (const [omega0, dz, gamma11] of cases) {
    it(`agree on |c1|², |c2|² to 3e-9 at (ω0, Δz, Γ11) = (${omega0}, ${dz}, ${gamma11})`, () => {
      const problem = { params: { omega0, gamma11, dz }, tMax: 100, dt: 0.25, tol: 1e-8 };
      const ex = solveExact(problem);
      const vo = solveVolterra(problem);
      expect(ex.status, ex.message).toBe('success');
      expect(vo.status, vo.message).toBe('success');
      // README: "exact and volterra agree to 1e-9 on |c1|², |c2|² for t ≤ 100 in all three regimes"
      // (at the default tol 1e-8). Measured: 9.3e-10, 9.1e-10, 9.3e-10, 1.5e-10, 5.5e-10, 8.8e-10 for
      // these six cases (amplitudes ≤ 8.6e-10; volterra's estimates 2e-9 – 9e-9 dominate). 3e-9 is
      // 3× the claim, headroom for the adaptive refinements landing differently on another platform.
      let worst = 0;
      for (let i = 0; i < ex.t.length; i++) {
        worst = Math.max(worst, Math.abs(abs2(ex.c1, i) - abs2(vo.c1, i)), Math.abs(abs2(ex.c2, i) - abs2(vo.c2, i)));
      }
      expect(worst, `max |Δ|c|²| = ${worst.toExponential(2)}`).toBeLessThanOrEqual(3e-9);
      // Both show the same excitation backflow (the excitation |c1|² + |c2|² is not monotone even when
      // ω0 > 1). The backflow is a difference P(t) − P(t') of excitations P = |c1|² + |c2|², so the
      // claim (1e-9 per population) bounds its difference by 4e-9; asserted 6e-9, with the headroom above.
      assertClose(backflow(vo), backflow(ex), 6e-9, 'backflow');
      if (omega0 > 1 && dz > 0) expect(backflow(ex)).toBeGreaterThan(1e-3);
    });
  }
});

// At small Δz the antisymmetric channel is nearly decoupled: J− ∝ τ², so its resonance has a width
// ∝ τ² (down to 1e-14 ω11 here) while its level shift Δ− is O(τ). These cases failed before the
// level shift was computed without cancellation (ω·P, src/model/selfEnergy.ts) and narrow peaks were
// replaced by a window pole (src/spectrum/narrowResonance.ts); the first is fast-check's counterexample.
describe('exact vs volterra at narrow resonances: small Δz, near the band edge, near a bound state in the continuum, t ≤ 20', () => {
  const cases: [number, number, number][] = [
    [1.0000010000000001, 5e-324, 0.01],
    [1.0000010001, 1e-5, 0.01],
    [1.0000010001, 1e-7, 5],
    [10, 1e-7, 5],
    [10, 2e-4, 0.01],
    // A resonance of width 3.8e-9 at k_r = 7.45, 10⁴ widths from a bound state in the continuum: integrated
    // in the offset from k_r (in k itself the nodes' rounding is 2e-7 of its width).
    [7.5162663412842665, 19.999999999999947, 0.01],
  ];
  for (const [omega0, dz, gamma11] of cases) {
    it(`both succeed at tol 1e-9 and agree on c1, c2 to 5e-10 at (ω0, Δz, Γ11) = (${omega0}, ${dz}, ${gamma11})`, () => {
      const problem = { params: { omega0, gamma11, dz }, tMax: 20, dt: 0.5, tol: 1e-9 };
      const ex = solveExact(problem);
      const vo = solveVolterra(problem);
      expect(ex.status, ex.message).toBe('success');
      expect(vo.status, vo.message).toBe('success');
      // README and docs/methods.md §4: exact and volterra agree at narrow resonances to ≤ 2e-10 at
      // tol 1e-9 (largest difference seen 1.8e-10). Measured here: 1.4e-11, 1.4e-11, 6.7e-11, 3.0e-11,
      // 2.1e-11, 1.3e-11 (real and imaginary parts). 5e-10 is 2.5× the claim, 7× the largest of these;
      // it makes a shift of either method's c1 or c2 by 1e-9 fail.
      let worst = 0;
      for (let i = 0; i < 2 * ex.t.length; i++) worst = Math.max(worst, Math.abs(ex.c1[i] - vo.c1[i]), Math.abs(ex.c2[i] - vo.c2[i]));
      expect(worst, `max |Δc| = ${worst.toExponential(2)}`).toBeLessThanOrEqual(5e-10);
    });
  }
  it('these cases exercise both narrow-peak routes: window poles (small Δz) and offset integration (next to a bound state in the continuum)', () => {
    const stats = (omega0: number, dz: number, gamma11: number) => solveExact({ params: { omega0, gamma11, dz }, tMax: 20, dt: 0.5, tol: 1e-9 }).stats;
    const small = stats(1.0000010001, 1e-5, 0.01);
    expect(small.narrowPoles).toBe(1);
    expect(small.offsetSegments).toBe(0);
    const nearBic = stats(7.5162663412842665, 19.999999999999947, 0.01);
    expect(nearBic.narrowPoles).toBe(0);
    expect(nearBic.offsetSegments).toBe(1);
  });
});
