import { ParameterError } from '../../src/errors.js';
import { PARAM_RANGES } from '../../src/model/params.js';
import { AXIS_NAMES, checkAxes, checkShard, gridSize, linspace, MAX_GRID_POINTS, type AxisName, type GridAxes, type Shard } from '../../src/studies/grid.js';
import { formatQuantities, parseQuantities, quantityColumns, resolvePointOptions, type Column, type PointOptions, type QuantitySpec } from '../../src/studies/quantities.js';
import { prepareScene, type Scene } from '../../src/model/scene.js';
import { METHODS, type Method } from '../../src/dynamics/types.js';
import { describeRange } from '../../src/errors.js';
import { UsageError } from '../errors.js';
import { PLAIN_DECIMAL } from '../../src/decimal.js';

/**
 * The description of a sweep that identifies its output: axes (as text), quantities (canonical text)
 * and per-point options. Recorded in every output header and journal; resuming and merging require
 * an identical spec.
 */
export interface SweepSpec {
  axes: Record<AxisName, string>;
  quantities: string;
  options: Required<PointOptions>;
}

/** A parsed sweep: the spec plus everything derived from it. */
export interface ParsedSweep {
  spec: SweepSpec;
  axes: GridAxes;
  quantities: QuantitySpec[];
  size: number;
}

export const AXIS_FLAGS: Record<AxisName, string> = { omega0: '--omega0', dz: '--dz', gamma11: '--gamma' };


function num(flag: string, raw: string, s: string): number {
  const t = s.trim();
  if (!PLAIN_DECIMAL.test(t)) throw new UsageError(`${flag} ${JSON.stringify(raw)}: ${JSON.stringify(t)} is not a number; use START:STOP:COUNT, a comma list or one number`);
  return Number(t);
}

/**
 * Parses an axis flag: "START:STOP:COUNT" (COUNT evenly spaced values, both ends included), a comma
 * list "0.1,0.5,1" or a single number. Every value must lie in the parameter's range. Errors are
 * UsageErrors naming the flag.
 */
export function parseAxisFlag(name: AxisName, raw: string): number[] {
  const flag = AXIS_FLAGS[name];
  const values = parseValueList(flag, raw);
  const range: { min: number; max: number; minOpen?: boolean; unit?: string } = PARAM_RANGES[name];
  for (const v of values) {
    const ok = range.minOpen ? v > range.min : v >= range.min;
    if (!ok || v > range.max) throw new UsageError(`${flag} ${JSON.stringify(raw)}: value ${v} outside the allowed range: ${describeRange(range)}`);
  }
  return values;
}

/**
 * The values of an axis: "START:STOP:COUNT" (COUNT evenly spaced values, both ends included), a comma
 * list "0.1,0.5,1" or one number; distinct. UsageErrors name `flag` and the text `raw`.
 */
export function parseValueList(flag: string, raw: string): number[] {
  const text = String(raw ?? '').trim();
  if (text === '') throw new UsageError(`${flag} "": needs START:STOP:COUNT, a comma list or one number`);
  let values: number[];
  if (text.includes(':')) {
    const parts = text.split(':');
    if (parts.length !== 3) throw new UsageError(`${flag} ${JSON.stringify(raw)}: a range is START:STOP:COUNT`);
    const start = num(flag, raw, parts[0]!);
    const stop = num(flag, raw, parts[1]!);
    const countText = parts[2]!.trim();
    if (!/^\d+$/.test(countText) || Number(countText) < 1) throw new UsageError(`${flag} ${JSON.stringify(raw)}: COUNT must be an integer ≥ 1`);
    const count = Number(countText);
    if (count > MAX_GRID_POINTS) throw new UsageError(`${flag} ${JSON.stringify(raw)}: COUNT must be at most ${MAX_GRID_POINTS}`);
    if (count === 1 && start !== stop) throw new UsageError(`${flag} ${JSON.stringify(raw)}: COUNT 1 needs START = STOP`);
    if (count > 1 && !(stop > start)) throw new UsageError(`${flag} ${JSON.stringify(raw)}: STOP must be greater than START when COUNT > 1`);
    values = linspace(start, stop, count);
    checkDistinctRange(flag, raw, start, stop, values);
  } else {
    values = text.split(',').map((s) => num(flag, raw, s));
    if (new Set(values).size !== values.length) throw new UsageError(`${flag} ${JSON.stringify(raw)}: values must be distinct`);
  }
  return values;
}

/** Points of a range closer than this many units in the last place (of the larger end) are refused. */
export const MIN_STEP_ULPS = 4;

