import { checkNumber, ParameterError } from '../errors.js';
import { argObject } from '../arguments.js';
import { checkParams, type ModelParams } from './params.js';
import { reservoirFromSpec, rejectUnknownKeys, TM11_GUIDE } from './reservoirs/all.js';
import type { Coupling, EmitterPlacement, Reservoir } from './reservoirs/reservoir.js';

/**
 * A scene (shared/scenes.md §1): a reservoir, N emitters and an initial single-excitation state.
 * Units as in the two-emitter model: z in λ11, frequencies and rates in ω11 (a cavity array uses the
 * unit of its ωc and hopping). The scene file of `--scene FILE` is this object as JSON.
 */
export interface Scene {
  /** The reservoir's JSON description, e.g. {"type": "waveguide", "modes": ["TM11"]}. */
  reservoir: { type: string; [field: string]: unknown };
  emitters: SceneEmitter[];
  /** Complex amplitudes [re, im] of each emitter at t = 0, normalised; default: the first charger excited. */
  initial?: Array<[number, number]>;
  /** Free text (ignored by the solvers). */
  description?: string;
}

export type Role = 'charger' | 'battery';
export const ROLES: readonly Role[] = ['charger', 'battery'];

/**
 * One emitter of a scene: its frequency, intrinsic loss, role, and the placement fields its reservoir
 * reads (EmitterPlacement: z, x, y, gamma for the guides; site, g for a cavity array).
 */
export interface SceneEmitter extends EmitterPlacement {
  /** Transition frequency ω_j (bare, Eq. 1), ω11. */
  omega0: number;
  /** Intrinsic (non-reservoir) decay rate γ_j ≥ 0, ω11; default 0. */
  loss?: number;
  role: Role;
}

/** Most emitters a scene may hold (matrix work grows like N³ per frequency node; the N = 32 benchmark is the tested scale). */
export const MAX_EMITTERS = 64;

/** Intrinsic loss rates accepted, ω11. */
export const LOSS_RANGE = { min: 0, max: 5, unit: 'ω11, intrinsic decay rate γ_j ≥ 0' } as const;

/** How far from 1 the norm Σ|c_j(0)|² may be. */
export const NORM_TOLERANCE = 1e-12;

/** A checked scene with everything the solvers need, derived once. */
export interface PreparedScene {
  /** The validated scene with defaults filled in (loss 0, initial state). */
  readonly scene: Scene;
  readonly reservoir: Reservoir;
  readonly coupling: Coupling;
  readonly n: number;
  /** ω_j. */
  readonly omega: Float64Array;
  /** γ_j (intrinsic loss). */
  readonly loss: Float64Array;
  /** c(0), interleaved complex (re_j at 2j, im_j at 2j + 1). */
  readonly initial: Float64Array;
  /** Indices of the batteries and of the chargers. */
  readonly batteries: readonly number[];
  readonly chargers: readonly number[];
}

const SCENE_KEYS = ['reservoir', 'emitters', 'initial', 'description'] as const;
const COMMON_EMITTER_KEYS = ['omega0', 'loss', 'role'] as const;

/**
 * Validates a scene and derives its coupling. Every error is a ParameterError whose path names the
 * field (`scene.emitters[2].loss`), the value and what is allowed.
 */
