import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { decimalGrid, decimalParts } from '../../src/dynamics/decimalGrid.js';
import { outputGrid } from '../../src/dynamics/validate.js';

describe('decimalGrid: t_n is the double nearest to n × (dt as a decimal)', () => {
  it('3 × 0.3 = 0.9, 7 × 0.1 = 0.7, 3 × 0.1 = 0.3 (binary products give 0.8999999999999999, 0.7000000000000001, 0.30000000000000004)', () => {
    expect(Array.from(outputGrid(0.3, 4))).toEqual([0, 0.3, 0.6, 0.9]);
    expect(outputGrid(0.1, 8)[7]).toBe(0.7);
    expect(outputGrid(0.1, 4)[3]).toBe(0.3);
    expect(decimalParts(0.3)).toEqual({ m: 3n, k: 1 });
    expect(decimalParts(1e-7)).toEqual({ m: 1n, k: 7 });
    expect(decimalParts(1.5e21)).toEqual({ m: 1500000000000000000000n, k: 0 });
  });

  it('random dt = d·10^-k (d < 10^6, k ≤ 30) and n ≤ 3000: t_n equals the parse of the decimal string of n·d, and is within 2 ulp of n·dt', () => {
    // Independent of decimalParts: the generator knows d and k, and builds the exact decimal
    // n·d·10^-k as text; Number() of that text is the correctly rounded double. The fast path
    // (division) and the BigInt path (k > 22 or n·m > 2^53) are both reached.
    fc.assert(fc.property(fc.integer({ min: 1, max: 999_999 }), fc.integer({ min: 0, max: 30 }), fc.integer({ min: 0, max: 3000 }), (d, k, n) => {
      const dt = Number(`${d}e-${k}`);
      const t = decimalGrid(dt, n + 1)[n]!;
      expect(t).toBe(Number(`${BigInt(n) * BigInt(d)}e-${k}`));
      // |t − n·dt| ≤ 2 ulp(t): the grid moves the times only by rounding (a product of two roundings).
      const ulp = t === 0 ? 0 : 2 ** (Math.floor(Math.log2(t)) - 52);
      expect(Math.abs(t - n * dt)).toBeLessThanOrEqual(2 * ulp);
    }), { seed: 7, numRuns: 300 });
  });

  it('a grid that crosses from the division path to the BigInt path (n·m passes 2^53 at n = 912 for m = 9876543210987) is exact on both sides', () => {
    const t = decimalGrid(9.876543210987, 2000);
    for (let n = 0; n < 2000; n++) expect(t[n], `n = ${n}`).toBe(Number(`${BigInt(n) * 9876543210987n}e-12`));
  });

  it('at the largest grid (2·10^6 points, dt = 0.3 and 0.7) the last times are 599999.7 and 1399999.3', () => {
    expect(decimalGrid(0.3, 2_000_000)[1_999_999]).toBe(599999.7);
    expect(decimalGrid(0.7, 2_000_000)[1_999_999]).toBe(1399999.3);
  });

  it('dt with 17 significant digits (tMax/N as a library user computes it) goes through the exact path too', () => {
    const dt = 100 / 3; // 33.333333333333336
    const t = decimalGrid(dt, 4);
    expect(t[3]).toBe(Number(`${3n * 33333333333333336n}e-15`));
    expect(t[3]).toBe(100.00000000000001);
  });
});