/**
 * Refuses a START:STOP:COUNT range whose points are not distinct doubles, or are spaced by less than
 * MIN_STEP_ULPS units in the last place (there rounding makes the spacing uneven, and two points
 * could be the same parameter): e.g. 1:1.0000000000000002:3 would give 1, 1, 1.0000000000000002.
 */
function checkDistinctRange(flag: string, raw: string, start: number, stop: number, values: number[]): void {
  if (values.length < 2) return;
  const step = (stop - start) / (values.length - 1);
  const ulp = Number.EPSILON * Math.max(Math.abs(start), Math.abs(stop));
  let increasing = true;
  for (let k = 1; k < values.length; k++) if (!(values[k]! > values[k - 1]!)) increasing = false;
  if (!increasing || step < MIN_STEP_ULPS * ulp) {
    throw new UsageError(
      `${flag} ${JSON.stringify(raw)}: the ${values.length} points are not distinct numbers (step ${step.toPrecision(3)} is below ${MIN_STEP_ULPS} units in the last place, ${(MIN_STEP_ULPS * ulp).toPrecision(3)}); use a smaller COUNT or a wider range`,
    );
  }
}

/**
 * Refuses a quantity list that would make two columns of the same name: energyAt with the same time
 * twice (compared as numbers, so "1;1.0" and "0;-0" are duplicates), or any other repeated column.
 */
function checkDistinctColumns(raw: string, quantities: QuantitySpec[]): void {
  for (const q of quantities) {
    const times = q.times ?? [];
    for (let k = 0; k < times.length; k++) {
      for (let j = 0; j < k; j++) {
        if (times[j] === times[k]) throw new UsageError(`--quantities ${JSON.stringify(raw)}: energyAt lists the time ${times[k]} twice; each time may appear once`);
      }
    }
  }
  const seen = new Set<string>(['index', 'omega0', 'dz', 'gamma11']);
  for (const c of quantityColumns(quantities)) {
    if (seen.has(c.name)) throw new UsageError(`--quantities ${JSON.stringify(raw)}: the column ${c.name} would appear twice; list each quantity once`);
    seen.add(c.name);
  }
}

/** Parses "--shard i/n" (1-based). */
export function parseShardFlag(raw: string): Shard {
  const m = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(String(raw ?? ''));
  if (!m) throw new UsageError(`--shard ${JSON.stringify(String(raw ?? ''))}: must be i/n with integers 1 ≤ i ≤ n (e.g. 3/8)`);
  try {
    return checkShard({ index: Number(m[1]), count: Number(m[2]) });
  } catch {
    throw new UsageError(`--shard ${JSON.stringify(String(raw))}: must be i/n with integers 1 ≤ i ≤ n (e.g. 3/8)`);
  }
}

/** Builds and validates a sweep from command-line text. */
export function parseSweep(input: { omega0: string; dz: string; gamma11: string; quantities: string; residueThreshold?: number; observationTime?: number; tol?: number; method?: string }): ParsedSweep {
  const axesValues = {} as Record<AxisName, number[]>;
  const axesText = {} as Record<AxisName, string>;
  for (const name of AXIS_NAMES) {
    axesValues[name] = parseAxisFlag(name, input[name]);
    axesText[name] = String(input[name]).trim();
  }
  const quantities = parseQuantitiesFlag(input.quantities);
  checkDistinctColumns(String(input.quantities), quantities);
  const method = input.method ?? 'exact';
  if (!(METHODS as readonly string[]).includes(method)) throw new UsageError(`--method ${JSON.stringify(method)}: must be one of ${METHODS.join(', ')}`);
  const options = resolvePointOptions({ residueThreshold: input.residueThreshold, observationTime: input.observationTime, tol: input.tol, method: method as Method });
  const size = axesValues.omega0.length * axesValues.dz.length * axesValues.gamma11.length;
  if (size > MAX_GRID_POINTS) throw new UsageError(`--omega0/--dz/--gamma: the grid has ${size} points, more than ${MAX_GRID_POINTS}`);
  const axes = checkAxes(axesValues);
  return { spec: { axes: axesText, quantities: formatQuantities(quantities), options }, axes, quantities, size: gridSize(axes) };
}

/** Re-derives a ParsedSweep from a recorded spec (for merge and resume). */
export function sweepFromSpec(spec: SweepSpec): ParsedSweep {
  return parseSweep({ omega0: spec.axes.omega0, dz: spec.axes.dz, gamma11: spec.axes.gamma11, quantities: spec.quantities, ...spec.options });
}