export function prepareScene(scene: unknown, path = 'scene'): PreparedScene {
  const s = argObject('scene', scene, '{reservoir, emitters, initial?}', path);
  rejectUnknownKeys(s, SCENE_KEYS, path);
  if (s.description !== undefined && typeof s.description !== 'string') throw new ParameterError('description', s.description, 'must be a string', `${path}.description`);
  const reservoir = reservoirFromSpec(s.reservoir, `${path}.reservoir`);
  const list = s.emitters;
  if (!Array.isArray(list) || list.length < 1 || list.length > MAX_EMITTERS) {
    throw new ParameterError('emitters', list, `must be an array of 1 to ${MAX_EMITTERS} emitters`, `${path}.emitters`);
  }
  const allowed = [...COMMON_EMITTER_KEYS, ...reservoir.emitterFields];
  const emitters: SceneEmitter[] = list.map((raw, j) => {
    const ep = `${path}.emitters[${j}]`;
    const e = argObject('emitter', raw, `{omega0, role, ${reservoir.emitterFields.join(', ')}, loss?}`, ep);
    rejectUnknownKeys(e, allowed, ep);
    const role = e.role;
    if (role !== 'charger' && role !== 'battery') throw new ParameterError('role', role, 'must be "charger" or "battery"', `${ep}.role`);
    const out: SceneEmitter = {
      ...(e as object),
      omega0: checkNumber('omega0', e.omega0, reservoir.frequencyRange, `${ep}.omega0`),
      loss: e.loss === undefined ? 0 : checkNumber('loss', e.loss, LOSS_RANGE, `${ep}.loss`),
      role,
    };
    return out;
  });
  const coupling = reservoir.couple(emitters, `${path}.emitters`);
  const n = emitters.length;
  const batteries = emitters.flatMap((e, j) => (e.role === 'battery' ? [j] : []));
  const chargers = emitters.flatMap((e, j) => (e.role === 'charger' ? [j] : []));
  if (batteries.length === 0) throw new ParameterError('emitters', 'no battery', 'at least one emitter must have "role": "battery"', `${path}.emitters`);
  const initial = checkInitial(s.initial, n, chargers, `${path}.initial`);
  const init: Array<[number, number]> = [];
  for (let j = 0; j < n; j++) init.push([initial[2 * j], initial[2 * j + 1]]);
  const checked: Scene = { reservoir: { ...(s.reservoir as Scene['reservoir']) }, emitters, initial: init };
  if (s.description !== undefined) checked.description = s.description as string;
  return {
    scene: checked, reservoir, coupling, n,
    omega: Float64Array.from(emitters, (e) => e.omega0),
    loss: Float64Array.from(emitters, (e) => e.loss ?? 0),
    initial, batteries, chargers,
  };
}

function checkInitial(raw: unknown, n: number, chargers: readonly number[], path: string): Float64Array {
  const c = new Float64Array(2 * n);
  if (raw === undefined) {
    if (chargers.length === 0) throw new ParameterError('initial', raw, 'must be given when no emitter has "role": "charger" (the default excites the first charger)', path);
    c[2 * chargers[0]] = 1;
    return c;
  }
  if (!Array.isArray(raw) || raw.length !== n) throw new ParameterError('initial', raw, `must be an array of ${n} pairs [re, im], one per emitter`, path);
  let norm = 0;
  raw.forEach((pair, j) => {
    if (!Array.isArray(pair) || pair.length !== 2) throw new ParameterError('initial', pair, 'must be a pair [re, im]', `${path}[${j}]`);
    c[2 * j] = checkNumber('initial', pair[0], { min: -1, max: 1 }, `${path}[${j}][0]`);
    c[2 * j + 1] = checkNumber('initial', pair[1], { min: -1, max: 1 }, `${path}[${j}][1]`);
    norm += c[2 * j] * c[2 * j] + c[2 * j + 1] * c[2 * j + 1];
  });
  if (norm === 0) throw new ParameterError('initial', raw, 'must excite at least one emitter (all amplitudes are 0)', path);
  if (Math.abs(norm - 1) > NORM_TOLERANCE) throw new ParameterError('initial', raw, `must be normalised: Σ|c_j(0)|² = ${norm}, allowed 1 ± ${NORM_TOLERANCE}`, path);
  return c;
}

/** The paper's configuration as a scene: TM11 guide, charger at z = 0 (excited), battery at z = Δz, both at ω0 and Γ11. */
export function sceneFromParams(params: ModelParams): Scene {
  const p = checkParams(params);
  return {
    reservoir: { type: 'waveguide', modes: ['TM11'] },
    emitters: [
      { z: 0, omega0: p.omega0, gamma: p.gamma11, role: 'charger' },
      { z: p.dz, omega0: p.omega0, gamma: p.gamma11, role: 'battery' },
    ],
    initial: [[1, 0], [0, 0]],
  };
}

/**
 * The ± symmetry of the paper (physics.md, "Symmetric and antisymmetric channels"): two emitters in
 * the TM11 guide with equal ω, Γ and loss. Returns the two-emitter parameters (Δz = |z2 − z1|) and the
 * common loss, or null when the scene lacks the symmetry. The solvers then take the ± fast path:
 * c(t) = c1(0)·u(t) + c2(0)·swap(u(t)), u the paper's solution from |e1⟩ (solveScene: lossless pairs,
 * and lossy ones for 'markov' only, where equal loss is the factor e^{−γt/2}).
 */
export function pairSymmetry(p: PreparedScene): { params: ModelParams; loss: number } | null {
  if (p.n !== 2 || p.reservoir !== TM11_GUIDE) return null;
  const [a, b] = p.scene.emitters;
  if (a.omega0 !== b.omega0 || a.gamma !== b.gamma || p.loss[0] !== p.loss[1]) return null;
  const dz = Math.abs((b.z as number) - (a.z as number));
  return { params: { omega0: a.omega0, gamma11: a.gamma as number, dz }, loss: p.loss[0] };
}
