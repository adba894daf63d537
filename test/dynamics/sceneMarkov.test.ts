import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import { EigenvalueDecomposition, Matrix } from 'ml-matrix';
import { propagateMarkov, sceneMarkovGenerator, solveSceneMarkov } from '../../src/dynamics/scene/markov.js';
import { checkSceneProblem, solveScene } from '../../src/dynamics/scene/solve.js';
import { solveMarkov } from '../../src/dynamics/markov.js';
import { ParameterError } from '../../src/errors.js';
import type { Scene, SceneEmitter } from '../../src/model/scene.js';
import type { SceneSolution } from '../../src/dynamics/scene/types.js';
import { assertClose } from '../helpers.js';

/**
 * The general-path Markov solver (matrix Eq. 6, src/dynamics/scene/markov.ts): its Υ against closed
 * forms of J (Eq. 2) and mpmath principal values (test/fixtures/reference.markov.json), the symmetric
 * pair against the two-emitter solveMarkov, the exact equal-loss factor, the norm balance
 * d/dt Σ|c|² = −2c†Dc, the evaluation on the grid against an eigen-decomposition, band edges.
 */

const markovReference: { rows: Array<{ omega0: number; gamma11: number; dz: number; delta0: number; delta1: number }> } =
  JSON.parse(readFileSync(new URL('../fixtures/reference.markov.json', import.meta.url), 'utf8'));

type E = Pick<SceneEmitter, 'z' | 'omega0' | 'gamma' | 'loss'>;
function scene(emitters: E[], initial?: Array<[number, number]>): Scene {
  return {
    reservoir: { type: 'waveguide', modes: ['TM11'] },
    emitters: emitters.map((e, j) => ({ ...e, role: j === 0 ? 'charger' : 'battery' })),
    ...(initial ? { initial } : {}),
  };
}

function general(s: Scene, tMax: number, dt: number): SceneSolution {
  return solveSceneMarkov(checkSceneProblem({ scene: s, tMax, dt }), {});
}

function norm2(sol: SceneSolution, k: number): number {
  let s = 0;
  for (const c of sol.c) s += c[2 * k] ** 2 + c[2 * k + 1] ** 2;
  return s;
}

/** Re Υ_jl from Eq. (2) directly: πJ_jl(ω) = √(Γ_jΓ_l) cos(kτ_jl)/(2k), k = √(ω² − 1), averaged over ω_j, ω_l. */
function rateClosedForm(e: E[], j: number, l: number): number {
  const at = (w: number): number => {
    if (w <= 1) return 0;
    const k = Math.sqrt(w * w - 1);
    return (Math.sqrt(e[j].gamma! * e[l].gamma!) * Math.cos(2 * Math.PI * k * Math.abs(e[j].z! - e[l].z!))) / (2 * k);
  };
  return 0.5 * (at(e[j].omega0) + at(e[l].omega0));
}