/** Canonical JSON of a spec (fixed key order), used to compare specs byte for byte. */
export function specJson(spec: SweepSpec): string {
  return JSON.stringify({
    axes: { omega0: spec.axes.omega0, dz: spec.axes.dz, gamma11: spec.axes.gamma11 },
    quantities: spec.quantities,
    options: { residueThreshold: spec.options.residueThreshold, observationTime: spec.options.observationTime, tol: spec.options.tol, method: spec.options.method },
  });
}

// ---------------------------------------------------------------------------------------------
// Scene sweeps: `sweep --scene FILE --vary PATH=VALUES [--vary2 PATH=VALUES]` (issue 13 item 5).

/** One varied field of a scene: its path from the top of the scene file and its values as text. */
export interface SceneVary {
  path: string;
  values: string;
}

/**
 * The description of a scene sweep that identifies its output: the validated scene (defaults filled
 * in), the varied paths with their values (text, first slowest), quantities and per-point options.
 */
export interface SceneSweepSpec {
  scene: Scene;
  vary: SceneVary[];
  quantities: string;
  options: Required<PointOptions>;
}

/** A parsed scene sweep: the spec and the values of each varied path. */
export interface ParsedSceneSweep {
  spec: SceneSweepSpec;
  /** The varied paths, first slowest, and their values. */
  paths: string[];
  values: number[][];
  quantities: QuantitySpec[];
  size: number;
}

/** The varied fields a scene sweep may have (one or two, like the two-emitter sweep's ω0 × Δz maps). */
export const VARY_FLAGS = ['--vary', '--vary2'] as const;

/** The quantities a scene sweep computes (names as in the two-emitter sweep where the meaning carries over). */
export const SCENE_QUANTITY_NAMES = ['boundStates', 'energyMinMax', 'ergotropyMax', 'effectiveCount', 'energyAt'] as const;

export const SCENE_DEFAULT_QUANTITIES = 'boundStates,energyMinMax,ergotropyMax,effectiveCount';

/** A path `emitters[j].field` or `reservoir.field`, split. */
const PATH = /^(?:emitters\[(0|[1-9]\d*)\]|(reservoir))\.([A-Za-z_][A-Za-z0-9_]*)$/;

/** The scene with one numeric field replaced (a copy; `path` already checked by parseVary). */
export function sceneWithValue(scene: Scene, path: string, value: number): Scene {
  const m = PATH.exec(path)!;
  const copy: Scene = { ...scene, reservoir: { ...scene.reservoir }, emitters: scene.emitters.map((e) => ({ ...e })) };
  if (m[2] === 'reservoir') copy.reservoir[m[3]!] = value;
  else (copy.emitters[Number(m[1])] as unknown as Record<string, unknown>)[m[3]!] = value;
  return copy;
}

/** The scene at one point of the grid: every varied path set to its value. */
export function scenePoint(scene: Scene, paths: readonly string[], coords: readonly number[]): Scene {
  let s = scene;
  paths.forEach((p, k) => { s = sceneWithValue(s, p, coords[k]!); });
  return s;
}

/** Numeric fields of a scene by path, for messages. */
function numericPaths(scene: Scene): string[] {
  const out: string[] = [];
  for (const [k, v] of Object.entries(scene.reservoir)) if (typeof v === 'number') out.push(`reservoir.${k}`);
  scene.emitters.forEach((e, j) => {
    for (const [k, v] of Object.entries(e)) if (typeof v === 'number') out.push(`emitters[${j}].${k}`);
  });
  return out;
}

/**
 * Parses `--vary PATH=VALUES`: PATH a numeric field of the scene (`emitters[2].z`, `emitters[0].loss`,
 * a numeric reservoir field), VALUES as an axis (START:STOP:COUNT, comma list, one number). Every value
 * is checked by validating the scene with it (the others at the file's values): a bad one is refused
 * naming the flag and the library's message with its path.
 */
