import { ParameterError } from '../../src/errors.js';
import { PARAM_RANGES } from '../../src/model/params.js';
import { AXIS_NAMES, checkAxes, checkShard, gridSize, linspace, MAX_GRID_POINTS, type AxisName, type GridAxes, type Shard } from '../../src/studies/grid.js';
import { formatQuantities, parseQuantities, quantityColumns, resolvePointOptions, type PointOptions, type QuantitySpec } from '../../src/studies/quantities.js';
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
  const range: { min: number; max: number; minOpen?: boolean; unit?: string } = PARAM_RANGES[name];
  for (const v of values) {
    const ok = range.minOpen ? v > range.min : v >= range.min;
    if (!ok || v > range.max) throw new UsageError(`${flag} ${JSON.stringify(raw)}: value ${v} outside the allowed range: ${describeRange(range)}`);
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
  let quantities: QuantitySpec[];
  try {
    quantities = parseQuantities(input.quantities);
  } catch (err) {
    if (err instanceof ParameterError) throw new UsageError(`--quantities ${JSON.stringify(String(err.value))}: ${err.allowed}`);
    throw err;
  }
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
