/**
 * The scene editor's state (a reservoir, N emitters, the initial state, the solver settings), its
 * defaults, conversion to the library's Scene (src/model/scene.ts, the JSON of `qbwave --scene FILE`),
 * and its compact, versioned encoding in the URL fragment. Pure (no DOM): unit-tested in Node
 * (test/app/sceneUrl.test.ts).
 *
 * ## URL format, version 1
 * `#scene=1&res=tm11&em=c,0,1,0.5;b,0.1,1,0.5,0.001&init=1&tmax=60&method=exact&tol=0.001`
 * - `scene=1`: the format version (and what puts the page in scene mode);
 * - `res`: the reservoir — `tm11` (the paper's single-mode guide); `mm` (the multimode guide, with
 *   `aspect` = b/a and `modes` = TM mode names separated by `;`, or `max:c` for every TM mode below
 *   c·ω11); `ca` (a coupled-cavity array, with `wc` = ωc and `hop` = the hopping J); `table` (a
 *   tabulated band: the table itself is not stored in a link, so such a link says so and opens the
 *   TM11 guide);
 * - `em`: the emitters, `;`-separated; each is its role (`c` charger, `b` battery) and then the
 *   reservoir's columns (EMITTER_COLUMNS), `,`-separated, at full precision; a trailing column with a
 *   default (loss 0) may be left out;
 * - `init` (optional): the emitter excited at t = 0 (1-based), or amplitudes `re,im;re,im;…`; absent:
 *   the first charger (the library's default);
 * - `tmax` (1/ω11), `method` (exact | volterra | markov), `tol` (one of SCENE_TOL_CHOICES).
 * The characters `,` `;` are legal in a fragment, so the link stays readable. Syntax errors (not a
 * number, unknown role, wrong column count, unknown version) are reported by key with the text and
 * what is allowed; the defaults are used in their place. Values that are numbers but out of range are
 * kept: the editor shows prepareScene's message next to the field (see fieldOfPath).
 */
import type { Role, Scene, SceneEmitter } from '../../../src/model/scene.js';
import type { Method } from '../../../src/dynamics/types.js';
import { PLAIN_DECIMAL } from '../../../src/decimal.js';

/** The URL format version this code writes; it reads only this one. */
export const SCENE_URL_VERSION = 1;

/** The reservoirs the editor offers (src/model/reservoirs/). */
export type ReservoirChoice =
  | { kind: 'tm11' }
  /** The multimode rectangular guide: TM mode names or every mode below maxCutoff (ω11); aspect b/a. */
  | { kind: 'multimode'; modes: string[] | { maxCutoff: number }; aspect: number }
  /** A coupled-cavity array: cavity frequency ωc and hopping J (band [ωc − 2J, ωc + 2J]). */
  | { kind: 'cavity'; omegaC: number; hopping: number }
  /** A tabulated 1D band (k ≥ 0, ω(k), |g(k)|²), from an uploaded CSV or the built-in example. */
  | { kind: 'table'; name: string; k: number[]; omega: number[]; coupling: number[] };
export type ReservoirKind = ReservoirChoice['kind'];
export const RESERVOIR_KINDS: readonly ReservoirKind[] = ['tm11', 'multimode', 'cavity', 'table'];

/** The emitters' numeric fields (each reservoir reads some of them). */
export type EmitterKey = 'z' | 'omega0' | 'gamma' | 'loss' | 'x' | 'y' | 'site' | 'g';

/** A numeric emitter column: key in SceneEmitter, URL position, default (undefined: required), label. */
export interface EmitterColumn {
  key: EmitterKey;
  /** Header text and the short name used in messages. */
  label: string;
  unit: string;
  defaultValue?: number;
  /** Step of the arrow keys in the table (and of a marker's keyboard moves for z or site). */
  step: number;
}