export function parseVary(flag: string, raw: string, scene: Scene): { path: string; values: number[]; text: string } {
  const text = String(raw ?? '');
  const eq = text.indexOf('=');
  if (eq < 0) throw new UsageError(`${flag} ${JSON.stringify(text)}: must be PATH=VALUES, e.g. emitters[2].z=0:2:101 (a numeric field of the scene by its path; VALUES as START:STOP:COUNT, a comma list or one number)`);
  const path = text.slice(0, eq).trim();
  const m = PATH.exec(path);
  const allowed = () => `numeric fields of this scene: ${numericPaths(scene).slice(0, 12).join(', ')}${numericPaths(scene).length > 12 ? ', …' : ''}`;
  if (!m) throw new UsageError(`${flag} ${JSON.stringify(text)}: ${JSON.stringify(path)} is not a path such as emitters[2].z or reservoir.FIELD (emitters counted from 0); ${allowed()}`);
  if (m[1] !== undefined && Number(m[1]) >= scene.emitters.length) {
    throw new UsageError(`${flag} ${JSON.stringify(text)}: the scene has ${scene.emitters.length} emitters, emitters[0] … emitters[${scene.emitters.length - 1}]`);
  }
  const holder: Record<string, unknown> = m[2] === 'reservoir' ? scene.reservoir : (scene.emitters[Number(m[1])] as unknown as Record<string, unknown>);
  if (typeof holder[m[3]!] !== 'number') throw new UsageError(`${flag} ${JSON.stringify(text)}: ${path} is not a numeric field of this scene (${holder[m[3]!] === undefined ? 'absent' : `it is ${JSON.stringify(holder[m[3]!])}`}); ${allowed()}`);
  const valuesText = text.slice(eq + 1).trim();
  const values = parseValueList(flag, valuesText);
  for (const v of values) {
    try {
      prepareScene(sceneWithValue(scene, path, v), 'scene');
    } catch (err) {
      if (err instanceof ParameterError) throw new UsageError(`${flag} ${JSON.stringify(text)}: value ${v}: ${err.message}`);
      throw err;
    }
  }
  return { path, values, text: `${path}=${valuesText}` };
}

/** Builds and validates a scene sweep from the scene (validated) and the command-line text. */
export function parseSceneSweep(input: { scene: Scene; vary: string[]; varyFlags?: string[]; quantities: string; residueThreshold?: number; observationTime?: number; tol?: number; method?: string }): ParsedSceneSweep {
  const flags = input.varyFlags ?? VARY_FLAGS;
  if (input.vary.length < 1 || input.vary.length > VARY_FLAGS.length) throw new UsageError(`--vary: a scene sweep varies one or two fields (--vary given once or twice; --vary2 is the same as a second --vary), here ${input.vary.length}`);
  const axes = input.vary.map((v, k) => parseVary(flags[k]!, v, input.scene));
  if (axes.length === 2 && axes[0]!.path === axes[1]!.path) throw new UsageError(`${flags[1]} ${JSON.stringify(input.vary[1])}: varies ${axes[1]!.path} again; vary two different fields`);
  const quantities = parseQuantitiesFlag(input.quantities);
  for (const q of quantities) {
    if (!(SCENE_QUANTITY_NAMES as readonly string[]).includes(q.name)) {
      throw new UsageError(`--quantities ${JSON.stringify(input.quantities)}: ${q.name} is not computed for scenes; with --scene: ${SCENE_QUANTITY_NAMES.join(', ')} (energyAt=T1;T2;… with T in 1/ω11)`);
    }
  }
  checkDistinctColumns(String(input.quantities), quantities);
  const method = input.method ?? 'exact';
  if (!(METHODS as readonly string[]).includes(method)) throw new UsageError(`--method ${JSON.stringify(method)}: must be one of ${METHODS.join(', ')}`);
  const options = resolvePointOptions({ residueThreshold: input.residueThreshold, observationTime: input.observationTime, tol: input.tol, method: method as Method });
  const size = axes.reduce((n, a) => n * a.values.length, 1);
  if (size > MAX_GRID_POINTS) throw new UsageError(`--vary/--vary2: the grid has ${size} points, more than ${MAX_GRID_POINTS}`);
  return {
    spec: { scene: input.scene, vary: axes.map((a) => ({ path: a.path, values: a.text.slice(a.path.length + 1) })), quantities: formatQuantities(quantities), options },
    paths: axes.map((a) => a.path),
    values: axes.map((a) => a.values),
    quantities,
    size,
  };
}

/** The coordinates of point i of a scene sweep (first varied path slowest). */
export function scenePointCoordinates(parsed: ParsedSceneSweep, i: number): number[] {
  const out = new Array<number>(parsed.values.length);
  let rest = i;
  for (let k = parsed.values.length - 1; k >= 0; k--) {
    const n = parsed.values[k]!.length;
    out[k] = parsed.values[k]![rest % n]!;
    rest = Math.floor(rest / n);
  }
  return out;
}

