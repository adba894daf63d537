import { describe, expect, it } from 'vitest';
import { allModesBelow, defaultMaxCutoff, multimodeStudy, type ModelSteady, type StudyBoundState } from '../../src/studies/multimode.js';
import { steadyState } from '../../src/battery/steadyState.js';
import { edgeIntegralA, selfEnergy, selfEnergyDerivative } from '../../src/model/selfEnergy.js';
import { brentRoot } from '../../src/numerics/brent.js';
import { ParameterError } from '../../src/errors.js';
import { assertClose } from '../helpers.js';

const TAU = (dz: number) => 2 * Math.PI * dz;
const plus = (m: ModelSteady): StudyBoundState => m.boundStates.find((b) => b.amplitude > 0)!;
const minus = (m: ModelSteady): StudyBoundState | undefined => m.boundStates.find((b) => b.amplitude < 0);

describe('multimodeStudy: the mode table', () => {
  it('square guide, centred emitters, maxCutoff 4: TM11, TM13/TM31 (√5), TM33 (3), TM15/TM51 (√13) couple; TM22, TM24/TM42 … have s = 0', () => {
    const s = multimodeStudy({ omega0: 2.5, gamma11: 0.5, dz: 0.1, modes: { maxCutoff: 4 } });
    const byName = Object.fromEntries(s.modes.map((m) => [m.name, m]));
    expect(Object.keys(byName).sort()).toEqual(['TM11', 'TM12', 'TM13', 'TM14', 'TM21', 'TM22', 'TM23', 'TM31', 'TM32', 'TM33', 'TM41', 'TM15', 'TM51', 'TM24', 'TM42', 'TM34', 'TM43', 'TM25', 'TM52'].sort());
    // Cutoffs √((m² + n²)/2) in a square guide.
    for (const m of s.modes) assertClose(m.cutoff, Math.sqrt((m.m ** 2 + m.n ** 2) / 2), 1e-15, m.name);
    // At the centre s_mn = sin(mπ/2)sin(nπ/2): ±1 for odd m, n, exactly 0 (of either sign) otherwise.
    for (const m of s.modes) expect(m.amplitude + 0).toBe(m.m % 2 === 1 && m.n % 2 === 1 ? (((m.m + m.n) / 2) % 2 === 1 ? 1 : -1) : 0);
    expect(s.multi.modes).toBe('TM11+TM13+TM31+TM33+TM15+TM51');
    expect(s.openModes).toEqual(['TM11', 'TM13', 'TM31']);
    expect(s.nextClosedMode).toEqual({ name: 'TM33', cutoff: 3 });
  });

  it('defaultMaxCutoff is max(4, ω0 + 1), capped at 20; allModesBelow counts the lattice points (m² + n² < 2c²)', () => {
    expect([defaultMaxCutoff(0.5), defaultMaxCutoff(3), defaultMaxCutoff(3.5), defaultMaxCutoff(10)]).toEqual([4, 4, 4.5, 11]);
    let count = 0;
    for (let m = 1; m < 30; m++) for (let n = 1; n < 30; n++) if (m * m + n * n < 2 * 121) count++;
    expect(allModesBelow(11, 1)).toHaveLength(count);
  });
});