const COL = {
  z: { key: 'z', label: 'z', unit: 'λ11', step: 0.01 },
  omega0: { key: 'omega0', label: 'ω0', unit: 'ω11', step: 0.01 },
  gamma: { key: 'gamma', label: 'Γ', unit: 'ω11', step: 0.01 },
  loss: { key: 'loss', label: 'loss γ', unit: 'ω11', defaultValue: 0, step: 0.001 },
  x: { key: 'x', label: 'x', unit: 'fraction of a', defaultValue: 0.5, step: 0.01 },
  y: { key: 'y', label: 'y', unit: 'fraction of b', defaultValue: 0.5, step: 0.01 },
  site: { key: 'site', label: 'site', unit: 'lattice index', step: 1 },
  g: { key: 'g', label: 'g', unit: 'frequency unit', step: 0.01 },
} as const satisfies Record<EmitterKey, EmitterColumn>;

/** Per reservoir: the emitter columns in table and URL order (after the role). */
export const EMITTER_COLUMNS: Record<ReservoirKind, readonly EmitterColumn[]> = {
  tm11: [COL.z, COL.omega0, COL.gamma, COL.loss],
  multimode: [COL.z, COL.omega0, COL.gamma, COL.loss, COL.x, COL.y],
  cavity: [COL.site, { ...COL.omega0, unit: 'frequency unit' }, COL.g, { ...COL.loss, unit: 'frequency unit' }],
  table: [{ ...COL.z, unit: 'table unit of z' }, { ...COL.omega0, unit: 'table frequency unit' }, { ...COL.gamma, label: 'scale s', unit: 'dimensionless' }, { ...COL.loss, unit: 'table frequency unit' }],
};

/** One emitter as the editor holds it (every field; the reservoir's columns are the ones used). */
export interface EditorEmitter {
  role: Role;
  z: number;
  omega0: number;
  gamma: number;
  loss: number;
  x: number;
  y: number;
  site: number;
  g: number;
}

/** Values of the fields a reservoir does not read (and of a link's left-out columns). */
export const EMITTER_DEFAULTS: Readonly<Omit<EditorEmitter, 'role'>> = Object.freeze({ z: 0, omega0: 1, gamma: 0.5, loss: 0, x: 0.5, y: 0.5, site: 0, g: 0.3 });

/** An emitter with the defaults for every field not given. */
export function emitter(role: Role, fields: Partial<Omit<EditorEmitter, 'role'>> = {}): EditorEmitter {
  return { role, ...EMITTER_DEFAULTS, ...fields };
}

/** Initial single-excitation state: the library default, one excited emitter, or given amplitudes. */
export type InitialChoice =
  | { kind: 'default' }
  | { kind: 'emitter'; index: number }
  | { kind: 'amplitudes'; c: Array<[number, number]> };

export interface SceneState {
  reservoir: ReservoirChoice;
  emitters: EditorEmitter[];
  initial: InitialChoice;
  /** End of the time span, 1/ω11. */
  tMax: number;
  method: Method;
  /** Absolute accuracy asked of the solver on every c_j. */
  tol: number;
}

export const SCENE_METHODS: readonly Method[] = ['exact', 'volterra', 'markov'];
export const SCENE_TOL_CHOICES: readonly number[] = [1e-3, 1e-5, 1e-8];
/** Time span accepted by the editor, 1/ω11 (as the two-emitter explorer). */
export const SCENE_TMAX_RANGE = { min: 0, minOpen: true, max: 2000, unit: '1/ω11' } as const;
/** Most emitters the editor adds (the library allows MAX_EMITTERS = 64; the plots stay readable to 12). */
export const EDITOR_MAX_EMITTERS = 12;

/** The paper's configuration: charger at z = 0 (excited), battery 0.1λ11 away, ω0 = 1, Γ = 0.5. */
export const DEFAULT_SCENE: Readonly<SceneState> = Object.freeze({
  reservoir: { kind: 'tm11' },
  emitters: [emitter('charger', { z: 0 }), emitter('battery', { z: 0.1 })],
  initial: { kind: 'default' },
  tMax: 60,
  method: 'exact',
  tol: 1e-3,
}) as SceneState;

