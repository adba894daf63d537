import { checkNumber, describeRange, ParameterError } from './errors.js';
import { PARAM_RANGES, TAU_MAX, type Channel } from './model/params.js';

/**
 * Argument checks for the public entry points (issue 10 item 9, issue 12 item 5): each throws a
 * ParameterError whose message names the argument by its path in the call (`params.omega0`,
 * `options.onProgress`), shows the value and says what is allowed. They run once at the entry of an
 * exported function, never inside the solvers' loops.
 */

/** A numeric range as `checkNumber` takes it. */
export interface NumberRange { min?: number; max?: number; minOpen?: boolean; maxOpen?: boolean; unit?: string }

/** Largest retardation accepted by the low-level functions (src/model/params.ts). */
export { TAU_MAX };

/** The range of τ = 2πΔz (1/ω11) for functions that take τ instead of Δz. */
export const TAU_RANGE: NumberRange = { min: 0, max: TAU_MAX, unit: '1/ω11; τ = 2πΔz, Δz ≤ 20λ11' };

/** True for an object carrying any of the model's parameter names (a ModelParams passed in a number's place). */
function looksLikeParams(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && ('omega0' in v || 'gamma11' in v || 'dz' in v);
}

/**
 * A finite number in `range` (checkNumber), with a pointer to the likely mistake when an object was
 * passed: "expected a number, got an object — did you mean …". `name` is the API name (the CLI maps
 * it to a flag), `path` where it sits in the call, `hint` the call the user probably meant. Cheap on
 * success (no strings or closures are built): it runs on every call of the checked functions.
 */
export function argNumber(name: string, value: unknown, range: NumberRange, path: string = name, hint?: string): number {
  if (value !== null && typeof value === 'object') {
    const what = looksLikeParams(value) ? 'a params object {omega0, gamma11, dz}' : Array.isArray(value) ? 'an array' : 'an object';
    const mean = hint ? ` — did you mean ${hint}?` : '';
    throw new ParameterError(name, value, `expected a number, got ${what}${mean} (${describeRange(range)})`, path);
  }
  return checkNumber(name, value, range, path);
}

/** An integer in [min, max] (array indices, mode numbers). */
export function argInteger(name: string, value: unknown, min: number, max: number, path: string = name): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw new ParameterError(name, value, `must be an integer in [${min}, ${max}]`, path);
  }
  return value;
}

/** A non-null, non-array object; `shape` lists its fields for the message. */
export function argObject(name: string, value: unknown, shape: string, path: string = name): Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new ParameterError(name, value, `must be an object ${shape}`, path);
  }
  return value as Record<string, unknown>;
}

/** An options bag: undefined (all defaults) or an object. */
export function argOptions(value: unknown, shape: string, path = 'options'): Record<string, unknown> {
  if (value === undefined) return {};
  return argObject('options', value, `${shape} or undefined`, path);
}

/** An optional callback: undefined or a function. */
export function argCallback(name: string, value: unknown, signature: string, path: string = name): void {
  if (value !== undefined && typeof value !== 'function') {
    throw new ParameterError(name, value, `must be a function ${signature} or undefined`, path);
  }
}

/** An optional cancellation token: undefined or an AbortSignal-like object with a boolean `aborted`. */
export function argSignal(name: string, value: unknown, path: string = name): void {
  if (value === undefined) return;
  if (value === null || typeof value !== 'object' || typeof (value as { aborted?: unknown }).aborted !== 'boolean') {
    throw new ParameterError(name, value, 'must be an AbortSignal (or any object with a boolean `aborted`) or undefined', path);
  }
}

/** The collective channel of physics.md: '+' (J0 + J1) or '−' (J0 − J1). */
export function argChannel(value: unknown, path = 'channel'): Channel {
  if (value !== '+' && value !== '-') throw new ParameterError('channel', value, "must be '+' (symmetric, J0 + J1) or '-' (antisymmetric, J0 − J1)", path);
  return value;
}

/** The order |j − j'| of a spectral density or kernel (Eq. 2–3): 0 (same emitter) or 1 (cross). */
export function argOrder(value: unknown, path = 'order'): 0 | 1 {
  if (value !== 0 && value !== 1) throw new ParameterError('order', value, "must be 0 (J0/f0, same emitter) or 1 (J1/f1, across Δz), Eq. (2)–(3)", path);
  return value;
}

/** A component of an amplitude c_j: |c_j| ≤ 1 for a normalised state; 1.5 leaves room for a loose solver tolerance (tol ≤ 0.1). */
export const AMPLITUDE_RANGE: NumberRange = { min: -1.5, max: 1.5, unit: 'a component of c_j; |c_j| ≤ 1 for a normalised state' };

/**
 * Checks (re, im, ω0) of the amplitude-level battery functions (Eq. 4–5); `c` names the amplitude (c1 or
 * c2), `hint` the call meant when an object is passed (a constant: this runs on every call).
 */
export function checkAmplitudeArgs(c: 'c1' | 'c2', re: unknown, im: unknown, omega0: unknown, hint: string): void {
  const nameRe = c === 'c1' ? 'c1re' : 'c2re';
  const nameIm = c === 'c1' ? 'c1im' : 'c2im';
  argNumber(nameRe, re, AMPLITUDE_RANGE, nameRe, hint);
  argNumber(nameIm, im, AMPLITUDE_RANGE, nameIm, hint);
  argNumber('omega0', omega0, PARAM_RANGES.omega0, 'omega0', 'params.omega0');
}
