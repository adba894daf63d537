import { describe, it, expect } from 'vitest';
import { solveMarkov, markovRates } from '../../src/dynamics/markov.js';
import { spectralDensity } from '../../src/model/spectralDensity.js';
import { assertClose } from '../helpers.js';

/** RK4 integration of the Lindblad amplitude equation ċ = −iH_eff c, H_eff = [[ω0+δ0 − iΓ00/2, δ1 − iΓ12/2], [·, ·]]. */
function lindbladAmplitudes(omega0: number, r: ReturnType<typeof markovRates>, G00: number, G12: number, t: number, steps: number): number[] {
  // complex 2-vector as [re1, im1, re2, im2]; H = a·I + b·σx with a = ω0+δ0 − iΓ00/2, b = δ1 − iΓ12/2
  const aRe = omega0 + r.delta0, aIm = -G00 / 2, bRe = r.delta1, bIm = -G12 / 2;
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
  it('equals the Lindblad amplitude equation with Γ_ij = 2πJ_ij(ω0) (RK4 with 20000 steps: error ≲ 1e-11)', () => {
    for (const [omega0, dz] of [[1.8, 0.1], [0.6, 0.3], [3.2, 1.7]]) {
      const tau = 2 * Math.PI * dz;
      const r = markovRates(omega0, 0.5, dz);
      const G00 = 2 * Math.PI * spectralDensity(0, omega0, 0.5, tau);
      const G12 = 2 * Math.PI * spectralDensity(1, omega0, 0.5, tau);
      const s = solveMarkov({ params: { omega0, gamma11: 0.5, dz }, tMax: 20, dt: 20 });
      const ref = lindbladAmplitudes(omega0, r, G00, G12, 20, 20000);
      assertClose(s.c1[2], ref[0], 1e-9, 'Re c1'); assertClose(s.c1[3], ref[1], 1e-9, 'Im c1');
      assertClose(s.c2[2], ref[2], 1e-9, 'Re c2'); assertClose(s.c2[3], ref[3], 1e-9, 'Im c2');
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
