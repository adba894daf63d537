import { describe, expect, it } from 'vitest';
import { exchangePeriod, formatSeconds, gammaFromNv, nvGamma11, omega11ElectronVolts, physicalScales, timePrefix } from '../../app/src/physical.js';
import { PRESETS, presetState } from '../../app/src/presets.js';
import { DEFAULT_STATE, parseField, queryToState } from '../../app/src/state.js';
import { designWaveguide } from '../../src/studies/design.js';
import { assertRelClose } from '../helpers.js';

describe('app/src/physical.ts', () => {
  it('omega11ElectronVolts: ħω11 = hc/λ11 = 1239.84198 eV·nm / (√2·450 nm) = 1.948230 eV', () => {
    // hc = 1239.841984 eV·nm (exact SI constants); λ11 = √2·a for a square guide.
    assertRelClose(omega11ElectronVolts({ aNm: 450, bNm: 450 }), 1239.841984 / (Math.SQRT2 * 450), 1e-9, 'ħω11 (eV)');
  });

  it('nvGamma11 equals designWaveguide\'s Γ11 for the same guide (5.3 D at the centre)', () => {
    for (const a of [450, 270]) {
      const d = designWaveguide({ wavelength: 637e-9, guide: { a: a * 1e-9, b: a * 1e-9 } });
      assertRelClose(nvGamma11({ aNm: a, bNm: a }), d.gamma11, 1e-14, `Γ11 at a = ${a} nm`);
    }
  });

  it('timePrefix(seconds) puts the value in [1, 1000): fs … s', () => {
    expect(timePrefix(3.4e-10)).toEqual({ factor: 1e-12, unit: 'ps' });
    expect(timePrefix(1.7e-8)).toEqual({ factor: 1e-9, unit: 'ns' });
    expect(timePrefix(1e-9)).toEqual({ factor: 1e-9, unit: 'ns' });
    expect(timePrefix(2e-17)).toEqual({ factor: 1e-15, unit: 'fs' });
    expect(timePrefix(5e3)).toEqual({ factor: 1, unit: 's' });
    expect(formatSeconds(4.33412e-9)).toBe('4.334 ns');
    expect(formatSeconds(3.4154e-10)).toBe('341.5 ps');
  });

  it('the NV presets: Γ11 from the dipole, t_max = 4 exchange periods of design\'s, within the physical t_max range', () => {
    for (const id of ['nv450', 'nv270']) {
      const p = PRESETS.find((x) => x.id === id)!;
      const s = presetState(p, DEFAULT_STATE);
      const d = designWaveguide({ wavelength: 637e-9, guide: { a: s.aNm * 1e-9, b: s.bNm * 1e-9 } });
      expect(gammaFromNv(s)).toBe(true);
      // t_max is rounded to 3 digits: within 0.5 % of four design periods.
      assertRelClose(s.tMax, 4 * d.exchangePeriod, 5e-3, `${id} t_max`);
      assertRelClose(exchangePeriod({ omega0: s.omega0, gamma11: s.gamma11, dz: s.dz }), d.exchangePeriod, 1e-9, `${id} period`);
      expect(parseField('tMax', String(s.tMax), 'physical').ok).toBe(true);
      expect(parseField('tMax', String(s.tMax), 'model').ok).toBe(false);
      const sc = physicalScales(s)!;
      expect(sc.timeUnit).toBe('ns');
    }
  });

  it('the band-edge preset nv-edge is design --omega0-ratio 1.0: same guide, ω0 = 1, Γ11, and four 341.5 ps periods', () => {
    const s = presetState(PRESETS.find((x) => x.id === 'nv-edge')!, DEFAULT_STATE);
    const d = designWaveguide({ wavelength: 637e-9, omega0Ratio: 1 });
    assertRelClose(s.aNm * 1e-9, d.a, 1e-14, 'a');
    assertRelClose(s.omega0, d.omega0, 1e-14, 'ω0');
    assertRelClose(s.gamma11, d.gamma11, 1e-12, 'Γ11');
    assertRelClose(s.tMax, 4 * d.exchangePeriod, 5e-3, 't_max = 4 periods');
    assertRelClose(d.exchangePeriodSeconds, 341.54e-12, 1e-4, 'design: 341.54 ps');
  });

  it('a link in physical units accepts t_max up to 1e12/ω11; in model units (0, 2000]', () => {
    expect(queryToState('#units=physical&a=450&b=450&tmax=5e7').errors).toEqual({});
    expect(queryToState('#units=physical&a=450&b=450&tmax=5e7').state.tMax).toBe(5e7);
    expect(queryToState('#tmax=5e7').errors.tMax!.error).toMatch(/\(0, 2000\]/);
    expect(queryToState('#units=physical&tmax=2e12').errors.tMax!.error).toMatch(/\(0, 1e\+?12\]|1000000000000/);
  });
});
