/**
 * Bessel functions used by the memory kernels (physics.md, "Memory kernels in closed form").
 *
 * J0, J1, Y0, Y1 come from stdlib (error ≤ 2.5e-15 on [1e-3, 1e3], stack.md); K0 and K1 from the
 * Cephes library compiled to WebAssembly (relative error ≤ 1.3e-15). Cephes needs an asynchronous
 * start, done once here by top-level await, so every importer sees ready functions.
 */
import besselj0Impl from '@stdlib/math-base-special-besselj0';
import besselj1Impl from '@stdlib/math-base-special-besselj1';
import bessely0Impl from '@stdlib/math-base-special-bessely0';
import bessely1Impl from '@stdlib/math-base-special-bessely1';
import * as cephes from 'cephes';

await cephes.compiled;

/** Bessel function of the first kind, order 0. */
export const besselJ0: (x: number) => number = besselj0Impl;
/** Bessel function of the first kind, order 1. */
export const besselJ1: (x: number) => number = besselj1Impl;
/** Bessel function of the second kind, order 0 (x > 0). */
export const besselY0: (x: number) => number = bessely0Impl;
/** Bessel function of the second kind, order 1 (x > 0). */
export const besselY1: (x: number) => number = bessely1Impl;

/** Modified Bessel function of the second kind, order 0, for x > 0 (+∞ at 0, 0 beyond 745). */
export function besselK0(x: number): number {
  if (x <= 0) return Number.POSITIVE_INFINITY;
  if (x > 745) return 0;
  return cephes.k0(x);
}

/** Modified Bessel function of the second kind, order 1, for x > 0. */
export function besselK1(x: number): number {
  if (x <= 0) return Number.POSITIVE_INFINITY;
  if (x > 745) return 0;
  return cephes.k1(x);
}
