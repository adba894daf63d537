import type { SolveOptions } from '../types.js';
import type { SceneGrid, SceneSolution } from './types.js';

/** PLACEHOLDER (being written): the general-path exact solver for a scene. */
export function solveSceneExact(grid: SceneGrid, _options: SolveOptions): SceneSolution {
  throw new Error(`solveSceneExact: not written yet (scene of ${grid.prepared.n} emitters)`);
}
