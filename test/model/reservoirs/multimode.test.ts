/**
 * The multimode rectangular guide (src/model/reservoirs/multimode.ts, shared/scenes.md §4): cutoffs,
 * mode lists, transverse signs, the spectral density and kernels against scenes.md's formulas written
 * out independently here (stdlib Bessel functions), the single-mode limit against tm11.ts, and the
 * validation messages. The conformance test checks kernels, densities, self-energies and level shifts
 * of the registered examples against each other by quadrature.
 */
import { describe, expect, it } from 'vitest';
import besselj0 from '@stdlib/math-base-special-besselj0';
import bessely0 from '@stdlib/math-base-special-bessely0';
import { cutoffRatio, modeAmplitude, modesBelow, multimodeReservoir, sinPi } from '../../../src/model/reservoirs/multimode.js';
import { reservoirFromSpec, TM11_GUIDE } from '../../../src/model/reservoirs/all.js';
import { densityMatrix, kernelMatrix, selfEnergyMatrix, levelShiftMatrix, type Coupling } from '../../../src/model/reservoirs/reservoir.js';
import { tm11Coupling } from '../../../src/model/reservoirs/tm11.js';
import { besselK0 } from '../../../src/numerics/bessel.js';
import { prepareScene } from '../../../src/model/scene.js';
import { ParameterError } from '../../../src/errors.js';
import { laplaceOfKernel } from './conformanceTools.js';

const couple = (spec: Record<string, unknown>, emitters: Array<Record<string, number>>): Coupling =>
  multimodeReservoir({ type: 'waveguide', ...spec }).couple(emitters);

describe('cutoffs and mode lists', () => {
  it('square guide: TM13 = TM31 = √5, TM33 = 3; b/a = ½: TM31 at √(13/5); TM11 = 1 at any aspect', () => {
    // exact up to the rounding of one sqrt of a ratio: 1 ulp-scale tolerance 4e-16 relative
    expect(Math.abs(cutoffRatio(1, 3, 1) - Math.sqrt(5))).toBeLessThan(4e-16 * Math.sqrt(5));
    expect(cutoffRatio(3, 1, 1)).toBe(cutoffRatio(1, 3, 1));
    expect(Math.abs(cutoffRatio(3, 3, 1) - 3)).toBeLessThan(4e-16 * 3);
    expect(Math.abs(cutoffRatio(3, 1, 0.5) - Math.sqrt(13 / 5))).toBeLessThan(4e-16 * 2);
    for (const r of [0.013, 0.7, 1, 2.5, 999]) expect(cutoffRatio(1, 1, r)).toBe(1);
  });
  it('{"maxCutoff": 4} in a square guide: the 19 modes with m² + n² < 32, sorted by cutoff', () => {
    const modes = modesBelow(4, 1);
    const brute: string[] = [];
    for (let m = 1; m < 10; m++) for (let n = 1; n < 10; n++) if (m * m + n * n < 32) brute.push(`TM${m}${n}`);
    expect(modes.map((m) => m.name).sort()).toEqual(brute.sort());
    expect(modes.length).toBe(19);
    for (let i = 1; i < modes.length; i++) expect(modes[i].cutoff).toBeGreaterThanOrEqual(modes[i - 1].cutoff);
  });
  it('sinPi has exact zeros at integers and ±1 at half-integers', () => {
    expect(sinPi(2)).toBe(0);
    expect(sinPi(-3)).toBe(0);
    expect(sinPi(1.5)).toBe(-1);
    expect(sinPi(0.5)).toBe(1);
    expect(Math.abs(sinPi(0.3) - Math.sin(0.3 * Math.PI))).toBeLessThan(2e-16);
    expect(Math.abs(sinPi(7.3) - Math.sin(7.3 * Math.PI))).toBeLessThan(1e-14); // Math.sin's own rounding of 7.3π
  });
});

describe('centred emitters in a square guide (scenes.md §4)', () => {
  const gamma = 0.5;
  const k = couple({ modes: ['TM11', 'TM13', 'TM31', 'TM22', 'TM33'] }, [{ z: 0, gamma }, { z: 0.1, gamma }]);
  it('TM13 and TM31 couple with s = −1 (one merged component at √5), TM22 does not couple (s = 0)', () => {
    expect(modeAmplitude(1, 3, 0.5, 0.5)).toBe(-1);
    expect(modeAmplitude(3, 1, 0.5, 0.5)).toBe(-1);
    expect(modeAmplitude(2, 2, 0.5, 0.5)).toBe(0);
    const labels = k.components.map((c) => c.label);
    expect(labels.some((l) => l.includes('TM22'))).toBe(false);
    expect(k.edges).toEqual([1, cutoffRatio(1, 3, 1), cutoffRatio(3, 3, 1)]);
    const self13 = k.components.findIndex((c) => c.label === 'TM13+TM31 self');
    const cross13 = k.components.findIndex((c) => c.label.startsWith('TM13+TM31 τ='));
    // W = Γ ω_mn Σ s² = 0.5·√5·2 on the diagonal, and Γ·√5·((−1)(−1) + (−1)(−1)) off it (τ = 2π·0.1)
    expect(k.weights[self13][0]).toBeCloseTo(gamma * Math.sqrt(5) * 2, 15);
    expect(k.weights[cross13][1]).toBeCloseTo(gamma * Math.sqrt(5) * 2, 15);
    expect(k.weights[self13][1]).toBe(0);
  });
  it('only TM22 listed: refused, no mode couples', () => {
    expect(() => couple({ modes: ['TM22'] }, [{ z: 0, gamma }])).toThrow(/none of the listed modes couples/);
  });
});

