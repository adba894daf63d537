/**
 * Step halving with Richardson extrapolation and an error estimate, for any second-order scheme whose
 * error has an expansion C(t)·h² + O(h³) (the product-integration Volterra steppers of
 * src/dynamics/volterra.ts and src/dynamics/scene/volterra.ts). Generic: knows nothing of waveguides.
 *
 * ## Method
 * Level ℓ = 0, 1, … solves on a grid with step h_ℓ = h_0/2^ℓ and returns its values u_ℓ at fixed
 * sample points (interleaved complex). From level 1 on, R_ℓ = (4u_ℓ − u_{ℓ−1})/3 removes the h² term;
 * from level 2 on, the estimate e_ℓ = max over samples |R_ℓ − R_{ℓ−1}| (modulus of each complex
 * entry) — the error of R_{ℓ−1}, hence conservative for the returned R_ℓ. Levels are added until
 *   e_ℓ ≤ tol (and at least `minLevels` levels ran): 'success';
 *   the next level would exceed `maxLevel`: 'max-steps';
 *   e_ℓ is not finite: 'tolerance-not-met' (non-finite values);
 *   from level 3 on, e_ℓ < `floor` and it did not decrease: 'tolerance-not-met' (rounding floor);
 *   the signal is aborted, or a level reports cancellation: 'cancelled' (the last completed level's
 *   values are returned).
 * Progress: the fraction of the planned cost done, where the plan assumes the estimate keeps falling
 * as in the last halving (by at least 2× a level, at most 16×); it stays below 1 until the end.
 */

/** What a level solve returns: the values at the sample points, or null when it was cancelled. */
export type LevelSolve = (level: number, onFraction: (fraction: number) => void) => Float64Array | null;

export interface RichardsonOptions {
  /** Solves level ℓ (step h_0/2^ℓ); the arrays of all levels have the same length (interleaved complex). */
  solveLevel: LevelSolve;
  /** Relative cost of level ℓ (for progress only), e.g. its steps·log(steps). */
  levelCost: (level: number) => number;
  /** Absolute tolerance on every complex sample. */
  tol: number;
  /** Last level allowed (step budget), ≥ 0. */
  maxLevel: number;
  /** Least number of levels run (default 3, the least that gives an estimate). */
  minLevels?: number;
  /** Estimates below this that stop decreasing are taken as the rounding floor (default 1e-6). */
  floor?: number;
  signal?: { readonly aborted: boolean };
  onProgress?: (fraction: number) => void;
}

export interface RichardsonResult {
  status: 'success' | 'tolerance-not-met' | 'max-steps' | 'cancelled';
  /** R of the last completed level (u_0 if only level 0 completed), null if none completed. */
  values: Float64Array | null;
  /** e of the last completed level ≥ 2 (NaN before). */
  estimate: number;
  /** Levels completed. */
  levels: number;
  /** Why it stopped, in words, for a non-success status ('' otherwise). */
  reason: string;
}

/** Runs the levels of a second-order scheme with Richardson extrapolation until the estimate meets `tol`. */
export function richardsonLevels(o: RichardsonOptions): RichardsonResult {
  const minLevels = Math.max(3, Math.floor(o.minLevels ?? 3));
  const floor = o.floor ?? 1e-6;
  const maxLevel = Math.max(0, Math.floor(o.maxLevel));
  let planned = Math.min(minLevels - 1, maxLevel);
  let done = 0; // cost of the completed levels
  let last = 0;
  const report = (fraction: number): void => {
    if (!o.onProgress) return;
    const f = Math.min(0.99, Math.max(last, fraction));
    last = f;
    o.onProgress(f);
  };
  const plannedCost = (from: number): number => {
    let u = done;
    for (let l = from; l <= planned; l++) u += o.levelCost(l);
    return u;
  };

  let prev: Float64Array | null = null;
  let prevR: Float64Array | null = null;
  let best: Float64Array | null = null;
  let estimate = Number.NaN;
  let prevEstimate = Number.NaN;
  let levels = 0;
  const result = (status: RichardsonResult['status'], reason = ''): RichardsonResult => {
    if (status === 'success') o.onProgress?.(1);
    return { status, values: best, estimate, levels, reason };
  };

  for (let level = 0; ; level++) {
    if (level > maxLevel) return result('max-steps', 'step budget reached');
    if (o.signal?.aborted) return result('cancelled', 'cancelled');
    const cost = o.levelCost(level);
    const total = plannedCost(level);
    const cur = o.solveLevel(level, (f) => report((done + cost * f) / total));
    if (!cur) return result('cancelled', 'cancelled');
    done += cost;
    levels = level + 1;
    let R: Float64Array | null = null;
    if (prev) {
      if (prev.length !== cur.length) throw new RangeError(`richardsonLevels: level ${level} returned ${cur.length} values, level ${level - 1} ${prev.length}`);
      // The h² term of the error expansion cancels in (4u_{h/2} − u_h)/3.
      R = new Float64Array(cur.length);
      for (let i = 0; i < R.length; i++) R[i] = (4 * cur[i] - prev[i]) / 3;
    }
    if (R && prevR) {
      let e = 0;
      for (let i = 0; i < R.length; i += 2) {
        const a = Math.hypot(R[i] - prevR[i], R[i + 1] - prevR[i + 1]);
        if (!(a <= e)) e = a; // NaN propagates
      }
      prevEstimate = estimate;
      estimate = e;
    }
    best = R ?? cur;
    prev = cur;
    prevR = R;
    if (level >= 2 && !Number.isFinite(estimate)) return result('tolerance-not-met', 'non-finite values');
    if (level + 1 >= minLevels && estimate <= o.tol) return result('success');
    if (level >= 3 && estimate < floor && !(estimate < prevEstimate)) {
      return result('tolerance-not-met', 'the error estimate stopped decreasing (rounding floor)');
    }
    if (Number.isFinite(estimate) && estimate > o.tol) {
      const q = Number.isFinite(prevEstimate) && estimate < prevEstimate ? Math.max(estimate / prevEstimate, 1 / 16) : 0.5;
      const extra = Math.ceil(Math.log(estimate / o.tol) / Math.log(1 / q));
      planned = Math.min(maxLevel, Math.max(planned, level + extra));
    } else {
      planned = Math.min(maxLevel, Math.max(planned, level + 1));
    }
    report(done / plannedCost(level + 1));
  }
}
