import { ParameterError } from '../../errors.js';
import { argObject } from '../../arguments.js';
import { pairSymmetry, prepareScene } from '../../model/scene.js';
import { solveExact } from '../exact.js';
import { solveVolterra } from '../volterra.js';
import { solveMarkov } from '../markov.js';
import { checkSolveOptions, checkTimeGrid, outputGrid } from '../validate.js';
import { MAX_OUTPUT_POINTS, METHODS, type Method, type Solution, type SolveOptions } from '../types.js';
import { solveSceneExact } from './exact.js';
import { solveSceneVolterra } from './volterra.js';
import { solveSceneMarkov } from './markov.js';
import type { SceneGrid, SceneProblem, SceneSolution } from './types.js';

/** Validates a scene problem (ParameterError naming `problem.scene.emitters[2].loss`, `problem.dt`, …). */
export function checkSceneProblem(problem: SceneProblem): SceneGrid {
  argObject('problem', problem, '{scene, tMax, dt, tol?}');
  const prepared = prepareScene(problem.scene, 'problem.scene');
  const maxPoints = Math.floor(2 * MAX_OUTPUT_POINTS / prepared.n);
  const { tMax, dt, tol, points } = checkTimeGrid(problem, maxPoints, 'absolute, on every c_j', `the memory bound of ${maxPoints} points for ${prepared.n} emitters`);
  return { prepared, t: outputGrid(dt, points), tMax, dt, tol, points };
}

/**
 * Solves a scene with the named method (shared/scenes.md): 'exact' (matrix resolvent), 'volterra'
 * (matrix product-integration stepper) or 'markov' (matrix Eq. 6). A scene with the paper's ±
 * symmetry (pairSymmetry: two equal lossless emitters in the TM11 guide) takes the two-emitter solver,
 * whose results it returns unchanged for the paper's initial state |e1⟩ (bit for bit); other initial
 * states follow by linearity. Equal loss takes that path only for 'markov', where it is the exact
 * factor e^{−γt/2} (a memory kernel does not commute with the damping).
 */
export function solveScene(problem: SceneProblem, method: Method = 'exact', options: SolveOptions = {}): SceneSolution {
  if (!(METHODS as readonly unknown[]).includes(method)) throw new ParameterError('method', method, `must be one of ${METHODS.map((m) => `'${m}'`).join(', ')}`);
  const grid = checkSceneProblem(problem);
  const opts = checkSolveOptions(options);
  const pair = pairSymmetry(grid.prepared);
  // Equal loss factors out as e^{−γt/2} only for Markov's instantaneous kernel: with memory, the field
  // emitted at s < t is not damped, so ∫F(t − s)e^{−γs/2}u(s)ds ≠ e^{−γt/2}∫F(t − s)u(s)ds (scenes.md §1
  // says otherwise; it is wrong). Lossy pairs therefore take the general path for exact and volterra.
  if (pair && (pair.loss === 0 || method === 'markov')) return solvePair(grid, method, pair.params, pair.loss, opts);
  switch (method) {
    case 'exact': return solveSceneExact(grid, opts);
    case 'volterra': return solveSceneVolterra(grid, opts);
    default: return solveSceneMarkov(grid, opts);
  }
}

/** Where the two-emitter parameters sit in a pair scene. */
const SCENE_FIELD: Record<string, string> = { omega0: 'emitters[0].omega0', gamma11: 'emitters[0].gamma', dz: 'emitters[1].z' };

/** The ± fast path: the two-emitter solver from |e1⟩, then linearity, the swap symmetry and the loss factor. */
function solvePair(grid: SceneGrid, method: Method, params: Solution['params'], loss: number, options: SolveOptions): SceneSolution {
  const problem = { params, tMax: grid.tMax, dt: grid.dt, tol: grid.tol };
  let u: Solution;
  try {
    u = method === 'exact' ? solveExact(problem, options) : method === 'volterra' ? solveVolterra(problem, options) : solveMarkov(problem, options);
  } catch (e) {
    // A refusal of the two-emitter solver (e.g. Markov at ω0 = 1) names the scene's field, not params'.
    if (e instanceof ParameterError && e.parameter in SCENE_FIELD) {
      throw new ParameterError(e.parameter, e.value, e.allowed, `problem.scene.${SCENE_FIELD[e.parameter]}`);
    }
    throw e;
  }
  const c0 = grid.prepared.initial;
  let c1 = u.c1;
  let c2 = u.c2;
  if (!(c0[0] === 1 && c0[1] === 0 && c0[2] === 0 && c0[3] === 0 && loss === 0)) {
    // c(t) = a·u(t) + b·swap(u(t)) with a = c1(0), b = c2(0): by the exchange symmetry the solution from
    // |e2⟩ is u with c1 and c2 swapped. Then (Markov only) the common loss multiplies by e^{−γt/2}.
    const [ar, ai, br, bi] = c0;
    c1 = new Float64Array(u.c1.length);
    c2 = new Float64Array(u.c2.length);
    for (let i = 0; i < u.t.length; i++) {
      const f = loss === 0 ? 1 : Math.exp(-0.5 * loss * u.t[i]);
      const xr = u.c1[2 * i], xi = u.c1[2 * i + 1], yr = u.c2[2 * i], yi = u.c2[2 * i + 1];
      c1[2 * i] = f * (ar * xr - ai * xi + br * yr - bi * yi);
      c1[2 * i + 1] = f * (ar * xi + ai * xr + br * yi + bi * yr);
      c2[2 * i] = f * (ar * yr - ai * yi + br * xr - bi * xi);
      c2[2 * i + 1] = f * (ar * yi + ai * yr + br * xi + bi * xr);
    }
  }
  return {
    method, scene: grid.prepared.scene, t: u.t, c: [c1, c2], status: u.status, message: u.message,
    errorEstimate: u.errorEstimate, stats: u.stats, path: 'pair',
  };
}
