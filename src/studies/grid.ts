import { ParameterError } from '../errors.js';
import { checkParams, type ModelParams } from '../model/params.js';

/**
 * Parameter grids for sweeps: the Cartesian product of values of ω0 (ω11), Δz (λ11) and Γ11 (ω11),
 * enumerated in a fixed order so that a point's index identifies it across runs, shards and journals.
 */

/** The swept model parameters, in the order of the output columns. */
export const AXIS_NAMES = ['omega0', 'dz', 'gamma11'] as const;
export type AxisName = (typeof AXIS_NAMES)[number];

/** Values of each axis (each non-empty, every value inside PARAM_RANGES). */
export type GridAxes = Record<AxisName, readonly number[]>;

/** Largest number of points in one sweep (memory for the results stays below ~1 GB). */
export const MAX_GRID_POINTS = 20_000_000;

/**
 * `count` evenly spaced values from `start` to `stop` inclusive: x_k = start + (stop − start)·k/(count − 1),
 * with x_{count−1} = stop exactly. count = 1 needs start = stop.
 * Example: linspace(0.5, 3.5, 7) → [0.5, 1, 1.5, 2, 2.5, 3, 3.5].
 */
export function linspace(start: number, stop: number, count: number): number[] {
  if (!Number.isInteger(count) || count < 1) throw new ParameterError('count', count, 'must be an integer ≥ 1');
  if (!Number.isFinite(start) || !Number.isFinite(stop)) throw new ParameterError('start', `${start}:${stop}`, 'start and stop must be finite');
  if (count === 1) {
    if (start !== stop) throw new ParameterError('count', count, 'count 1 needs start = stop');
    return [start];
  }
  if (!(stop > start)) throw new ParameterError('stop', stop, `must be greater than start = ${start} when count > 1`);
  const out = new Array<number>(count);
  for (let k = 0; k < count; k++) out[k] = k === count - 1 ? stop : start + ((stop - start) * k) / (count - 1);
  return out;
}

/** Checks every axis value against PARAM_RANGES (ParameterError naming the axis). */
export function checkAxes(axes: GridAxes): GridAxes {
  const out = {} as Record<AxisName, number[]>;
  for (const name of AXIS_NAMES) {
    const values = axes[name];
    if (!Array.isArray(values) || values.length === 0) throw new ParameterError(name, values, 'needs at least one value');
    for (const v of values) checkParams({ omega0: 1, dz: 0.1, gamma11: 0.5, [name]: v } as ModelParams);
    out[name] = [...values];
  }
  const n = gridSize(out);
  if (n > MAX_GRID_POINTS) throw new ParameterError(AXIS_NAMES[0], n, `the grid has ${n} points, more than ${MAX_GRID_POINTS}`);
  return out;
}

/** Number of points of the grid. */
export function gridSize(axes: GridAxes): number {
  return axes.omega0.length * axes.dz.length * axes.gamma11.length;
}

/**
 * The point with index `i`: ω0 varies slowest, Γ11 fastest,
 * i = (iω0·n_dz + iΔz)·n_Γ + iΓ.
 */
export function gridPoint(axes: GridAxes, i: number): ModelParams {
  const nG = axes.gamma11.length;
  const nD = axes.dz.length;
  const iG = i % nG;
  const iD = Math.floor(i / nG) % nD;
  const iW = Math.floor(i / (nG * nD));
  return { omega0: axes.omega0[iW]!, dz: axes.dz[iD]!, gamma11: axes.gamma11[iG]! };
}

/** A slice of a sweep for job arrays: shard `index` (1-based) of `count`. */
export interface Shard {
  index: number;
  count: number;
}

/** Validates a shard (ParameterError naming 'shard'). */
export function checkShard(shard: Shard): Shard {
  const ok = Number.isInteger(shard.count) && shard.count >= 1 && Number.isInteger(shard.index) && shard.index >= 1 && shard.index <= shard.count;
  if (!ok) throw new ParameterError('shard', `${shard.index}/${shard.count}`, 'must be i/n with integers 1 ≤ i ≤ n');
  return { ...shard };
}

/**
 * The point indices of shard i/n of a grid of `size` points: every n-th point starting at i − 1
 * (strided, so that expensive regions are spread over all shards). Shards 1..n partition 0..size−1.
 */
export function shardIndices(size: number, shard: Shard = { index: 1, count: 1 }): number[] {
  const s = checkShard(shard);
  const out: number[] = [];
  for (let i = s.index - 1; i < size; i += s.count) out.push(i);
  return out;
}
