/**
 * What the scene editor's worker computes (app/src/scene/sceneCompute.ts): the bank's curves
 * (shared/scenes.md §3), the bound states shown in the spectrum panel (scenes.md reference table,
 * independent code) and J_jj(ω) (Eq. 2 in closed form).
 */
import { describe, expect, it } from 'vitest';
import { bankCurves, bankCurvesOwn, sceneDensities, sceneSpectrum } from '../../app/src/scene/sceneCompute.js';
import { bankSeries } from '../../src/battery/bank.js';
import { prepareScene } from '../../src/model/scene.js';
import type { SceneSolution } from '../../src/dynamics/scene/types.js';
import { batteryErgotropy } from '../../src/battery/ergotropy.js';
import { sceneBoundStates } from '../../src/spectrum/sceneBoundStates.js';
import type { Scene } from '../../src/model/scene.js';
import { assertClose } from '../helpers.js';

const tm11 = { type: 'waveguide', modes: ['TM11'] };
const scene = (zs: number[], omega0 = 1, gamma = 0.5): Scene => ({
  reservoir: tm11,
  emitters: zs.map((z, j) => ({ z, omega0, gamma, role: j === 0 ? 'charger' : 'battery' })),
});

describe('bankCurvesOwn(c, ω, batteries): scenes.md §3', () => {
  it('two identical batteries with |c|² = 0.4 each: W_bank = 0.6ω, no local ergotropy, E = 0.8ω', () => {
    const a = Math.sqrt(0.4);
    const c = [Float64Array.from([0, 0]), Float64Array.from([a, 0]), Float64Array.from([0, a])];
    const b = bankCurvesOwn(c, [1, 2, 2], [1, 2]);
    // Exact up to rounding of a² (a few ulps of 2).
    assertClose(b.energy[0], 1.6, 1e-15, 'E_B');
    assertClose(b.ergotropy[0], 1.2, 1e-15, 'W_bank = E − min(p, 1 − p)ω_min = 1.6 − 0.2·2');
    expect(b.localErgotropy[0]).toBe(0);
  });

  it('one battery: W_bank = ω·max(0, 2|c|² − 1), the core\'s batteryErgotropy (Eq. 5), at every time', () => {
    const n = 50;
    const c2 = new Float64Array(2 * n);
    for (let i = 0; i < n; i++) { c2[2 * i] = Math.cos(i / 7) * 0.99; c2[2 * i + 1] = Math.sin(i / 5) * 0.1; }
    const b = bankCurvesOwn([new Float64Array(2 * n), c2], [1, 1.3], [1]);
    for (let i = 0; i < n; i++) {
      // Two formulas for the same number: E − min(p, 1 − p)ω vs ω·max(0, 2p − 1); rounding of O(1) terms.
      assertClose(b.ergotropy[i], batteryErgotropy(c2[2 * i], c2[2 * i + 1], 1.3), 4e-16, `W at ${i}`);
      assertClose(b.localErgotropy[i], batteryErgotropy(c2[2 * i], c2[2 * i + 1], 1.3), 4e-16, `local W at ${i}`);
    }
  });
});

describe('bankCurves(sol, prepared, core): src/battery/bank.ts when given, else the explorer\'s formula', () => {
  it('bank.ts\'s bankSeries and bankCurvesOwn (two independent codes of scenes.md §3) agree on a 4-emitter bank, 3 batteries', () => {
    const sc: Scene = {
      reservoir: tm11,
      emitters: [
        { z: 0, omega0: 1, gamma: 0.5, role: 'charger' },
        { z: 0.1, omega0: 0.9, gamma: 0.5, role: 'battery' },
        { z: 0.2, omega0: 1.1, gamma: 0.4, role: 'battery' },
        { z: 0.3, omega0: 1.3, gamma: 0.3, role: 'battery' },
      ],
    };
    const prepared = prepareScene(sc);
    // Amplitudes that sweep p = Σ_B |c_b|² through ½ (where min(p, 1 − p) switches), with Σ|c_j|² ≤ 1.
    const n = 200;
    const c = Array.from({ length: 4 }, () => new Float64Array(2 * n));
    for (let i = 0; i < n; i++) {
      const s = i / (n - 1);
      c[0][2 * i] = Math.sqrt(1 - s) * 0.99;
      c[1][2 * i] = Math.sqrt(0.5 * s) * Math.cos(3 * s); c[1][2 * i + 1] = Math.sqrt(0.5 * s) * Math.sin(3 * s);
      c[2][2 * i] = Math.sqrt(0.3 * s);
      c[3][2 * i + 1] = -Math.sqrt(0.19 * s);
    }
    const sol = { method: 'exact', scene: prepared.scene, t: Float64Array.from({ length: n }, (_, i) => i * 0.1), c, status: 'success', message: '', errorEstimate: 0, stats: {}, path: 'general' } as SceneSolution;
    const theirs = bankCurves(sol, prepared, { bankSeries: (x) => bankSeries(x) });
    expect(theirs.source).toBe('src/battery/bank.ts');
    const mine = bankCurvesOwn(c, prepared.omega, prepared.batteries);
    // The two write W_bank differently (E − min(p, 1 − p)ω_min vs Σ(ω_b − ω_min)|c_b|² + ω_min·max(0, 2p − 1)): rounding of O(1) terms.
    for (let i = 0; i < n; i++) {
      assertClose(theirs.energy[i], mine.energy[i], 1e-15, `E at ${i}`);
      assertClose(theirs.ergotropy[i], mine.ergotropy[i], 1e-15, `W at ${i}`);
      assertClose(theirs.localErgotropy[i], mine.localErgotropy[i], 1e-15, `Σ local W at ${i}`);
      // scenes.md §3: the collective ergotropy is never below the sum of the local ones.
      expect(mine.ergotropy[i]).toBeGreaterThanOrEqual(mine.localErgotropy[i] - 1e-15);
    }
    expect(theirs.maxPower).not.toBeNull();
  });
});

