import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { gridPoint, gridSize, linspace, shardIndices, checkAxes } from '../../src/studies/grid.js';
import { evaluatePoint, formatQuantities, namedValues, parseQuantities, quantityColumns } from '../../src/studies/quantities.js';
import { steadyEnergyAt } from '../../src/studies/eq8.js';
import { boundStates } from '../../src/spectrum/boundStates.js';
import { ParameterError } from '../../src/errors.js';
import { assertClose } from '../helpers.js';

describe('linspace(start, stop, count)', () => {
  it('has count values, both ends exact, even spacing to 1 ulp-ish (1e-15 relative)', () => {
    const v = linspace(0.5, 3.5, 301);
    expect(v.length).toBe(301);
    expect(v[0]).toBe(0.5);
    expect(v[300]).toBe(3.5);
    for (let k = 0; k < 301; k++) assertClose(v[k]!, 0.5 + 0.01 * k, 1e-14, `x_${k}`);
  });
  it('rejects count 0, stop ≤ start with count > 1, and count 1 with start ≠ stop', () => {
    expect(() => linspace(0.5, 3.5, 0)).toThrow(ParameterError);
    expect(() => linspace(3.5, 0.5, 10)).toThrow(ParameterError);
    expect(() => linspace(1, 2, 1)).toThrow(ParameterError);
    expect(linspace(2, 2, 1)).toEqual([2]);
  });
});

describe('grid enumeration and shards', () => {
  const axes = checkAxes({ omega0: [0.5, 1, 1.5], dz: [0.1, 0.2], gamma11: [0.25, 0.5] });
  it('gridPoint: ω0 slowest, Γ11 fastest; every point exactly once', () => {
    expect(gridSize(axes)).toBe(12);
    expect(gridPoint(axes, 0)).toEqual({ omega0: 0.5, dz: 0.1, gamma11: 0.25 });
    expect(gridPoint(axes, 1)).toEqual({ omega0: 0.5, dz: 0.1, gamma11: 0.5 });
    expect(gridPoint(axes, 2)).toEqual({ omega0: 0.5, dz: 0.2, gamma11: 0.25 });
    expect(gridPoint(axes, 11)).toEqual({ omega0: 1.5, dz: 0.2, gamma11: 0.5 });
    const keys = new Set(Array.from({ length: 12 }, (_, i) => JSON.stringify(gridPoint(axes, i))));
    expect(keys.size).toBe(12);
  });
  it('shards 1..n partition 0..N−1 (property test, 300 cases)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 500 }), fc.integer({ min: 1, max: 40 }), (size, n) => {
        const all = Array.from({ length: n }, (_, k) => shardIndices(size, { index: k + 1, count: n })).flat().sort((a, b) => a - b);
        expect(all).toEqual(Array.from({ length: size }, (_, i) => i));
      }),
      { numRuns: 300 },
    );
  });
  it('rejects shard 0/3 and 4/3', () => {
    expect(() => shardIndices(10, { index: 0, count: 3 })).toThrow(ParameterError);
    expect(() => shardIndices(10, { index: 4, count: 3 })).toThrow(ParameterError);
  });
});

describe('parseQuantities / quantityColumns', () => {
  it('parses the documented list and round-trips through formatQuantities', () => {
    const q = parseQuantities('boundStates,energyMinMax,ergotropyMax,effectiveCount,energyAt=10;50');
    expect(q.map((x) => x.name)).toEqual(['boundStates', 'energyMinMax', 'ergotropyMax', 'effectiveCount', 'energyAt']);
    expect(q[4]!.times).toEqual([10, 50]);
    expect(formatQuantities(q)).toBe('boundStates,energyMinMax,ergotropyMax,effectiveCount,energyAt=10;50');
    expect(quantityColumns(q).map((c) => c.name)).toEqual(['count', 'Eplus', 'Zplus', 'Eminus', 'Zminus', 'energyMin', 'energyMax', 'ergotropyMax', 'effectiveCount', 'degenerate', 'energyAt_10', 'energyAt_50']);
  });
  it('rejects unknown names, duplicates, arguments where none belong and bad times, naming "quantities"', () => {
    for (const bad of ['foo', 'boundStates,boundStates', 'ergotropyMax=3', 'energyAt', 'energyAt=', 'energyAt=-1', 'energyAt=1e9', 'boundStates,,ergotropyMax']) {
      let err: unknown;
      try { parseQuantities(bad); } catch (e) { err = e; }
      expect(err, bad).toBeInstanceOf(ParameterError);
      expect((err as ParameterError).parameter).toBe('quantities');
    }
  });
});

