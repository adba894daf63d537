import { describe, it, expect } from 'vitest';
import { selfEnergy, selfEnergyDerivative, levelShift, edgeIntegralA } from '../../src/model/selfEnergy.js';
import { omegaP as omegaPTable, fastLevelShiftK } from '../../src/spectrum/continuum.js';
import { eTimesQ, omegaP, levelShiftK, levelShiftDerivativeK } from '../../src/model/selfEnergy.js';
import { readFileSync } from 'node:fs';
import { integrate } from '../../src/numerics/quadrature.js';
import { reference } from '../fixtures/reference.js';
import { assertClose } from '../helpers.js';

/** Small-τ references from scripts/reference/small_tau.py (mpmath, 40 digits; see its docstring). */
const smallTau: {
  omegaP: Array<[number, number, number]>;
  bracketDerivative: Array<['+' | '-', number, number, number]>;
  deltaMinus: Array<[number, number, number, number]>;
} = JSON.parse(readFileSync(new URL('../fixtures/reference.small_tau.json', import.meta.url), 'utf8'));

describe('selfEnergy(channel, E, Γ11, τ) below the band edge', () => {
  it('matches the Laplace/K0 representation (mpmath) to 1e-13 relative + 1e-15 absolute', () => {
    // README's claim, 1e-13 relative, asserted as it stands (measured ≤ 2.5e-14 over these 56 rows);
    // relative because near E → 1 the + channel diverges like (1−E)^−1/2.
    for (const r of reference.selfEnergy) {
      const s = selfEnergy(r.channel, r.E, r.gamma11, r.tau);
      assertClose(s, r.sigma, 1e-13 * Math.abs(r.sigma) + 1e-15, `Σ${r.channel}(${r.E}), τ=${r.tau}`);
    }
  });
  it('derivative matches ∫ s e^{Es} F(s) ds (mpmath) to 1e-12 relative + 1e-15 absolute', () => {
    // Σ' sets the residues Z = ½/(1 + Σ'), claimed to ~1e-12 (README). Measured: ≤ 1.3e-13 relative
    // wherever |Σ'| > 1e-3, up to 2.1e-12 relative (4e-17 absolute) on the tiny Σ−' ≈ 2e-5 at τ = 0.01,
    // where the terms of size 1/|E| and (1 − E)^−3/2 that make it up cancel; the absolute 1e-15 covers those.
    for (const r of reference.selfEnergy) {
      const d = selfEnergyDerivative(r.channel, r.E, r.gamma11, r.tau);
      assertClose(d, r.derivative, 1e-12 * Math.abs(r.derivative) + 1e-15, `Σ'${r.channel}(${r.E}), τ=${r.tau}`);
    }
  });
  it('A(E) has the closed forms of physics.md, including A(−1) = 1 and the π/√(2(1−E)) edge law', () => {
    assertClose(edgeIntegralA(-1), 1, 0, 'A(-1)');
    assertClose(edgeIntegralA(-1 + 1e-12), 1, 1e-11, 'A continuous at −1');
    assertClose(edgeIntegralA(-1 - 1e-12), 1, 1e-11, 'A continuous at −1 (below)');
    const d = 1e-10;
    assertClose(edgeIntegralA(1 - d) * Math.sqrt(2 * d), Math.PI, 1e-4, 'edge law');
    const direct = integrate((u) => 1 / (Math.cosh(u) - 0.3), 0, 40, [1, 5]).value;
    assertClose(edgeIntegralA(0.3), direct, 1e-13, 'A(0.3) vs ∫du/(cosh u − E)');
  });
  it('at Δz = 0 the antisymmetric channel vanishes exactly and Σ+ = 2Σ0', () => {
    expect(selfEnergy('-', 0.4, 0.5, 0)).toBe(0);
    assertClose(selfEnergy('+', 0.4, 0.5, 0), 2 * (0.5 / (2 * Math.PI)) * edgeIntegralA(0.4), 1e-15, 'Σ+ at τ=0');
  });
});

