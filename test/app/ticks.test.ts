import { describe, expect, it } from 'vitest';
import { dataTop, tickLabels } from '../../app/src/ticks.js';

describe('app/src/ticks', () => {
  it('tickLabels: J± ticks at Γ11 = 1e-5 (≈ 1e-6 apart) are distinct, in exponent form, never all "0"', () => {
    const splits = [0, 2e-6, 4e-6, 6e-6, 8e-6];
    expect(tickLabels(splits)).toEqual(['0', '2e-6', '4e-6', '6e-6', '8e-6']);
  });
  it('tickLabels: ordinary ranges keep plain decimals with the fewest digits that separate them', () => {
    expect(tickLabels([0, 0.5, 1, 1.5])).toEqual(['0', '0.5', '1', '1.5']);
    expect(tickLabels([0.9, 0.95, 1, 1.05])).toEqual(['0.9', '0.95', '1', '1.05']);
    expect(tickLabels([1000, 2000, 3000])).toEqual(['1000', '2000', '3000']);
    expect(tickLabels([2e5, 4e5])).toEqual(['2e5', '4e5']);
    expect(tickLabels([0, 0.25, 0.5])).toEqual(['0', '0.25', '0.5']);
    expect(tickLabels([1e-6, 1.5e-6, 2e-6])).toEqual(['1e-6', '1.5e-6', '2e-6']);
  });
  it('tickLabels: a rounding-noise zero (3e-17 among ticks 0.1 apart) prints as 0', () => {
    expect(tickLabels([-0.1, 2.7755575615628914e-17, 0.1])).toEqual(['-0.1', '0', '0.1']);
  });
  it('dataTop: 6 % above the largest finite value, at least the floor', () => {
    expect(dataTop([[0.1, 0.45, Number.NaN], [0.2]], 1e-3)).toBeCloseTo(0.477, 12);
    expect(dataTop([[]], 1e-3)).toBe(1e-3);
  });
});