/** A fresh copy of the default scene (its arrays are not shared). */
export function defaultScene(): SceneState {
  return cloneScene(DEFAULT_SCENE);
}

export function cloneScene(s: SceneState): SceneState {
  return {
    ...s,
    reservoir: cloneReservoir(s.reservoir),
    emitters: s.emitters.map((e) => ({ ...e })),
    initial: s.initial.kind === 'amplitudes' ? { kind: 'amplitudes', c: s.initial.c.map(([a, b]) => [a, b] as [number, number]) } : { ...s.initial },
  };
}

function cloneReservoir(r: ReservoirChoice): ReservoirChoice {
  if (r.kind === 'multimode') return { ...r, modes: Array.isArray(r.modes) ? [...r.modes] : { ...r.modes } };
  if (r.kind === 'table') return { ...r, k: [...r.k], omega: [...r.omega], coupling: [...r.coupling] };
  return { ...r };
}

/** The scene from the two-emitter explorer's parameters (the mode switch carries them over). */
export function sceneFromPair(p: { omega0: number; dz: number; gamma11: number; tMax: number; method: Method }, tol: number): SceneState {
  return {
    ...defaultScene(),
    emitters: [emitter('charger', { z: 0, omega0: p.omega0, gamma: p.gamma11 }), emitter('battery', { z: p.dz, omega0: p.omega0, gamma: p.gamma11 })],
    tMax: p.tMax,
    method: p.method,
    tol: SCENE_TOL_CHOICES.includes(tol) ? tol : 1e-3,
  };
}

/** The reservoir's JSON (the scene's `reservoir`). */
export function reservoirSpec(r: ReservoirChoice): Scene['reservoir'] {
  switch (r.kind) {
    case 'tm11': return { type: 'waveguide', modes: ['TM11'] };
    case 'multimode': return { type: 'waveguide', modes: Array.isArray(r.modes) ? [...r.modes] : { ...r.modes }, aspect: r.aspect };
    case 'cavity': return { type: 'cavity-array', omegaC: r.omegaC, hopping: r.hopping };
    case 'table': return { type: 'table', k: [...r.k], omega: [...r.omega], coupling: [...r.coupling], description: r.name };
  }
}

/** The library's scene (src/model/scene.ts; the JSON of `qbwave … --scene FILE`). */
export function toLibraryScene(s: SceneState): Scene {
  const cols = EMITTER_COLUMNS[s.reservoir.kind];
  const emitters: SceneEmitter[] = s.emitters.map((e) => {
    const out: Record<string, unknown> = {};
    for (const c of cols) if (!(c.key === 'loss' && e.loss === 0) && !((c.key === 'x' || c.key === 'y') && e[c.key] === c.defaultValue)) out[c.key] = e[c.key];
    out.role = e.role;
    return out as unknown as SceneEmitter;
  });
  const scene: Scene = { reservoir: reservoirSpec(s.reservoir), emitters };
  const init = initialAmplitudes(s);
  if (init) scene.initial = init;
  return scene;
}

/** The amplitudes [re, im] of c(0), or undefined for the library default (first charger excited). */
export function initialAmplitudes(s: SceneState): Array<[number, number]> | undefined {
  const n = s.emitters.length;
  if (s.initial.kind === 'default') return undefined;
  if (s.initial.kind === 'emitter') return Array.from({ length: n }, (_, j) => (j === (s.initial as { index: number }).index ? [1, 0] : [0, 0]));
  return s.initial.c.map(([a, b]) => [a, b]);
}

/** The index of the emitter excited at t = 0 when the state is one emitter (default: the first charger), else null. */
export function excitedIndex(s: SceneState): number | null {
  if (s.initial.kind === 'emitter') return s.initial.index;
  if (s.initial.kind === 'default') {
    const j = s.emitters.findIndex((e) => e.role === 'charger');
    return j >= 0 ? j : null;
  }
  return null;
}

