import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import * as api from '../../src/index.js';
import { ParameterError } from '../../src/errors.js';

/**
 * Issue 10 item 9 / issue 12 item 5: every function exported by src/index.ts validates its arguments
 * on entry. For each export: the valid call works (so the refusals below are not a validator that
 * refuses everything), and a table of bad arguments — null, undefined, NaN, ±∞, '1', {}, negative or
 * out of range — each throws ParameterError whose message names the argument by its path. Then a
 * seeded fast-check property feeds random junk into every export: it must return a valid result (no
 * NaN anywhere) or throw ParameterError — never a TypeError, never hang (sizes are capped: numbers are
 * drawn from [−10, 10] plus a few extremes that the validators refuse).
 */

const P = { omega0: 1.5, gamma11: 0.5, dz: 0.1 };
const P_BELOW = { omega0: 0.5, gamma11: 0.5, dz: 0.1 };
const GUIDE = { a: 0.45e-6, b: 0.45e-6 };
const problem = () => ({ params: { ...P }, tMax: 2, dt: 1 });
const markovSolution = () => api.solve(problem(), 'markov');

/** One argument to spoil: where it sits (`set` writes a value there), its path in messages, its bad values. */
interface Slot { path: string; set: (args: unknown[], v: unknown) => void; bad: unknown[] }
interface Case { fn: string; args: () => unknown[]; slots: Slot[] }

