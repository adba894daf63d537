import { describe, it, expect } from 'vitest';
import { ParameterError } from '../../src/errors.js';
import { pairSymmetry, prepareScene, sceneFromParams, type Scene } from '../../src/model/scene.js';
import {
  densityMatrix, kernelMatrix, levelShiftMatrix, selfEnergyDerivativeMatrix, selfEnergyMatrix,
} from '../../src/model/reservoirs/reservoir.js';
import { retardationGroups } from '../../src/model/reservoirs/tm11.js';
import { selfEnergy, selfEnergyDerivative, levelShift } from '../../src/model/selfEnergy.js';
import { spectralDensity } from '../../src/model/spectralDensity.js';
import { memoryKernel } from '../../src/model/memoryKernel.js';
import { solveScene } from '../../src/dynamics/scene/solve.js';
import { solveExact } from '../../src/dynamics/exact.js';
import { solveVolterra } from '../../src/dynamics/volterra.js';
import { solveMarkov } from '../../src/dynamics/markov.js';
import type { Method, Solution } from '../../src/dynamics/types.js';

/**
 * The scene foundation (issue 13 item 1): the TM11 guide written as components reproduces the
 * two-emitter closed forms (J0/J1, f0/f1, Σ±, Σ±', Δ±), scene validation names fields by path, and a
 * two-emitter scene takes the ± fast path, bit for bit equal to the paper's solvers.
 */

const P = { omega0: 1.2, gamma11: 0.5, dz: 0.3 };
const tau = 2 * Math.PI * P.dz;

function scene3(): Scene {
  return {
    reservoir: { type: 'waveguide', modes: ['TM11'] },
    emitters: [
      { z: 0, omega0: 1.0, gamma: 0.5, role: 'charger' },
      { z: 0.1, omega0: 1.0, gamma: 0.5, role: 'battery' },
      { z: 0.35, omega0: 1.1, gamma: 0.4, loss: 0.001, role: 'battery' },
    ],
    initial: [[1, 0], [0, 0], [0, 0]],
  };
}

describe('TM11 components reproduce the two-emitter closed forms', () => {
  const { coupling } = prepareScene(sceneFromParams(P));
  // Both sides evaluate the same closed forms; the component split (Σ1 = (Σ+ − Σ−)/2 etc.) adds a few
  // roundings, so agreement to a few ulps of the larger term is expected: 4e-16 relative → 2e-15 allowed.
  const REL = 2e-15;
  it('J_jl(ω) = Γ11·J0, Γ11·J1 (Eq. 2)', () => {
    for (const w of [1.0000001, 1.3, 2.5, 40]) {
      const J = densityMatrix(coupling, w);
      expect(Math.abs(J[0] - spectralDensity(0, w, P.gamma11, tau))).toBeLessThanOrEqual(REL * J[0]);
      expect(Math.abs(J[1] - spectralDensity(1, w, P.gamma11, tau))).toBeLessThanOrEqual(REL * Math.abs(J[0]));
      expect(J[1]).toBe(J[2]);
    }
    expect(densityMatrix(coupling, 0.99)[0]).toBe(0);
  });
  it('F_jl(t) = f0, f1 (Eq. 3)', () => {
    for (const t of [0.3, 1.2, tau + 0.5, 30]) {
      const F = kernelMatrix(coupling, t);
      const f0 = memoryKernel(0, t, P.gamma11, tau);
      const f1 = memoryKernel(1, t, P.gamma11, tau);
      expect(Math.abs(F[0] - f0.re) + Math.abs(F[1] - f0.im)).toBeLessThanOrEqual(REL * Math.hypot(f0.re, f0.im));
      expect(Math.abs(F[2] - f1.re) + Math.abs(F[3] - f1.im)).toBeLessThanOrEqual(REL * Math.hypot(f1.re, f1.im) + 1e-17);
    }
  });
  it('Σ = −Σ_paper below the edge: Σ0 ± Σ1 = −Σ±, and the derivatives', () => {
    for (const E of [-3, 0.2, 0.9, 0.999999]) {
      const S = selfEnergyMatrix(coupling, E);
      const D = selfEnergyDerivativeMatrix(coupling, E);
      for (const [sign, ch] of [[1, '+'], [-1, '-']] as const) {
        const ref = -selfEnergy(ch, E, P.gamma11, tau);
        expect(Math.abs(S[0] + sign * S[1] - ref)).toBeLessThanOrEqual(4 * REL * Math.abs(S[0]));
        const dref = selfEnergyDerivative(ch, E, P.gamma11, tau);
        expect(Math.abs(D[0] + sign * D[1] - dref)).toBeLessThanOrEqual(4 * REL * Math.abs(D[0]));
      }
    }
  });
  it('Δ0 ± Δ1 = Δ± above the edge', () => {
    for (const w of [1.01, 1.7, 3.2, 25]) {
      const D = levelShiftMatrix(coupling, w);
      for (const [sign, ch] of [[1, '+'], [-1, '-']] as const) {
        expect(Math.abs(D[0] + sign * D[1] - levelShift(ch, w, P.gamma11, tau))).toBeLessThanOrEqual(4 * REL * Math.abs(D[0]));
      }
    }
  });
});

