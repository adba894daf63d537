/**
 * The explorer's pure modules (app/src/*.ts without DOM), run in Node: URL state, input parsing,
 * the worker's computations, CSV and SVG export. The browser tests (explorer.test.ts) check the
 * same things end to end; these pin the details fast and with independent values.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { DEFAULT_STATE, FIELD_RANGES, parseField, queryToState, stateToQuery, URL_KEYS, type AppState } from '../../app/src/state.js';
import { densities, pointSpectrum, steady, sweepSpectrum } from '../../app/src/compute.js';
import { batteryCurves, energyFigure, spectrumFigure } from '../../app/src/figures.js';
import { csvCell, figureToCsv } from '../../app/src/csv.js';
import { escapeXml, figureToSvg, niceTicks } from '../../app/src/svg.js';
import { PRESETS } from '../../app/src/presets.js';
import { PARAM_RANGES } from '../../src/model/params.js';
import { assertClose } from '../helpers.js';
import type { SweepReply } from '../../app/src/protocol.js';

describe('app state <-> URL', () => {
  it('stateToQuery/queryToState round-trips any valid state exactly (2000 random states)', () => {
    const num = (min: number, max: number) => fc.double({ min, max, noNaN: true, noDefaultInfinity: true });
    const arb = fc.record<AppState>({
      omega0: num(1e-9, 10),
      dz: num(0, 20),
      gamma11: num(1e-9, 5),
      tMax: num(1e-6, 2000),
      method: fc.constantFrom('exact', 'volterra', 'markov'),
      compare: fc.constantFrom('none', 'exact', 'volterra', 'markov'),
      sweep: fc.constantFrom('omega0', 'dz'),
      threshold: num(0, 0.5),
      units: fc.constantFrom('model', 'physical'),
      aNm: num(1, 1e9),
      bNm: num(1, 1e9),
    });
    fc.assert(fc.property(arb, (s) => {
      const back = queryToState(`#${stateToQuery(s)}`);
      expect(back.errors).toEqual({});
      // a and b are only in the URL in physical mode; otherwise they stay at the defaults.
      const expected = s.units === 'physical' ? s : { ...s, aNm: DEFAULT_STATE.aNm, bNm: DEFAULT_STATE.bNm };
      expect(back.state).toEqual(expected);
    }), { numRuns: 2000 });
  });

  it('queryToState(query) reports bad entries and keeps the defaults for them', () => {
    const r = queryToState('?omega0=11&dz=abc&gamma=0.7&method=rk4&sweep=x&units=si&tmax=0&tol=5');
    expect(r.state).toEqual({ ...DEFAULT_STATE, gamma11: 0.7 });
    expect(r.tol).toBe(1e-3);
    expect(Object.keys(r.errors).sort()).toEqual(['dz', 'method', 'omega0', 'sweep', 'tMax', 'tol', 'units']);
    expect(r.errors.omega0!.error).toMatch(/\(0, 10\]/);
    expect(r.unknownKeys).toEqual([]);
  });

  it('a bad choice in the link (issue 10 item 10) is an error naming the key, the value and the allowed values', () => {
    // #method=bogus used to leave nothing highlighted; bogus sweep, units, tol were silently replaced.
    const cases: Array<[string, 'method' | 'compare' | 'sweep' | 'units' | 'tol', string]> = [
      ['#method=bogus', 'method', 'link method="bogus": must be one of exact, volterra, markov (showing exact)'],
      ['#compare=rk4', 'compare', 'link compare="rk4": must be one of none, exact, volterra, markov (showing none)'],
      ['#sweep=omega', 'sweep', 'link sweep="omega": must be one of omega0, dz (showing omega0)'],
      ['#units=SI', 'units', 'link units="SI": must be one of model, physical (showing model)'],
      ['#tol=1e-4', 'tol', 'link tol="1e-4": must be one of 0.001, 0.00001, 1e-8 (showing 0.001)'],
      ['#tol=0x1', 'tol', 'link tol="0x1": must be one of 0.001, 0.00001, 1e-8 (showing 0.001)'],
    ];
    for (const [hash, field, message] of cases) {
      const r = queryToState(hash);
      expect(r.errors[field], hash).toEqual({ key: field, text: hash.split('=')[1], error: message });
      expect(Object.keys(r.errors), hash).toEqual([field]);
      expect(r.state, hash).toEqual(DEFAULT_STATE);
    }
    // numeric fields: the key and the value are named, then the range
    expect(queryToState('#tmax=1e9').errors.tMax!.error).toBe('link tmax="1e9": 1000000000 is out of range: must be a finite number in (0, 2000] (units of 1/ω11)');
  });

  it('valid tol values are read ("1e-8", "0.00001"); a key given twice is an error; unknown keys are listed', () => {
    expect(queryToState('#tol=1e-8').tol).toBe(1e-8);
    expect(queryToState('#tol=0.00001').tol).toBe(1e-5);
    const twice = queryToState('#omega0=1.5&omega0=2&method=markov&method=exact');
    expect(twice.state.omega0).toBe(DEFAULT_STATE.omega0);
    expect(twice.state.method).toBe(DEFAULT_STATE.method);
    expect(twice.errors.omega0!.error).toBe('link omega0="1.5, 2": given 2 times; give it once');
    expect(twice.errors.method!.error).toBe('link method="markov, exact": given 2 times; give it once');
    const u = queryToState('#foo=1&omega0=1.5&Omega0=2&bar&foo=3');
    expect(u.state.omega0).toBe(1.5);
    expect(u.unknownKeys).toEqual(['foo', 'Omega0', 'bar']);
    expect(u.errors).toEqual({});
    expect(URL_KEYS).toEqual(['omega0', 'dz', 'gamma', 'tmax', 'method', 'compare', 'sweep', 'zmin', 'units', 'a', 'b', 'tol']);
  });

  it('the model-parameter ranges are PARAM_RANGES of src/model/params.ts', () => {
    expect(FIELD_RANGES.omega0).toEqual({ ...PARAM_RANGES.omega0 });
    expect(FIELD_RANGES.dz).toEqual({ ...PARAM_RANGES.dz });
    expect(FIELD_RANGES.gamma11).toEqual({ ...PARAM_RANGES.gamma11 });
  });
});

describe('parseField(field, text)', () => {
  it('accepts decimal and exponent notation inside the range', () => {
    expect(parseField('omega0', ' 1.5 ')).toEqual({ ok: true, value: 1.5 });
    expect(parseField('omega0', '5e-1')).toEqual({ ok: true, value: 0.5 });
    expect(parseField('dz', '0')).toEqual({ ok: true, value: 0 });
    expect(parseField('omega0', '10')).toEqual({ ok: true, value: 10 });
  });
  it('rejects non-numbers, open bounds and out-of-range values with the allowed range in the message', () => {
    for (const t of ['', 'abc', '1,5', '0x10', 'Infinity', 'NaN', '1e', '--1']) {
      const r = parseField('omega0', t);
      expect(r.ok, t).toBe(false);
      if (!r.ok) expect(r.error).toMatch(/\(0, 10\]/);
    }
    expect(parseField('omega0', '0').ok).toBe(false); // open lower bound
    expect(parseField('gamma11', '5.0001').ok).toBe(false);
    expect(parseField('dz', '-1e-9').ok).toBe(false);
  });
});

describe('worker computations (app/src/compute.ts)', () => {
  it('pointSpectrum(params) gives the physics.md reference bound states (independent code)', () => {
    const s = pointSpectrum({ omega0: 0.5, gamma11: 0.5, dz: 0.1 });
    expect(s.count).toBe(2);
    assertClose(s.boundStates[0].energy, 0.261216271976, 2e-12, 'E+');
    assertClose(s.boundStates[0].residue, 0.405931851545, 2e-10, 'Z+');
    assertClose(s.boundStates[1].energy, 0.431696216533, 2e-12, 'E−');
    assertClose(s.boundStates[1].residue, 0.485661197603, 2e-10, 'Z−');
  });

  it('steady(params) at ω0 = 1: E(∞) ∈ [ω0(Z+ − Z−)², ω0(Z+ + Z−)²] oscillating at E− − E+ (Eq. 8, physics.md values)', () => {
    const st = steady({ omega0: 1, gamma11: 0.5, dz: 0.1 }, 0.014, 60);
    const zp = 0.298169431173, zm = 0.454618113906;
    assertClose(st.energyMin, (zp - zm) ** 2, 1e-9, 'E(∞) min');
    assertClose(st.energyMax, (zp + zm) ** 2, 1e-9, 'E(∞) max');
    assertClose(st.ergotropyMax, 2 * (zp + zm) ** 2 - 1, 1e-9, 'W(∞) max');
    assertClose(st.frequency, 0.908066164810 - 0.620272288437, 1e-11, 'frequency');
    expect([st.count, st.effectiveCount, st.regime]).toEqual([2, 2, '2']);
  });

  it('densities(params): J+ + J− = 2J0 = (Γ11/π)/sqrt(ω² − 1) and J+ − J− = 2J0 cos(τ sqrt(ω² − 1)) (Eq. 2)', () => {
    const g = 0.5, dz = 0.3, tau = 2 * Math.PI * dz;
    const d = densities({ omega0: 1, gamma11: g, dz }, 4, 200);
    expect(d.omega.length).toBe(200);
    for (let i = 0; i < d.omega.length; i++) {
      const q = Math.sqrt((d.omega[i] - 1) * (d.omega[i] + 1)); // no cancellation near the edge
      expect(d.omega[i]).toBeGreaterThan(1);
      assertClose(d.jPlus[i] + d.jMinus[i], g / Math.PI / q, 1e-12 * (g / Math.PI / q), `J+ + J− at ω = ${d.omega[i]}`);
      assertClose(d.jPlus[i] - d.jMinus[i], (g / Math.PI / q) * Math.cos(tau * q), 1e-12 * (g / Math.PI / q), `J+ − J− at ω = ${d.omega[i]}`);
    }
  });

  it('sweepSpectrum refines the ω0 at which E− disappears to the physics.md threshold 1.11178785 (Δz = 0.1λ11)', async () => {
    const spec = { kind: 'omega0' as const, min: 0.05, max: 3.5, n: 64 };
    const s = (await sweepSpectrum(spec, { omega0: 1, gamma11: 0.5, dz: 0.1 }))!;
    let last = -1;
    for (let i = 0; i < s.x.length; i++) if (Number.isFinite(s.eMinus[i])) last = i;
    const step = (spec.max - spec.min) / (spec.n - 1);
    // Bisection leaves the threshold between the last point with E− and the next one: 12 halvings of one step.
    expect(s.x[last]).toBeLessThan(1.11178785);
    expect(s.x[last + 1]).toBeGreaterThanOrEqual(1.11178785 - 1e-9);
    expect(s.x[last + 1] - s.x[last]).toBeLessThanOrEqual(step / 4096 * 1.0001);
    // E+ exists everywhere (the 1D van Hove edge) and increases with ω0; x is sorted.
    for (let i = 1; i < s.x.length; i++) {
      expect(s.x[i]).toBeGreaterThan(s.x[i - 1]);
      expect(s.ePlus[i]).toBeGreaterThan(s.ePlus[i - 1]);
    }
  });

  it('sweepSpectrum stops and returns null when cancelled', async () => {
    const token = { aborted: false };
    let pauses = 0;
    const r = await sweepSpectrum({ kind: 'dz', min: 0, max: 2, n: 64 }, { omega0: 1.4, gamma11: 0.5, dz: 0.1 }, token, async () => { if (++pauses === 2) token.aborted = true; });
    expect(r).toBeNull();
    expect(pauses).toBe(2);
  });
});

describe('figures and export', () => {
  const spectrumState: AppState = { ...DEFAULT_STATE };

  it('batteryCurves(ω0, c2): E = ω0|c2|², W = ω0·max(0, 2|c2|² − 1)', () => {
    const c2 = Float64Array.from([0, 0, 0.6, 0.8, 0.3, -0.4, 0.8, 0.1]);
    const { energy, ergotropy } = batteryCurves(2, c2);
    const p = [0, 1, 0.25, 0.65];
    p.forEach((v, i) => {
      assertClose(energy[i], 2 * v, 1e-15, `E[${i}]`);
      assertClose(ergotropy[i], 2 * Math.max(0, 2 * v - 1), 1e-15, `W[${i}]`);
    });
  });

  it('figureToCsv writes units in the header, full-precision numbers and empty cells for gaps', () => {
    const sweep: SweepReply = {
      kind: 'sweep', id: 1, spec: { kind: 'omega0', min: 0.5, max: 1.5, n: 3 }, ms: 0, cached: false,
      x: Float64Array.from([0.5, 1, 1.5]), ePlus: Float64Array.from([0.1, 0.2, 0.3]), eMinus: Float64Array.from([0.4, Math.PI / 4, Number.NaN]),
      zPlus: new Float64Array(3), zMinus: new Float64Array(3),
    };
    const csv = figureToCsv(spectrumFigure(spectrumState, sweep, null), ['omega0 = 1']);
    const lines = csv.trim().split('\n');
    expect(lines[0]).toBe('# Energy spectrum vs ω0');
    expect(lines).toContain('omega0 (omega11),E+ (omega11),E- (omega11),bare omega0 (omega11)');
    expect(lines.at(-2)).toBe(`1,0.2,${Math.PI / 4},1`);
    expect(lines.at(-1)).toBe('1.5,0.3,,1.5');
    expect(Number(lines.at(-2)!.split(',')[2])).toBe(Math.PI / 4); // round-trips exactly
    expect(csvCell('a,"b"')).toBe('"a,""b"""');
  });

  it('figureToSvg gives one well-formed SVG document with axis titles, ticks and escaped text', () => {
    const t = Float64Array.from({ length: 101 }, (_, i) => i * 0.6);
    const c2 = new Float64Array(202);
    for (let i = 0; i < 101; i++) c2[2 * i] = Math.sin(t[i] / 5);
    const dyn = { kind: 'dynamics' as const, id: 1, method: 'exact' as const, t, c1: new Float64Array(202), c2, status: 'success' as const, message: '', errorEstimate: 0, ms: 0, preview: false };
    const fig = energyFigure(spectrumState, dyn, null);
    const svg = figureToSvg(fig, { subtitle: 'a < b & "c"' });
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(svg.endsWith('</svg>')).toBe(true);
    expect(svg).toContain('time t (1/ω11)');
    expect(svg).toContain('energy (ω11)');
    expect(svg).toContain('a &lt; b &amp; &quot;c&quot;');
    expect(svg.match(/<polyline /g)!.length).toBe(2); // E(t) and W(t)
    // Every opened element is closed (a cheap well-formedness check without a DOM).
    const opened = (svg.match(/<(?!\/)[a-zA-Z]+[^>]*[^/]>/g) ?? []).length;
    const closed = (svg.match(/<\/[a-zA-Z]+>/g) ?? []).length;
    expect(opened).toBe(closed);
    expect(escapeXml(`<&>"'`)).toBe('&lt;&amp;&gt;&quot;&apos;');
  });

  it('niceTicks(lo, hi) covers the range with 1-2-5 steps', () => {
    expect(niceTicks(0, 60, 6)).toEqual([0, 10, 20, 30, 40, 50, 60]);
    expect(niceTicks(0.05, 3.5, 6)).toEqual([0.5, 1, 1.5, 2, 2.5, 3, 3.5]);
    expect(niceTicks(-0.2, 1.6, 4)).toEqual([0, 0.5, 1, 1.5]);
  });

  it('every preset holds valid parameters (PARAM_RANGES) and the NV presets match λ11/λ0', () => {
    for (const p of PRESETS) {
      const s = { ...DEFAULT_STATE, ...p.state };
      for (const f of ['omega0', 'dz', 'gamma11', 'tMax'] as const) expect(parseField(f, String(s[f])).ok, `${p.id}.${f}`).toBe(true);
    }
    const nv = PRESETS.find((p) => p.id === 'nv450')!.state;
    assertClose(nv.omega0!, (Math.SQRT2 * 450) / 637, 1e-14, 'NV 450 nm: ω0 = √2·a/λ0');
    assertClose(nv.omega0!, 0.99906, 1e-5, 'paper: ω0 ≈ 1.0ω11 (physics.md: 0.99906)');
  });
});