describe('spectral density and kernels against scenes.md §4 written out', () => {
  // Emitter A off-centre at x = 0.45 (s31 < 0 while s11 > 0, scenes.md), B at x = 0.2, y = 0.6, b/a = 2
  // so that TM13 and TM31 are not degenerate.
  const aspect = 2;
  const em = [{ z: 0, x: 0.45, y: 0.5, gamma: 0.3 }, { z: 0.13, x: 0.2, y: 0.6, gamma: 0.7 }];
  const names: Array<[number, number]> = [[1, 1], [3, 1], [1, 3], [2, 1]];
  const k = couple({ modes: names.map(([m, n]) => `TM${m}${n}`), aspect }, em);
  const s = (m: number, n: number, e: { x: number; y: number }): number => Math.sin(m * Math.PI * e.x) * Math.sin(n * Math.PI * e.y);

  it('the sign of s_31 is kept: at x = 0.45 s31 < 0 < s11, and the TM31 cross weight is negative', () => {
    expect(s(3, 1, em[0])).toBeLessThan(0);
    expect(s(1, 1, em[0])).toBeGreaterThan(0);
    const c31 = k.components.findIndex((c) => c.label.startsWith('TM31 τ='));
    expect(k.weights[c31][1]).toBeLessThan(0);
  });

  it('J_jl(ω) = Σ_mn √(Γ_jΓ_l) ω_mn s_mn(j) s_mn(l) cos(k_mn τ_jl)/(2π√((ω/ω_mn)² − 1))', () => {
    const tau = 2 * Math.PI * 0.13;
    const ref = (j: number, l: number, w: number): number => {
      let sum = 0;
      for (const [m, n] of names) {
        const wc = Math.sqrt((m * m + (n * n) / (aspect * aspect)) / (1 + 1 / (aspect * aspect)));
        if (w <= wc) continue;
        const kk = Math.sqrt(w * w - wc * wc);
        const t = j === l ? 0 : tau;
        sum += (Math.sqrt(em[j].gamma * em[l].gamma) * wc * s(m, n, em[j]) * s(m, n, em[l]) * Math.cos(kk * t)) / (2 * Math.PI * Math.sqrt((w / wc) ** 2 - 1));
      }
      return sum;
    };
    // Same formula evaluated in a different order: rounding only, measured ≤ 2.8e-16; tolerance 2e-15.
    for (const w of [1.1, 1.5, 1.7, 2.2, 3.9]) {
      const J = densityMatrix(k, w);
      for (let j = 0; j < 2; j++) for (let l = 0; l < 2; l++) expect(Math.abs(J[j * 2 + l] - ref(j, l, w))).toBeLessThan(2e-15);
    }
  });

  it('F_jl(t): (Γ_mn ω_mn/4)[−Y0(ω_mn s) − iJ0(ω_mn s)] outside, (Γ_mn ω_mn/2π)K0(ω_mn√(τ² − t²)) inside the light cone', () => {
    const tau = 2 * Math.PI * 0.13;
    const ref = (j: number, l: number, t: number): [number, number] => {
      let re = 0;
      let im = 0;
      for (const [m, n] of names) {
        const wc = Math.sqrt((m * m + (n * n) / (aspect * aspect)) / (1 + 1 / (aspect * aspect)));
        const g = Math.sqrt(em[j].gamma * em[l].gamma) * wc * s(m, n, em[j]) * s(m, n, em[l]);
        const tt = j === l ? 0 : tau;
        if (t > tt) {
          const arg = wc * Math.sqrt(t * t - tt * tt);
          re += (g * wc / 4) * -bessely0(arg);
          im += (g * wc / 4) * -besselj0(arg);
        } else {
          re += (g * wc / (2 * Math.PI)) * besselK0(wc * Math.sqrt(tt * tt - t * t));
        }
      }
      return [re, im];
    };
    // Same closed forms through tm11.ts's fast J0/Y0 pair (≤ 6e-16·√(2/πx) from stdlib) and the
    // scaling: measured ≤ 6.7e-16; tolerance 5e-15.
    for (const t of [0.3, 0.6, 0.9, 2.5, 31.7]) {
      const F = kernelMatrix(k, t);
      for (let j = 0; j < 2; j++) {
        for (let l = 0; l < 2; l++) {
          const [re, im] = ref(j, l, t);
          expect(Math.abs(F[2 * (j * 2 + l)] - re), `Re F${j}${l}(${t})`).toBeLessThan(5e-15);
          expect(Math.abs(F[2 * (j * 2 + l) + 1] - im), `Im F${j}${l}(${t})`).toBeLessThan(5e-15);
        }
      }
    }
  });
});

