import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { boundStates, type BoundState } from '../../src/spectrum/boundStates.js';
import { steadyState } from '../../src/battery/steadyState.js';
import { TAU_NEGLIGIBLE, tauOf } from '../../src/model/params.js';
import { assertClose, assertRelClose } from '../helpers.js';

/**
 * Issue 10 item 1, 3, 4 and the Γ11 → 0 end: bound states at the extremes of the validated range
 * (ω0 → 0⁺, Δz → 0⁺, tiny Γ11 against ω0 − 1), against limits and closed forms.
 */

interface LimitRow { omega0: number; gamma11: number; dz: number; channel: '+' | '-'; energy: number | null; residue: number | null }
/** mpmath roots of E + Σ±(E) = 0 (ω0 = 0) with the Laplace/K0 Σ: scripts/reference/omega0_limit.py. */
const limit: LimitRow[] = JSON.parse(readFileSync(fileURLToPath(new URL('../fixtures/reference.omega0_limit.json', import.meta.url)), 'utf8')).boundStates;

const find = (s: BoundState[], ch: '+' | '-') => s.find((b) => b.channel === ch);

describe('bound states as ω0 → 0⁺ (issue 10 item 1: ω0 = 1e-160 gave E± = −6.2e-61)', () => {
  it('E±, Z± at ω0 = 1e-300 … 1e-10 are the mpmath ω0 → 0 limit (E within ω0 + 2e-12, Z within 1e-10)', () => {
    // dE/dω0 = 2Z ∈ (0, 1], so |E(ω0) − E(0)| ≤ ω0; the reference roots are good to |F| ≤ 1e-12 (the script
    // checks it), so 2e-12 on E; residues: ≥ 12 digits in the reference, 1e-10 leaves room for the ω0 shift.
    expect(limit.length).toBe(6);
    for (const r of limit) {
      for (const omega0 of [1e-300, 1e-200, 1e-160, 1e-150, 1e-100, 1e-50, 1e-10]) {
        const s = boundStates({ omega0, gamma11: r.gamma11, dz: r.dz });
        expect(s.count).toBe(2);
        const b = find(s.boundStates, r.channel)!;
        const what = `${r.channel} ω0 = ${omega0} Γ = ${r.gamma11} Δz = ${r.dz}`;
        assertClose(b.energy, r.energy!, omega0 + 2e-12, `E ${what}`);
        assertClose(b.residue, r.residue!, 1e-10, `Z ${what}`);
      }
    }
  });

  it('the steady state at ω0 = 1e-160 is the ω0 → 0 one: two states, regime 2 (was "2D" from E+ = E−)', () => {
    const a = steadyState({ omega0: 1e-160, gamma11: 0.5, dz: 0.1 });
    const b = steadyState({ omega0: 1e-10, gamma11: 0.5, dz: 0.1 });
    expect(a.regime).toBe('2');
    expect(b.regime).toBe('2');
    // |E+ − E−| = 0.1134 at both: the beat frequency moves by ≤ 2ω0 (each energy by ≤ ω0).
    assertClose(a.frequency, b.frequency, 2e-10, 'beat frequency');
    assertClose(a.frequency, 0.113349961, 1e-9, 'beat frequency vs the mpmath limit −0.0572848 + 0.1706347');
  });
});

