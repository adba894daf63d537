import type { PreparedScene, Scene } from '../../model/scene.js';
import type { Method, SolveOptions, Status } from '../types.js';

/**
 * The dynamics problem of a scene (the matrix form of Eq. 3, shared/scenes.md §1): output on the grid
 * t = 0, dt, …, tMax (1/ω11); `tol` is the absolute accuracy requested on every c_j (default 1e-8).
 */
export interface SceneProblem {
  scene: Scene;
  tMax: number;
  dt: number;
  tol?: number;
}

/** A validated scene problem: the prepared scene, the output grid and the tolerance. */
export interface SceneGrid {
  prepared: PreparedScene;
  t: Float64Array;
  tMax: number;
  dt: number;
  tol: number;
  points: number;
}

/**
 * Amplitudes of every emitter on the output grid: c[j] is emitter j's interleaved complex series
 * (c_j(t_i) = c[j][2i] + i·c[j][2i + 1]), in the scene's emitter order.
 */
export interface SceneSolution {
  method: Method;
  /** The validated scene (defaults filled in). */
  scene: Scene;
  t: Float64Array;
  c: Float64Array[];
  status: Status;
  message: string;
  /** Estimated maximum absolute error on any c_j over the grid (NaN if the method has none). */
  errorEstimate: number;
  stats: Record<string, number>;
  /**
   * Which path solved it: 'pair' when the scene has the paper's ± symmetry (two equal emitters in the
   * TM11 guide) and the two-emitter solver ran, 'general' otherwise.
   */
  path: 'pair' | 'general';
}

/** A general-path solver: any scene, any reservoir. */
export type SceneSolver = (grid: SceneGrid, options: SolveOptions) => SceneSolution;
