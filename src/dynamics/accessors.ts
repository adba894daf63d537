import { ParameterError } from '../errors.js';
import { argInteger, argObject } from '../arguments.js';
import { checkParams } from '../model/params.js';
import type { Solution, Status } from './types.js';
import type { SceneSolution } from './scene/types.js';

/**
 * Reading a Solution. `sol.c1` and `sol.c2` hold the complex amplitudes c1(t_i), c2(t_i) of Eq. (3)
 * interleaved: c_j(t_i) = c[2i] + i·c[2i + 1], i = 0 … t.length − 1 (the layout FFT libraries use;
 * one Float64Array a channel, no objects per sample). These helpers spare the index arithmetic.
 */

const STATUSES: readonly Status[] = ['success', 'tolerance-not-met', 'max-steps', 'cancelled'];

/**
 * Checks that `sol` has the shape of a Solution: Float64Arrays t, c1, c2 with c1.length = c2.length =
 * 2·t.length, valid params, a known status. O(1): the samples themselves are not scanned.
 */
export function checkSolution(sol: Solution, path = 'sol'): Solution {
  const s = argObject('sol', sol, '{t, c1, c2, params, status, …} (a Solution returned by solve)', path);
  for (const key of ['t', 'c1', 'c2'] as const) {
    if (!(s[key] instanceof Float64Array)) throw new ParameterError(key, s[key], 'must be a Float64Array (a Solution returned by solve)', `${path}.${key}`);
  }
  const n = (s.t as Float64Array).length;
  for (const key of ['c1', 'c2'] as const) {
    const len = (s[key] as Float64Array).length;
    if (len !== 2 * n) throw new ParameterError(key, `an array of length ${len}`, `must have length 2·t.length = ${2 * n} (re, im interleaved)`, `${path}.${key}`);
  }
  checkParams(s.params as Solution['params'], `${path}.params`);
  if (!STATUSES.includes(s.status as Status)) throw new ParameterError('status', s.status, `must be one of ${STATUSES.join(', ')}`, `${path}.status`);
  return sol;
}

/**
 * The amplitude series of emitter j (1-based): for a two-emitter Solution 1 = charger (c1), 2 = battery
 * (c2); for a SceneSolution 1 … N in the scene's emitter order (sol.c[j − 1]). Validates the shape.
 */
function series(sol: Solution | SceneSolution, j: unknown): Float64Array {
  if (sol !== null && typeof sol === 'object' && Array.isArray((sol as SceneSolution).c)) {
    const s = sol as SceneSolution;
    if (!(s.t instanceof Float64Array)) throw new ParameterError('t', s.t, 'must be a Float64Array (a SceneSolution returned by solveScene)', 'sol.t');
    const jj = argInteger('j', j, 1, s.c.length);
    const c = s.c[jj - 1];
    if (!(c instanceof Float64Array) || c.length !== 2 * s.t.length) throw new ParameterError('c', c, `must be a Float64Array of length 2·t.length = ${2 * s.t.length}`, `sol.c[${jj - 1}]`);
    return c;
  }
  checkSolution(sol as Solution);
  if (j !== 1 && j !== 2) throw new ParameterError('j', j, 'must be 1 (the charger, c1) or 2 (the battery, c2)');
  return j === 1 ? (sol as Solution).c1 : (sol as Solution).c2;
}

/**
 * Excited-state population |c_j(t_i)|² of emitter j at every output time, in the order of `sol.t`:
 * j = 1 (charger) or 2 (battery) for a two-emitter Solution, where E(t) = ω0·population(sol, 2) is the
 * battery energy of Eq. (4); j = 1 … N for a SceneSolution (scene emitter order).
 */
export function population(sol: Solution | SceneSolution, j: number): Float64Array {
  return squaredModulus(series(sol, j));
}

/** |c(t_i)|² of an interleaved complex series c (re, im, re, im, …), unchecked (the explorer's plots use it too). */
export function squaredModulus(c: Float64Array): Float64Array {
  const out = new Float64Array(c.length >> 1);
  for (let i = 0; i < out.length; i++) out[i] = c[2 * i] * c[2 * i] + c[2 * i + 1] * c[2 * i + 1];
  return out;
}

/** The complex amplitude c_j(t_i) = {re, im} of emitter j (as in `population`) at output index i (t_i = sol.t[i]). */
export function amplitude(sol: Solution | SceneSolution, j: number, i: number): { re: number; im: number } {
  const c = series(sol, j);
  argInteger('i', i, 0, sol.t.length - 1);
  return { re: c[2 * i], im: c[2 * i + 1] };
}
