import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import * as api from '../../src/index.js';

/**
 * The numbers the README's Library section quotes in its example comments, recomputed: each is the
 * value rounded to the digits printed, so the tolerance is half a unit in the last printed digit.
 * The test also checks the README still prints them (a changed example must change this test).
 */
const README = readFileSync(fileURLToPath(new URL('../../README.md', import.meta.url)), 'utf8');
const near = (x: number, printed: string) => {
  const decimals = (printed.split('.')[1] ?? '').length;
  expect(README, `README quotes ${printed}`).toContain(printed);
  expect(Math.abs(x - Number(printed)), `${x} vs ${printed}`).toBeLessThanOrEqual(0.5 * 10 ** -decimals * (1 + 1e-9));
};

describe('README Library example', () => {
  it('two emitters: bound states, steady energy, |c2(100)|², c2(100)', () => {
    const params = { omega0: 1.0, gamma11: 0.5, dz: 0.1 };
    const b = api.boundStates(params).boundStates;
    near(b[0].energy, '0.6202722884');
    near(b[0].residue, '0.2981694312');
    near(api.steadyState(params).energyMax, '0.5667');
    const sol = api.solve({ params, tMax: 100, dt: 0.1, tol: 1e-8 }, 'exact');
    expect(sol.status).toBe('success');
    near(api.population(sol, 2)[1000], '0.53297');
    const c = api.amplitude(sol, 2, 1000);
    near(c.re, '0.64102');
    near(c.im, '0.34938');
  });
  it('a three-emitter scene: its bound states, |c3(100)|², the bank energy and the largest charging power', () => {
    const scene = {
      reservoir: { type: 'waveguide' },
      emitters: [0, 0.15, 0.4].map((z, j) => ({ z, omega0: 1.0, gamma: 0.5, role: (j === 0 ? 'charger' : 'battery') as api.Role })),
    };
    const e = api.sceneBoundStates(scene).boundStates.map((s) => s.energy);
    ['0.612957940285', '0.765039018461', '0.883954303545'].forEach((p, k) => near(e[k], p));
    const s3 = api.solveScene({ scene, tMax: 100, dt: 0.1, tol: 1e-8 }, 'exact');
    expect(s3.status).toBe('success');
    near(api.population(s3, 3)[1000], '0.14406');
    const bank = api.bankSeries(s3);
    near(bank.energy[1000], '0.38126');
    expect(bank.maxPower).not.toBeNull();
    near(bank.maxPower!.max, '0.057169');
    near(bank.maxPower!.time, '6.3');
  });
});
