import { describe, it } from 'vitest';
import { gaussLegendre } from '../../src/numerics/gaussLegendre.js';
import { assertClose } from '../helpers.js';

describe('gaussLegendre(n)', () => {
  it('integrates monomials of degree ≤ 2n − 1 exactly, n ≤ 200 (to 5e-15: a few ulp, as gaussLegendre.ts claims)', () => {
    // Measured ≤ 4.4e-16 for n ≤ 100, 1.3e-15 at n = 150 (n terms of size ≤ 1 summed); 5e-15 is ~10 ulp.
    for (const n of [1, 2, 5, 12, 16, 32, 64, 100, 150, 200]) {
      const { x, w } = gaussLegendre(n);
      for (let d = 0; d <= 2 * n - 1; d++) {
        let s = 0;
        for (let i = 0; i < n; i++) s += w[i] * x[i] ** d;
        const exact = d % 2 === 1 ? 0 : 2 / (d + 1);
        assertClose(s, exact, 5e-15, `n=${n} x^${d}`);
      }
    }
  });
  it('is not exact at degree 2n (so the test above can fail)', () => {
    const { x, w } = gaussLegendre(3);
    let s = 0;
    for (let i = 0; i < 3; i++) s += w[i] * x[i] ** 6;
    // exact 2/7; the 3-point rule gives 6/25 · ... ≠ 2/7 by 8/175·... (a known O(1e-2) error)
    if (Math.abs(s - 2 / 7) < 1e-3) throw new Error('3-point rule integrated x^6 exactly');
  });
});
