/**
 * The scene editor's URL encoding (app/src/scene/sceneState.ts): exact round trip of any valid
 * editor state, the documented format, and a message naming key, text and what is allowed for every
 * kind of bad link.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  DEFAULT_SCENE, emitter, EMITTER_COLUMNS, EMITTER_DEFAULTS, type ReservoirChoice, EDITOR_MAX_EMITTERS, fieldOfPath, fromLibraryScene, isSceneQuery, queryToScene, sceneFromPair, sceneToQuery,
  SCENE_TOL_CHOICES, splitQuery, toLibraryScene, type SceneState,
} from '../../app/src/scene/sceneState.js';
import { prepareScene, sceneFromParams } from '../../src/model/scene.js';

/** Any finite double (no −0: String(−0) is "0", which is the same number for every use here). */
const num = (min: number, max: number) => fc.double({ min, max, noNaN: true, noDefaultInfinity: true }).map((v) => (v === 0 ? 0 : v));

const reservoirArb: fc.Arbitrary<ReservoirChoice> = fc.oneof(
  fc.constant({ kind: 'tm11' as const }),
  fc.record({
    kind: fc.constant('multimode' as const),
    modes: fc.oneof(
      fc.array(fc.constantFrom('TM11', 'TM13', 'TM31', 'TM33', 'TM1,12', 'TE10'), { minLength: 1, maxLength: 4 }),
      num(-5, 30).map((maxCutoff) => ({ maxCutoff })),
    ),
    aspect: num(-2, 10),
  }),
  fc.record({ kind: fc.constant('cavity' as const), omegaC: num(-1e4, 1e4), hopping: num(-5, 5) }),
);

/** One emitter: the reservoir's columns at random, every other field at its default (what a link can hold). */
const emitterArb = (kind: ReservoirChoice['kind']) => fc.record({
  role: fc.constantFrom('charger' as const, 'battery' as const),
  values: fc.record({ z: num(-1e3, 1e3), omega0: num(-1e3, 1e3), gamma: num(-1e3, 1e3), loss: fc.oneof(fc.constant(0), num(-10, 10)), x: fc.oneof(fc.constant(0.5), num(-1, 2)), y: fc.oneof(fc.constant(0.5), num(-1, 2)), site: fc.integer({ min: -1e6, max: 1e6 }), g: num(-3, 3) }),
}).map(({ role, values }) => {
  const fields: Partial<Record<keyof typeof EMITTER_DEFAULTS, number>> = {};
  for (const c of EMITTER_COLUMNS[kind]) fields[c.key] = values[c.key];
  return emitter(role, fields);
});

const sceneArb: fc.Arbitrary<SceneState> = reservoirArb.chain((reservoir) => fc.array(emitterArb(reservoir.kind), { minLength: 1, maxLength: EDITOR_MAX_EMITTERS }).map((emitters) => ({ reservoir, emitters }))).chain(({ reservoir, emitters }) => fc.record({
  reservoir: fc.constant(reservoir),
  emitters: fc.constant(emitters),
  initial: fc.oneof(
    fc.constant({ kind: 'default' as const }),
    fc.integer({ min: 0, max: emitters.length - 1 }).map((index) => ({ kind: 'emitter' as const, index })),
    fc.array(fc.tuple(num(-1, 1), num(-1, 1)), { minLength: emitters.length, maxLength: emitters.length }).map((c) => ({ kind: 'amplitudes' as const, c })),
  ),
  tMax: num(1e-9, 2000).filter((v) => v > 0),
  method: fc.constantFrom('exact' as const, 'volterra' as const, 'markov' as const),
  tol: fc.constantFrom(...SCENE_TOL_CHOICES),
}));

