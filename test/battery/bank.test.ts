import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { bankSeries, bankState } from '../../src/battery/bank.js';
import { batteryErgotropyOf } from '../../src/battery/ergotropy.js';
import { prepareScene, type Scene } from '../../src/model/scene.js';
import { solveScene } from '../../src/dynamics/scene/solve.js';
import { symmetricEigen } from '../../src/numerics/symmetricEigen.js';
import { assertClose } from '../helpers.js';

/** A TM11 scene: emitter 0 the charger, the others batteries with the given ω (Γ = 0.5, 0.1 λ11 apart). */
function bankScene(omegaBatteries: number[], omegaCharger = 1): Scene {
  return {
    reservoir: { type: 'waveguide' },
    emitters: [
      { z: 0, omega0: omegaCharger, gamma: 0.5, role: 'charger' },
      ...omegaBatteries.map((w, k) => ({ z: 0.1 * (k + 1), omega0: w, gamma: 0.5, role: 'battery' as const })),
    ],
  };
}

/**
 * Ergotropy of the bank's reduced state by brute force: ρ_B on span{|0⟩, |1_b⟩} as a Hermitian matrix
 * (real 2m × 2m embedding, eigenvalues doubled), eigenvalues sorted descending onto the bank's energy
 * levels ascending (0, then ω_min: only two eigenvalues are non-zero). Independent of bank.ts's formula.
 */
function bruteErgotropy(omega: number[], c: Array<[number, number]>): number {
  const m = c.length + 1;
  const R = new Float64Array(4 * m * m);
  const p = c.reduce((s, [re, im]) => s + re * re + im * im, 0);
  const set = (i: number, j: number, re: number, im: number) => {
    R[i * 2 * m + j] = re; R[(i + m) * 2 * m + j + m] = re;
    R[(i + m) * 2 * m + j] = im; R[i * 2 * m + j + m] = -im;
  };
  set(0, 0, 1 - p, 0);
  c.forEach(([ar, ai], a) => c.forEach(([br, bi], b) => set(a + 1, b + 1, ar * br + ai * bi, ai * br - ar * bi)));
  const ev = [...symmetricEigen(R, 2 * m).values].sort((x, y) => y - x);
  const energy = omega.reduce((s, w, k) => s + w * (c[k][0] ** 2 + c[k][1] ** 2), 0);
  // ev[0] = ev[1] (the larger, doubled), ev[2] = ev[3] (the smaller).
  return energy - ev[2] * Math.min(...omega);
}

