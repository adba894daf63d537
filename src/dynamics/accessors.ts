import { ParameterError } from '../errors.js';
import { argInteger, argObject } from '../arguments.js';
import { checkParams } from '../model/params.js';
import type { Solution, Status } from './types.js';

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

function checkJ(j: unknown): 1 | 2 {
  if (j !== 1 && j !== 2) throw new ParameterError('j', j, 'must be 1 (the charger, c1) or 2 (the battery, c2)');
  return j;
}

/**
 * Excited-state population |c_j(t_i)|² of emitter j (1 = charger, 2 = battery) at every output time,
 * in the order of `sol.t`. E(t) = ω0·population(sol, 2) is the battery energy of Eq. (4).
 */
export function population(sol: Solution, j: 1 | 2): Float64Array {
  checkSolution(sol);
  return squaredModulus(checkJ(j) === 1 ? sol.c1 : sol.c2);
}

/** |c(t_i)|² of an interleaved complex series c (re, im, re, im, …), unchecked (the explorer's plots use it too). */
export function squaredModulus(c: Float64Array): Float64Array {
  const out = new Float64Array(c.length >> 1);
  for (let i = 0; i < out.length; i++) out[i] = c[2 * i] * c[2 * i] + c[2 * i + 1] * c[2 * i + 1];
  return out;
}

/** The complex amplitude c_j(t_i) = {re, im} of emitter j (1 = charger, 2 = battery) at output index i (t_i = sol.t[i]). */
export function amplitude(sol: Solution, j: 1 | 2, i: number): { re: number; im: number } {
  checkSolution(sol);
  const c = checkJ(j) === 1 ? sol.c1 : sol.c2;
  argInteger('i', i, 0, sol.t.length - 1);
  return { re: c[2 * i], im: c[2 * i + 1] };
}