const JUNK = [null, Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, '1', {}];
/** Bad values of a required number: the junk, undefined, and the given out-of-range ones. */
const num = (...outOfRange: unknown[]) => [...JUNK, undefined, ...outOfRange];
const at = (i: number) => (args: unknown[], v: unknown) => { args[i] = v; };
const field = (i: number, ...keys: string[]) => (args: unknown[], v: unknown) => {
  let o = args[i] as Record<string, unknown>;
  for (const k of keys.slice(0, -1)) o = o[k] as Record<string, unknown>;
  o[keys[keys.length - 1]] = v;
};
const slot = (path: string, set: Slot['set'], bad: unknown[]): Slot => ({ path, set, bad });
/** The three parameters inside a params object at `prefix` (e.g. 'problem.params'). */
const paramSlots = (i: number, prefix: string, ...keys: string[]): Slot[] => [
  slot(`${prefix}.omega0`, field(i, ...keys, 'omega0'), num(0, -1, 10.5)),
  slot(`${prefix}.gamma11`, field(i, ...keys, 'gamma11'), num(0, -0.5, 6)),
  slot(`${prefix}.dz`, field(i, ...keys, 'dz'), num(-1e-3, 21)),
];
const channelAt = (i: number) => slot('channel', at(i), [null, undefined, '', '+-', 1, {}, '−']);
const omega0Slot = (i: number) => slot('omega0', at(i), num(0, -1, 11));
const optionSlots = (i: number): Slot[] => [
  slot('options', at(i), [null, 5, 'fast', []]),
  slot('options.onProgress', field(i, 'onProgress'), [5, 'f', {}, null]),
  slot('options.signal', field(i, 'signal'), [true, {}, null, 1, { aborted: 'yes' }]),
];
const problemSlots = (i: number): Slot[] => [
  slot('problem', at(i), [null, undefined, 5, '1', []]),
  slot('problem.params', field(i, 'params'), [null, undefined, 5, []]),
  ...paramSlots(i, 'problem.params', 'params'),
  slot('problem.tMax', field(i, 'tMax'), num(-1, 1e7)),
  slot('problem.dt', field(i, 'dt'), num(0, -1)),
  slot('problem.tol', field(i, 'tol'), [...JUNK, 0, 1, 1e-20]),
];
/** A params object as the first argument (the low-level functions, issue 12 item 5). */
const params0: Slot[] = [slot('params', at(0), [null, undefined, 5, '1', []]), ...paramSlots(0, 'params')];
/** A three-emitter scene (issue 13) and its slots: the scene object at argument i, its path prefix. */
const scene3 = () => ({
  reservoir: { type: 'waveguide', modes: ['TM11'] },
  emitters: [
    { z: 0, omega0: 1.2, gamma: 0.5, role: 'charger' },
    { z: 0.1, omega0: 1.2, gamma: 0.5, role: 'battery' },
    { z: 0.35, omega0: 1.3, gamma: 0.4, loss: 0.001, role: 'battery' },
  ],
  initial: [[1, 0], [0, 0], [0, 0]],
});
const sceneSlots = (i: number, prefix: string, ...keys: string[]): Slot[] => [
  slot(prefix, keys.length ? field(i, ...keys) : at(i), [null, undefined, 5, '1', []]),
  slot(`${prefix}.reservoir.type`, field(i, ...keys, 'reservoir', 'type'), [null, 'fibre', 5]),
  slot(`${prefix}.emitters`, field(i, ...keys, 'emitters'), [null, [], 5, {}]),
  slot(`${prefix}.emitters[1].omega0`, field(i, ...keys, 'emitters', '1', 'omega0'), num(0, -1, 11)),
  slot(`${prefix}.emitters[2].loss`, field(i, ...keys, 'emitters', '2', 'loss'), [...JUNK, -0.1, 6]),
  slot(`${prefix}.emitters[2].z`, field(i, ...keys, 'emitters', '2', 'z'), num(-21, 21)),
  slot(`${prefix}.emitters[0].gamma`, field(i, ...keys, 'emitters', '0', 'gamma'), num(0, 6)),
  slot(`${prefix}.emitters[0].role`, field(i, ...keys, 'emitters', '0', 'role'), [null, 'load', 5]),
  slot(`${prefix}.initial`, field(i, ...keys, 'initial'), [5, [[1, 0]], [[0.5, 0], [0, 0], [0, 0]], [[0, 0], [0, 0], [0, 0]]]),
];
const sceneProblem = () => ({ scene: scene3(), tMax: 2, dt: 1, tol: 1e-6 });
const sceneSolution = () => api.solveScene({ scene: api.sceneFromParams(P), tMax: 2, dt: 1 }, 'markov');
const solutionSlots = (i: number): Slot[] => [
  slot('sol', at(i), [null, undefined, 5, '1', []]),
  slot('sol.t', field(i, 't'), [null, [0, 1, 2], 5]),
  slot('sol.c1', field(i, 'c1'), [null, new Float64Array(2), [1, 0]]),
  slot('sol.c2', field(i, 'c2'), [undefined, new Float64Array(7)]),
  slot('sol.params', field(i, 'params'), [null, 5]),
  slot('sol.params.omega0', field(i, 'params', 'omega0'), num(0)),
  slot('sol.status', field(i, 'status'), ['done', null]),
];
const amplitudeSlots = (c: string): Slot[] => [
  slot(`${c}re`, at(0), num(2, -1.6)),
  slot(`${c}im`, at(1), num(2, -1.6)),
  omega0Slot(2),
];
const guideSlots = (i: number): Slot[] => [
  slot('guide', at(i), [null, undefined, 5, '1', []]),
  slot('guide.a', field(i, 'a'), num(0, -1e-6, 1e-13, 2e3)),
  slot('guide.b', field(i, 'b'), num(0, -1e-6, 5e-324)),
];

