import { describe, it, expect } from 'vitest';
import { channelDensity, dipoleForGamma11, gamma11Ratio, guideFor, omega0Ratio, spectralDensity, ParameterError } from '../../src/index.js';

/**
 * Issue 10 item 9: guideFor, omega0Ratio and dipoleForGamma11 returned ∞ for inputs inside their ranges;
 * the densities' √(ω² − 1) overflowed for ω > 1.3e154 (NaN in J1). Now finite, or refused with a
 * ParameterError where the range was narrowed.
 */
describe('no ∞ or NaN inside the accepted ranges', () => {
  const guide = { a: 0.45e-6, b: 0.45e-6 };

  it('dipoleForGamma11 near a wall: finite, ∝ 1/x0 (sin πx0/a ≈ πx0/a) down to x0 = 1e-300·a, and the round trip holds', () => {
    const d200 = dipoleForGamma11(guide, 0.5, 1e-200 * guide.a, guide.b / 2);
    const d300 = dipoleForGamma11(guide, 0.5, 1e-300 * guide.a, guide.b / 2);
    expect(Number.isFinite(d300)).toBe(true);
    // d ∝ 1/sin(πx0/a) = a/(πx0)(1 + O(x0²)): the ratio is 1e100 to rounding (a few ulps of each value).
    expect(Math.abs(d300 / d200 / 1e100 - 1)).toBeLessThanOrEqual(1e-14);
    // Round trip where the dipole stays in gamma11Ratio's range (≤ 1e-25 C·m): x0 = 1e-3·a.
    const x0 = 1e-3 * guide.a;
    const d = dipoleForGamma11(guide, 1e-6, x0, guide.b / 2);
    const back = gamma11Ratio(guide, { dipole: d, x0, y0: guide.b / 2 });
    expect(Math.abs(back / 1e-6 - 1)).toBeLessThanOrEqual(1e-14);
    // On the wall no dipole gives Γ11 > 0: refused, naming the coordinate.
    expect(() => dipoleForGamma11(guide, 0.5, guide.a, guide.b / 2)).toThrow(/x0 = .*wall/);
    expect(() => dipoleForGamma11(guide, 0.5, guide.a / 2, 0)).toThrow(/y0 = 0 .*wall/);
  });

  it('guideFor: the extremes of the accepted aspect give finite guides; tiny ω0/ω11 is refused, not a 0-size guide', () => {
    for (const aspect of [1e-3, 1e3]) {
      const g = guideFor(637e-9, 1, aspect);
      expect(Number.isFinite(g.a) && Number.isFinite(g.b)).toBe(true);
      // λ11 = 2/√(1/a² + 1/b²) must be ratio·λ0 (the guide's defining property), to rounding.
      expect(Math.abs(2 / Math.hypot(1 / g.a, 1 / g.b) / 637e-9 - 1)).toBeLessThanOrEqual(1e-14);
    }
    expect(() => guideFor(637e-9, 1, 1e-200)).toThrow(ParameterError);
    expect(() => guideFor(637e-9, 1e-300)).toThrow(/ratio = 1e-300 .*outside the sides accepted/);
  });

  it('omega0Ratio over the accepted lengths is finite (the smallest wavelength, 1e-12 m, with the largest guide)', () => {
    expect(Number.isFinite(omega0Ratio({ a: 1e3, b: 1e3 }, 1e-12))).toBe(true);
    expect(() => omega0Ratio(guide, 5e-324)).toThrow(/wavelength = 5e-324/);
  });

  /** Γ11 = 0.5, τ = 2πΔz = 0.6. */
  const PT = { omega0: 1, gamma11: 0.5, dz: 0.6 / (2 * Math.PI) };
  it('spectralDensity / channelDensity at ω up to 1e300: finite, J0 = (Γ11/2π)/√(ω² − 1) ≈ Γ11/(2πω) to 1e-15', () => {
    for (const w of [1e100, 1e160, 1e300]) {
      const j0 = spectralDensity(PT, w, 0);
      expect(Math.abs(j0 * (2 * Math.PI * w) / 0.5 - 1)).toBeLessThanOrEqual(1e-15);
      expect(Number.isFinite(spectralDensity(PT, w, 1))).toBe(true);
      expect(Number.isFinite(channelDensity(PT, w, '-'))).toBe(true);
    }
  });
});