describe('evaluatePoint(params, quantities) — the function behind sweeps and figures', () => {
  // physics.md reference values (independent code; energies ~1e-12, residues ~1e-10)
  const REF = [
    { omega0: 0.5, ep: 0.261216271976, zp: 0.405931851545, em: 0.431696216533, zm: 0.485661197603 },
    { omega0: 1.0, ep: 0.620272288437, zp: 0.298169431173, em: 0.908066164810, zm: 0.454618113906 },
    { omega0: 1.5, ep: 0.838040232661, zp: 0.140064886039, em: Number.NaN, zm: Number.NaN },
    { omega0: 3.0, ep: 0.975785132489, zp: 0.010533931116, em: Number.NaN, zm: Number.NaN },
  ];
  const Q = parseQuantities('boundStates,energyMinMax,ergotropyMax,effectiveCount');
  for (const r of REF) {
    it(`ω0 = ${r.omega0}, Δz = 0.1, Γ11 = 0.5 matches the reference E±, Z± (1e-11, 1e-9) and Eq. (8) extremes`, () => {
      const v = namedValues(Q, evaluatePoint({ omega0: r.omega0, dz: 0.1, gamma11: 0.5 }, Q).values);
      assertClose(v.Eplus!, r.ep, 1e-11, 'E+');
      assertClose(v.Zplus!, r.zp, 1e-9, 'Z+');
      if (Number.isNaN(r.em)) {
        expect(v.Eminus).toBeNaN();
        expect(v.count).toBe(1);
        assertClose(v.energyMax!, r.omega0 * r.zp ** 2, 1e-9, 'ω0Z+²');
        assertClose(v.energyMin!, v.energyMax!, 0, 'one state: no oscillation');
      } else {
        assertClose(v.Eminus!, r.em, 1e-11, 'E−');
        assertClose(v.Zminus!, r.zm, 1e-9, 'Z−');
        expect(v.count).toBe(2);
        assertClose(v.energyMax!, r.omega0 * (r.zp + r.zm) ** 2, 1e-9, 'ω0(Z+ + Z−)²');
        assertClose(v.energyMin!, r.omega0 * (r.zp - r.zm) ** 2, 1e-9, 'ω0(Z+ − Z−)²');
        assertClose(v.ergotropyMax!, r.omega0 * Math.max(0, 2 * (r.zp + r.zm) ** 2 - 1), 1e-9, 'W max');
      }
      expect(v.effectiveCount).toBe(r.omega0 === 3.0 ? 0 : Number.isNaN(r.em) ? 1 : 2);
    });
  }
  it('energyAt=T uses the dynamics solver: E(60) at ω0 = 0.5 is within 2e-3 of Eq. (8) (branch cut ~t^−3/2)', () => {
    const q = parseQuantities('energyAt=60');
    const r = evaluatePoint({ omega0: 0.5, dz: 0.1, gamma11: 0.5 }, q, { tol: 1e-5 });
    expect(r.status).toBe('success');
    const eq8 = steadyEnergyAt(boundStates({ omega0: 0.5, dz: 0.1, gamma11: 0.5 }).boundStates, 0.5, 60);
    assertClose(r.values[0]!, eq8, 2e-3, 'E(60) vs Eq. (8)');
  });
});
