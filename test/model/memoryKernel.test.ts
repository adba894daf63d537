import { describe, it } from 'vitest';
import { memoryKernel } from '../../src/model/memoryKernel.js';
import { reference } from '../fixtures/reference.js';
import { assertClose } from '../helpers.js';

describe('memoryKernel(order, t, Γ11, τ) — closed forms of physics.md', () => {
  it('matches the defining integral f(t) = ∫J e^{−iωt} dω (mpmath, rotated contour) to 1e-14', () => {
    // Both sides are good to ~1e-15 (Bessel functions ≤ 2.5e-15 relative, K0 ≤ 6.5e-16, on kernel values
    // ≤ 0.2 here; mpmath at 24 digits). Measured ≤ 5.6e-17 on these rows; 1e-14 is 10× the ~1e-15 claim.
    // (The row t = 1, τ = 0 is the doc example of memoryKernel: −0.011032 − 0.095650i.)
    for (const r of reference.kernels) {
      const f = memoryKernel(r.order, r.t, r.gamma11, r.tau);
      assertClose(f.re, r.re, 1e-14, `Re f${r.order}(${r.t}), τ=${r.tau}`);
      assertClose(f.im, r.im, 1e-14, `Im f${r.order}(${r.t}), τ=${r.tau}`);
    }
  });
  it('has the precursor f1(t < τ) real and continuous in its real part across t = τ (log-singular, so compare growth)', () => {
    const tau = 3;
    const below = memoryKernel(1, tau - 1e-6, 0.5, tau).re;
    const above = memoryKernel(1, tau + 1e-6, 0.5, tau).re;
    // Both behave like −(Γ/2π)·ln√(2τ|t−τ|)/… with the same coefficient: difference → 0 like |t−τ|·ln.
    assertClose(below, above, 1e-4, 'Re f1 across the light cone');
  });
});
