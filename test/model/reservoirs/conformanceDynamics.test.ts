/**
 * The dynamics part of the reservoir conformance test (issue 11 item 1; docs/reservoirs.md), for EVERY
 * registered reservoir type on its registered examples (as conformance.test.ts):
 *  (e) solveScene 'exact' (matrix resolvent, src/dynamics/scene/exact.ts) and 'volterra' (matrix
 *      product integration, volterra.ts) agree within the sum of their requested tolerances, both report
 *      success, and the exact solver's sum rule Σ_b α_bα_bᵀ + ∫ρ dω = 1 holds within tol;
 * and for the cavity array, the solvers against exact diagonalisation of finite arrays (fixture
 * reference.cavity.json from scripts/reference/cavity_array_ed.py): bound states (sceneBoundStates)
 * and c(t) before the first reflection returns.
 * Tolerances are the solvers' own claims (tol on every c_j): measured agreement is far better
 * (exact vs volterra ≤ 8.1e-10 at tol 1e-8; exact vs ED ≤ 2.1e-14 and volterra vs ED ≤ 4.4e-11 at
 * tol 1e-9; sum-rule defects ≤ 8.4e-11).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { reservoirExamples, reservoirTypes } from '../../../src/model/reservoirs/all.js';
import { solveScene } from '../../../src/dynamics/scene/solve.js';
import { sceneBoundStates } from '../../../src/spectrum/sceneBoundStates.js';
import { prepareScene, type Scene } from '../../../src/model/scene.js';

const TOL = 1e-8;

for (const type of reservoirTypes()) {
  describe(`reservoir "${type}": exact vs volterra`, () => {
    it.each(reservoirExamples(type).map((e) => [e.name, e] as const))('%s', (_name, example) => {
      const scene = { reservoir: example.reservoir, emitters: example.emitters } as unknown as Scene;
      const problem = { scene, tMax: 20, dt: 0.5, tol: TOL };
      const a = solveScene(problem, 'exact');
      const b = solveScene(problem, 'volterra');
      expect(a.status, a.message).toBe('success');
      expect(b.status, b.message).toBe('success');
      let worst = 0;
      for (let j = 0; j < a.c.length; j++) for (let i = 0; i < a.c[j].length; i++) worst = Math.max(worst, Math.abs(a.c[j][i] - b.c[j][i]));
      expect(worst).toBeLessThan(2 * TOL);
      if (typeof a.stats.sumRuleDefect === 'number') expect(a.stats.sumRuleDefect).toBeLessThan(TOL);
    });
  });
}

interface EdScene {
  name: string; omegaC: number; hopping: number; sites: number[]; omega: number[]; g: number[];
  initial: Array<[number, number]>;
  boundStates: Array<{ energy: number; alpha: number[] }>;
  times: number[]; c: Array<Array<[number, number]>>;
}
const fixture: { scenes: EdScene[] } = JSON.parse(readFileSync(new URL('../../fixtures/reference.cavity.json', import.meta.url), 'utf8'));

function sceneOf(s: EdScene): Scene {
  return {
    reservoir: { type: 'cavity-array', omegaC: s.omegaC, hopping: s.hopping },
    emitters: s.sites.map((site, j) => ({ site, g: s.g[j], omega0: s.omega[j], role: j === 0 ? 'charger' : 'battery' })),
    initial: s.initial,
  };
}

describe('cavity array: solvers against exact diagonalisation of a finite array', () => {
  // The ωc = −1, J = 0.5 scene has a band edge at exactly E = 0 (a spurious root at E ≈ 1e-35 there was
  // fixed in sceneBoundStates).
  it.each(fixture.scenes.map((s) => [s.name, s] as const))('bound states (sceneBoundStates): %s', (_name, s) => {
    const spec = sceneBoundStates(prepareScene(sceneOf(s)));
    expect(spec.status).toBe('success');
    expect(spec.boundStates.length).toBe(s.boundStates.length);
    // ED accurate to ~1e-14 here (finite-size differences ≤ 3.1e-15); tolerance 1e-12 on energies,
    // 1e-10 on amplitudes (the accuracy scenes.md quotes for them).
    spec.boundStates.forEach((b, i) => {
      expect(Math.abs(b.energy - s.boundStates[i].energy)).toBeLessThan(1e-12);
      const ref = s.boundStates[i].alpha;
      const diff = Math.min(...[1, -1].map((sg) => Math.max(...Array.from(b.amplitudes, (a, j) => Math.abs(sg * a - ref[j])))));
      expect(diff).toBeLessThan(1e-10);
    });
  });

  it.each(fixture.scenes.map((s) => [s.name, s] as const))('c(t) up to t = 40/J, exact and volterra at tol 1e-9: %s', (_name, s) => {
    const tol = 1e-9;
    for (const method of ['exact', 'volterra'] as const) {
      const r = solveScene({ scene: sceneOf(s), tMax: 40 / s.hopping, dt: 0.5 / s.hopping, tol }, method);
      expect(r.status, r.message).toBe('success');
      expect(r.t.length).toBe(s.times.length);
      let worst = 0;
      s.times.forEach((t, i) => {
        expect(Math.abs(r.t[i] - t)).toBeLessThan(1e-12);
        for (let j = 0; j < s.sites.length; j++) worst = Math.max(worst, Math.hypot(r.c[j][2 * i] - s.c[i][j][0], r.c[j][2 * i + 1] - s.c[i][j][1]));
      });
      expect(worst, method).toBeLessThan(tol);
    }
  });
});
