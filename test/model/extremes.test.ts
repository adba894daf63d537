import { describe, expect, it } from 'vitest';
import { ParameterError } from '../../src/errors.js';
import { LONGEST_TIME, PARAM_RANGES, TAU_NEGLIGIBLE, tauOf } from '../../src/model/params.js';
import { levelShift, reducedSelfEnergy, selfEnergy, selfEnergyDerivative } from '../../src/model/selfEnergy.js';
import { MAX_T } from '../../src/dynamics/validate.js';
import { resonances, RESONANCE_K_MAX, TAU_MAX } from '../../src/spectrum/continuum.js';
import { nextCoupledMode } from '../../src/model/waveguide.js';
import { assertClose } from '../helpers.js';

/**
 * Issue 10, items 1, 3 and 5: the self-energy's small-|E| forms, the tiny-Δz threshold, and the
 * arguments that used to hang. References are closed forms, independent of src/model/selfEnergy.ts.
 */

/** K1(x) = ∫_0^∞ e^{−x cosh t} cosh t dt, by the trapezoidal rule (exponentially convergent here). */
function besselK1(x: number): number {
  const h = 1 / 64;
  let s = 0.5 * Math.exp(-x);
  for (let i = 1; ; i++) {
    const t = i * h;
    const term = Math.exp(-x * Math.cosh(t)) * Math.cosh(t);
    s += term;
    if (term < 1e-20 * s) break;
  }
  return s * h;
}

const G = 0.5;
const TAUS = [0.01, tauOf(0.1), 5, tauOf(20)];

describe('self-energy at |E| → 0 (issue 10 item 1: NaN below |E| ≈ 1e-155, its derivative below 1e-99)', () => {
  // Closed forms at E = 0: A(0) = π/2 and C(0) = ∫cos(τk)/(1 + k²)dk = (π/2)e^{−τ}, so
  // Σ±(0) = (Γ/4)(1 ± e^{−τ}); A'(0) = 1 and ∫cos(τk)/(1 + k²)^{3/2}dk = τK1(τ), so Σ±'(0) = (Γ/2π)(1 ± τK1(τ)).
  it('Σ± (1e-13 relative, the accuracy README claims) and Σ±\' (1e-12) at ±1e-300 … ±1e-31 equal the E → 0 closed forms', () => {
    for (const tau of TAUS) {
      const e = Math.exp(-tau);
      const k1 = tau * besselK1(tau);
      for (const ch of ['+', '-'] as const) {
        const s = ch === '+' ? 1 : -1;
        const sigma0 = (G / 4) * (1 + s * e);
        const dSigma0 = (G / (2 * Math.PI)) * (1 + s * k1);
        for (const E of [1e-300, -1e-300, 5e-324, 1e-200, -1e-160, 1e-150, 1e-120, -1e-99, 1e-80, 1e-31]) {
          const what = `${ch} τ = ${tau} E = ${E}`;
          // |Σ(E) − Σ(0)| ≤ |E|·Σ'(0) ≤ 1e-31: nothing at this tolerance; 1e-13 relative (+1e-17 absolute for
          // Σ− ≈ Γτ/4 at τ = 0.01, whose O(1) pieces cancel) is the accuracy README claims.
          assertClose(selfEnergy(ch, E, G, tau), sigma0, 1e-13 * Math.abs(sigma0) + 1e-17, `Σ ${what}`);
          // Σ' = Σ'(0) + O(|E|): the small-E form takes W at |E| = 1e-30, an O(1e-30) change; W's quadrature
          // runs at relTol 1e-12 (README: residues to ~1e-12), so Σ' is asserted to 1e-12 relative.
          assertClose(selfEnergyDerivative(ch, E, G, tau), dSigma0, 1e-12 * Math.abs(dSigma0) + 1e-17, `Σ' ${what}`);
        }
      }
    }
  });

  it('Σ± is continuous through the switch to the small-E form and across E = 0 (|ΔΣ| ≤ 2|E|·Σ\'(0) at |E| = 1e-8 … 1e-29)', () => {
    const tau = tauOf(0.1);
    for (const ch of ['+', '-'] as const) {
      const s0 = selfEnergy(ch, 0, G, tau);
      const d0 = selfEnergyDerivative(ch, 0, G, tau);
      for (const E of [1e-8, -1e-8, 1e-15, -1e-15, 1e-29, -1e-29]) {
        // Σ(E) − Σ(0) = E·Σ'(0) + O(E²): twice the linear term, plus rounding of Σ (≈ 1e-16).
        assertClose(selfEnergy(ch, E, G, tau) - s0, E * d0, Math.abs(E) * d0 + 4e-16, `${ch} E = ${E}`);
      }
    }
  });
});

describe('the antisymmetric self-energy at the band edge (issue 10 item 3)', () => {
  it('I−(1) = πτ − ωP(1) is positive and → πτ/2 as τ → 0 (relative correction O(τ ln 1/τ))', () => {
    // I−(1) = ∫(1 − cos τk)(ω + 1)/(ωk²)dk = πτ/2 + O(τ² ln τ): at τ = 1e-12 the correction is < 1e-10 relative.
    for (const tau of [1e-12, 1e-20, TAU_NEGLIGIBLE]) {
      assertClose(reducedSelfEnergy('-', 1, tau), (Math.PI * tau) / 2, 1e-10 * tau, `τ = ${tau}`);
    }
    expect(reducedSelfEnergy('-', 1, 0)).toBe(0);
  });

  it('I−(1) is the limit of I−(E) as E → 1⁻: |I−(E) − I−(1)| ≤ 3κ·max(1, τ), κ = √(1 − E²) → 0', () => {
    // Near the edge I−(E) − I−(1) = O(κ) (measured slope ≈ 1.6 at τ = 1); 3κ·max(1, τ) bounds it and
    // shrinks tenfold per factor 100 in 1 − E, so a wrong edge value (off by more than ≈ 1e-7) fails.
    for (const tau of [0.1, 1, tauOf(0.1)]) {
      for (const d of [1e-10, 1e-12, 1e-14]) {
        const E = 1 - d;
        const kappa = Math.sqrt((1 - E) * (1 + E));
        assertClose(reducedSelfEnergy('-', E, tau), reducedSelfEnergy('-', 1, tau), 3 * kappa * Math.max(1, tau), `τ = ${tau}, 1 − E = ${d}`);
      }
    }
  });
});

