import type { SolveOptions } from '../types.js';
import type { SceneGrid, SceneSolution } from './types.js';

/** Unequal intrinsic loss (being written). */
export function solveSceneExactLossy(grid: SceneGrid, _options: SolveOptions): SceneSolution {
  const c = Array.from({ length: grid.prepared.n }, () => new Float64Array(2 * grid.points).fill(Number.NaN));
  return { method: 'exact', scene: grid.prepared.scene, t: grid.t, c, status: 'tolerance-not-met', message: 'exact: unequal loss not yet supported', errorEstimate: Number.NaN, stats: {}, path: 'general' };
}