describe('sceneMarkovGenerator — Υ against independent values', () => {
  it('two equal emitters: Υ11 = πJ0 + iδ0, Υ12 = πJ1 + iδ1 with δ from mpmath principal values (Eq. 6), to 2e-15', () => {
    for (const row of markovReference.rows) {
      const e: E[] = [{ z: 0, omega0: row.omega0, gamma: row.gamma11 }, { z: row.dz, omega0: row.omega0, gamma: row.gamma11 }];
      const g = sceneMarkovGenerator(checkSceneProblem({ scene: scene(e), tMax: 0, dt: 1 }).prepared);
      // Values ≤ 0.4 from closed forms (rates) and contour forms (shifts): measured ≤ 1.4e-16 (test/dynamics/markov.test.ts
      // checks the same functions at 1e-15); 2e-15 allows the sum of two components.
      assertClose(g.upsilon[0], rateClosedForm(e, 0, 0), 2e-15, `Re Υ11 at ω0 = ${row.omega0}`);
      assertClose(g.upsilon[2], rateClosedForm(e, 0, 1), 2e-15, `Re Υ12 at ω0 = ${row.omega0}`);
      assertClose(g.upsilon[1], row.delta0, 2e-15, `Im Υ11 = δ0 at ω0 = ${row.omega0}`);
      assertClose(g.upsilon[3], row.delta1, 2e-15, `Im Υ12 = δ1 at ω0 = ${row.omega0}`);
      assertClose(g.upsilon[6], g.upsilon[0], 0, 'Υ22 = Υ11');
    }
  });

  it('unequal frequencies: Re Υ_jl = π[J_jl(ω_j) + J_jl(ω_l)]/2 (module doc), Υ symmetric; in a gap Im Υ_jj = −(Γ/2π)·arccos(−ω)/√(1 − ω²)', () => {
    const e: E[] = [{ z: 0, omega0: 1.2, gamma: 0.5 }, { z: 0.15, omega0: 1.35, gamma: 0.3 }, { z: 0.4, omega0: 0.8, gamma: 0.6 }];
    const g = sceneMarkovGenerator(checkSceneProblem({ scene: scene(e), tMax: 0, dt: 1 }).prepared);
    for (let j = 0; j < 3; j++) {
      for (let l = 0; l < 3; l++) {
        // Closed forms of size ≤ 0.5: a few ulp (measured ≤ 1.1e-16).
        assertClose(g.upsilon[2 * (3 * j + l)], rateClosedForm(e, j, l), 1e-15, `Re Υ${j + 1}${l + 1}`);
        expect(g.upsilon[2 * (3 * j + l) + 1]).toBe(g.upsilon[2 * (3 * l + j) + 1]);
      }
    }
    // Emitter 3 is below the cutoff: no decay of its own, and its shift is the real self-energy
    // σ(ω) = ∫ J(ω′)/(ω − ω′) dω′ = −(Γ/2π)∫_1^∞ dω′/((ω′ − ω)k′) = −(Γ/2π)·arccos(−ω)/√(1 − ω²).
    const w = 0.8;
    assertClose(g.upsilon[2 * 8 + 1], (-0.6 / (2 * Math.PI)) * Math.acos(-w) / Math.sqrt(1 - w * w), 1e-15, 'Im Υ33 = σ(0.8)');
    expect(g.upsilon[2 * 8]).toBe(0);
    expect(g.inGap).toEqual([2]);
  });
});

