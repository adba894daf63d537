import { describe, it, expect } from 'vitest';
import { besselK0 } from '../../src/numerics/bessel.js';
import { assertRelClose } from '../helpers.js';
import { constants } from '../fixtures/constants.js';

// mpmath besselk(0, x) (test/fixtures/reference.constants.json): log-spaced over [1e-9, 690] plus points on both sides of the
// method switches (series below 1, trapezoid step 0.2 up to 4, 0.4/√x beyond) and at τ = 2π·20.
const REFERENCE: [number, number][] = constants.besselK0; // scripts/reference/test_constants.py

describe('besselK0(x)', () => {
  it('matches mpmath to 1.5e-15 relative on [1e-12, 690], across the method switches at x = 1 and 4', () => {
    // Measured ≤ 6.5e-16 on 1500 log-spaced points (the series and the trapezoidal sum are both
    // converged below 1e-18; what is left is rounding, a few ulp); 1.5e-15 leaves a factor 2.
    for (const [x, k] of REFERENCE) assertRelClose(besselK0(x), k, 1.5e-15, `K0(${x})`);
  });

  it('is +∞ at x ≤ 0 (the log singularity of f1 at the light cone) and 0 beyond 745 (underflow)', () => {
    expect(besselK0(0)).toBe(Number.POSITIVE_INFINITY);
    expect(besselK0(-1)).toBe(Number.POSITIVE_INFINITY);
    expect(besselK0(746)).toBe(0);
  });
});