describe('Δz → 0⁺ at ω0 = 1 (issue 10 item 3: Δz ≤ 1e-17 lost the antisymmetric state)', () => {
  const p0 = boundStates({ omega0: 1, gamma11: 0.5, dz: 0 });

  it('below TAU_NEGLIGIBLE the spectrum is exactly the Δz = 0 one (E− = ω0 = 1, Z− = ½, in the continuum)', () => {
    for (const dz of [5e-324, 1e-300, 1e-100, 1e-30, (0.99 * TAU_NEGLIGIBLE) / (2 * Math.PI)]) {
      expect(boundStates({ omega0: 1, gamma11: 0.5, dz }).boundStates, `Δz = ${dz}`).toEqual(p0.boundStates);
    }
    expect(find(p0.boundStates, '-')).toEqual({ channel: '-', energy: 1, residue: 0.5, inContinuum: true });
  });

  it('above it the antisymmetric state is a bound state within Γτ/2 of the edge with Z− = ½, continuous with Δz = 1e-12', () => {
    // 1 − E− = Σ−(E−) ≤ Γτ/2 (test/model/extremes.test.ts checks the bound); at Δz ≤ 1e-17 the root is
    // closer to 1 than 2^−53, so E− = 1 − 2^−53. Z− = ½/(1 + O(Γτ²/κ)): ½ to 1e-15.
    for (const dz of [(1.01 * TAU_NEGLIGIBLE) / (2 * Math.PI), 1e-20, 1e-17, 1e-15, 1e-12]) {
      const s = boundStates({ omega0: 1, gamma11: 0.5, dz });
      const m = find(s.boundStates, '-')!;
      expect(s.count, `Δz = ${dz}`).toBe(2);
      expect(m.inContinuum).toBe(false);
      expect(m.energy).toBeLessThan(1);
      expect(1 - m.energy).toBeLessThanOrEqual(Math.max(0.25 * tauOf(dz), Number.EPSILON / 2));
      assertClose(m.residue, 0.5, 1e-15, `Z− Δz = ${dz}`);
      // E+ moves by ≤ Γτ/2 from Δz = 0 (same bound on Σ+ − Σ+|τ=0 = −Σ−).
      assertClose(find(s.boundStates, '+')!.energy, find(p0.boundStates, '+')!.energy, 0.25 * tauOf(dz) + 1e-16, `E+ Δz = ${dz}`);
    }
  });
});

describe('steady state at Δz → 0⁺ where Δz = 0 has a bound state in the continuum (issue 10 item 4)', () => {
  it('ω0 = 1.4, Δz = 1e-300 gives the Δz = 0 range [0.134, 0.667], not 0.0508', () => {
    const zero = steadyState({ omega0: 1.4, gamma11: 0.5, dz: 0 });
    // Eq. (8) with the decoupled Z− = ½: ω0(Z+ ∓ ½)² (independent arithmetic on the Δz = 0 residue).
    const zp = find(zero.boundStates, '+')!.residue;
    assertRelClose(zero.energyMin, 1.4 * (zp - 0.5) ** 2, 1e-15, 'E(∞) min at Δz = 0');
    assertRelClose(zero.energyMax, 1.4 * (zp + 0.5) ** 2, 1e-15, 'E(∞) max at Δz = 0');
    for (const dz of [5e-324, 1e-300, 1e-100]) {
      const s = steadyState({ omega0: 1.4, gamma11: 0.5, dz });
      expect(s.energyMin).toBe(zero.energyMin);
      expect(s.energyMax).toBe(zero.energyMax);
    }
    assertClose(zero.energyMin, 0.134, 5e-4, 'issue value');
    assertClose(zero.energyMax, 0.667, 5e-4, 'issue value');
  });
});