describe('sceneMarkovGenerator — other reservoirs (each component classified on its own)', () => {
  it('cavity array at the band centre: Υ = (g²/2J)[[1, i], [i, 1]] (πj_0 = g²/2J, δ_1 = g²/2J, scenes.md §5), and c(t) in closed form', () => {
    const g = 0.3;
    const hop = 1;
    const sc: Scene = {
      reservoir: { type: 'cavity-array', omegaC: 0, hopping: hop },
      emitters: [{ site: 0, g, omega0: 0, role: 'charger' }, { site: 1, g, omega0: 0, role: 'battery' }],
    };
    const grid = checkSceneProblem({ scene: sc, tMax: 50, dt: 0.5 });
    const gen = sceneMarkovGenerator(grid.prepared);
    const r = (g * g) / (2 * hop);
    const want = [r, 0, 0, r, 0, r, r, 0];
    // Closed forms of size 0.045 (j_1 = cos(π/2)/(2πJ) leaves 6e-17·g²): measured 2.8e-18; 1e-16.
    want.forEach((w, i) => assertClose(gen.upsilon[i], w, 1e-16, `Υ[${i >> 1}] ${i & 1 ? 'im' : 're'}`));
    // A = r[[1, i], [i, 1]] has eigenvectors (1, ±1)/√2 with eigenvalues r(1 ± i): from |e1⟩,
    // c1 = e^{−rt}cos(rt), c2 = −i·e^{−rt}sin(rt).
    const s = solveSceneMarkov(grid, {});
    let e = 0;
    for (let k = 0; k < s.t.length; k++) {
      const t = s.t[k];
      const f = Math.exp(-r * t);
      e = Math.max(e, Math.hypot(s.c[0][2 * k] - f * Math.cos(r * t), s.c[0][2 * k + 1]), Math.hypot(s.c[1][2 * k], s.c[1][2 * k + 1] + f * Math.sin(r * t)));
    }
    // Measured 6.7e-16 (101 points, rt ≤ 2.25).
    expect(e).toBeLessThan(5e-15);
    expect(() => solveScene({ scene: { ...sc, emitters: sc.emitters.map((x) => ({ ...x, omega0: 2 * hop })) }, tMax: 1, dt: 0.5 }, 'markov')).toThrow(ParameterError);
  });

  it('cavity array above the band: Υ = i·g²(−x)^{|Δn|}/R, R = √(Δ² − 4J²), x = (Δ − R)/2J (scenes.md §5); no decay', () => {
    const g = 0.4;
    const sc: Scene = {
      reservoir: { type: 'cavity-array', omegaC: 0, hopping: 1 },
      emitters: [{ site: 0, g, omega0: 3, role: 'charger' }, { site: 2, g, omega0: 3, role: 'battery' }],
    };
    const gen = sceneMarkovGenerator(checkSceneProblem({ scene: sc, tMax: 1, dt: 0.5 }).prepared);
    const R = Math.sqrt(9 - 4);
    const x = (3 - R) / 2;
    // Values ≤ 0.08 from the same closed form by another route: a few ulp (measured ≤ 3.5e-18).
    assertClose(gen.upsilon[1], (g * g) / R, 1e-16, 'Im Υ11');
    assertClose(gen.upsilon[3], (g * g * x * x) / R, 1e-16, 'Im Υ12');
    expect(gen.upsilon[0]).toBe(0);
    expect(Array.from(gen.decayRates)).toEqual([0, 0]);
  });

  it('square guide TM11 + TM13 + TM31 at ω = 1.5 (TM13, TM31 closed): Re Υ from TM11 alone, Im Υ = TM11 shift + the closed modes’ real self-energies (scenes.md §4)', () => {
    const G = 0.4;
    const w = 1.5;
    const sc: Scene = {
      reservoir: { type: 'waveguide', modes: ['TM11', 'TM13', 'TM31'], aspect: 1 },
      emitters: [{ z: 0, gamma: G, omega0: w, role: 'charger' }, { z: 0.2, x: 0.3, gamma: G, omega0: w, role: 'battery' }],
    };
    const grid = checkSceneProblem({ scene: sc, tMax: 1, dt: 0.5 });
    const gen = sceneMarkovGenerator(grid.prepared);
    const k = Math.sqrt(w * w - 1);
    // Emitter 1 is centred: s_11 = 1, s_13² = s_31² = 1, so Γ_13 = Γ_31 = Γ·√5 (ω_mn/ω11 = √5 for a square guide).
    // TM11 open: πJ = Γ/2k, δ = Γ·asinh(k)/(2πk). A closed mode (cutoff ω_c, rate Γ_c) has the TM11
    // self-energy at E/ω_c: σ = −(Γ_c/2π)·arccos(−u)/√(1 − u²), u = E/ω_c.
    const wc = Math.sqrt(5);
    const u = w / wc;
    const closed = 2 * (-(G * wc) / (2 * Math.PI)) * Math.acos(-u) / Math.sqrt(1 - u * u);
    // Sums of three closed forms, |Im Υ11| = 0.83: measured ≤ 1.1e-16; 1e-15.
    assertClose(gen.upsilon[0], G / (2 * k), 1e-15, 'Re Υ11 (TM11 only)');
    assertClose(gen.upsilon[1], (G * Math.asinh(k)) / (2 * Math.PI * k) + closed, 1e-15, 'Im Υ11');
    // Exactly at the TM13/TM31 cutoff the approximation is undefined.
    const edge = grid.prepared.coupling.edges.find((e) => e > 1)!;
    expect(edge).toBeCloseTo(wc, 14);
    expect(() => solveScene({ scene: { ...sc, emitters: sc.emitters.map((x) => ({ ...x, omega0: edge })) }, tMax: 1, dt: 0.5 }, 'markov')).toThrow(/band edge/);
  });
});