describe('one kernel per distinct distance', () => {
  it('a chain 0.3 λ11 apart has N − 1 cross components (rounding noise in z_j − z_l merged)', () => {
    const z = Array.from({ length: 8 }, (_, j) => 0.3 * j);
    const { taus, group } = retardationGroups(z);
    expect(taus.length).toBe(7);
    for (let j = 0; j < 8; j++) for (let l = 0; l < 8; l++) if (j !== l) expect(group[j * 8 + l]).toBe(Math.abs(j - l) - 1);
  });
  it('co-located emitters share the self kernel', () => {
    const p = prepareScene({ reservoir: { type: 'waveguide' }, emitters: [{ z: 0.2, omega0: 1, gamma: 0.5, role: 'charger' }, { z: 0.2, omega0: 1, gamma: 0.3, role: 'battery' }] });
    expect(p.coupling.components.length).toBe(1);
    expect(p.coupling.weights[0][1]).toBe(Math.sqrt(0.15));
  });
});

describe('prepareScene validates every field by path', () => {
  const bad: Array<[string, (s: Scene) => void, RegExp]> = [
    ['scene.emitters[2].loss', (s) => { s.emitters[2].loss = -1; }, /\[0, 5\]/],
    ['scene.emitters[1].omega0', (s) => { s.emitters[1].omega0 = Number.NaN; }, /finite/],
    ['scene.emitters[0].role', (s) => { (s.emitters[0] as { role: string }).role = 'load'; }, /charger.*battery/],
    ['scene.emitters[1].z', (s) => { delete s.emitters[1].z; }, /finite/],
    ['scene.emitters[0].colour', (s) => { (s.emitters[0] as unknown as Record<string, unknown>).colour = 'red'; }, /not a known field/],
    ['scene.extra', (s) => { (s as unknown as Record<string, unknown>).extra = 1; }, /not a known field/],
    ['scene.reservoir.type', (s) => { s.reservoir.type = 'fibre'; }, /must be one of/],
    ['scene.initial', (s) => { s.initial = [[1, 0], [0, 0]]; }, /3 pairs/],
    ['scene.initial', (s) => { s.initial = [[0.9, 0], [0, 0], [0, 0]]; }, /normalised/],
    ['scene.initial', (s) => { s.initial = [[0, 0], [0, 0], [0, 0]]; }, /at least one/],
    ['scene.initial[1][0]', (s) => { s.initial = [[1, 0], ['0' as unknown as number, 0], [0, 0]]; }, /finite/],
    ['scene.emitters', (s) => { for (const e of s.emitters) e.role = 'charger'; }, /battery/],
    ['scene.emitters[2].z', (s) => { s.emitters[0].z = -5; s.emitters[2].z = 16; }, /within 20/],
  ];
  for (const [path, spoil, allowed] of bad) {
    it(`${path}: ${allowed}`, () => {
      const s = scene3();
      spoil(s);
      let err: unknown;
      try { prepareScene(s); } catch (e) { err = e; }
      expect(err).toBeInstanceOf(ParameterError);
      expect((err as ParameterError).path).toBe(path);
      expect((err as Error).message).toMatch(allowed);
    });
  }
  it('defaults: loss 0, initial = first charger excited', () => {
    const s = scene3();
    delete s.initial;
    s.emitters[0].role = 'battery';
    s.emitters[1].role = 'charger';
    const p = prepareScene(s);
    expect([...p.initial]).toEqual([0, 0, 1, 0, 0, 0]);
    expect([...p.loss]).toEqual([0, 0, 0.001]);
    expect(p.batteries).toEqual([0, 2]);
  });
});