describe('levelShift(channel, ω, Γ11, τ) above the band edge', () => {
  it('matches −Re Σ(ω + i0) from the kernel\'s Laplace transform (mpmath quadosc) to 1e-13 relative', () => {
    // README's claim for Δ± as for Σ±: 1e-13 relative. Measured ≤ 2e-16 relative on these 6 rows.
    for (const r of reference.levelShift) {
      assertClose(levelShift(r.channel, r.omega, r.gamma11, r.tau), r.delta, 1e-13 * Math.abs(r.delta), `Δ${r.channel}(${r.omega}), τ=${r.tau}`);
    }
  });
  it('the J0 part equals (Γ/2π) arccosh(ω)/√(ω²−1) (physics.md) at τ = 0', () => {
    for (const w of [1.01, 2, 7]) {
      assertClose(levelShift('+', w, 0.5, 0), 2 * (0.5 / (2 * Math.PI)) * Math.acosh(w) / Math.sqrt(w * w - 1), 1e-15, `ω=${w}`);
    }
  });
  it('ω·P(ω) = asinh(k)/k − ω·Q(ω): the tabulated (Chebyshev) and direct values agree to 1e-13 relative, and with ω·Q', () => {
    // docs/methods.md §2 and continuum.ts claim ≈1e-13 relative for the table; measured ≤ 6.2e-15.
    for (const tau of [1e-12, 0.01, 0.6283185307179586, 125.66]) {
      for (const w of [1, 1.001, 1.7, 13, 480, 9000]) {
        const a = omegaPTable(w, tau);
        const b = omegaP(w, tau);
        assertClose(a, b, 1e-13 * Math.abs(b), `ωP(${w}), τ=${tau}`);
        // The identity with the independent ω·Q quadrature (absolute: ω·Q's own target is 1e-14·ω).
        const k = Math.sqrt((w - 1) * (w + 1));
        const asinhOverK = k > 0 ? Math.asinh(k) / k : 1;
        assertClose(asinhOverK - b, eTimesQ(w, tau), 1e-13, `ωQ(${w}), τ=${tau}`);
      }
      const k = 0.77;
      assertClose(fastLevelShiftK('-', k, 0.5, tau), levelShift('-', Math.sqrt(1 + k * k), 0.5, tau), 1e-13, 'fast Δ');
    }
  });
  it('ω·P(ω) matches mpmath (40 digits) to 1e-14 relative, down to τ = 1e-12 where Δ− is O(τ)', () => {
    for (const [w, tau, v] of smallTau.omegaP) assertClose(omegaP(w, tau), v, 1e-14 * v, `ωP(${w}), τ=${tau}`);
    // Below τ = 1e-100 the closed form πτ/2 is used; it joins the quadrature continuously.
    assertClose(omegaP(1.5, 1e-99), 0.5 * Math.PI * 1e-99, 1e-14 * 1e-99, 'ωP at τ = 1e-99');
    expect(omegaP(1.5, 5e-324)).toBe(0.5 * Math.PI * 5e-324);
  });
  it('Δ− at small τ equals the principal value ∫J−/(ω − ω\') computed independently in mpmath, to 1e-13 relative', () => {
    // Rows: k, τ, (2π/Γ)Δ− by the principal-value route, and by the ω·P route (which must agree).
    for (const [k, tau, pv] of smallTau.deltaMinus) {
      assertClose(levelShiftK('-', k, 2 * Math.PI, tau), pv, 1e-13 * Math.abs(pv), `Δ−(k=${k}), τ=${tau}`);
    }
  });
  it('dΔ±/dω (analytic) matches mpmath\'s numerical derivative of the bracket to 1e-10 relative', () => {
    // 1e-10: at τ = 1e-6 the derivative is O(τ² ln τ) and ω·P's quadrature target (1e-14 of O(τ)) is the limit.
    for (const [ch, k, tau, v] of smallTau.bracketDerivative) {
      assertClose(levelShiftDerivativeK(ch, k, 2 * Math.PI, tau), v, 1e-10 * Math.abs(v), `Δ'${ch}(k=${k}), τ=${tau}`);
    }
  });
});