describe('solveSceneMarkov — dynamics', () => {
  it('two equal emitters via the general path equal the two-emitter solveMarkov (Eq. 6) to 1e-12 (above and below the cutoff)', () => {
    for (const [omega0, dz] of [[1.8, 0.1], [0.6, 0.3], [3.2, 1.7], [1.2, 0.3]]) {
      const s = general(scene([{ z: 0, omega0, gamma: 0.5 }, { z: dz, omega0, gamma: 0.5 }]), 50, 0.05);
      expect(s.path).toBe('general');
      const r = solveMarkov({ params: { omega0, gamma11: 0.5, dz }, tMax: 50, dt: 0.05 });
      let e = 0;
      for (let i = 0; i < r.c1.length; i++) e = Math.max(e, Math.abs(r.c1[i] - s.c[0][i]), Math.abs(r.c2[i] - s.c[1][i]));
      // Same rates to ~1e-16 by two routes, exponentials by two routes: measured ≤ 6.2e-15 over t ≤ 50.
      expect(e, `ω0 = ${omega0}, Δz = ${dz}`).toBeLessThan(1e-12);
      expect(s.status).toBe('success');
    }
  });

  it('equal loss γ on every emitter multiplies the lossless solution by e^{−γt/2} (N = 3, unequal ω, complex initial state)', () => {
    const base: E[] = [{ z: 0, omega0: 1.2, gamma: 0.5 }, { z: 0.15, omega0: 1.3, gamma: 0.4 }, { z: 0.4, omega0: 0.9, gamma: 0.6 }];
    const init: Array<[number, number]> = [[0.6, 0], [0, 0.64], [-0.48, 0]];
    const lossless = general(scene(base, init), 40, 0.1);
    const lossy = general(scene(base.map((e) => ({ ...e, loss: 0.3 })), init), 40, 0.1);
    let e = 0;
    for (let j = 0; j < 3; j++) {
      for (let k = 0; k < lossless.t.length; k++) {
        const f = Math.exp(-0.15 * lossless.t[k]);
        e = Math.max(e, Math.abs(lossy.c[j][2 * k] - f * lossless.c[j][2 * k]), Math.abs(lossy.c[j][2 * k + 1] - f * lossless.c[j][2 * k + 1]));
      }
    }
    // Both are evaluated to rounding (the loss adds γ/2·I to A, which commutes): measured 1.9e-15.
    expect(e).toBeLessThan(1e-14);
  });

  it('lossless above the cutoff: Σ|c|² decreases monotonically, D = Re Υ ⪰ 0, and d/dt Σ|c|² = −2c†Dc (central differences)', () => {
    const e: E[] = [{ z: 0, omega0: 1.2, gamma: 0.5 }, { z: 0.15, omega0: 1.2, gamma: 0.5 }, { z: 0.4, omega0: 1.2, gamma: 0.5 }];
    const h = 1e-3;
    const s = general(scene(e), 30, h);
    // D has rank 2 here ([cos kτ_jl] is a sum of two dyads: one dark state), so its smallest eigenvalue
    // is 0 up to rounding of entries ≤ 0.5 (measured −3.3e-16).
    expect(s.stats.minDecayRate).toBeGreaterThanOrEqual(-2e-15);
    // D from Eq. (2) directly.
    const d = (j: number, l: number): number => rateClosedForm(e, j, l);
    let maxRel = 0;
    for (let k = 1; k < s.t.length - 1; k++) {
      expect(norm2(s, k + 1)).toBeLessThanOrEqual(norm2(s, k) + 1e-15);
      if (k % 1000 !== 0) continue;
      const fd = (norm2(s, k + 1) - norm2(s, k - 1)) / (2 * h);
      let q = 0;
      for (let j = 0; j < 3; j++) {
        for (let l = 0; l < 3; l++) {
          // Re(c_j* c_l)·D_jl (D real symmetric).
          q += d(j, l) * (s.c[j][2 * k] * s.c[l][2 * k] + s.c[j][2 * k + 1] * s.c[l][2 * k + 1]);
        }
      }
      maxRel = Math.max(maxRel, Math.abs(fd + 2 * q) / Math.max(Math.abs(2 * q), 1e-3));
    }
    // Central difference error h²/6·|d³/dt³ Σ|c|²| ~ 1e-7 relative for rates ≲ 1 and frequencies ~1.2
    // (measured 2.3e-7); cancellation in the difference adds ~ε/h = 2e-13.
    expect(maxRel).toBeLessThan(1e-6);
  });

  it('lossless in a gap (unequal ω < 1): pure oscillation, Σ|c|² = 1, and c(t) equals V·e^{−iΛt}·Vᵀc(0) from an eigen-decomposition of H = Im A', () => {
    const e: E[] = [{ z: 0, omega0: 0.7, gamma: 0.5 }, { z: 0.15, omega0: 0.8, gamma: 0.4 }, { z: 0.4, omega0: 0.9, gamma: 0.6 }];
    const grid = checkSceneProblem({ scene: scene(e), tMax: 1000, dt: 0.1 });
    const s = solveSceneMarkov(grid, {});
    const g = sceneMarkovGenerator(grid.prepared);
    expect(Array.from(g.decayRates)).toEqual([0, 0, 0]);
    const hm = new Matrix(3, 3);
    for (let j = 0; j < 3; j++) for (let l = 0; l < 3; l++) hm.set(j, l, g.a[2 * (3 * j + l) + 1]);
    const ev = new EigenvalueDecomposition(hm, { assumeSymmetric: true });
    const lam = ev.realEigenvalues;
    const v = ev.eigenvectorMatrix;
    let err = 0;
    let normDev = 0;
    for (let k = 0; k < s.t.length; k++) {
      for (let j = 0; j < 3; j++) {
        let re = 0;
        let im = 0;
        for (let m = 0; m < 3; m++) {
          const w = v.get(j, m) * v.get(0, m);
          re += w * Math.cos(lam[m] * s.t[k]);
          im -= w * Math.sin(lam[m] * s.t[k]);
        }
        err = Math.max(err, Math.hypot(s.c[j][2 * k] - re, s.c[j][2 * k + 1] - im));
      }
      normDev = Math.max(normDev, Math.abs(norm2(s, k) - 1));
    }
    // Both carry the phase error ε·‖H‖·t ≈ 1e-13 at t = 1000 (a relative change ε of the frequencies);
    // measured 1.9e-13 (two-level stepping; exp(−At_n) at every t_n: 1.4e-13; plain repeated
    // multiplication by exp(−A·dt): 4.1e-13). The norm, untouched by phase errors, is kept to 1.2e-14
    // by the stepping (direct: 1e-13, repeated: 5.5e-13).
    expect(err).toBeLessThan(1e-12);
    expect(normDev).toBeLessThan(1e-13);
  });

  it('the two-level stepping agrees with exp(−At_n) at every point for a non-normal A (unequal ω and loss), to 1e-14', () => {
    const e: E[] = [{ z: 0, omega0: 1.2, gamma: 0.5 }, { z: 0.15, omega0: 1.3, gamma: 0.4, loss: 0.05 }, { z: 0.4, omega0: 1.1, gamma: 0.6 }];
    const grid = checkSceneProblem({ scene: scene(e), tMax: 200, dt: 0.1 });
    const g = sceneMarkovGenerator(grid.prepared);
    const mk = (): Float64Array[] => Array.from({ length: 3 }, () => new Float64Array(2 * grid.points));
    const a = mk();
    const b = mk();
    propagateMarkov(3, g.a, grid.prepared.initial, grid.t, grid.dt, a, 'stepping');
    propagateMarkov(3, g.a, grid.prepared.initial, grid.t, grid.dt, b, 'direct');
    let d = 0;
    for (let j = 0; j < 3; j++) for (let i = 0; i < a[j].length; i++) d = Math.max(d, Math.abs(a[j][i] - b[j][i]));
    // Measured 1.1e-15 (the solution decays, smallest decay rate 0.051); 1e-14 is 9×.
    expect(d).toBeLessThan(1e-14);
  });
});

