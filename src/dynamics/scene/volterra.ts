import type { SolveOptions } from '../types.js';
import type { SceneGrid, SceneSolution } from './types.js';

/** PLACEHOLDER (being written): the general-path volterra solver for a scene. */
export function solveSceneVolterra(grid: SceneGrid, _options: SolveOptions): SceneSolution {
  throw new Error(`solveSceneVolterra: not written yet (scene of ${grid.prepared.n} emitters)`);
}
