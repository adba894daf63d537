import { describe, it, expect } from 'vitest';
import { amplitude, batterySeries, markovRates, population, solve } from '../../src/index.js';

/**
 * population(sol, j) and amplitude(sol, j, i) read the interleaved layout c_j(t_i) = c[2i] + i·c[2i + 1].
 * Checked against the closed form of Eq. (6) evaluated here from the Markov rates (an independent
 * evaluation of the same amplitudes, so a swapped re/im or an off-by-one index shows), and against
 * batterySeries' energy ω0|c2|² (Eq. 4).
 */
describe('population / amplitude accessors', () => {
  const params = { omega0: 1.5, gamma11: 0.5, dz: 0.1 };
  const sol = solve({ params, tMax: 10, dt: 0.5 }, 'markov');
  const r = markovRates(params);
  /** c_j(t) of Eq. (6): ½[c+ ± c−], c± = exp(−(Γ0 ± Γ1)t − i(ω0 + δ0 ± δ1)t); j = 1: +, j = 2: −. */
  function closedForm(j: 1 | 2, t: number): { re: number; im: number } {
    const c = (s: number) => {
      const a = Math.exp(-(r.gamma0 + s * r.gamma1) * t);
      const ph = (params.omega0 + r.delta0 + s * r.delta1) * t;
      return { re: a * Math.cos(ph), im: -a * Math.sin(ph) };
    };
    const p = c(1);
    const m = c(-1);
    const sign = j === 1 ? 1 : -1;
    return { re: 0.5 * (p.re + sign * m.re), im: 0.5 * (p.im + sign * m.im) };
  }

  it('amplitude(sol, j, i) is c_j(t_i) of Eq. (6) at every output time (to 1e-14: the same closed form, other rounding)', () => {
    for (const j of [1, 2] as const) {
      for (let i = 0; i < sol.t.length; i++) {
        const a = amplitude(sol, j, i);
        const e = closedForm(j, sol.t[i]);
        expect(Math.abs(a.re - e.re), `Re c${j}(t_${i})`).toBeLessThanOrEqual(1e-14);
        expect(Math.abs(a.im - e.im), `Im c${j}(t_${i})`).toBeLessThanOrEqual(1e-14);
      }
    }
    // The battery is charged through the field: Im c2 ≠ 0 at t = 10, so a re/im swap would show above.
    expect(Math.abs(amplitude(sol, 2, 20).im)).toBeGreaterThan(0.1);
  });

  it('population(sol, j) is |c_j|² at every t_i; ω0·population(sol, 2) is batterySeries energy (Eq. 4) to 1e-15', () => {
    const p1 = population(sol, 1);
    const p2 = population(sol, 2);
    const energy = batterySeries(sol).energy;
    expect(p1.length).toBe(sol.t.length);
    for (let i = 0; i < sol.t.length; i++) {
      const e1 = closedForm(1, sol.t[i]);
      const e2 = closedForm(2, sol.t[i]);
      // |c|² from amplitudes good to 1e-14 is good to ≈ 2·1e-14.
      expect(Math.abs(p1[i] - (e1.re ** 2 + e1.im ** 2))).toBeLessThanOrEqual(2e-14);
      expect(Math.abs(p2[i] - (e2.re ** 2 + e2.im ** 2))).toBeLessThanOrEqual(2e-14);
      // Same products, one multiplication by ω0 ≤ 1.5: a few ulps.
      expect(Math.abs(params.omega0 * p2[i] - energy[i])).toBeLessThanOrEqual(1e-15);
    }
    expect(p1[0]).toBe(1);
    expect(p2[0]).toBe(0);
  });
});