/** The editor's reservoir from a scene's `reservoir` JSON; throws Error naming what it cannot use. */
export function reservoirFromJson(r: Scene['reservoir']): ReservoirChoice {
  const where = `scene.reservoir = ${JSON.stringify(r).slice(0, 80)}`;
  if (r?.type === 'waveguide') {
    const modes = r.modes as unknown;
    const single = modes === undefined || (Array.isArray(modes) && modes.length === 1 && modes[0] === 'TM11');
    if (single && r.aspect === undefined) return { kind: 'tm11' };
    const list = modes === undefined ? ['TM11'] : modes;
    if (!(Array.isArray(list) && list.every((m) => typeof m === 'string')) && !(list && typeof list === 'object' && typeof (list as { maxCutoff?: unknown }).maxCutoff === 'number')) {
      throw new Error(`${where}: modes must be TM mode names or {"maxCutoff": c}`);
    }
    return { kind: 'multimode', modes: Array.isArray(list) ? [...list] as string[] : { maxCutoff: (list as { maxCutoff: number }).maxCutoff }, aspect: typeof r.aspect === 'number' ? r.aspect : 1 };
  }
  if (r?.type === 'cavity-array') return { kind: 'cavity', omegaC: r.omegaC as number, hopping: r.hopping as number };
  if (r?.type === 'table' && Array.isArray(r.k)) {
    return { kind: 'table', name: typeof r.description === 'string' ? r.description : 'table from the scene JSON', k: [...r.k as number[]], omega: [...r.omega as number[]], coupling: [...r.coupling as number[]] };
  }
  throw new Error(`${where}: the editor handles the TM11 guide, the multimode guide, the cavity array and a table with its arrays`);
}

/** The editor state from a library scene (a pasted or uploaded scene JSON); throws Error naming the field it cannot use. */
export function fromLibraryScene(scene: Scene, base: SceneState = DEFAULT_SCENE): SceneState {
  const reservoir = reservoirFromJson(scene.reservoir);
  const keys = ['role', ...EMITTER_COLUMNS[reservoir.kind].map((c) => c.key)];
  const emitters: EditorEmitter[] = scene.emitters.map((e, j) => {
    for (const k of Object.keys(e)) if (!keys.includes(k)) throw new Error(`scene.emitters[${j}].${k}: not a field of an emitter in this reservoir (${keys.join(', ')})`);
    const fields: Partial<EditorEmitter> = {};
    for (const k of keys) if (k !== 'role' && typeof (e as unknown as Record<string, unknown>)[k] === 'number') fields[k as EmitterKey] = (e as unknown as Record<string, number>)[k];
    return emitter(e.role, fields);
  });
  return {
    ...cloneScene(base),
    reservoir,
    emitters,
    initial: scene.initial ? { kind: 'amplitudes', c: scene.initial.map(([a, b]) => [a, b] as [number, number]) } : { kind: 'default' },
  };
}

// ---------------------------------------------------------------- URL

/** The `res` value of each reservoir kind. */
export const RES_CODE: Record<ReservoirKind, string> = { tm11: 'tm11', multimode: 'mm', cavity: 'ca', table: 'table' };

/** A number at full precision (shortest round-trip form). */
const num = (v: number) => String(v);