describe('multimodeStudy: closed-form limits', () => {
  it('a mode with s = 0 at the emitters changes nothing: ["TM11", "TM22"] gives the single-mode answer to 1e-14', () => {
    for (const omega0 of [0.5, 1.5, 3]) {
      const s = multimodeStudy({ omega0, gamma11: 0.5, dz: 0.1, modes: ['TM11', 'TM22'] });
      expect(s.modes.find((m) => m.name === 'TM22')!.couples).toBe(false);
      expect(s.multi.boundStates.length).toBe(s.single.boundStates.length);
      s.multi.boundStates.forEach((b, i) => {
        assertClose(b.energy, s.single.boundStates[i]!.energy, 1e-14, `E_${i} at ω0 = ${omega0}`);
        assertClose(b.amplitude, s.single.boundStates[i]!.amplitude, 1e-14, `a_${i}`);
      });
      assertClose(s.differences.energyMax, 0, 1e-14, 'ΔE(∞)max');
      assertClose(s.differences.ergotropyMax, 0, 1e-14, 'ΔW(∞)max');
      expect(s.addedModes).toEqual({ selfShift: 0, crossShift: 0, shiftPlus: 0, shiftMinus: 0, decayRate: 0 });
    }
  });

  it('the single-mode side equals the two-emitter steadyState (Eq. 8) and physics.md\'s Z± at ω0 = 1.0', () => {
    for (const omega0 of [0.5, 1, 1.5, 3]) {
      const s = multimodeStudy({ omega0, gamma11: 0.5, dz: 0.1 });
      const ref = steadyState({ omega0, gamma11: 0.5, dz: 0.1 }, { resonances: false });
      // Two independent root finders (matrix branches vs ± channel), both ~1e-12 (scenes.md).
      assertClose(s.single.energyMax, ref.energyMax, 1e-10, `E(∞)max at ${omega0}`);
      assertClose(s.single.energyMin, ref.energyMin, 1e-10, `E(∞)min at ${omega0}`);
      assertClose(s.single.ergotropyMax, ref.ergotropyMax, 1e-10, `W(∞)max at ${omega0}`);
      expect(s.single.count).toBe(ref.count);
    }
    const s = multimodeStudy({ omega0: 1, gamma11: 0.5, dz: 0.1 });
    assertClose(plus(s.single).energy, 0.620272288437, 1e-11, 'E+ (physics.md table)');
    assertClose(plus(s.single).amplitude, 0.298169431173, 1e-9, 'Z+');
    assertClose(minus(s.single)!.amplitude, -0.454618113906, 1e-9, '−Z−');
  });

  it('["TM11", "TM13"] equals the ± channel equation with TM13 as TM11 scaled by √5: E − ω0 + Σ±(E; τ) + √5·Σ±(E/√5; √5τ) = 0', () => {
    // Independent of the reservoir code: src/model/selfEnergy.ts's two-emitter Σ± (Γ11 s13² = Γ11 at the
    // centre, s13(1)s13(2) = +1) with the substitution ω = √5u written out by hand (scenes.md §4).
    const g = 0.5;
    const dz = 0.1;
    const w = Math.sqrt(5);
    for (const omega0 of [0.5, 1, 2]) {
      const s = multimodeStudy({ omega0, gamma11: g, dz, modes: ['TM11', 'TM13'] });
      for (const ch of ['+', '-'] as const) {
        const F = (E: number) => E - omega0 + selfEnergy(ch, E, g, TAU(dz)) + w * selfEnergy(ch, E / w, g, w * TAU(dz));
        const hi = 1 - 1e-12;
        if (F(hi) < 0) { expect(ch === '-' ? minus(s.multi) : plus(s.multi)).toBeUndefined(); continue; }
        const E = brentRoot(F, -20, hi, 0, 300).root;
        const Z = 0.5 / (1 + selfEnergyDerivative(ch, E, g, TAU(dz)) + selfEnergyDerivative(ch, E / w, g, w * TAU(dz)));
        const b = ch === '+' ? plus(s.multi) : minus(s.multi)!;
        // Energies: both roots to ~1e-13 (Brent to the last bits); amplitudes limited by the scene's eigenvector rounding (~1e-12).
        assertClose(b.energy, E, 1e-12, `E${ch} at ω0 = ${omega0}`);
        assertClose(Math.abs(b.amplitude), Z, 1e-10, `Z${ch} at ω0 = ${omega0}`);
      }
    }
  });

  it('weak coupling: closed modes only shift the levels, ΔE± = Σ_closed,±(ω0) = self ± cross, up to O(Γ11²); renormalised, ΔE± = ±cross', () => {
    const modes = ['TM11', 'TM13', 'TM31', 'TM33'];
    const remainders = [1e-4, 1e-5].map((g) => {
      const s = multimodeStudy({ omega0: 0.5, gamma11: g, dz: 0.1, modes });
      const r = multimodeStudy({ omega0: 0.5, gamma11: g, dz: 0.1, modes, renormalise: true });
      const a = s.addedModes;
      expect(a.decayRate).toBe(0);
      return [
        plus(s.multi).energy - plus(s.single).energy - a.shiftPlus,
        minus(s.multi)!.energy - minus(s.single)!.energy - a.shiftMinus,
        plus(r.multi).energy - plus(r.single).energy - a.crossShift,
        minus(r.multi)!.energy - minus(r.single)!.energy + a.crossShift,
      ];
    });
    // The remainder is second order (the shifts are evaluated at ω0, the levels sit at ω0 + O(Γ11)):
    // at Γ11 = 1e-4 it is ≤ 6e-8 (measured 5.6e-8 for E+), and it falls 100× when Γ11 falls 10× (±30 %).
    remainders[0]!.forEach((d, i) => {
      expect(Math.abs(d), `remainder ${i} at Γ11 = 1e-4`).toBeLessThan(1e-7);
      const ratio = d / remainders[1]![i]!;
      expect(ratio, `remainder ${i}: ratio ${ratio}`).toBeGreaterThan(70);
      expect(ratio).toBeLessThan(130);
    });
    const g = 1e-4;
    const a = multimodeStudy({ omega0: 0.5, gamma11: g, dz: 0.1, modes }).addedModes;
    // About −Γ_mn/4 per mode far below its cutoff (scenes.md §4): here ω0/ω_mn ≤ 0.22, so within ±50 % of −Σ Γ_mn/4.
    const gmn = g * (2 * Math.sqrt(5) + 3);
    expect(a.selfShift).toBeGreaterThan((-gmn / 4) * 1.5);
    expect(a.selfShift).toBeLessThan((-gmn / 4) * 0.5);
  });

  it('the added modes\' first-order shifts equal the TM11 closed forms scaled per mode: self = −Σ Γ ω_mn s² A(ω0/ω_mn)/2π, cross likewise with τ → ω_mn τ', () => {
    // Modes below 4ω11 at the centre: TM13, TM31 (√5), TM33 (3), TM15, TM51 (√13), all with s² = 1 and
    // s_mn(1)s_mn(2) = s² (same transverse position). physics.md: ∫J0/(ω − E) = (Γ/2π)A(E); the cross part
    // ∫J1/(E − ω) = −(S+ − S−)/2 with S± the two-emitter Σ± of src/model/selfEnergy.ts.
    const g = 0.5;
    const tau = TAU(0.1);
    const added = [[Math.sqrt(5), 2], [3, 1], [Math.sqrt(13), 2]] as const;
    for (const omega0 of [0.5, 0.9, 2]) {
      const a = multimodeStudy({ omega0, gamma11: g, dz: 0.1, modes: { maxCutoff: 4 } }).addedModes;
      let self = 0;
      let cross = 0;
      for (const [w, count] of added) {
        self += -count * g * w * edgeIntegralA(omega0 / w) / (2 * Math.PI);
        cross += -count * w * (selfEnergy('+', omega0 / w, g, w * tau) - selfEnergy('-', omega0 / w, g, w * tau)) / 2;
      }
      // Closed forms on both sides (a few roundings of O(1) terms): 1e-13.
      assertClose(a.selfShift, self, 1e-13, `self shift at ω0 = ${omega0}`);
      assertClose(a.crossShift, cross, 1e-13, `cross term at ω0 = ${omega0}`);
    }
  });

  it('open modes: the added decay rate is 2πJ_added(ω0) = Γ11·√5·(s13² + s31²)/√((ω0/√5)² − 1) above √5', () => {
    const s = multimodeStudy({ omega0: 2.5, gamma11: 0.5, dz: 0.1, modes: ['TM11', 'TM13', 'TM31'] });
    const w = Math.sqrt(5);
    assertClose(s.addedModes.decayRate, (0.5 * w * 2) / Math.sqrt((2.5 / w) ** 2 - 1), 1e-13, '2πJ');
    expect(s.notes.some((n) => n.includes('TM13, TM31'))).toBe(true);
    // On a cutoff (ω0 = 3 = TM33) no first-order shift exists: NaN, a note, and renormalise is refused.
    const c = multimodeStudy({ omega0: 3, gamma11: 0.5, dz: 0.1, modes: { maxCutoff: 4 } });
    expect(Number.isNaN(c.addedModes.selfShift)).toBe(true);
    expect(c.notes.some((n) => n.includes('cutoff of TM33'))).toBe(true);
    expect(() => multimodeStudy({ omega0: 3, gamma11: 0.5, dz: 0.1, modes: { maxCutoff: 4 }, renormalise: true })).toThrow(/input\.omega0 = 3 .*cutoff of an added coupled mode \(TM33\)/);
  });

  it('off-centre emitters: Γ_centre = Γ11/s11², so a TM11-only guide at x = 0.3 is the single-mode model (1e-13)', () => {
    const s = multimodeStudy({ omega0: 0.8, gamma11: 0.5, dz: 0.2, x: 0.3, y: 0.6, modes: ['TM11'] });
    s.multi.boundStates.forEach((b, i) => assertClose(b.energy, s.single.boundStates[i]!.energy, 1e-13, `E_${i}`));
    assertClose(s.differences.energyMax, 0, 1e-12, 'ΔE(∞)max');
    // At x = 0.3 TM22 couples (s22 = sin(0.6π)sin(1.2π) ≠ 0).
    const t = multimodeStudy({ omega0: 0.8, gamma11: 0.5, dz: 0.2, x: 0.3, y: 0.6, modes: ['TM11', 'TM22'] });
    expect(t.modes.find((m) => m.name === 'TM22')!.couples).toBe(true);
    expect(Math.abs(t.differences.boundStateEnergies[0]!)).toBeGreaterThan(1e-3);
  });

  it('E(∞) range from the bound states: ω0(|a+| ∓ |a−|)², max W(∞) = ω0·max(0, 2(|a+| + |a−|)² − 1)', () => {
    const s = multimodeStudy({ omega0: 0.6, gamma11: 0.5, dz: 0.1 });
    const [p, m] = [Math.abs(plus(s.multi).amplitude), Math.abs(minus(s.multi)!.amplitude)];
    assertClose(s.multi.energyMax, 0.6 * (p + m) ** 2, 1e-15, 'max');
    assertClose(s.multi.energyMin, 0.6 * (p - m) ** 2, 1e-15, 'min');
    assertClose(s.multi.ergotropyMax, 0.6 * Math.max(0, 2 * (p + m) ** 2 - 1), 1e-15, 'W');
  });
});

describe('multimodeStudy: bad input names the field', () => {
  const base = { omega0: 1, gamma11: 0.5, dz: 0.1 };
  for (const [bad, path] of [
    [{ omega0: 0 }, 'input.omega0'],
    [{ gamma11: -1 }, 'input.gamma11'],
    [{ aspect: 0 }, 'input.aspect'],
    [{ x: 1 }, 'input.x'],
    [{ modes: ['TE11'] }, 'input.modes[0]'],
    [{ modes: ['TM10'] }, 'input.modes[0]'],
    [{ modes: ['TM11', 'TM11'] }, 'input.modes'],
    [{ modes: ['TM22'] }, 'input.modes'],
    [{ modes: { maxCutoff: 30 } }, 'input.modes.maxCutoff'],
    [{ renormalise: 'yes' }, 'input.renormalise'],
  ] as const) {
    it(`${JSON.stringify(bad)} → ParameterError at ${path}`, () => {
      try {
        multimodeStudy({ ...base, ...(bad as object) } as never);
        expect.fail('no error');
      } catch (e) {
        expect(e).toBeInstanceOf(ParameterError);
        expect((e as ParameterError).path).toBe(path);
      }
    });
  }
});
