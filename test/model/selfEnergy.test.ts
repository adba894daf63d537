import { describe, it, expect } from 'vitest';
import { selfEnergy, selfEnergyDerivative, levelShift, edgeIntegralA } from '../../src/model/selfEnergy.js';
import { omegaQ, fastLevelShiftK } from '../../src/spectrum/continuum.js';
import { eTimesQ } from '../../src/model/selfEnergy.js';
import { integrate } from '../../src/numerics/quadrature.js';
import { reference } from '../fixtures/reference.js';
import { assertClose } from '../helpers.js';

describe('selfEnergy(channel, E, Γ11, τ) below the band edge', () => {
  it('matches the Laplace/K0 representation (mpmath) to 1e-13 relative + 1e-15 absolute', () => {
    // The contour formula is evaluated to ~1e-15; near E → 1 the + channel diverges like (1−E)^−1/2,
    // hence the relative part.
    for (const r of reference.selfEnergy) {
      const s = selfEnergy(r.channel, r.E, r.gamma11, r.tau);
      assertClose(s, r.sigma, 1e-13 * Math.abs(r.sigma) + 1e-15, `Σ${r.channel}(${r.E}), τ=${r.tau}`);
    }
  });
  it('derivative matches ∫ s e^{Es} F(s) ds (mpmath) to 1e-10 relative + 1e-12 absolute', () => {
    // Σ' combines terms of size (1−E)^−3/2 near the edge and 1/|E| near E = 0 that cancel; the
    // tolerance covers the cancellation at E = 0.999999 (1e-9·1e9 terms) — see docs/methods.md.
    for (const r of reference.selfEnergy) {
      const d = selfEnergyDerivative(r.channel, r.E, r.gamma11, r.tau);
      assertClose(d, r.derivative, 1e-10 * Math.abs(r.derivative) + 1e-12, `Σ'${r.channel}(${r.E}), τ=${r.tau}`);
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
  it('matches −Re Σ(ω + i0) from the kernel\'s Laplace transform (mpmath quadosc) to 1e-11', () => {
    // quadosc's tail extrapolation limits the reference to ~1e-12.
    for (const r of reference.levelShift) {
      assertClose(levelShift(r.channel, r.omega, r.gamma11, r.tau), r.delta, 1e-11, `Δ${r.channel}(${r.omega}), τ=${r.tau}`);
    }
  });
  it('the J0 part equals (Γ/2π) arccosh(ω)/√(ω²−1) (physics.md) at τ = 0', () => {
    for (const w of [1.01, 2, 7]) {
      assertClose(levelShift('+', w, 0.5, 0), 2 * (0.5 / (2 * Math.PI)) * Math.acosh(w) / Math.sqrt(w * w - 1), 1e-15, `ω=${w}`);
    }
  });
  it('the tabulated ω·Q(ω) (Chebyshev) agrees with direct quadrature to 1e-12 relative', () => {
    for (const tau of [0.01, 0.6283185307179586, 125.66]) {
      for (const w of [1, 1.001, 1.7, 13, 480, 9000]) {
        const a = omegaQ(w, tau);
        const b = eTimesQ(w, tau);
        assertClose(a, b, 1e-12 * Math.abs(b) + 1e-300, `ωQ(${w}), τ=${tau}`);
      }
      const k = 0.77;
      assertClose(fastLevelShiftK('-', k, 0.5, tau), levelShift('-', Math.sqrt(1 + k * k), 0.5, tau), 1e-13, 'fast Δ');
    }
  });
});
