import { expect } from 'vitest';

/**
 * Asserts |actual − expected| ≤ tol, with a message that prints input, expected, actual, delta and
 * tolerance (stdlib-js habit).
 */
export function assertClose(actual: number, expected: number, tol: number, what = ''): void {
  const delta = Math.abs(actual - expected);
  if (!(delta <= tol)) {
    expect.fail(`${what}: expected ${expected}, got ${actual}, |Δ| = ${delta.toExponential(3)} > tol ${tol.toExponential(1)}`);
  }
}

/** Relative version: |actual − expected| ≤ rel·|expected|. */
export function assertRelClose(actual: number, expected: number, rel: number, what = ''): void {
  assertClose(actual, expected, rel * Math.abs(expected), what);
}