/** Serialises the scene into a URL fragment body (no leading '#'). */
export function sceneToQuery(s: SceneState): string {
  const cols = EMITTER_COLUMNS[s.reservoir.kind];
  const em = s.emitters.map((e) => {
    const values = cols.map((c) => e[c.key]);
    // Trailing columns at their default are left out.
    let k = values.length;
    while (k > 0 && cols[k - 1].defaultValue !== undefined && values[k - 1] === cols[k - 1].defaultValue) k--;
    return [e.role === 'charger' ? 'c' : 'b', ...values.slice(0, k).map(num)].join(',');
  }).join(';');
  const r = s.reservoir;
  const parts = [`scene=${SCENE_URL_VERSION}`, `res=${RES_CODE[r.kind]}`];
  if (r.kind === 'multimode') parts.push(`aspect=${num(r.aspect)}`, `modes=${Array.isArray(r.modes) ? r.modes.map(encodeURIComponent).join(';') : `max:${num(r.modes.maxCutoff)}`}`);
  if (r.kind === 'cavity') parts.push(`wc=${num(r.omegaC)}`, `hop=${num(r.hopping)}`);
  parts.push(`em=${em}`);
  if (s.initial.kind === 'emitter') parts.push(`init=${s.initial.index + 1}`);
  else if (s.initial.kind === 'amplitudes') parts.push(`init=${s.initial.c.map(([a, b]) => `${num(a)},${num(b)}`).join(';')}`);
  parts.push(`tmax=${num(s.tMax)}`, `method=${s.method}`, `tol=${num(s.tol)}`);
  return parts.join('&');
}

/** A URL entry that could not be used: its key, its text and why (the message names all three). */
export interface SceneQueryError { key: string; text: string; error: string }

export interface SceneQueryResult {
  state: SceneState;
  errors: SceneQueryError[];
  unknownKeys: string[];
}

/** The URL keys of scene mode. */
export const SCENE_URL_KEYS: readonly string[] = ['scene', 'res', 'aspect', 'modes', 'wc', 'hop', 'em', 'init', 'tmax', 'method', 'tol'];

/**
 * Splits a fragment or query ("#a=1&b=2") into key → values. Unlike URLSearchParams, '+' stays '+'
 * (1e+21 is a number here, not "1e 21"); %-escapes are decoded.
 */
export function splitQuery(query: string): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const part of query.replace(/^[#?]/, '').split('&')) {
    if (part === '') continue;
    const eq = part.indexOf('=');
    const dec = (t: string) => { try { return decodeURIComponent(t); } catch { return t; } };
    const key = dec(eq < 0 ? part : part.slice(0, eq));
    const value = eq < 0 ? '' : dec(part.slice(eq + 1));
    out.set(key, [...(out.get(key) ?? []), value]);
  }
  return out;
}

/** True when a fragment or query is a scene link (it has the key `scene`). */
export function isSceneQuery(query: string): boolean {
  return splitQuery(query).has('scene');
}

function parseNumber(text: string): number | null {
  const t = text.trim();
  return PLAIN_DECIMAL.test(t) ? Number(t) : null;
}

/**
 * Reads a scene link. Each bad entry is reported (key, text, what is allowed) and replaced by the
 * default; numbers out of range are kept for the editor's validation to show at their field.
 */