describe('solveSceneMarkov — edges, warnings, cancellation', () => {
  it('an emitter exactly at the TM11 cutoff (ω = 1) is a ParameterError naming it, as the two-emitter markovRates', () => {
    const s = scene([{ z: 0, omega0: 1.2, gamma: 0.5 }, { z: 0.15, omega0: 1, gamma: 0.5 }, { z: 0.4, omega0: 1.3, gamma: 0.5 }]);
    let err: unknown;
    try {
      solveScene({ scene: s, tMax: 1, dt: 0.1 }, 'markov');
    } catch (x) {
      err = x;
    }
    expect(err).toBeInstanceOf(ParameterError);
    expect((err as ParameterError).path).toBe('problem.scene.emitters[1].omega0');
    expect((err as Error).message).toMatch(/band edge/);
  });

  it('unequal frequencies across the cutoff: the decay matrix is indefinite, the message warns, and the norm indeed grows', () => {
    // D = [[0, πJ12(ω2)/2], [πJ12(ω2)/2, πJ22(ω2)]]: determinant −(πJ12/2)² < 0.
    const s = general(scene([{ z: 0, omega0: 0.9, gamma: 0.5 }, { z: 0.05, omega0: 1.2, gamma: 0.5 }], [[0.95, 0], [-Math.sqrt(1 - 0.95 ** 2), 0]]), 2, 0.01);
    expect(s.stats.minDecayRate).toBeLessThan(0);
    expect(s.message).toMatch(/can grow/);
    let grew = false;
    for (let k = 1; k < s.t.length; k++) grew ||= norm2(s, k) > 1 + 1e-6;
    expect(grew).toBe(true);
  });

  it('an aborted signal gives status cancelled and NaN amplitudes', () => {
    const grid = checkSceneProblem({ scene: scene([{ z: 0, omega0: 1.2, gamma: 0.5 }, { z: 0.2, omega0: 1.3, gamma: 0.5 }]), tMax: 1, dt: 0.1 });
    const s = solveSceneMarkov(grid, { signal: { aborted: true } });
    expect(s.status).toBe('cancelled');
    expect(Number.isNaN(s.c[0][0])).toBe(true);
  });
});