describe('scenes.md §4 check: Laplace transform of the TM13 kernels = iσ at E = 0.7', () => {
  it('self and cross term (z = 0, 0.1) of a centred square guide', () => {
    // scenes.md quotes 1e-5 (its check's damping); conformanceTools' smooth window reaches rounding
    // here (measured 4.0e-15); tolerance 4e-14.
    const k = couple({ modes: ['TM13'] }, [{ z: 0, gamma: 1 }, { z: 0.1, gamma: 1 }]);
    expect(k.components.map((c) => c.label)).toEqual(['TM13 self', `TM13 τ=${2 * Math.PI * 0.1}`]);
    for (const c of k.components) {
      const L = laplaceOfKernel(c, 0.7);
      expect(Math.hypot(L.re, L.im - c.selfEnergy(0.7)), c.label).toBeLessThan(4e-14);
    }
  });
});

describe('the closed modes\' static shift (the bare-frequency caveat of multimode.ts)', () => {
  it('each closed mode far below its cutoff shifts the level by ≈ −Γ_mn/4, and the sum grows without bound', () => {
    // σ_self,mn(E) = σ11(x) = −A(x)/2π with x = E/ω_mn and A(x) = arccos(−x)/√(1 − x²)
    // = π/2 + x + (π/4)x² + (2/3)x³ + …, so σ = −1/4 − x/(2π) − x²/8 − x³/(3π) + O(x⁴).
    const E = 0.5;
    const shifts: number[] = [];
    for (const maxCutoff of [4, 8]) {
      const k = couple({ modes: { maxCutoff } }, [{ z: 0, gamma: 1 }]);
      let shift = 0;
      let rule = 0;
      k.components.forEach((c, i) => {
        if (c.bands[0][0] === 1) return; // TM11, the single-mode model's own shift, is not a "closed extra mode"
        const w = c.bands[0][0];
        shift += k.weights[i][0] * c.selfEnergy(E);
        // Γ_mn = W (Γ = 1): −Γ_mn/4 − Γ_mn x/(2π) − Γ_mn x²/8, the first terms of the expansion
        const x = E / w;
        rule += k.weights[i][0] * (-0.25 - x / (2 * Math.PI) - (x * x) / 8);
        // the remainder −x³/(3π) + O(x⁴), x ≤ 0.5/1.58: below 0.2x³
        expect(Math.abs(c.selfEnergy(E) - (-0.25 - x / (2 * Math.PI) - (x * x) / 8))).toBeLessThan(0.2 * x ** 3);
      });
      expect(Math.abs(shift - rule)).toBeLessThan(0.02 * Math.abs(shift));
      shifts.push(shift);
    }
    // Γ_mn = Γ ω_mn s², and Σ ω_mn over the odd-odd modes (s² = 1 at the centre) below c grows like c³:
    // from maxCutoff 4 to 8 the shift (−4.14 → −33.1 at Γ = 1) grows 8.0× as c³ predicts; asserted in
    // [7, 9] (the mode count's lattice fluctuations are ~10% at these c).
    expect(shifts[0]).toBeLessThan(0);
    expect(shifts[1] / shifts[0]).toBeGreaterThan(7);
    expect(shifts[1] / shifts[0]).toBeLessThan(9);
  });
});

