import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { ergotropy, batteryErgotropy, batteryState } from '../../src/battery/ergotropy.js';
import { steadyState } from '../../src/battery/steadyState.js';
import { batterySeries } from '../../src/battery/energy.js';
import { solveMarkov } from '../../src/dynamics/markov.js';
import { solveExact } from '../../src/dynamics/exact.js';
import { assertClose } from '../helpers.js';

describe('ergotropy(ρ, ω0) — Eq. (5)', () => {
  it('is ω0 for |e⟩, 0 for |g⟩ and for the maximally mixed state, ω0·|ρ_eg|·… for |+⟩ (exact values)', () => {
    expect(ergotropy({ pg: 0, pe: 1, coherenceRe: 0, coherenceIm: 0 }, 2)).toBe(2);
    expect(ergotropy({ pg: 1, pe: 0, coherenceRe: 0, coherenceIm: 0 }, 2)).toBe(0);
    expect(ergotropy({ pg: 0.5, pe: 0.5, coherenceRe: 0, coherenceIm: 0 }, 2)).toBe(0);
    // |+⟩ = (|g⟩ + |e⟩)/√2 is pure: passive state |g⟩, W = Tr[ρH] = ω0/2.
    assertClose(ergotropy({ pg: 0.5, pe: 0.5, coherenceRe: 0.5, coherenceIm: 0 }, 2), 1, 1e-15, '|+⟩');
  });
  it('reduces to ω0·max(0, 2|c2|² − 1) for the diagonal battery state (property, 1e-14)', () => {
    fc.assert(fc.property(fc.double({ min: -1, max: 1, noNaN: true }), fc.double({ min: -1, max: 1, noNaN: true }), fc.double({ min: 0.01, max: 10, noNaN: true }), (re, im, w) => {
      const norm = Math.max(1, Math.hypot(re, im));
      const [a, b] = [re / norm, im / norm];
      const p = a * a + b * b;
      assertClose(batteryErgotropy(a, b, w), w * Math.max(0, 2 * p - 1), 1e-14 * w, 'W');
      const s = batteryState(a, b);
      expect(s.pg + s.pe).toBeCloseTo(1, 14);
    }));
  });
  it('is exactly 0 for a diagonal battery with |c2|² ≤ ½ (was 8e-19 for pe = 8e-19) and keeps full relative precision for a nearly empty pure state', () => {
    for (const p of [0, 5e-324, 8.3e-19, 1e-10, 0.25, 0.4999999999999999]) {
      const a = Math.sqrt(p);
      expect(batteryErgotropy(a, 0, 1), `|c2|² = ${p}`).toBe(0);
    }
    // A pure state √(1 − p)|g⟩ + √p|e⟩ is unitarily reachable from |g⟩: W = E = ω0·p exactly. The plain
    // formula (pe − r2 with r2 = (1 − R)/2) lost every digit at p = 1e-12; 1e-14 relative is a few ulps.
    for (const p of [1e-12, 1e-6, 0.3]) {
      const c = Math.sqrt(p * (1 - p));
      assertClose(ergotropy({ pg: 1 - p, pe: p, coherenceRe: c, coherenceIm: 0 }, 2), 2 * p, 1e-14 * 2 * p, `pure, p = ${p}`);
    }
  });
  it('property: 0 ≤ W ≤ E ≤ ω0 for any qubit state', () => {
    fc.assert(fc.property(fc.double({ min: 0, max: 1, noNaN: true }), fc.double({ min: 0, max: 1, noNaN: true }), fc.double({ min: 0, max: 2 * Math.PI, noNaN: true }), (pe, frac, phase) => {
      const cmax = Math.sqrt(pe * (1 - pe));
      const st = { pg: 1 - pe, pe, coherenceRe: frac * cmax * Math.cos(phase), coherenceIm: frac * cmax * Math.sin(phase) };
      const W = ergotropy(st, 1.3);
      expect(W).toBeGreaterThanOrEqual(0);
      expect(W).toBeLessThanOrEqual(1.3 * pe + 1e-15);
    }));
  });
});

describe('steadyState(params) — Eq. (8)', () => {
  it('gives the paper\'s headline numbers: max E(∞) ≈ 0.6ω11 at ω0 = 1.0 and max W(∞) ≈ 0.3ω11 at ω0 = 0.6 (Δz = 0.1)', () => {
    const a = steadyState({ omega0: 1.0, gamma11: 0.5, dz: 0.1 });
    assertClose(a.energyMax, 0.56668, 5e-5, 'E(∞) max at ω0 = 1'); // paper rounds to 0.6
    const b = steadyState({ omega0: 0.6, gamma11: 0.5, dz: 0.1 });
    assertClose(b.ergotropyMax, 0.31749, 5e-5, 'W(∞) max at ω0 = 0.6'); // paper: 0.3
    expect(a.regime).toBe('2');
  });
  it('classifies the paper\'s regimes: 2 below 1.11, 1 up to ≈2.79 (effective), 0 beyond; 2D at Δz = 1.7 for ω0 = 1.4', () => {
    expect(steadyState({ omega0: 1.1, gamma11: 0.5, dz: 0.1 }).regime).toBe('2');
    expect(steadyState({ omega0: 1.2, gamma11: 0.5, dz: 0.1 }).regime).toBe('1');
    expect(steadyState({ omega0: 2.7, gamma11: 0.5, dz: 0.1 }).regime).toBe('1');
    const hi = steadyState({ omega0: 2.9, gamma11: 0.5, dz: 0.1 });
    expect(hi.regime).toBe('0');
    expect(hi.count).toBe(1); // exactly, the bound state is still there
    expect(steadyState({ omega0: 1.4, gamma11: 0.5, dz: 1.6 }).regime).toBe('2');
    expect(steadyState({ omega0: 1.4, gamma11: 0.5, dz: 1.7 }).regime).toBe('2D');
    // With a zero threshold the effective count equals the exact count.
    expect(steadyState({ omega0: 2.9, gamma11: 0.5, dz: 0.1 }, { residueThreshold: 0 }).effectiveCount).toBe(1);
  });
  it('matches the long-time envelope of the exact dynamics: E(t) at t ≈ 2000 lies in [E(∞) min, max] to 1e-4', () => {
    const params = { omega0: 0.5, gamma11: 0.5, dz: 0.1 };
    const st = steadyState(params);
    const sol = solveExact({ params, tMax: 2000, dt: 500, tol: 1e-6 });
    const e = batterySeries(sol).energy;
    for (let i = 1; i < e.length; i++) {
      expect(e[i]).toBeGreaterThan(st.energyMin - 1e-4);
      expect(e[i]).toBeLessThan(st.energyMax + 1e-4);
    }
  });
});

describe('batterySeries(solution)', () => {
  it('conserves the excitation: field excitation = 1 − |c1|² − |c2|² ≥ 0 (Markov, lossy)', () => {
    const s = batterySeries(solveMarkov({ params: { omega0: 2, gamma11: 0.5, dz: 0.2 }, tMax: 30, dt: 1 }));
    for (let i = 0; i < s.t.length; i++) {
      expect(s.fieldExcitation[i]).toBeGreaterThanOrEqual(-1e-15);
      expect(s.ergotropy[i]).toBeLessThanOrEqual(s.energy[i] + 1e-15);
    }
  });
});
