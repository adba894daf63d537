import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import { solveMarkov, markovRates } from '../../src/dynamics/markov.js';
import { assertClose } from '../helpers.js';

/**
 * δ0, δ1 at the Lindblad test's parameters: principal values PV ∫J_j(ω)/(ω0 − ω) dω taken from their
 * definition in mpmath (singularity subtracted, tail on vertical rays; 30 digits), not from
 * src/model/selfEnergy.ts — scripts/reference/markov_rates.py, which also checks δ0 against its closed form.
 */
const markovReference: { rows: Array<{ omega0: number; gamma11: number; dz: number; delta0: number; delta1: number }> } =
  JSON.parse(readFileSync(new URL('../fixtures/reference.markov.json', import.meta.url), 'utf8'));

/** Γ_ij = 2πJ_ij(ω0) straight from the closed form of Eq. (2): Γ00 = Γ11/k0, Γ12 = Γ00·cos(τk0), k0 = √(ω0² − 1); 0 below the band. */
function lindbladRates(omega0: number, gamma11: number, dz: number): { G00: number; G12: number } {
  if (omega0 <= 1) return { G00: 0, G12: 0 };
  const k0 = Math.sqrt(omega0 * omega0 - 1);
  return { G00: gamma11 / k0, G12: (gamma11 / k0) * Math.cos(2 * Math.PI * dz * k0) };
}

/** RK4 integration of the Lindblad amplitude equation ċ = −iH_eff c, H_eff = [[ω0+δ0 − iΓ00/2, δ1 − iΓ12/2], [·, ·]]. */
function lindbladAmplitudes(omega0: number, delta0: number, delta1: number, G00: number, G12: number, t: number, steps: number): number[] {
  // complex 2-vector as [re1, im1, re2, im2]; H = a·I + b·σx with a = ω0+δ0 − iΓ00/2, b = δ1 − iΓ12/2
  const aRe = omega0 + delta0, aIm = -G00 / 2, bRe = delta1, bIm = -G12 / 2;
  const f = (c: number[]): number[] => {
    const out: number[] = [];
    for (const [x, y] of [[0, 2], [2, 0]]) {
      // (H c)_x = a c_x + b c_y ; ċ_x = −i (H c)_x
      const hr = aRe * c[x] - aIm * c[x + 1] + bRe * c[y] - bIm * c[y + 1];
      const hi = aRe * c[x + 1] + aIm * c[x] + bRe * c[y + 1] + bIm * c[y];
      out[x] = hi;
      out[x + 1] = -hr;
    }
    return out;
  };
  let c = [1, 0, 0, 0];
  const h = t / steps;
  for (let s = 0; s < steps; s++) {
    const k1 = f(c);
    const k2 = f(c.map((v, i) => v + 0.5 * h * k1[i]));
    const k3 = f(c.map((v, i) => v + 0.5 * h * k2[i]));
    const k4 = f(c.map((v, i) => v + h * k3[i]));
    c = c.map((v, i) => v + (h / 6) * (k1[i] + 2 * k2[i] + 2 * k3[i] + k4[i]));
  }
  return c;
}

describe('solveMarkov — Eq. (6)', () => {
  it('equals the Lindblad amplitude equation with Γ_ij = 2πJ_ij(ω0) (Eq. 2) and δ_j from an independent principal value (mpmath), to 1e-11', () => {
    for (const row of markovReference.rows) {
      const { omega0, gamma11, dz } = row;
      const { G00, G12 } = lindbladRates(omega0, gamma11, dz);
      // The rates solveMarkov uses (markovRates, from the contour forms of selfEnergy.ts) against the
      // independent ones: 1e-15 absolute, a few ulp of numbers ≤ 0.3 (measured ≤ 1.4e-16).
      const r = markovRates(omega0, gamma11, dz);
      assertClose(r.delta0, row.delta0, 1e-15, `δ0(${omega0})`);
      assertClose(r.delta1, row.delta1, 1e-15, `δ1(${omega0})`);
      assertClose(2 * r.gamma0, G00, 1e-15, `Γ00(${omega0})`);
      assertClose(2 * r.gamma1, G12, 1e-15, `Γ12(${omega0})`);
      const s = solveMarkov({ params: { omega0, gamma11, dz }, tMax: 20, dt: 20 });
      const ref = lindbladAmplitudes(omega0, row.delta0, row.delta1, G00, G12, 20, 40000);
      // RK4 at h = 5e-4: global error ≈ t·(h|H|)⁴|H|/120 ≲ 1e-12 for |H| ≤ 3.3 (measured: 1.9e-14,
      // 7e-15, 6.8e-13 at ω0 = 1.8, 0.6, 3.2). 1e-11 leaves a factor 15; an error of 1e-12 in δ0 or δ1
      // moves the amplitudes by up to t·1e-12 = 2e-11.
      const tol = 1e-11;
      assertClose(s.c1[2], ref[0], tol, 'Re c1'); assertClose(s.c1[3], ref[1], tol, 'Im c1');
      assertClose(s.c2[2], ref[2], tol, 'Re c2'); assertClose(s.c2[3], ref[3], tol, 'Im c2');
    }
  });
  it('below the band (ω0 < 1) predicts a lossless exchange |c1|² + |c2|² = 1 and |c2|² = sin²(δ1 t) (to 1e-14)', () => {
    const s = solveMarkov({ params: { omega0: 0.5, gamma11: 0.5, dz: 0.1 }, tMax: 50, dt: 0.5 });
    const r = markovRates(0.5, 0.5, 0.1);
    expect(r.gamma0).toBe(0);
    for (let n = 0; n < s.t.length; n++) {
      const p1 = s.c1[2 * n] ** 2 + s.c1[2 * n + 1] ** 2;
      const p2 = s.c2[2 * n] ** 2 + s.c2[2 * n + 1] ** 2;
      assertClose(p1 + p2, 1, 1e-14, 'norm');
      assertClose(p2, Math.sin(r.delta1 * s.t[n]) ** 2, 1e-14, 'sin²(δ1 t)');
    }
  });
  it('above the band decays to zero (|c|² < 1e-6 after 40 lifetimes)', () => {
    const r = markovRates(2, 0.5, 0.1);
    const tEnd = 40 / (r.gamma0 - Math.abs(r.gamma1));
    const s = solveMarkov({ params: { omega0: 2, gamma11: 0.5, dz: 0.1 }, tMax: tEnd, dt: tEnd });
    expect(s.c1[2] ** 2 + s.c1[3] ** 2 + s.c2[2] ** 2 + s.c2[3] ** 2).toBeLessThan(1e-6);
  });
  it('refuses ω0 = 1, where Eq. (6) diverges', () => {
    expect(() => solveMarkov({ params: { omega0: 1, gamma11: 0.5, dz: 0.1 }, tMax: 1, dt: 1 })).toThrow(/band edge/);
  });
});