describe('scene URL: sceneToQuery / queryToScene', () => {
  it('round-trips any editor state exactly (1000 random scenes, values at full precision, out-of-range numbers kept)', () => {
    fc.assert(fc.property(sceneArb, (s) => {
      const q = sceneToQuery(s);
      const back = queryToScene(`#${q}`);
      expect(back.errors).toEqual([]);
      expect(back.unknownKeys).toEqual([]);
      expect(back.state).toEqual(s);
      expect(isSceneQuery(q)).toBe(true);
    }), { numRuns: 1000 });
  });

  it('writes the documented compact form; loss is left out at 0; the default initial state is left out', () => {
    expect(sceneToQuery(DEFAULT_SCENE)).toBe('scene=1&res=tm11&em=c,0,1,0.5;b,0.1,1,0.5&tmax=60&method=exact&tol=0.001');
    const s: SceneState = {
      ...DEFAULT_SCENE,
      emitters: [...DEFAULT_SCENE.emitters, emitter('battery', { z: 0.35, omega0: 1.1, gamma: 0.4, loss: 0.001 })],
      initial: { kind: 'emitter', index: 1 },
      method: 'volterra',
      tol: 1e-8,
    };
    expect(sceneToQuery(s)).toBe('scene=1&res=tm11&em=c,0,1,0.5;b,0.1,1,0.5;b,0.35,1.1,0.4,0.001&init=2&tmax=60&method=volterra&tol=1e-8');
    expect(sceneToQuery({ ...DEFAULT_SCENE, initial: { kind: 'amplitudes', c: [[0.6, 0], [0, -0.8]] } })).toContain('&init=0.6,0;0,-0.8&');
    // Other reservoirs: their parameters, then their own emitter columns (x, y left out at the centre).
    expect(sceneToQuery({ ...DEFAULT_SCENE, reservoir: { kind: 'multimode', modes: ['TM11', 'TM13'], aspect: 2 }, emitters: [emitter('charger'), emitter('battery', { z: 0.2, x: 0.3 })] }))
      .toBe('scene=1&res=mm&aspect=2&modes=TM11;TM13&em=c,0,1,0.5;b,0.2,1,0.5,0,0.3&tmax=60&method=exact&tol=0.001');
    expect(sceneToQuery({ ...DEFAULT_SCENE, reservoir: { kind: 'multimode', modes: { maxCutoff: 4 }, aspect: 1 } })).toContain('&modes=max:4&');
    expect(sceneToQuery({ ...DEFAULT_SCENE, reservoir: { kind: 'cavity', omegaC: 0, hopping: 1 }, emitters: [emitter('charger', { site: 0, omega0: 0.5 }), emitter('battery', { site: 1, omega0: 0.5 })] }))
      .toBe('scene=1&res=ca&wc=0&hop=1&em=c,0,0.5,0.3;b,1,0.5,0.3&tmax=60&method=exact&tol=0.001');
  });

  it('reads percent-encoded links (",", ";" escaped by a mail client) and keeps "+" of an exponent', () => {
    const r = queryToScene('#scene=1&em=c%2C0%2C1%2C0.5%3Bb%2C1e%2B1%2C1%2C0.5&tmax=2e+1');
    expect(r.errors).toEqual([]);
    expect(r.state.emitters[1].z).toBe(10);
    expect(r.state.tMax).toBe(20);
    expect(splitQuery('?a=1+2&b')).toEqual(new Map([['a', ['1+2']], ['b', ['']]]));
  });

  it('a bad entry is reported by key, text and what is allowed, and the default used in its place', () => {
    const cases: Array<[string, string, RegExp]> = [
      ['#scene=1&em=c,0,1,0.5;x,0.1,1,0.5', 'em', /^link em="c,0,1,0.5;x,0.1,1,0.5": emitter 2 \("x,0.1,1,0.5"\) starts with "x"; the role must be c \(charger\) or b \(battery\) \(showing the default scene's emitters\)$/],
      ['#scene=1&em=c,0,1', 'em', /emitter 1 \("c,0,1"\) has 2 values; give 3 to 4: role,z,omega0,gamma,loss/],
      ['#scene=1&em=c,0,1,0.5,0,9', 'em', /has 5 values; give 3 to 4/],
      ['#scene=1&em=c,0,1,0x5', 'em', /emitter 1: gamma = "0x5" is not a number/],
      ['#scene=1&em=c,0,1,0.5;b,0,1,Infinity', 'em', /emitter 2: gamma = "Infinity" is not a number/],
      ['#scene=1&init=3', 'init', /^link init="3": emitter 3 does not exist; give 1 to 2/],
      ['#scene=1&init=1,0', 'init', /must be an emitter number \(1 to 2\) or 2 amplitudes re,im/],
      ['#scene=1&tmax=0', 'tmax', /^link tmax="0": must be a number in \(0, 2000\]/],
      ['#scene=1&method=rk4', 'method', /must be one of exact, volterra, markov \(showing exact\)/],
      ['#scene=1&tol=1e-4', 'tol', /must be one of 0.001, 0.00001, 1e-8/],
      ['#scene=1&res=cavity', 'res', /must be one of tm11, mm, ca/],
      ['#scene=1&res=table', 'res', /a tabulated band is not stored in links; upload its CSV/],
      ['#scene=1&res=mm&modes=max:x', 'modes', /max:c needs a number c/],
      ['#scene=1&res=ca&hop=fast', 'hop', /must be a number, the hopping J > 0/],
      ['#scene=1&tmax=5&tmax=6', 'tmax', /^link tmax="5, 6": given 2 times; give it once$/],
    ];
    for (const [hash, key, message] of cases) {
      const r = queryToScene(hash);
      expect(r.errors.map((e) => e.key), hash).toEqual([key]);
      expect(r.errors[0].error, hash).toMatch(message);
      // The bad entry's field keeps its default (the other fields come from the link).
      const field = ({ em: 'emitters', init: 'initial', tmax: 'tMax', method: 'method', tol: 'tol', res: 'reservoir', modes: 'reservoir', hop: 'reservoir' } as const)[key as 'em'];
      expect(r.state[field], hash).toEqual(DEFAULT_SCENE[field]);
    }
    expect(queryToScene(`#scene=1&em=${Array.from({ length: EDITOR_MAX_EMITTERS + 1 }, (_, j) => `b,${j},1,0.5`).join(';')}`).errors[0].error).toMatch(/13 emitters; at most 12/);
  });

  it('an unknown version opens the default scene with a message; unknown keys are listed', () => {
    const v = queryToScene('#scene=2&em=c,0,1,0.5');
    expect(v.state).toEqual(DEFAULT_SCENE);
    expect(v.errors[0].error).toBe('link scene="2": unknown scene link version (this explorer reads version 1); showing the default scene');
    expect(queryToScene('#scene=1&omega0=2&foo').unknownKeys).toEqual(['omega0', 'foo']);
    expect(isSceneQuery('#omega0=1&dz=0.1')).toBe(false);
  });
});

describe('scene state ↔ library scene', () => {
  it('the default scene is the library\'s two-emitter scene (sceneFromParams) and passes prepareScene', () => {
    const lib = toLibraryScene(DEFAULT_SCENE);
    expect(lib.emitters).toEqual(sceneFromParams({ omega0: 1, dz: 0.1, gamma11: 0.5 }).emitters);
    expect(lib.initial).toBeUndefined();
    expect(prepareScene(lib).initial).toEqual(Float64Array.from([1, 0, 0, 0]));
    const pair = sceneFromPair({ omega0: 1.2, dz: 0.3, gamma11: 0.7, tMax: 40, method: 'markov' }, 1e-5);
    expect(toLibraryScene(pair).emitters).toEqual(sceneFromParams({ omega0: 1.2, dz: 0.3, gamma11: 0.7 }).emitters);
    expect([pair.tMax, pair.method, pair.tol]).toEqual([40, 'markov', 1e-5]);
  });

  it('fromLibraryScene(toLibraryScene(s)) keeps the emitters and the amplitudes', () => {
    const s: SceneState = { ...DEFAULT_SCENE, emitters: [...DEFAULT_SCENE.emitters, emitter('battery', { z: 0.3, omega0: 1.1, gamma: 0.4, loss: 0.01 })], initial: { kind: 'emitter', index: 2 } };
    const back = fromLibraryScene(toLibraryScene(s));
    expect(back.emitters).toEqual(s.emitters);
    expect(back.initial).toEqual({ kind: 'amplitudes', c: [[0, 0], [0, 0], [1, 0]] });
    // Every reservoir the editor offers: the library accepts the scene, and it comes back unchanged.
    const others: SceneState[] = [
      { ...DEFAULT_SCENE, reservoir: { kind: 'multimode', modes: ['TM11', 'TM13', 'TM31', 'TM33'], aspect: 1 }, emitters: [emitter('charger', { x: 0.45 }), emitter('battery', { z: 0.1, y: 0.6 })] },
      { ...DEFAULT_SCENE, reservoir: { kind: 'multimode', modes: { maxCutoff: 2.1 }, aspect: 2 }, emitters: [emitter('charger'), emitter('battery', { z: 0.25, x: 0.3 })] },
      { ...DEFAULT_SCENE, reservoir: { kind: 'cavity', omegaC: 0, hopping: 1 }, emitters: [emitter('charger', { site: 0, omega0: 0.5 }), emitter('battery', { site: 1, omega0: 0.5 })] },
    ];
    for (const o of others) {
      expect(prepareScene(toLibraryScene(o)).n).toBe(2);
      expect(fromLibraryScene(toLibraryScene(o))).toEqual(o);
    }
    expect(() => fromLibraryScene({ reservoir: { type: 'bath' }, emitters: [] })).toThrow(/the editor handles/);
  });

  it('fieldOfPath maps prepareScene\'s paths to the editor\'s fields', () => {
    expect(fieldOfPath('scene.emitters[2].loss')).toEqual({ emitter: 2, key: 'loss' });
    expect(fieldOfPath('problem.scene.emitters[0].omega0')).toEqual({ emitter: 0, key: 'omega0' });
    expect(fieldOfPath('scene.initial[1][0]')).toEqual({ scene: 'initial' });
    expect(fieldOfPath('scene.emitters')).toEqual({ scene: 'emitters' });
    expect(fieldOfPath('problem.dt')).toEqual({ scene: 'tMax' });
    expect(fieldOfPath('scene.reservoir.aspect')).toEqual({ reservoir: 'aspect' });
    expect(fieldOfPath('scene.reservoir.modes[1]')).toEqual({ reservoir: 'modes' });
    expect(fieldOfPath('scene.emitters[3].site')).toEqual({ emitter: 3, key: 'site' });
    // prepareScene's own path for a bad field lands on that field.
    let path = '';
    try { prepareScene(toLibraryScene({ ...DEFAULT_SCENE, emitters: [DEFAULT_SCENE.emitters[0], { ...DEFAULT_SCENE.emitters[1], loss: -1 }] })); } catch (e) { path = (e as { path: string }).path; }
    expect(fieldOfPath(path)).toEqual({ emitter: 1, key: 'loss' });
  });
});
