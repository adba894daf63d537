import { describe, it, expect } from 'vitest';
import { resonanceWindow } from '../../src/spectrum/narrowResonance.js';
import { resonances } from '../../src/spectrum/continuum.js';
import { tauOf } from '../../src/model/params.js';
import { assertClose } from '../helpers.js';

const res = (k: number, width: number, weight = 1) => ({ channel: '-' as const, k, energy: Math.sqrt(1 + k * k), width, weight });

describe('resonanceWindow: a narrow peak of σ replaced by a discrete term', () => {
  it('an exact bound state in the continuum (γ = 0) becomes a pole of the full weight, with no error', () => {
    const w = resonanceWindow(res(0.5, 0, 0.97), 0.1, 30, 1e-10)!;
    expect(w.amplitude).toBe(0.97);
    expect(w.errorBound).toBe(0);
    expect(w.lo).toBeLessThan(0.5);
    expect(w.hi).toBeGreaterThan(0.5);
  });
  it('the pole carries the Lorentzian mass inside the window, w·(2/π)·atan(W/γ) up to the window\'s asymmetry in ω', () => {
    const r = res(0.8, 1e-13);
    const w = resonanceWindow(r, 0.01, 20, 1e-10)!;
    // Window half-width in ω, W ≈ (k_r/ω_r)·h; mass outside ≈ (2/π)γ/W.
    const h = w.hi - r.k;
    const W = (r.k / r.energy) * h;
    assertClose(w.amplitude, (2 / Math.PI) * Math.atan(W / r.width), 1e-6 * (1 - w.amplitude) + 1e-15, 'A');
    expect(1 - w.amplitude).toBeGreaterThan(0);
    expect(w.errorBound).toBeLessThanOrEqual(1e-10);
  });
  it('the window shrinks as the time span grows, and is refused (null) once it would hold fewer than 10 widths', () => {
    const r = res(0.8, 1e-9);
    const a = resonanceWindow(r, 0.01, 10, 1e-10);
    const b = resonanceWindow(r, 0.01, 100, 1e-10);
    expect(a && b).toBeTruthy();
    expect(b!.hi - b!.lo).toBeLessThan(a!.hi - a!.lo);
    // (wγW/π)(t + 1/s)² ≤ budget needs W ≤ π·1e-10/(1e-9·1e8) ≈ 3e-9 ω11 at t = 1e4, i.e. < 10 widths.
    expect(resonanceWindow(r, 0.01, 1e4, 1e-10)).toBeNull();
    // A wide peak is integrated, not replaced.
    expect(resonanceWindow(res(0.8, 1e-3), 0.01, 20, 1e-10)).toBeNull();
  });
  it('at small Δz the antisymmetric resonance has weight 1/(1 − Δ\') ≈ 1 and width ∝ τ² (πJ−(ω_r) = Γτ²k/4 at leading order)', () => {
    const omega0 = 1.5;
    const gamma11 = 0.5;
    for (const dz of [1e-10, 1e-7, 1e-5]) {
      const tau = tauOf(dz);
      const [r] = resonances('-', omega0, gamma11, tau, 5);
      const k0 = Math.sqrt(omega0 * omega0 - 1);
      // Δ− = −(Γτ/4)(1 + O(τ ln τ)): the resonance sits Γτ/4 below ω0; weight 1 to O(τ²). The
      // tolerances are the next order, 4τ(1 + |ln τ|) relative (measured: 4.6e-6 relative at τ = 6.3e-7).
      const rel = 4 * tau * (1 + Math.abs(Math.log(tau)));
      assertClose(r.energy, omega0 - (gamma11 * tau) / 4, rel * gamma11 * tau / 4 + 4 * Number.EPSILON * omega0, `ω_r at Δz = ${dz}`);
      assertClose(r.width, (gamma11 * tau * tau * k0) / 4, rel * r.width, `γ at Δz = ${dz}`);
      assertClose(r.weight, 1, 10 * gamma11 * tau * tau + 1e-15, `w at Δz = ${dz}`);
    }
  });
});
