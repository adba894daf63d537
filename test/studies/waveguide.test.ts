import { describe, expect, it } from 'vitest';
import {
  DEBYE, dipoleForGamma11, dzInLambda11, dzInMetres, EPSILON0, gamma11Ratio, guideFor, HBAR, lambda11, nextCoupledMode, omega0Ratio, omega11, SPEED_OF_LIGHT,
} from '../../src/model/waveguide.js';
import { ParameterError } from '../../src/errors.js';
import { assertClose, assertRelClose } from '../helpers.js';

const sq = (a: number) => ({ a, b: a });

describe('waveguide (SI ⇄ ω11 units), src/model/waveguide.ts', () => {
  it('lambda11(a = b = 0.45 μm) = √2·0.45 μm = 636.396 nm (the paper: ≈ 637 nm, NV zero-phonon line)', () => {
    // closed form for a square guide: λ11 = √2·a
    assertRelClose(lambda11(sq(0.45e-6)), Math.SQRT2 * 0.45e-6, 1e-15, 'λ11');
    assertClose(lambda11(sq(0.45e-6)) * 1e9, 636.396, 5e-4, 'λ11 in nm');
    // and ω11 = cπ√2/a, λ11 = 2πc/ω11
    assertRelClose(omega11(sq(0.45e-6)), (SPEED_OF_LIGHT * Math.PI * Math.SQRT2) / 0.45e-6, 1e-15, 'ω11');
    assertRelClose((2 * Math.PI * SPEED_OF_LIGHT) / omega11(sq(0.45e-6)), lambda11(sq(0.45e-6)), 1e-15, '2πc/ω11');
  });

  it('omega0Ratio at 637 nm: 0.45 μm → 0.99905 ≈ 1.0ω11, 0.27 μm → 0.59943 ≈ 0.6ω11 (paper, Discussion)', () => {
    assertClose(omega0Ratio(sq(0.45e-6), 637e-9), 0.999052, 1e-6, 'a = 0.45 μm');
    assertClose(omega0Ratio(sq(0.27e-6), 637e-9), 0.599431, 1e-6, 'a = 0.27 μm');
    // the paper's rounding: within 0.1 % and 0.1 %
    expect(Math.abs(omega0Ratio(sq(0.45e-6), 637e-9) - 1)).toBeLessThan(1e-3);
    expect(Math.abs(omega0Ratio(sq(0.27e-6), 637e-9) - 0.6)).toBeLessThan(1e-3);
  });

  it('guideFor inverts omega0Ratio for square and rectangular sections (to 1e-15)', () => {
    for (const [ratio, aspect] of [[1, 1], [0.6, 1], [1.4, 2], [0.8, 0.5]] as const) {
      const g = guideFor(637e-9, ratio, aspect);
      assertRelClose(g.b / g.a, aspect, 1e-15, 'aspect');
      assertRelClose(omega0Ratio(g, 637e-9), ratio, 1e-14, `ratio ${ratio}`);
    }
    assertClose(guideFor(637e-9, 1).a * 1e9, 637 / Math.SQRT2, 1e-9, 'a for ω0 = ω11');
  });

  it('gamma11Ratio = 4d²sin²(πx0/a)sin²(πy0/b)/(ħε0abc) (Eq. 2), ≈ 2.2e-8 for 5.3 D at the centre of 0.45 μm', () => {
    const g = { a: 0.45e-6, b: 0.3e-6 };
    const d = 5.3 * DEBYE;
    const x0 = 0.2e-6;
    const y0 = 0.1e-6;
    const expected = (4 * d * d * Math.sin((Math.PI * x0) / g.a) ** 2 * Math.sin((Math.PI * y0) / g.b) ** 2) / (HBAR * EPSILON0 * g.a * g.b * SPEED_OF_LIGHT);
    assertRelClose(gamma11Ratio(g, { dipole: d, x0, y0 }), expected, 1e-15, 'Γ11/ω11');
    assertClose(gamma11Ratio(sq(0.45e-6), { dipole: d, x0: 0.225e-6, y0: 0.225e-6 }), 2.2055e-8, 1e-11, 'NV at the centre');
    // dipoleForGamma11 is its inverse
    assertRelClose(dipoleForGamma11(g, 0.5, x0, y0), Math.sqrt((0.5 / expected) * d * d), 1e-14, 'dipole for Γ11 = 0.5');
  });

  it('CODATA constants: ħ = 1.054571817e-34 J s, ε0 = 8.8541878188e-12 F/m, 1 D = 3.33564e-30 C m', () => {
    assertRelClose(HBAR, 1.054571817e-34, 1e-9, 'ħ');
    assertRelClose(EPSILON0, 8.8541878188e-12, 1e-12, 'ε0');
    assertRelClose(DEBYE, 3.33564095198152e-30, 1e-14, 'debye');
  });

  it('dzInLambda11 / dzInMetres convert Δz both ways', () => {
    assertRelClose(dzInLambda11(sq(0.45e-6), 1e-6), 1e-6 / (Math.SQRT2 * 0.45e-6), 1e-15, 'Δz');
    assertRelClose(dzInMetres(sq(0.45e-6), dzInLambda11(sq(0.45e-6), 1e-6)), 1e-6, 1e-15, 'round trip');
  });

  it('nextCoupledMode: a centred emitter in a square guide skips TM12/TM21 (node) and meets TM13/TM31 at √5ω11', () => {
    const g = sq(0.45e-6);
    const m = nextCoupledMode(g, g.a / 2, g.b / 2)!;
    assertClose(m.ratio, Math.sqrt(5), 1e-14, 'TM13 cutoff');
    expect(m.m * m.n).toBe(3);
    const off = nextCoupledMode(g, g.a / 3, g.b / 2)!;
    assertClose(off.ratio, Math.sqrt(2.5), 1e-14, 'TM21 cutoff off-centre');
  });

  it('rejects bad input with a ParameterError naming the parameter', () => {
    const cases: Array<[() => unknown, string]> = [
      [() => lambda11({ a: -1, b: 1e-6 }), 'a'],
      [() => lambda11({ a: 1e-6, b: Number.NaN }), 'b'],
      [() => omega0Ratio(sq(1e-6), 0), 'wavelength'],
      [() => gamma11Ratio(sq(1e-6), { dipole: 1e-29, x0: 2e-6, y0: 0.5e-6 }), 'x0'],
      [() => gamma11Ratio(sq(1e-6), { dipole: -1, x0: 0.5e-6, y0: 0.5e-6 }), 'dipole'],
      [() => guideFor(637e-9, 0), 'omega0Ratio'],
      [() => guideFor(637e-9, 1, -2), 'aspect'],
      [() => dzInLambda11(sq(1e-6), -1), 'dz'],
    ];
    for (const [fn, name] of cases) {
      let err: unknown;
      try { fn(); } catch (e) { err = e; }
      expect(err, name).toBeInstanceOf(ParameterError);
      expect((err as ParameterError).parameter).toBe(name);
    }
  });
});