const CASES: Case[] = [
  { fn: 'checkParams', args: () => [{ ...P }], slots: [slot('params', at(0), [null, undefined, 5, '1', []]), ...paramSlots(0, 'params')] },
  { fn: 'tauOf', args: () => [0.1], slots: [slot('dz', at(0), num(-1, 21))] },
  { fn: 'spectralDensity', args: () => [{ ...P }, 1.5, 1], slots: [...params0, slot('omega', at(1), [...JUNK, undefined, { ...P }, 1e301]), slot('order', at(2), [null, 2, 0.5, '0', -1, 1.5])] },
  { fn: 'channelDensity', args: () => [{ ...P }, 1.5, '-'], slots: [...params0, slot('omega', at(1), [...JUNK, undefined, { ...P }]), channelAt(2)] },
  { fn: 'memoryKernel', args: () => [{ ...P }, 2, 1], slots: [...params0, slot('t', at(1), num(-1, 1e7)), slot('order', at(2), [null, 2, '1'])] },
  { fn: 'selfEnergy', args: () => [{ ...P }, 0.5, '+'], slots: [...params0, slot('E', at(1), num(1, 1.5, -1e7)), channelAt(2)] },
  { fn: 'selfEnergyDerivative', args: () => [{ ...P }, 0.5, '-'], slots: [...params0, slot('E', at(1), num(1, 2)), channelAt(2)] },
  { fn: 'levelShift', args: () => [{ ...P }, 1.5, '+'], slots: [...params0, slot('omega', at(1), num(1, 0.5, 2e6)), channelAt(2)] },
  { fn: 'boundStates', args: () => [{ ...P }], slots: [slot('params', at(0), [null, undefined, 5, []]), ...paramSlots(0, 'params')] },
  { fn: 'resonances', args: () => [{ ...P }, '-', 3], slots: [...params0, channelAt(1), slot('kMax', at(2), num(0, -1, 1e4))] },
  { fn: 'continuumDensityK', args: () => [{ ...P }, 0.5, '+'], slots: [...params0, slot('k', at(1), num(0, -1, 1e7)), channelAt(2)] },
  { fn: 'markovRates', args: () => [{ ...P }], slots: params0 },
  { fn: 'solve', args: () => [problem(), 'markov', {}], slots: [...problemSlots(0), slot('method', at(1), [null, 'bogus', 5, {}]), ...optionSlots(2)] },
  {
    fn: 'solve', args: () => [problem(), 'volterra', {}],
    slots: [slot('options.convolution', field(2, 'convolution'), ['bogus']), slot('options.maxSteps', field(2, 'maxSteps'), [0, 2 ** 30])],
  },
  { fn: 'solveExact', args: () => [problem(), {}], slots: [...problemSlots(0), ...optionSlots(1), slot('options.maxNodes', field(1, 'maxNodes'), [0, 1.5, Number.NaN, '100', 1e9])] },
  { fn: 'solveMarkov', args: () => [problem(), {}], slots: [...problemSlots(0), ...optionSlots(1)] },
  {
    fn: 'solveLongTime', args: () => [{ params: { ...P_BELOW }, tMax: 1e5, dt: 1e4, tol: 1e-6 }, {}],
    slots: [
      slot('problem', at(0), [null, undefined, 5, '1', []]), ...paramSlots(0, 'problem.params', 'params'),
      slot('problem.tMax', field(0, 'tMax'), num(-1, 1e13)), slot('problem.dt', field(0, 'dt'), num(0, -1)),
      slot('problem.tol', field(0, 'tol'), [...JUNK, 0, 1, 1e-20]), ...optionSlots(1),
      slot('options.exactSpan', field(1, 'exactSpan'), [...JUNK, 0, 2e6]),
    ],
  },
  {
    fn: 'solveVolterra', args: () => [problem(), {}],
    slots: [
      ...problemSlots(0), ...optionSlots(1),
      slot('options.convolution', field(1, 'convolution'), ['bogus', null, 1]),
      slot('options.hMax', field(1, 'hMax'), [0, -1, Number.NaN, '0.1', 100]),
      slot('options.maxSteps', field(1, 'maxSteps'), [0, 2.5, 2 ** 30, null]),
      slot('options.minLevels', field(1, 'minLevels'), [0, Number.NaN, 1.5, 100]),
      slot('options.frame', field(1, 'frame'), [null, 'bogus', 5]),
      slot('options.frame.plus', (a, v) => { (a[1] as Record<string, unknown>).frame = { plus: v, minus: 0 }; }, [Number.NaN, '1', 1e3]),
    ],
  },
  { fn: 'population', args: () => [markovSolution(), 2], slots: [...solutionSlots(0), slot('j', at(1), [0, 3, '1', null, 1.5])] },
  { fn: 'amplitude', args: () => [markovSolution(), 1, 2], slots: [...solutionSlots(0), slot('j', at(1), [0, '2']), slot('i', at(2), [-1, 3, 1.5, Number.NaN, '0', null])] },
  { fn: 'batteryEnergy', args: () => [0.5, 0.5, 1.5], slots: amplitudeSlots('c2') },
  { fn: 'chargerEnergy', args: () => [0.5, -0.5, 1.5], slots: amplitudeSlots('c1') },
  { fn: 'batterySeries', args: () => [markovSolution()], slots: solutionSlots(0) },
  {
    fn: 'ergotropy', args: () => [{ pg: 0.2, pe: 0.8, coherenceRe: 0.1, coherenceIm: 0 }, 1.5],
    slots: [
      slot('state', at(0), [null, undefined, 5, '1', []]),
      slot('state.pg', field(0, 'pg'), num(-1, 2)),
      slot('state.pe', field(0, 'pe'), num(2)),
      slot('state.coherenceRe', field(0, 'coherenceRe'), num(1.5)),
      slot('state.coherenceIm', field(0, 'coherenceIm'), num(-2)),
      omega0Slot(1),
    ],
  },
  { fn: 'batteryErgotropy', args: () => [0.9, 0, 1.5], slots: amplitudeSlots('c2') },
  { fn: 'batteryState', args: () => [0.9, 0.1], slots: [slot('c2re', at(0), num(2)), slot('c2im', at(1), num(-2))] },
  {
    fn: 'steadyState', args: () => [{ ...P_BELOW }, { resonances: false }],
    slots: [
      slot('params', at(0), [null, undefined, 5]), ...paramSlots(0, 'params'),
      slot('options', at(1), [null, 5, 'x']),
      slot('options.residueThreshold', field(1, 'residueThreshold'), [null, '0.1', Number.NaN, -1, 0.6]),
      slot('options.observationTime', field(1, 'observationTime'), [null, '1', 0, Number.POSITIVE_INFINITY]),
      slot('options.resonances', field(1, 'resonances'), [null, 'yes', 1]),
    ],
  },
  {
    fn: 'steadyAmplitude', args: () => [api.boundStates(P_BELOW).boundStates, 10],
    slots: [
      slot('states', at(0), [null, undefined, 5, {}, '1']),
      slot('states[0]', (a, v) => { (a[0] as unknown[])[0] = v; }, [null, 5]),
      slot('states[0].channel', (a, v) => { a[0] = [{ channel: v, energy: 0.3, residue: 0.4 }]; }, ['x', null]),
      slot('states[0].residue', (a, v) => { a[0] = [{ channel: '+', energy: 0.3, residue: v }]; }, num(-0.1, 0.6)),
      slot('states[0].energy', (a, v) => { a[0] = [{ channel: '+', energy: v, residue: 0.4 }]; }, num(1e7)),
      slot('t', at(1), num(-1, 1e13)),
    ],
  },
  { fn: 'cutoffFrequency', args: () => [{ ...GUIDE }, 1, 3], slots: [...guideSlots(0), slot('m, n', at(1), [-1, 1.5, Number.NaN, '1', 1e4])] },
  { fn: 'omega11', args: () => [{ ...GUIDE }], slots: guideSlots(0) },
  { fn: 'lambda11', args: () => [{ ...GUIDE }], slots: guideSlots(0) },
  { fn: 'omega0Ratio', args: () => [{ ...GUIDE }, 637e-9], slots: [...guideSlots(0), slot('wavelength', at(1), num(0, -1, 5e-324, 1e4))] },
  { fn: 'dzInLambda11', args: () => [{ ...GUIDE }, 1e-6], slots: [...guideSlots(0), slot('dzMetres', at(1), num(-1, 1e7))] },
  { fn: 'dzInMetres', args: () => [{ ...GUIDE }, 2], slots: [...guideSlots(0), slot('dzLambda11', at(1), num(-1, 1e10))] },
  {
    fn: 'gamma11Ratio', args: () => [{ ...GUIDE }, { dipole: 1.8e-29, x0: 0.2e-6, y0: 0.2e-6 }],
    slots: [
      ...guideSlots(0), slot('emitter', at(1), [null, undefined, 5, []]),
      slot('emitter.dipole', field(1, 'dipole'), num(-1e-29, 1e-20)),
      slot('emitter.x0', field(1, 'x0'), num(-1e-9, 1e-6)),
      slot('emitter.y0', field(1, 'y0'), num(-1e-9, 1e-6)),
    ],
  },
  {
    fn: 'dipoleForGamma11', args: () => [{ ...GUIDE }, 0.5, 0.2e-6, 0.2e-6],
    slots: [...guideSlots(0), slot('ratio', at(1), num(-1, 1e7)), slot('x0', at(2), num(0, 0.45e-6, -1e-9, 1e-6)), slot('y0', at(3), num(0, 0.45e-6, 1e-6))],
  },
  {
    fn: 'guideFor', args: () => [637e-9, 1, 2],
    slots: [slot('wavelength', at(0), num(0, -1, 5e-324)), slot('ratio', at(1), num(0, -1, 1e4, 1e-300)), slot('aspect', at(2), [...JUNK, 0, -1, 1e-200, 1e4])],
  },
  { fn: 'nextCoupledMode', args: () => [{ ...GUIDE }, 0.2e-6, 0.2e-6], slots: [...guideSlots(0), slot('x0', at(1), num(-1e-9, 1e-6)), slot('y0', at(2), num(1e-6))] },
  { fn: 'prepareScene', args: () => [scene3()], slots: sceneSlots(0, 'scene') },
  { fn: 'sceneFromParams', args: () => [{ ...P }], slots: [slot('params', at(0), [null, undefined, 5, []]), ...paramSlots(0, 'params')] },
  {
    fn: 'solveScene', args: () => [sceneProblem(), 'markov', {}],
    slots: [
      slot('problem', at(0), [null, undefined, 5, '1', []]), ...sceneSlots(0, 'problem.scene', 'scene'),
      slot('problem.tMax', field(0, 'tMax'), num(-1, 1e7)), slot('problem.dt', field(0, 'dt'), num(0, -1)),
      slot('problem.tol', field(0, 'tol'), [...JUNK, 0, 1, 1e-20]), slot('method', at(1), [null, 'bogus', 5, {}]), ...optionSlots(2),
    ],
  },
  {
    fn: 'sceneBoundStates', args: () => [scene3(), {}],
    slots: [...sceneSlots(0, 'scene'), slot('options', at(1), [null, 5]), slot('options.residueThreshold', field(1, 'residueThreshold'), [...JUNK, -1, 0.6]), slot('options.observationTime', field(1, 'observationTime'), [...JUNK, 0, -1])],
  },
  {
    fn: 'sceneSteadyState', args: () => [scene3(), {}],
    slots: [...sceneSlots(0, 'scene'), slot('options', at(1), [null, 5]), slot('options.window', field(1, 'window'), [...JUNK, 0, -1]), slot('options.residueThreshold', field(1, 'residueThreshold'), [-1, 0.6])],
  },
  { fn: 'bankState', args: () => [scene3(), [0.6, 0, 0.8, 0, 0, 0]], slots: [...sceneSlots(0, 'scene'), slot('c', at(1), [null, 5, [1, 0], '1']), slot('c[2]', (a, v) => { (a[1] as unknown[])[2] = v; }, [...JUNK, 2])] },
  {
    fn: 'bankSeries', args: () => [sceneSolution()],
    slots: [slot('sol', at(0), [null, undefined, 5, '1', []]), slot('sol.c', field(0, 'c'), [[], [new Float64Array(6)]]), slot('sol.scene', field(0, 'scene'), [null, 5, 'x'])],
  },
  {
    fn: 'multimodeStudy', args: () => [{ omega0: 1.5, gamma11: 0.5, dz: 0.1, modes: ['TM11', 'TM13', 'TM31'] }],
    slots: [
      slot('input', at(0), [null, undefined, 5]), slot('input.omega0', field(0, 'omega0'), num(0, 11)),
      slot('input.gamma11', field(0, 'gamma11'), num(0, 6)), slot('input.dz', field(0, 'dz'), num(-1, 21)),
      slot('input.aspect', field(0, 'aspect'), [...JUNK, 0, -1, 5e-324, 1e-4, 1e4]), slot('input.x', field(0, 'x'), [...JUNK, 0, 1]),
      slot('input.modes', field(0, 'modes'), [5, [], ['TM22'], ['TM11', 'TM11']]),
      slot('input.modes[0]', (a, v) => { (a[0] as { modes: unknown[] }).modes[0] = v; }, ['TE10', 'TM01', 'TM1', 5, null]),
    ],
  },
];
/** Exports that are not functions of user data (constants and the error class itself). */
const NOT_CHECKED = new Set(['ParameterError', 'VERSION', 'PARAM_RANGES', 'METHODS', 'NV_DIPOLE_DEBYE', 'reservoirTypes', 'LONG_T_MAX']);

