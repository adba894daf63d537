import type { ModelParams } from '../model/params.js';

/** Solver names accepted by `solve`. */
export type Method = 'exact' | 'volterra' | 'markov';
export const METHODS: readonly Method[] = ['exact', 'volterra', 'markov'];

/**
 * The dynamics problem of Eq. (3): initial state |e1, g2; 0⟩ (c1(0) = 1, c2(0) = 0), output on the
 * uniform grid t = 0, dt, 2dt, …, tMax (in 1/ω11). `tol` is the absolute accuracy requested on c1
 * and c2 (default 1e-8); each method picks its own internal resolution to meet it.
 */
export interface DynamicsProblem {
  params: ModelParams;
  tMax: number;
  dt: number;
  tol?: number;
}

/** Outcome codes, as SciML's retcodes: anything but 'success' comes with a message saying why. */
export type Status = 'success' | 'tolerance-not-met' | 'max-steps' | 'cancelled';

/** Something that can say a computation should stop (an AbortSignal fits). */
export interface CancelToken { readonly aborted: boolean }

export interface SolveOptions {
  /** Called with the fraction done in [0, 1]. */
  onProgress?: (fraction: number) => void;
  signal?: CancelToken;
}

/**
 * Amplitudes on the output grid. `c1` and `c2` are interleaved complex arrays
 * (re0, im0, re1, im1, …) of length 2·t.length: c_j(t_i) = c[2i] + i·c[2i + 1]. The helpers
 * `population(sol, j)` and `amplitude(sol, j, i)` (src/dynamics/accessors.ts) read them.
 */
export interface Solution {
  method: Method;
  params: ModelParams;
  t: Float64Array;
  c1: Float64Array;
  c2: Float64Array;
  status: Status;
  message: string;
  /** Estimated maximum absolute error on c1, c2 over the grid (NaN if the method has no estimate). */
  errorEstimate: number;
  /** Method-specific counters (nodes, steps, levels, …); NaN where one does not apply (e.g. the step h when only t = 0 was asked). */
  stats: Record<string, number>;
}

/** Largest number of output points accepted (memory bound: 2 interleaved arrays of 16 bytes a point). */
export const MAX_OUTPUT_POINTS = 2_000_001;