/** The result columns of a scene sweep's quantities, in order. */
export function sceneQuantityColumns(specs: readonly QuantitySpec[]): Column[] {
  const cols: Column[] = [];
  for (const q of specs) {
    if (q.name === 'boundStates') cols.push({ name: 'count', unit: '1', description: 'number of bound states of the scene in the gaps of its reservoir, exact (roots of det M(E))' });
    else if (q.name === 'energyMinMax') {
      cols.push(
        { name: 'energyMin', unit: 'omega11', description: 'minimum over t of the steady bank energy E_B(inf) (sceneSteadyState: exact for <= 2 frequencies, else over the observation time)' },
        { name: 'energyMax', unit: 'omega11', description: 'maximum over t of the steady bank energy E_B(inf)' },
      );
    } else if (q.name === 'ergotropyMax') cols.push({ name: 'ergotropyMax', unit: 'omega11', description: 'maximum over t of the steady collective ergotropy of the bank W(inf)' });
    else if (q.name === 'effectiveCount') {
      cols.push(
        { name: 'effectiveCount', unit: '1', description: 'bound states whose bank amplitude |alpha^T c(0)| ||alpha on the batteries|| is at least the residue threshold' },
        { name: 'degenerate', unit: '1', description: '1 if two effective bound states beat slower than the observation time, else 0' },
      );
    } else if (q.name === 'energyAt') {
      for (const t of q.times ?? []) {
        cols.push(
          { name: `energyAt_${t}`, unit: 'omega11', description: `bank energy E_B(t) = sum over batteries of omega_b |c_b(t)|^2 at t = ${t}/omega11 from the dynamics solver` },
          { name: `ergotropyAt_${t}`, unit: 'omega11', description: `collective ergotropy of the bank at t = ${t}/omega11` },
        );
      }
    }
  }
  return cols;
}

/** The coordinate columns of a scene sweep (after `index`): one per varied path, named by the path. */
export function sceneCoordinateColumns(parsed: ParsedSceneSweep): Column[] {
  return parsed.paths.map((p) => ({ name: p, unit: /^emitters\[\d+\]\.z$/.test(p) ? 'lambda11' : /^emitters\[\d+\]\.(omega0|gamma|loss)$/.test(p) ? 'omega11' : "the reservoir's unit (docs/reservoirs.md)", description: `the scene's ${p}, varied` }));
}

/** Canonical JSON of a scene sweep's spec (fixed key order), compared byte for byte on resume and merge. */
export function sceneSpecJson(spec: SceneSweepSpec): string {
  return JSON.stringify({
    scene: spec.scene,
    vary: spec.vary.map((v) => ({ path: v.path, values: v.values })),
    quantities: spec.quantities,
    options: { residueThreshold: spec.options.residueThreshold, observationTime: spec.options.observationTime, tol: spec.options.tol, method: spec.options.method },
  });
}

/** Re-derives a scene sweep from a recorded spec (for resume and merge): the scene is validated again. */
export function sceneSweepFromSpec(spec: SceneSweepSpec): ParsedSceneSweep {
  const prepared = prepareScene(spec.scene, 'scene');
  return parseSceneSweep({ scene: prepared.scene, vary: spec.vary.map((v) => `${v.path}=${v.values}`), quantities: spec.quantities, ...spec.options });
}

// ---------------------------------------------------------------------------------------------
// Either kind of sweep: the output files, the journal and merge handle both through these.

/** The spec of a two-emitter sweep or of a scene sweep (a scene sweep's has a `scene`). */
export type AnySweepSpec = SweepSpec | SceneSweepSpec;

/** A parsed sweep of either kind. */
export type AnyParsedSweep = ParsedSweep | ParsedSceneSweep;

export function isSceneSpec(spec: AnySweepSpec): spec is SceneSweepSpec {
  return (spec as { scene?: unknown }).scene !== undefined;
}

/** Canonical JSON of either kind of spec (compared byte for byte on resume and merge). */
export function anySpecJson(spec: AnySweepSpec): string {
  return isSceneSpec(spec) ? sceneSpecJson(spec) : specJson(spec);
}

/** Re-derives either kind of sweep from its recorded spec. */
export function anySweepFromSpec(spec: AnySweepSpec): AnyParsedSweep {
  return isSceneSpec(spec) ? sceneSweepFromSpec(spec) : sweepFromSpec(spec);
}

/** The value columns (after the coordinates) of either kind of sweep. */
export function valueColumnsOf(parsed: { spec: AnySweepSpec; quantities: readonly QuantitySpec[] }): Column[] {
  return isSceneSpec(parsed.spec) ? sceneQuantityColumns(parsed.quantities) : quantityColumns(parsed.quantities);
}

/** --quantities parsed (parseQuantities), a library ParameterError turned into the flag's one-line UsageError. */
function parseQuantitiesFlag(raw: string): QuantitySpec[] {
  try {
    return parseQuantities(raw);
  } catch (err) {
    if (err instanceof ParameterError) throw new UsageError(`--quantities ${JSON.stringify(String(err.value))}: ${err.allowed}`);
    throw err;
  }
}