describe('sceneSpectrum(scene, core): the spectrum panel', () => {
  it('without the N-emitter module, a ± symmetric pair uses the two-emitter roots: scenes.md table (0, 0.1)', () => {
    const s = sceneSpectrum(scene([0, 0.1]), {});
    expect(s.source).toMatch(/two-emitter/);
    const b = s.boundStates!;
    expect(b.length).toBe(2);
    // Reference: energies ~1e-12, amplitudes ~1e-10 (independent code).
    assertClose(b[0].energy, 0.620272288437, 2e-12, 'E1');
    assertClose(b[1].energy, 0.908066164810, 2e-12, 'E2');
    assertClose(b[0].amplitudes[0], 0.5460489275, 2e-10, 'α1 of E1');
    assertClose(b[0].amplitudes[1], 0.5460489275, 2e-10, 'α2 of E1');
    assertClose(b[1].amplitudes[0], 0.6742537459, 2e-10, 'α1 of E2');
    assertClose(b[1].amplitudes[1], -0.6742537459, 2e-10, 'α2 of E2');
    // A non-symmetric scene without the module: none, and the note says why.
    const none = sceneSpectrum(scene([0, 0.15, 0.4]), {});
    expect(none.boundStates).toBeNull();
    expect(none.note).toMatch(/not available yet/);
  });

  it('with src/spectrum/sceneBoundStates.ts: three emitters at 0, 0.15, 0.4 give the scenes.md table', () => {
    const s = sceneSpectrum(scene([0, 0.15, 0.4]), { sceneBoundStates: (p) => sceneBoundStates(p) });
    expect(s.source).toBe('src/spectrum/sceneBoundStates.ts');
    const ref: Array<[number, number[]]> = [
      [0.612957940285, [0.4502019320, 0.4968618202, 0.3416990761]],
      [0.765039018461, [0.4508956040, 0.1152987695, -0.7101962044]],
      [0.883954303545, [0.5652076277, -0.7237845338, 0.2561621622]],
    ];
    expect(s.boundStates!.length).toBe(3);
    ref.forEach(([e, alpha], k) => {
      const b = s.boundStates![k];
      assertClose(b.energy, e, 2e-12, `E${k + 1}`);
      // Defined up to a sign per state: align on the largest reference component.
      const big = alpha.reduce((m, v, j) => (Math.abs(v) > Math.abs(alpha[m]) ? j : m), 0);
      const sign = Math.sign(b.amplitudes[big]) * Math.sign(alpha[big]);
      alpha.forEach((a, j) => assertClose(sign * b.amplitudes[j], a, 2e-10, `α${j + 1} of E${k + 1}`));
    });
  });
});

describe('sceneDensities(scene, …)', () => {
  it('J_jj(ω) = (Γ_j/2π)/√(ω² − 1) above the TM11 edge and 0 below; the edge ω = 1 is listed', () => {
    const d = sceneDensities({ reservoir: tm11, emitters: [{ z: 0, omega0: 1, gamma: 0.5, role: 'charger' }, { z: 0.2, omega0: 1.2, gamma: 0.8, role: 'battery' }] }, 0, 4, 300);
    expect(d.edges).toEqual([1]);
    expect(d.density.length).toBe(2);
    let near = 0;
    for (let i = 0; i < d.omega.length; i++) {
      const w = d.omega[i];
      if (i > 0) expect(w).toBeGreaterThan(d.omega[i - 1]);
      if (w > 1 && w < 1.01) near++;
      [0.5, 0.8].forEach((g, j) => {
        const ref = w > 1 ? g / (2 * Math.PI) / Math.sqrt((w - 1) * (w + 1)) : 0;
        assertClose(d.density[j][i], ref, 1e-13 * Math.max(1, ref), `J${j + 1}${j + 1}(${w})`);
      });
    }
    // The grid crowds towards the edge, where J ~ (ω − 1)^−1/2.
    expect(near).toBeGreaterThan(10);
  });
});