const call = (name: string, args: unknown[]): unknown => (api as unknown as Record<string, (...a: unknown[]) => unknown>)[name](...args);

function thrown(f: () => unknown): unknown {
  try { f(); } catch (e) { return e; }
  return undefined;
}

const show = (v: unknown): string => (typeof v === 'number' || v === undefined ? String(v) : JSON.stringify(v) ?? String(v));

describe('every export of src/index.ts refuses malformed arguments with a ParameterError naming them', () => {
  it('the table covers every exported function (a new export without a table fails here)', () => {
    const fns = Object.entries(api).filter(([k, v]) => typeof v === 'function' && !NOT_CHECKED.has(k)).map(([k]) => k).sort();
    expect([...new Set(CASES.map((c) => c.fn))].sort()).toEqual(fns);
    for (const k of NOT_CHECKED) expect(k in api, k).toBe(true);
  });

  for (const c of CASES) {
    it(`${c.fn}: the valid call works; ${c.slots.reduce((n, s) => n + s.bad.length, 0)} bad arguments throw ParameterError naming them`, () => {
      expect(thrown(() => call(c.fn, c.args())), `${c.fn} valid call`).toBeUndefined();
      for (const s of c.slots) {
        for (const bad of s.bad) {
          const args = c.args();
          s.set(args, bad);
          const err = thrown(() => call(c.fn, args));
          const what = `${c.fn} with ${s.path} = ${show(bad)}`;
          expect(err, what).toBeInstanceOf(ParameterError);
          expect((err as Error).message, what).toContain(`${s.path} = `);
          expect((err as Error).message, what).not.toContain('[object Object]');
        }
      }
    });
  }

  it('the old positional calls and swapped arguments are named, with the call meant (issue 12 item 5)', () => {
    const e1 = thrown(() => (api.spectralDensity as (...a: unknown[]) => number)(1, 1.5, 0.5, 0.6)) as Error;
    expect(e1.message).toMatch(/^params = 1 is not allowed: must be the model's parameter object \{omega0, gamma11, dz\}.*spectralDensity\(params, ω, order\)/);
    const e2 = thrown(() => (api.spectralDensity as (...a: unknown[]) => number)({ ...P }, { ...P })) as Error;
    expect(e2.message).toMatch(/omega = .*expected a number, got a params object/);
    const e3 = thrown(() => (api.markovRates as (...a: unknown[]) => unknown)(1.5, 0.5, 0.1)) as Error;
    expect(e3.message).toMatch(/markovRates\(params\)/);
    // Issue 12: spectralDensity(1.5, params) returned a silent 0.
    expect(thrown(() => (api.spectralDensity as (...a: unknown[]) => number)(1.5, P))).toBeInstanceOf(ParameterError);
  });

  it('the CLI keeps its flag mapping: `parameter` is the API name, `path` where it sat in the call', () => {
    const e = thrown(() => api.solve({ params: { ...P, dz: -1 }, tMax: 1, dt: 1 })) as ParameterError;
    expect([e.parameter, e.path, e.value]).toEqual(['dz', 'problem.params.dz', -1]);
  });

  it('an already-aborted signal gives status cancelled with every method (Markov returned success)', () => {
    const ac = new AbortController();
    ac.abort();
    for (const m of api.METHODS) expect(api.solve(problem(), m, { signal: ac.signal }).status, m).toBe('cancelled');
  });
});

describe('fuzz: junk arguments give a valid result or a ParameterError, never a TypeError, NaN or a hang', () => {
  /** Junk numbers: extremes (refused by every validator where they matter) and small values (cheap calls). */
  const junkNumber = fc.oneof(
    fc.constantFrom(Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, -0, 0, 1, -1, 1e-300, 1e300, 5e-324),
    fc.double({ min: -10, max: 10 }),
  );
  const junk: fc.Arbitrary<unknown> = fc.oneof(
    junkNumber,
    fc.constantFrom(null, undefined, '1', '', true, [], {}, '+', '-', 'markov', () => 1, { aborted: true }, new Float64Array(2)),
    fc.record({ omega0: junkNumber, gamma11: junkNumber, dz: junkNumber }),
  );

  /** True if no number in the value (objects, arrays, typed arrays, one level of nesting and more) is NaN. */
  function noNaN(v: unknown, depth = 0): boolean {
    if (typeof v === 'number') return !Number.isNaN(v);
    if (v === null || typeof v !== 'object' || depth > 4) return true;
    if (ArrayBuffer.isView(v)) return !Array.from(v as Float64Array).some(Number.isNaN);
    return Object.values(v).every((x) => noNaN(x, depth + 1));
  }

  it('each export, 60 seeded runs (20 for the solvers, whose valid calls cost ms): spoil 1–3 argument slots with junk', () => {
    const started = Date.now();
    const perCase: Record<string, number> = {};
    for (const c of CASES) {
      const t0 = Date.now();
      // Size cap: the output step is left valid (dt = 1) for the solvers; junk tMax ≤ 10 then means ≤ 11 points.
      const slots = c.slots.filter((sl) => sl.path !== 'problem.dt');
      const details = fc.check(fc.property(fc.array(fc.tuple(fc.nat(slots.length - 1), junk), { minLength: 1, maxLength: 3 }), (spoils) => {
        const args = c.args();
        try {
          for (const [i, v] of spoils) slots[i].set(args, v);
        } catch {
          return; // the slot's container was itself replaced by junk: nothing left to spoil
        }
        let out: unknown;
        try {
          out = call(c.fn, args);
        } catch (e) {
          expect(e, `${c.fn}(${args.map(show).join(', ')}) threw ${String(e)}`).toBeInstanceOf(ParameterError);
          return;
        }
        const status = typeof out === 'object' && out !== null ? (out as { status?: unknown }).status : undefined;
        if (status !== undefined && status !== 'success') {
          // A run that did not succeed may hold NaN (a cancelled or over-budget run, documented): its message says why.
          expect((out as { message: string }).message.length, `${c.fn} status ${String(status)}`).toBeGreaterThan(0);
          return;
        }
        // Of a Solution, the data: errorEstimate is NaN for a method without an estimate and stats hold NaN for
        // "not applicable" (e.g. the step h when only t = 0 was asked), both documented in types.ts.
        const checked = status === 'success' ? (({ t, c1, c2 }) => ({ t, c1, c2 }))(out as api.Solution) : out;
        expect(noNaN(checked), `${c.fn}(${args.map(show).join(', ')}) returned NaN`).toBe(true);
      }), { seed: 20240301, numRuns: c.fn.startsWith('solve') ? 20 : 60 });
      if (details.failed) expect.fail(`${c.fn}: ${String(details.errorInstance)} (counterexample ${JSON.stringify(details.counterexample)})`);
      perCase[c.fn] = Date.now() - t0;
    }
    if (process.env.QB_FUZZ_TIMES) console.log(perCase);
    // Never a hang: the whole walk stays within seconds (measured ≈ 1–3 s on 2 shared cores).
    expect(Date.now() - started, JSON.stringify(perCase)).toBeLessThan(60_000);
  }, 120_000);
});