describe('bankState(prepared, c) — scenes.md §3', () => {
  it('two identical batteries with |c|² = 0.4 each: W_bank = 0.6ω, local ergotropy 0 (scenes.md example)', () => {
    const w = 1.3;
    const prep = prepareScene(bankScene([w, w]));
    const a = Math.sqrt(0.4);
    const s = bankState(prep, [Math.sqrt(0.2), 0, a, 0, 0, a]);
    // |c|² = 0.4 to an ulp each: 1e-15 allows a few ulps of 0.8ω and 0.6ω.
    assertClose(s.energy, 0.8 * w, 1e-15, 'E_B');
    assertClose(s.ergotropy, 0.6 * w, 1e-15, 'W_bank');
    expect(s.localErgotropy).toBe(0);
    expect([...s.localErgotropies]).toEqual([0, 0]);
    assertClose(s.chargerEnergy, 0.2, 1e-16, 'charger');
  });

  it('is exactly 0 (no 1e-17 remainder) for equal frequencies and p ≤ ½', () => {
    const prep = prepareScene(bankScene([0.9, 0.9, 0.9]));
    for (const pops of [[0.1, 0.2, 0.15], [0.3, 0.1, 0.1], [1e-19, 0, 3e-300], [0.25, 0.25, 0]]) {
      const c = [0, 0, ...pops.flatMap((x) => [Math.sqrt(x), 0])];
      c[0] = Math.sqrt(Math.max(0, 1 - pops.reduce((s, x) => s + x, 0)));
      expect(bankState(prep, c).ergotropy, `${pops}`).toBe(0);
    }
  });

  it('property: 0 ≤ Σ local ≤ W_bank ≤ E_B, and W_bank equals the brute-force ergotropy of ρ_B (to 1e-14)', () => {
    // W_bank − Σ local is a sum of non-negative terms (scenes.md §3 algebra), so only rounding can make it
    // negative: allowed 8·eps·Σω. The brute force diagonalises ρ_B (ml-matrix, ≈ eps·10 absolute).
    fc.assert(fc.property(
      fc.array(fc.double({ min: 0.05, max: 10, noNaN: true }), { minLength: 1, maxLength: 5 }),
      fc.array(fc.tuple(fc.double({ min: -1, max: 1, noNaN: true }), fc.double({ min: -1, max: 1, noNaN: true })), { minLength: 6, maxLength: 6 }),
      fc.double({ min: 0, max: 1, noNaN: true }),
      (ws, raw, chargerShare) => {
        const nb = ws.length;
        const prep = prepareScene(bankScene(ws));
        const amps = raw.slice(0, nb + 1);
        const norm = Math.hypot(...amps.flat()) || 1;
        const scaled = amps.map(([re, im], k) => (k === 0 ? [re * chargerShare, im * chargerShare] : [re, im]) as [number, number]);
        const n2 = Math.hypot(...scaled.flat());
        // Normalising subnormal amplitudes is not exact (hypot of 5e-323 has 4 bits): skip those draws.
        fc.pre(n2 > 1e-100 && norm > 0);
        const c = scaled.flatMap(([re, im]) => [re / n2, im / n2]);
        const s = bankState(prep, c);
        const wsum = ws.reduce((x, y) => x + y, 0);
        expect(s.localErgotropy).toBeGreaterThanOrEqual(0);
        expect(s.ergotropy - s.localErgotropy).toBeGreaterThanOrEqual(-8 * Number.EPSILON * wsum);
        expect(s.ergotropy).toBeLessThanOrEqual(s.energy + 8 * Number.EPSILON * wsum);
        const batt: Array<[number, number]> = [];
        for (let k = 1; k <= nb; k++) batt.push([c[2 * k], c[2 * k + 1]]);
        assertClose(s.ergotropy, bruteErgotropy(ws, batt), 1e-14 * (1 + wsum), 'W_bank vs brute force');
      },
    ), { numRuns: 300 });
  });

  it('one battery: W_bank is batteryErgotropyOf (Eq. 5) bit for bit', () => {
    fc.assert(fc.property(
      fc.double({ min: -1, max: 1, noNaN: true }), fc.double({ min: -1, max: 1, noNaN: true }), fc.double({ min: 0.01, max: 10, noNaN: true }),
      (re, im, w) => {
        const norm = Math.max(1, Math.hypot(re, im));
        const [a, b] = [re / norm, im / norm];
        const prep = prepareScene(bankScene([w]));
        const s = bankState(prep, [0, 0, a, b]);
        expect(s.ergotropy).toBe(batteryErgotropyOf(a, b, w));
        expect(s.localErgotropy).toBe(batteryErgotropyOf(a, b, w));
      },
    ), { numRuns: 500 });
  });
});

