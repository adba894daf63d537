import { describe, it } from 'vitest';
import { memoryKernel } from '../../src/model/memoryKernel.js';
import { reference } from '../fixtures/reference.js';
import { assertClose } from '../helpers.js';

describe('memoryKernel(order, t, Γ11, τ) — closed forms of physics.md', () => {
  it('matches the defining integral f(t) = ∫J e^{−iωt} dω (mpmath, rotated contour) to 1e-13', () => {
    // Both sides are good to ~1e-15 (Bessel functions 2.5e-15 relative; mpmath at 30 digits); 1e-13
    // leaves room for K0 near its log singularity.
    for (const r of reference.kernels) {
      const f = memoryKernel(r.order, r.t, r.gamma11, r.tau);
      assertClose(f.re, r.re, 1e-13, `Re f${r.order}(${r.t}), τ=${r.tau}`);
      assertClose(f.im, r.im, 1e-13, `Im f${r.order}(${r.t}), τ=${r.tau}`);
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
