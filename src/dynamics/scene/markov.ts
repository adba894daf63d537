import type { SolveOptions } from '../types.js';
import type { SceneGrid, SceneSolution } from './types.js';

/** PLACEHOLDER (being written): the general-path markov solver for a scene. */
export function solveSceneMarkov(grid: SceneGrid, _options: SolveOptions): SceneSolution {
  throw new Error(`solveSceneMarkov: not written yet (scene of ${grid.prepared.n} emitters)`);
}