export function queryToScene(query: string): SceneQueryResult {
  const q = splitQuery(query);
  const state = defaultScene();
  const errors: SceneQueryError[] = [];
  const bad = (key: string, text: string, why: string) => errors.push({ key, text, error: `link ${key}=${JSON.stringify(text)}: ${why}` });
  const one = (key: string): string | undefined => {
    const all = q.get(key);
    if (!all) return undefined;
    if (all.length > 1) { bad(key, all.join(', '), `given ${all.length} times; give it once`); return undefined; }
    return all[0];
  };
  const version = one('scene');
  if (version !== undefined && version !== String(SCENE_URL_VERSION)) {
    bad('scene', version, `unknown scene link version (this explorer reads version ${SCENE_URL_VERSION}); showing the default scene`);
    return { state, errors, unknownKeys: [] };
  }
  const res = one('res');
  if (res === 'mm') {
    const aspectText = one('aspect');
    const modesText = one('modes');
    const aspect = aspectText === undefined ? 1 : parseNumber(aspectText);
    if (aspect === null) bad('aspect', aspectText!, 'must be a number b/a > 0 (showing the TM11 guide)');
    let modes: string[] | { maxCutoff: number } | null = ['TM11', 'TM13', 'TM31', 'TM33'];
    if (modesText !== undefined) {
      const m = /^max:(.*)$/.exec(modesText);
      const c = m ? parseNumber(m[1]) : null;
      if (m && c === null) { bad('modes', modesText, 'max:c needs a number c (every TM mode below c·ω11) (showing the TM11 guide)'); modes = null; }
      else if (m) modes = { maxCutoff: c! };
      else if (modesText === '') { bad('modes', modesText, 'must list TM modes separated by ";" or be max:c (showing the TM11 guide)'); modes = null; }
      else modes = modesText.split(';');
    }
    if (aspect !== null && modes) state.reservoir = { kind: 'multimode', aspect, modes };
  } else if (res === 'ca') {
    const wc = one('wc'), hop = one('hop');
    const omegaC = wc === undefined ? 0 : parseNumber(wc);
    const hopping = hop === undefined ? 1 : parseNumber(hop);
    if (omegaC === null) bad('wc', wc!, 'must be a number, the cavity frequency ωc (showing the TM11 guide)');
    if (hopping === null) bad('hop', hop!, 'must be a number, the hopping J > 0 (showing the TM11 guide)');
    if (omegaC !== null && hopping !== null) state.reservoir = { kind: 'cavity', omegaC, hopping };
  } else if (res === 'table') {
    bad('res', res, 'a tabulated band is not stored in links; upload its CSV in the reservoir panel (showing the TM11 guide)');
  } else if (res !== undefined && res !== 'tm11') {
    bad('res', res, 'must be one of tm11, mm, ca (showing the TM11 guide)');
  }
  const cols = EMITTER_COLUMNS[state.reservoir.kind];
  const em = one('em');
  if (em !== undefined) {
    const list = em.split(';');
    const emitters: EditorEmitter[] = [];
    let why: string | null = null;
    if (list.length > EDITOR_MAX_EMITTERS) why = `${list.length} emitters; at most ${EDITOR_MAX_EMITTERS}`;
    for (let j = 0; j < list.length && !why; j++) {
      const f = list[j].split(',');
      const role = f[0];
      if (role !== 'c' && role !== 'b') { why = `emitter ${j + 1} ("${list[j]}") starts with "${role}"; the role must be c (charger) or b (battery)`; break; }
      const required = cols.filter((c) => c.defaultValue === undefined).length;
      if (f.length - 1 < required || f.length - 1 > cols.length) {
        why = `emitter ${j + 1} ("${list[j]}") has ${f.length - 1} values; give ${required === cols.length ? required : `${required} to ${cols.length}`}: role,${cols.map((c) => c.key).join(',')}`;
        break;
      }
      const e: EditorEmitter = emitter(role === 'c' ? 'charger' : 'battery');
      for (let k = 0; k < cols.length; k++) {
        const text = f[k + 1];
        if (text === undefined) { e[cols[k].key] = cols[k].defaultValue!; continue; }
        const v = parseNumber(text);
        if (v === null) { why = `emitter ${j + 1}: ${cols[k].key} = "${text}" is not a number`; break; }
        e[cols[k].key] = v;
      }
      emitters.push(e);
    }
    if (!why && list.length === 0) why = 'no emitters';
    if (why) bad('em', em, `${why} (showing the default scene's emitters)`);
    else state.emitters = emitters;
  }
  if ((em === undefined || errors.some((e) => e.key === 'em')) && state.reservoir.kind !== 'tm11') {
    // The default emitters are the TM11 guide's: keep them only with a guide.
    if (state.reservoir.kind === 'cavity') state.emitters = state.emitters.map((e, j) => ({ ...e, site: j }));
  }
  const n = state.emitters.length;
  const init = one('init');
  if (init !== undefined) {
    if (/^\d+$/.test(init)) {
      const k = Number(init);
      if (k >= 1 && k <= n) state.initial = { kind: 'emitter', index: k - 1 };
      else bad('init', init, `emitter ${k} does not exist; give 1 to ${n} (showing the first charger excited)`);
    } else {
      const pairs = init.split(';').map((p) => p.split(',').map(parseNumber));
      if (pairs.length !== n || pairs.some((p) => p.length !== 2 || p[0] === null || p[1] === null)) {
        bad('init', init, `must be an emitter number (1 to ${n}) or ${n} amplitudes re,im separated by ";" (showing the first charger excited)`);
      } else {
        state.initial = { kind: 'amplitudes', c: pairs.map((p) => [p[0]!, p[1]!] as [number, number]) };
      }
    }
  }
  const tmax = one('tmax');
  if (tmax !== undefined) {
    const v = parseNumber(tmax);
    if (v !== null && v > SCENE_TMAX_RANGE.min && v <= SCENE_TMAX_RANGE.max) state.tMax = v;
    else bad('tmax', tmax, `must be a number in (0, ${SCENE_TMAX_RANGE.max}] (1/ω11) (showing ${DEFAULT_SCENE.tMax})`);
  }
  const method = one('method');
  if (method !== undefined) {
    if ((SCENE_METHODS as readonly string[]).includes(method)) state.method = method as Method;
    else bad('method', method, `must be one of ${SCENE_METHODS.join(', ')} (showing ${DEFAULT_SCENE.method})`);
  }
  const tol = one('tol');
  if (tol !== undefined) {
    const v = parseNumber(tol);
    if (v !== null && SCENE_TOL_CHOICES.includes(v)) state.tol = v;
    else bad('tol', tol, `must be one of ${SCENE_TOL_CHOICES.join(', ')} (showing ${DEFAULT_SCENE.tol})`);
  }
  const unknownKeys = [...q.keys()].filter((k) => !SCENE_URL_KEYS.includes(k));
  return { state, errors, unknownKeys };
}