describe('tiny Γ11 against ω0 − 1: the symmetric root lies closer to the edge than a double resolves', () => {
  it('Z+ follows the edge asymptotics ½κ³/Γ11, κ = Γ11/(ω0 − 1) (was 1.65e-12 at Γ11 = 1e-12, ½ at 1e-300)', () => {
    // Leading order of F(κ) = 1 − ω0 + Γ11/κ + O(Γ11) and Σ+' = Γ11/κ³·(1 + O(κ)): relative corrections
    // O(Γ11/(ω0 − 1)) ≤ 1e-8 for these Γ11, so 1e-7 relative.
    for (const [omega0, gamma11] of [[10, 1e-12], [10, 1e-9], [3, 1e-10], [1.5, 1e-12]]) {
      const s = boundStates({ omega0, gamma11, dz: 0.1 });
      const b = find(s.boundStates, '+')!;
      const kappa = gamma11 / (omega0 - 1);
      expect(b.energy).toBe(1 - Number.EPSILON / 2);
      assertRelClose(b.residue, (0.5 * kappa ** 3) / gamma11, 1e-7, `Z+ ω0 = ${omega0} Γ = ${gamma11}`);
    }
    // Γ11 = 1e-300: Z+ ≈ 7e-602 is below the smallest double.
    expect(find(boundStates({ omega0: 10, gamma11: 1e-300, dz: 0.1 }).boundStates, '+')!.residue).toBe(0);
  });

  it('at ω0 = 1, Z+ → ⅓ as Γ11 → 0; just below the edge Z+ → ½, just above Z+ → 0', () => {
    // At ω0 = 1, Eq. (7) near the edge is −κ²/2 + Γ11/κ = O(Γ11), so κ³ = 2Γ11 and Σ+' = Γ11/κ³ = ½: Z+ = ⅓,
    // with corrections O(Γ11^{1/3}) (measured 3.5e-7 at Γ11 = 1e-16; 1e-100 at 1e-300, so 1e-15 there).
    assertClose(find(boundStates({ omega0: 1, gamma11: 1e-300, dz: 0.1 }).boundStates, '+')!.residue, 1 / 3, 1e-15, 'Z+ at ω0 = 1');
    assertClose(find(boundStates({ omega0: 1, gamma11: 1e-16, dz: 0.1 }).boundStates, '+')!.residue, 1 / 3, 4 * 1e-16 ** (1 / 3), 'Z+ at ω0 = 1, Γ = 1e-16');
    // ω0 = 1 ∓ 1e-15: Γ11 = 1e-300 is negligible against |1 − ω0|^{3/2}, so the state is the bare one
    // (Z+ = ½) below the edge, and has Z+ ≈ ½Γ11²/(ω0 − 1)³ = 5e-556 → 0 above it (it was ½ at E = 1 − 2^−53).
    assertClose(find(boundStates({ omega0: 1 - 1e-15, gamma11: 1e-300, dz: 0.1 }).boundStates, '+')!.residue, 0.5, 1e-15, 'Z+ below the edge');
    expect(find(boundStates({ omega0: 1 + 1e-15, gamma11: 1e-300, dz: 0.1 }).boundStates, '+')!.residue).toBe(0);
  });

  it('Z+ near the edge (1 − E+ from 1e-17 to 1e-10, Γ11 = 1e-7 … 1e-4 at ω0 = 10) keeps its relative accuracy', () => {
    // A root a few ulps from the edge, rounded to a double, made Σ+' ∝ 1/κ³ wrong by up to 50 % (1.6 % at
    // Γ11 = 1e-6). The leading-order κ = Γ11/(ω0 − 1) neglects (Γ11/2π)(2 + I−(1)) ≈ 0.5Γ11 against ω0 − 1, i.e.
    // ≈ 1.5Γ11/(ω0 − 1) relative in κ³: the tolerance is 10Γ11/(ω0 − 1).
    for (const g of [1e-7, 3e-7, 1e-6, 1e-5, 1e-4]) {
      const z = find(boundStates({ omega0: 10, gamma11: g, dz: 0.1 }).boundStates, '+')!.residue;
      assertRelClose(z, (0.5 * (g / 9) ** 3) / g, (10 * g) / 9, `Γ = ${g}`);
    }
    // Across the switch to the edge form (1 − E+ = 5e-11 near Γ11 = 9e-5): Z+ ∝ Γ11² to 1e-5.
    const zLo = find(boundStates({ omega0: 10, gamma11: 9e-5 * (1 - 1e-3), dz: 0.1 }).boundStates, '+')!;
    const zHi = find(boundStates({ omega0: 10, gamma11: 9e-5 * (1 + 1e-3), dz: 0.1 }).boundStates, '+')!;
    expect(1 - zHi.energy > 5e-11 !== 1 - zLo.energy > 5e-11, 'the two straddle the switch').toBe(true);
    assertRelClose(zHi.residue / zLo.residue, ((1 + 1e-3) / (1 - 1e-3)) ** 2, 1e-5, 'Z+ ratio across the switch');
  });
});
