import { describe, expect, it } from 'vitest';
import { ParameterError } from '../../src/errors.js';
import { degenerateDz, effectiveZeroOmega0, secondStateDz, secondStateOmega0 } from '../../src/studies/thresholds.js';

describe('regime thresholds', () => {
  it('secondStateOmega0(0.1, 0.5) and secondStateDz(1.4, 0.5) equal physics.md\'s 1.11178785 and 0.300385 to the digits it prints', () => {
    // physics.md prints 9 and 6 significant digits: the tolerance is half a unit of the last one.
    expect(Math.abs(secondStateOmega0(0.1, 0.5)! - 1.11178785)).toBeLessThan(5e-9);
    expect(Math.abs(secondStateDz(1.4, 0.5)! - 0.300385)).toBeLessThan(5e-7);
  });
  it('a parameter out of range is a ParameterError naming it, never a threshold (a RangeError used to be taken as the sign change: secondStateOmega0(0.1, 6) returned 0.05)', () => {
    const cases: [() => unknown, string][] = [
      [() => secondStateOmega0(0.1, 6), 'gamma11'],
      [() => secondStateOmega0(-1, 0.5), 'dz'],
      [() => secondStateDz(11, 0.5), 'omega0'],
      [() => secondStateDz(1.4, 0.5, Number.NaN), 'dzMax'],
      [() => effectiveZeroOmega0(0.1, 0.5, 0.7), 'residueThreshold'],
      [() => degenerateDz(1.4, 0.5, 0, 0.31), 'observationTime'],
      [() => degenerateDz(1.4, 0.5, 2000, 6), 'dzFrom'],
    ];
    for (const [call, name] of cases) {
      let err: unknown;
      try { call(); } catch (e) { err = e; }
      expect(err, name).toBeInstanceOf(ParameterError);
      expect((err as ParameterError).parameter).toBe(name);
    }
  });
});