describe('the ± fast path (pairSymmetry)', () => {
  const grid = { tMax: 30, dt: 0.25, tol: 1e-8 };
  const solvers: Record<Method, (p: { params: typeof P; tMax: number; dt: number; tol: number }) => Solution> = {
    exact: (p) => solveExact(p), volterra: (p) => solveVolterra(p), markov: (p) => solveMarkov(p),
  };
  for (const method of ['exact', 'volterra', 'markov'] as const) {
    it(`${method}: the paper's scene equals the two-emitter solver bit for bit`, () => {
      const a = solveScene({ scene: sceneFromParams(P), ...grid }, method);
      const b = solvers[method]({ params: P, ...grid });
      expect(a.path).toBe('pair');
      expect(a.c[0]).toEqual(b.c1);
      expect(a.c[1]).toEqual(b.c2);
      expect(a.status).toBe(b.status);
    });
  }
  it('other initial states by linearity and swap', () => {
    const u = solveExact({ params: P, ...grid });
    const s = sceneFromParams(P);
    s.initial = [[0.6, 0], [0, 0.8]];
    const v = solveScene({ scene: s, ...grid }, 'exact');
    expect(v.path).toBe('pair');
    for (let i = 0; i < u.t.length; i += 7) {
      // c1 = 0.6·u1 + 0.8i·u2, c2 = 0.6·u2 + 0.8i·u1: the same arithmetic up to a few roundings.
      expect(v.c[0][2 * i]).toBeCloseTo(0.6 * u.c1[2 * i] - 0.8 * u.c2[2 * i + 1], 14);
      expect(v.c[1][2 * i + 1]).toBeCloseTo(0.6 * u.c2[2 * i + 1] + 0.8 * u.c1[2 * i], 14);
    }
  });
  it('equal loss: the factor e^{−γt/2} for markov (pair path) but not with memory (general path)', () => {
    const s = sceneFromParams(P);
    for (const e of s.emitters) e.loss = 0.02;
    const m = solveScene({ scene: s, ...grid }, 'markov');
    const u = solveMarkov({ params: P, ...grid });
    expect(m.path).toBe('pair');
    for (let i = 0; i < u.t.length; i += 7) expect(m.c[1][2 * i]).toBeCloseTo(Math.exp(-0.01 * u.t[i]) * u.c2[2 * i], 14);
    expect(solveScene({ scene: s, tMax: 1, dt: 0.5 }, 'volterra').path).toBe('general');
  });
  it('a refusal of the two-emitter solver names the scene field (Markov at the band edge)', () => {
    let err: unknown;
    try { solveScene({ scene: sceneFromParams({ ...P, omega0: 1 }), tMax: 1, dt: 0.5 }, 'markov'); } catch (e) { err = e; }
    expect(err).toBeInstanceOf(ParameterError);
    expect((err as ParameterError).path).toBe('problem.scene.emitters[0].omega0');
  });
  it('exact: c(0) is the initial state itself (issue 12 item 4), on the pair and the general path', () => {
    const a = solveExact({ params: P, tMax: 2, dt: 1 });
    expect([a.c1[0], a.c1[1], a.c2[0], a.c2[1]]).toEqual([1, 0, 0, 0]);
    const s = scene3();
    s.initial = [[0.6, 0], [0, 0.8], [0, 0]];
    const b = solveScene({ scene: s, tMax: 2, dt: 1 }, 'exact');
    expect(b.path).toBe('general');
    expect(b.c.flatMap((x) => [x[0], x[1]])).toEqual([0.6, 0, 0, 0.8, 0, 0]);
    // The representation's own value at t = 0 is the sum rule: its defect is still reported.
    expect(b.stats.sumRuleDefect).toBeLessThanOrEqual(1e-8);
  });
  it('is not taken without the symmetry', () => {
    const s = sceneFromParams(P);
    s.emitters[1].omega0 = 1.21;
    expect(pairSymmetry(prepareScene(s))).toBeNull();
    const t = sceneFromParams(P);
    t.emitters[1].loss = 0.01;
    expect(pairSymmetry(prepareScene(t))).toBeNull();
    expect(pairSymmetry(prepareScene(scene3()))).toBeNull();
  });
});