describe('tiny Δz is exactly Δz = 0 below TAU_NEGLIGIBLE (issue 10 items 3, 4)', () => {
  it('the threshold is the one derived: ¾·Γmax·τ·LONGEST_TIME = 1e-17, and LONGEST_TIME is the dynamics\' MAX_T', () => {
    expect(LONGEST_TIME).toBe(MAX_T);
    assertClose(0.75 * PARAM_RANGES.gamma11.max * TAU_NEGLIGIBLE * LONGEST_TIME, 1e-17, 1e-30, 'phase bound');
    expect(tauOf(0)).toBe(0);
    expect(tauOf(5e-324)).toBe(0);
    expect(tauOf(1e-300)).toBe(0);
    expect(tauOf((0.99 * TAU_NEGLIGIBLE) / (2 * Math.PI))).toBe(0);
    expect(tauOf((1.01 * TAU_NEGLIGIBLE) / (2 * Math.PI))).toBeGreaterThan(TAU_NEGLIGIBLE);
    expect(tauOf(0.1)).toBe(2 * Math.PI * 0.1);
  });

  it('the bounds the threshold rests on hold: |Σ−(E)| ≤ Γτ/2 for E ≤ 1 and |Δ−(ω)| ≤ ¾Γτ for ω > 1', () => {
    // Checked where they are tightest (E → 1, small τ: Σ−(1) → Γτ/4·… ≤ Γτ/2) and elsewhere; a bound that
    // failed would make the threshold too large.
    for (const tau of [1e-12, 1e-6, 1e-3, 0.1]) {
      for (const E of [-50, -1, 0, 0.5, 0.99, 1 - 1e-9]) {
        const s = Math.abs(selfEnergy('-', E, G, tau));
        expect(s, `Σ−(${E}) τ = ${tau}`).toBeLessThanOrEqual(0.5 * G * tau * (1 + 1e-9) + 1e-17);
      }
      for (const w of [1 + 1e-9, 1.01, 1.4, 3, 10, 100]) {
        const d = Math.abs(levelShift('-', w, G, tau));
        expect(d, `Δ−(${w}) τ = ${tau}`).toBeLessThanOrEqual(0.75 * G * tau * (1 + 1e-9) + 1e-17);
      }
    }
  });
});

describe('arguments that used to hang are refused (issue 10 item 4)', () => {
  function refused(f: () => unknown, parameter: string): void {
    try {
      f();
    } catch (e) {
      expect(e).toBeInstanceOf(ParameterError);
      expect((e as ParameterError).parameter).toBe(parameter);
      return;
    }
    expect.fail(`${parameter}: not refused`);
  }

  it('resonances: kMax finite in (0, RESONANCE_K_MAX], τ in [0, TAU_MAX]', () => {
    refused(() => resonances('+', 1.4, 0.5, 0.6, Infinity), 'kMax');
    refused(() => resonances('+', 1.4, 0.5, 0.6, 1e308), 'kMax');
    refused(() => resonances('+', 1.4, 0.5, 0.6, RESONANCE_K_MAX * (1 + 1e-15)), 'kMax');
    refused(() => resonances('+', 1.4, 0.5, 0.6, 0), 'kMax');
    refused(() => resonances('+', 1.4, 0.5, 0.6, Number.NaN), 'kMax');
    refused(() => resonances('+', 1.4, 0.5, Infinity, 5), 'tau');
    refused(() => resonances('+', 1.4, 0.5, -1e-300, 5), 'tau');
    refused(() => resonances('+', 1.4, 0.5, TAU_MAX * (1 + 1e-15), 5), 'tau');
    expect(TAU_MAX).toBe(2 * Math.PI * PARAM_RANGES.dz.max);
    // In range it still finds the resonance README quotes at ω0 = 1.4, Δz = 0.5 (width ≈ 9·10⁻⁴, near the
    // zero of J+ at ω = √2).
    const r = resonances('+', 1.4, 0.5, tauOf(0.5), 1.4 + 2 + 1);
    expect(r.some((x) => Math.abs(x.energy - Math.SQRT2) < 0.05 && x.width > 8e-4 && x.width < 1e-3)).toBe(true);
  });

  it('nextCoupledMode: maxIndex an integer in [1, 1000]', () => {
    const g = { a: 4.5e-7, b: 4.5e-7 };
    for (const m of [Infinity, Number.NaN, 0, 1.5, 1001, -3]) refused(() => nextCoupledMode(g, g.a / 2, g.b / 2, m), 'maxIndex');
    // In range: the centred emitter's next mode is TM13/TM31 at √5 (waveguide.test.ts), also with the largest bound.
    assertClose(nextCoupledMode(g, g.a / 2, g.b / 2, 1000)!.ratio, Math.sqrt(5), 1e-14, 'TM13');
    expect(nextCoupledMode(g, g.a / 2, g.b / 2, 1)).toBeNull();
  });
});