describe('single-mode limit', () => {
  it('{"modes": ["TM11"], "aspect": 1} with centred emitters equals the TM11 guide (σ, Δ, J, F)', () => {
    const em = [{ z: 0, gamma: 0.5 }, { z: 0.15, gamma: 0.3 }, { z: 0.4, gamma: 0.5 }];
    const a = couple({ modes: ['TM11'], aspect: 1 }, em);
    const b = tm11Coupling(em.map((e) => e.z), em.map((e) => e.gamma));
    const same = (x: Float64Array, y: Float64Array): void => x.forEach((v, i) => expect(v).toBe(y[i]));
    same(selfEnergyMatrix(a, 0.6), selfEnergyMatrix(b, 0.6));
    same(levelShiftMatrix(a, 1.4), levelShiftMatrix(b, 1.4));
    same(densityMatrix(a, 1.4), densityMatrix(b, 1.4));
    same(kernelMatrix(a, 2.2), kernelMatrix(b, 2.2));
  });
  it('the registry returns TM11_GUIDE (the ± fast path) only for the plain single-mode spec', () => {
    expect(reservoirFromSpec({ type: 'waveguide' })).toBe(TM11_GUIDE);
    expect(reservoirFromSpec({ type: 'waveguide', modes: ['TM11'] })).toBe(TM11_GUIDE);
    const r = reservoirFromSpec({ type: 'waveguide', modes: ['TM11'], aspect: 1 });
    expect(r).not.toBe(TM11_GUIDE);
    expect(r.emitterFields).toEqual(['z', 'gamma', 'x', 'y']);
    expect(reservoirFromSpec({ type: 'waveguide', modes: { maxCutoff: 3.1 } }).description).toBe('square guide, TM11+TM12+TM21+TM22+TM13+TM31+TM23+TM32+TM14+TM41+TM33');
  });
});

describe('validation', () => {
  const emitters = [{ z: 0, gamma: 0.5, omega0: 1, role: 'charger' }, { z: 0.1, gamma: 0.5, omega0: 1, role: 'battery' }];
  const fails = (reservoir: Record<string, unknown>, ems: unknown[], path: string, value: unknown, allowed: RegExp): void => {
    try {
      prepareScene({ reservoir: { type: 'waveguide', ...reservoir }, emitters: ems });
    } catch (e) {
      expect(e).toBeInstanceOf(ParameterError);
      const p = e as ParameterError;
      expect(p.path).toBe(path);
      expect(p.value).toEqual(value);
      expect(p.allowed).toMatch(allowed);
      return;
    }
    throw new Error(`no error for ${path}`);
  };
  it('mode names: unknown, TE, m or n = 0, repeated, empty, not a list', () => {
    fails({ modes: ['TM11', 'TMxy'] }, emitters, 'scene.reservoir.modes[1]', 'TMxy', /TM mode name/);
    fails({ modes: ['TE10'] }, emitters, 'scene.reservoir.modes[0]', 'TE10', /does not couple to TE modes/);
    fails({ modes: ['TM11', 'TM01'] }, emitters, 'scene.reservoir.modes[1]', 'TM01', /m ≥ 1 and n ≥ 1/);
    fails({ modes: ['TM10'] }, emitters, 'scene.reservoir.modes[0]', 'TM10', /m ≥ 1 and n ≥ 1/);
    fails({ modes: ['TM11', 'TM13', 'TM1,3'] }, emitters, 'scene.reservoir.modes[2]', 'TM1,3', /twice/);
    fails({ modes: [] }, emitters, 'scene.reservoir.modes', [], /1 to 100/);
    fails({ modes: 'TM11' }, emitters, 'scene.reservoir.modes', 'TM11', /array of TM mode names/);
  });
  it('maxCutoff and aspect ranges, unknown keys', () => {
    fails({ modes: { maxCutoff: 1 } }, emitters, 'scene.reservoir.modes.maxCutoff', 1, /\(1, 20\]/);
    fails({ modes: { maxCutoff: 20 }, aspect: 50 }, emitters, 'scene.reservoir.modes.maxCutoff', 20, /more than 100 TM modes/);
    fails({ modes: { maxCutoff: 3, extra: 1 } }, emitters, 'scene.reservoir.modes.extra', 1, /allowed: maxCutoff/);
    fails({ modes: ['TM11', 'TM13'], aspect: 0 }, emitters, 'scene.reservoir.aspect', 0, /b\/a/);
    fails({ modes: ['TM11', 'TM13'], aspect: -2 }, emitters, 'scene.reservoir.aspect', -2, /\[0.001, 1000\]/);
    fails({ modes: ['TM11'], renormalise: true }, emitters, 'scene.reservoir.renormalise', true, /allowed: type, modes, aspect/);
  });
  it('x, y outside (0, 1); x on the single-mode guide', () => {
    const multi = { modes: ['TM11', 'TM13'] };
    fails(multi, [{ ...emitters[0], x: 0 }, emitters[1]], 'scene.emitters[0].x', 0, /\(0, 1\)/);
    fails(multi, [emitters[0], { ...emitters[1], y: 1 }], 'scene.emitters[1].y', 1, /\(0, 1\)/);
    fails(multi, [emitters[0], { ...emitters[1], y: -0.2 }], 'scene.emitters[1].y', -0.2, /fraction of the guide side/);
    fails({ modes: ['TM11'] }, [{ ...emitters[0], x: 0.4 }, emitters[1]], 'scene.emitters[0].x', 0.4, /allowed: omega0, loss, role, z, gamma/);
  });
});