// ---------------------------------------------------------------- fields and validation paths

/** The id of the table input holding emitter j's column `key`. */
export function fieldId(j: number, key: EmitterKey | 'role'): string {
  return `scene-e${j}-${key}`;
}

/**
 * Where a ParameterError path of prepareScene/solveScene points in the editor: an emitter field
 * (`scene.emitters[2].loss` → {emitter: 2, key: 'loss'}), the initial state, or the scene as a whole.
 */
export function fieldOfPath(path: string): { emitter: number; key: EmitterKey | 'role' } | { reservoir: string } | { scene: 'initial' | 'emitters' | 'tMax' | 'other' } {
  const m = /(?:^|\.)emitters\[(\d+)\]\.(z|omega0|gamma|loss|role|x|y|site|g)$/.exec(path);
  if (m) return { emitter: Number(m[1]), key: m[2] as EmitterKey | 'role' };
  const r = /(?:^|\.)reservoir(?:\.([a-zA-Z]+))?/.exec(path);
  if (r) return { reservoir: r[1] ?? 'type' };
  if (/(?:^|\.)initial(\[|$)/.test(path)) return { scene: 'initial' };
  if (/(?:^|\.)emitters(\[\d+\])?$/.test(path)) return { scene: 'emitters' };
  if (/(?:^|\.)(tMax|dt)$/.test(path)) return { scene: 'tMax' };
  return { scene: 'other' };
}

/** Parses one typed table value: plain decimal notation (the range is checked by prepareScene). */
export function parseSceneNumber(text: string): { ok: true; value: number } | { ok: false; error: string } {
  const t = text.trim();
  if (t === '') return { ok: false, error: 'required: a number' };
  const v = parseNumber(t);
  if (v === null) return { ok: false, error: `"${t}" is not a number` };
  return { ok: true, value: v };
}

/** A short label for emitter j: C1, B2, … (role letter and 1-based number). */
export function emitterLabel(e: { role: Role }, j: number): string {
  return `${e.role === 'charger' ? 'C' : 'B'}${j + 1}`;
}
