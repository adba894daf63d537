import { ParameterError } from './errors.js';
import { argNumber, argOptions } from './arguments.js';
import { prepareScene, type Scene } from './model/scene.js';
import { EFFECTIVE_RANGES } from './spectrum/classification.js';
import * as spectrum from './spectrum/sceneBoundStates.js';
import * as steady from './battery/sceneSteady.js';
import * as bank from './battery/bank.js';

/**
 * The checked public forms of the scene functions (issue 13): each takes the scene as the plain object
 * of a scene file (shared/scenes.md; docs/scenes.md), validates it with prepareScene (ParameterError
 * naming `scene.emitters[2].loss` etc.) and its options (`options.residueThreshold` …), then calls the
 * internal form, which takes the prepared scene.
 */

function checkEffectiveOptions(options: unknown, shape: string): Record<string, unknown> {
  const o = argOptions(options, shape);
  if (o.residueThreshold !== undefined) argNumber('residueThreshold', o.residueThreshold, EFFECTIVE_RANGES.residueThreshold, 'options.residueThreshold');
  if (o.observationTime !== undefined) argNumber('observationTime', o.observationTime, EFFECTIVE_RANGES.observationTime, 'options.observationTime');
  return o;
}

/**
 * Every bound state of a scene (shared/scenes.md §2): energies E_b in each gap of the reservoir and
 * emitter amplitudes α_b (c(t) ∋ α_b α_bᵀ c(0) e^{−iE_b t}), the exact and effective counts.
 * Example: TM11, Γ = 0.5, ω0 = 1, emitters at z = 0 and 0.1 λ11 → E = 0.620272288437, 0.908066164810 ω11.
 */
export function sceneBoundStates(scene: Scene, options: spectrum.SceneBoundStateOptions = {}): spectrum.SceneSpectrum {
  const p = prepareScene(scene, 'scene');
  checkEffectiveOptions(options, '{residueThreshold?, observationTime?}');
  return spectrum.sceneBoundStates(p, options);
}

/** The steady state of every emitter and of the battery bank from the bound states (scenes.md §2–3). */
export function sceneSteadyState(scene: Scene, options: steady.SceneSteadyOptions = {}): steady.SceneSteadyState {
  const p = prepareScene(scene, 'scene');
  const o = checkEffectiveOptions(options, '{residueThreshold?, observationTime?, window?}');
  if (o.window !== undefined) argNumber('window', o.window, EFFECTIVE_RANGES.observationTime, 'options.window');
  return steady.sceneSteadyState(p, options);
}

/**
 * The battery bank at one instant (scenes.md §3): energy, collective and local ergotropies, charger
 * energy, for the amplitudes c (interleaved re, im of every emitter, length 2N).
 */
export function bankState(scene: Scene, c: ArrayLike<number>): bank.BankState {
  const p = prepareScene(scene, 'scene');
  if (c === null || typeof c !== 'object' || typeof (c as { length?: unknown }).length !== 'number') {
    throw new ParameterError('c', c, `must be an array of 2N = ${2 * p.n} numbers (re, im of each emitter)`, 'c');
  }
  if (c.length !== 2 * p.n) throw new ParameterError('c', `an array of length ${c.length}`, `must hold 2N = ${2 * p.n} numbers (re, im of each emitter)`, 'c');
  for (let i = 0; i < c.length; i++) argNumber('c', c[i], { min: -1.5, max: 1.5, unit: 'a component of c_j; |c_j| ≤ 1' }, `c[${i}]`);
  return bank.bankState(p, c);
}