describe('bankSeries(sol) — losses, field energy and charging power', () => {
  const lossy = (dt: number) => solveScene({
    scene: {
      reservoir: { type: 'waveguide' },
      emitters: [
        { z: 0, omega0: 1.2, gamma: 0.5, loss: 0.05, role: 'charger' },
        { z: 0.1, omega0: 1.2, gamma: 0.5, loss: 0.05, role: 'battery' },
      ],
    },
    tMax: 40, dt, tol: 1e-10,
  }, 'markov');

  it('lost excitation never decreases, stays ≤ 1 − Σ|c_j|², and converges at the trapezoid rule\'s order 2 within its error bound', () => {
    // Markov dynamics of an equal-loss pair (the ± fast path: loss factors out exactly for Markov's
    // instantaneous kernel): cheap, and its norm balance is exact, which is all this test needs.
    const coarse = lossy(0.4);
    const fine = lossy(0.05);
    expect(coarse.path).toBe('pair');
    const a = bankSeries(coarse);
    const b = bankSeries(fine);
    for (const s of [a, b]) {
      expect(s.lostExcitation[0]).toBe(0);
      for (let i = 1; i < s.t.length; i++) expect(s.lostExcitation[i]).toBeGreaterThanOrEqual(s.lostExcitation[i - 1]);
      // fieldExcitation = 1 − Σ|c|² − L ≥ 0 up to the stated error bound.
      for (let i = 0; i < s.t.length; i++) expect(s.fieldExcitation[i]).toBeGreaterThanOrEqual(-s.lostError.excitation);
    }
    // Same times: fine grid every 8th sample. The coarse trapezoid error (≈ the difference: the fine one
    // is 64× smaller) stays within its lostError estimate, and the estimate is not loose by more than 20×.
    let worst = 0;
    for (let i = 0; i < a.t.length; i++) worst = Math.max(worst, Math.abs(a.lostExcitation[i] - b.lostExcitation[8 * i]));
    expect(worst).toBeLessThanOrEqual(a.lostError.excitation);
    expect(worst).toBeGreaterThan(0.05 * a.lostError.excitation);
    // Equal ω: lost energy = ω·lost excitation (to rounding).
    for (let i = 0; i < b.t.length; i++) assertClose(b.lostEnergy[i], 1.2 * b.lostExcitation[i], 1e-14, 'lostEnergy');
  });

  it('energy bookkeeping: field energy starts at 0, E_B and the charger energy are the bank formulas, P = E_B/t with its maximum', () => {
    const sol = lossy(0.1);
    const s = bankSeries(sol);
    expect(s.initialEnergy).toBe(1.2);
    // c(0) is the initial state (to the solver's error estimate, 0 for Markov's exact start).
    assertClose(s.fieldEnergy[0], 0, 2 * 1.2 * (sol.errorEstimate || 0) + 1e-15, 'field energy at t = 0');
    expect(Number.isNaN(s.power[0])).toBe(true);
    let best = { max: -Infinity, time: NaN };
    for (let i = 0; i < s.t.length; i++) {
      const c2 = sol.c[1][2 * i] ** 2 + sol.c[1][2 * i + 1] ** 2;
      const c1 = sol.c[0][2 * i] ** 2 + sol.c[0][2 * i + 1] ** 2;
      expect(s.energy[i]).toBe(1.2 * c2);
      expect(s.chargerEnergy[i]).toBe(1.2 * c1);
      expect(s.ergotropy[i]).toBe(batteryErgotropyOf(sol.c[1][2 * i], sol.c[1][2 * i + 1], 1.2));
      if (i > 0) {
        expect(s.power[i]).toBe(s.energy[i] / s.t[i]);
        if (s.power[i] > best.max) best = { max: s.power[i], time: s.t[i] };
      }
      // ⟨H⟩ is conserved: the field (and interaction) energy is what the emitters and the loss do not hold.
      assertClose(s.fieldEnergy[i], 1.2 * (1 - c1 - c2) - s.lostEnergy[i], 1e-14, 'fieldEnergy');
    }
    expect(s.maxPower).toEqual(best);
    expect(s.maxPower!.time).toBeGreaterThan(0);
  });

  it('refuses a solution whose series do not match its scene (ParameterError naming sol.c[1])', () => {
    const sol = lossy(0.5);
    expect(() => bankSeries({ ...sol, c: [sol.c[0], sol.c[1].subarray(2)] })).toThrow(/sol\.c\[1\]/);
  });
});
