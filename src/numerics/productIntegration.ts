/**
 * Product-integration weights for convolution integrals with a weakly singular complex kernel,
 *   I_n = ∫_0^{t_n} k(t_n − s) y(s) ds,   t_n = n·h,
 * when y is replaced by its piecewise-linear interpolant on the uniform grid (the "product
 * trapezoidal rule", Linz 1985, ch. 7; Brunner 2004, §2.2). The kernel is integrated exactly
 * (to quadrature accuracy) against the hat functions, so the weights stay accurate however
 * singular k is, as long as it is integrable and its singular points are known.
 *
 * Generic numerics: knows nothing of waveguides. Complex numbers are interleaved (re, im) in
 * Float64Arrays.
 *
 * ## Notation
 * Cell m (m ≥ 1) is the lag interval [(m − 1)h, mh], with local coordinate x = (σ − (m − 1)h)/h ∈ [0, 1].
 * Its moments are μ_q^{(m)} = ∫_cell k(σ) x^q dσ, q = 0, 1, 2. The hat function of grid point j is
 * split into a rising half L_m = ∫_cell m k(σ) x dσ and a falling half R_m = ∫_cell m+1 k(σ)(1 − x) dσ
 * (m = n − j is the lag of the point), so that, exactly for piecewise-linear y,
 *   I_n = R_0·y_n + Σ_{m=1}^{n−1} (L_m + R_m)·y_{n−m} + L_n·y_0.
 */
import { gaussLegendre } from './gaussLegendre.js';

/** A kernel that writes `count` complex values k_c(σ) into out[2c], out[2c + 1] (several kernels share evaluations). */
export type MultiKernel = (sigma: number, out: Float64Array) => void;

export interface CellMomentOptions {
  /**
   * Lags where some component of the kernel is singular or not analytic (e.g. 0 for a log
   * singularity at the origin). Cells are refined towards these points. Default [0].
   */
  singular?: readonly number[];
  /** Gauss–Legendre points per panel (default 8). */
  points?: number;
  /** Panels narrower than `minWidth`·h are not refined further (default 2^−50 ≈ 9e-16). */
  minWidth?: number;
}

/** Moments of the cells, one Float64Array per kernel component, plus the cost. */
export interface CellMoments {
  h: number;
  /** Number of cells n (lags 0 … n·h). */
  cells: number;
  /**
   * moments[c][6(m − 1) + 2q + (0|1)] = re/im of μ_q^{(m)} for component c, cell m = 1 … n, q = 0, 1, 2.
   */
  moments: Float64Array[];
  /** Kernel evaluations used. */
  evaluations: number;
}

/**
 * Moments μ_q^{(m)} = ∫_{(m−1)h}^{mh} k(σ) x^q dσ, x = (σ − (m − 1)h)/h, q = 0, 1, 2, of every cell
 * m = 1 … n, for each component of a complex kernel.
 *
 * ## Method
 * A panel [p, q] is integrated by the `points`-point Gauss–Legendre rule when its distance to every
 * singular point is at least twice its width; otherwise it is bisected (recursively). A kernel that
 * is analytic except at the listed points is then analytic inside the Bernstein ellipse of
 * parameter ρ = 5 + √24 ≈ 9.9 around every panel, so the rule's relative error is O(ρ^−2n):
 * ≈ 1e-16 for n = 8. Towards a singular point this is geometric grading with ratio 2 (≈ 2·log2(1/minWidth)
 * extra panels per singular point; ~50 for the default); the last panel, of width ≤ minWidth·h, holds a
 * log-singular contribution of order minWidth·h·|ln(minWidth·h)| ≈ 3e-14·h, which the rule still gets
 * to a few per cent, i.e. ~1e-15·h absolute. Measured against closed forms (see
 * test/numerics/productIntegration.test.ts): k = −ln σ on the singular cell, ≤ 2e-15 relative; k = ln|σ − a|
 * with a inside a cell or 1e-12 from its edge, ≤ 4e-15 relative on the cells around a; k = e^{−zσ},
 * ≤ 1e-13 relative on every cell (the closed-form recurrence limits that check). Cells far from
 * the singular points cost n evaluations; the rule also needs the kernel to be resolved at scale h
 * (|k'/k|·h ≲ 1): oscillatory kernels need h below their period.
 */
export function cellMoments(
  kernel: MultiKernel,
  components: number,
  h: number,
  cells: number,
  options: CellMomentOptions = {},
): CellMoments {
  if (!(h > 0) || !Number.isFinite(h)) throw new RangeError(`cellMoments: h = ${h} must be positive`);
  if (!Number.isInteger(cells) || cells < 0) throw new RangeError(`cellMoments: cells = ${cells} must be a non-negative integer`);
  if (!Number.isInteger(components) || components < 1) throw new RangeError(`cellMoments: components = ${components} must be ≥ 1`);
  const singular = Float64Array.from(options.singular ?? [0]);
  const n = options.points ?? 8;
  const minWidth = (options.minWidth ?? 2 ** -50) * h;
  const { x: gx, w: gw } = gaussLegendre(n);
  const moments: Float64Array[] = [];
  for (let c = 0; c < components; c++) moments.push(new Float64Array(6 * cells));
  const val = new Float64Array(2 * components);
  let evaluations = 0;

  // Integrate the panel [p, q] of the cell that starts at a into the moments of cell index m0 (0-based).
  const panel = (p: number, q: number, a: number, m0: number): void => {
    const mid = 0.5 * (p + q);
    const half = 0.5 * (q - p);
    const off = 6 * m0;
    if (!(half > 0)) return;
    for (let i = 0; i < n; i++) {
      const s = mid + half * gx[i];
      kernel(s, val);
      // A node that rounds onto a singular point (only in panels of width ≤ minWidth, whose whole
      // contribution is O(minWidth·h·|ln(minWidth·h)|)) is dropped.
      let finite = true;
      for (let c = 0; c < 2 * components; c++) if (!Number.isFinite(val[c])) finite = false;
      if (!finite) continue;
      const w = half * gw[i];
      const x = (s - a) / h;
      const wx = w * x;
      const wxx = wx * x;
      for (let c = 0; c < components; c++) {
        const re = val[2 * c];
        const im = val[2 * c + 1];
        const mo = moments[c];
        mo[off] += w * re;
        mo[off + 1] += w * im;
        mo[off + 2] += wx * re;
        mo[off + 3] += wx * im;
        mo[off + 4] += wxx * re;
        mo[off + 5] += wxx * im;
      }
    }
    evaluations += n;
  };

  const distance = (p: number, q: number): number => {
    let d = Number.POSITIVE_INFINITY;
    for (let i = 0; i < singular.length; i++) {
      const s = singular[i];
      const di = s < p ? p - s : s > q ? s - q : 0;
      if (di < d) d = di;
    }
    return d;
  };

  // Explicit stack instead of recursion (depth ≈ 50 per singular point is fine either way).
  const stack: number[] = [];
  for (let m = 1; m <= cells; m++) {
    const a = (m - 1) * h;
    const b = m * h;
    if (distance(a, b) >= 2 * (b - a)) {
      panel(a, b, a, m - 1);
      continue;
    }
    stack.push(a, b);
    while (stack.length > 0) {
      const q = stack.pop()!;
      const p = stack.pop()!;
      const width = q - p;
      const mid = 0.5 * (p + q);
      // Stop at minWidth, or when the panel is a few ulps wide (mid rounds onto an end).
      if (width <= minWidth || !(mid > p && mid < q) || distance(p, q) >= 2 * width) {
        panel(p, q, a, m - 1);
      } else {
        stack.push(p, mid, mid, q);
      }
    }
  }
  return { h, cells, moments, evaluations };
}

/**
 * Hat-function weights of a kernel on a uniform grid: left[2m], left[2m+1] = L_m (m = 1 … n) and
 * right[2m], right[2m+1] = R_m (m = 0 … n − 1), interleaved complex, so that for piecewise-linear y
 *   ∫_0^{t_n} k(t_n − s) y(s) ds = R_0 y_n + Σ_{m=1}^{n−1} (L_m + R_m) y_{n−m} + L_n y_0.
 */
export interface HatWeights {
  h: number;
  cells: number;
  left: Float64Array;
  right: Float64Array;
}

/**
 * Hat weights of the kernel k itself from its cell moments: L_m = μ_1^{(m)}, R_m = μ_0^{(m+1)} − μ_1^{(m+1)}.
 * Example: k ≡ 1, h = 1 gives L_m = 1/2, R_m = 1/2 (the trapezoidal rule).
 */
export function hatWeights(moments: Float64Array, h: number, cells: number): HatWeights {
  const left = new Float64Array(2 * (cells + 1));
  const right = new Float64Array(2 * (cells + 1));
  for (let m = 1; m <= cells; m++) {
    const o = 6 * (m - 1);
    left[2 * m] = moments[o + 2];
    left[2 * m + 1] = moments[o + 3];
    right[2 * (m - 1)] = moments[o] - moments[o + 2];
    right[2 * (m - 1) + 1] = moments[o + 1] - moments[o + 3];
  }
  return { h, cells, left, right };
}

/**
 * Hat weights of the integrated kernel K(σ) = κ + ∫_0^σ k(u) du (κ a complex constant, e.g. the iω0
 * of a first-order equation folded into its integral form), from the cell moments of k. With
 * K_m = κ + Σ_{i ≤ m} μ_0^{(i)} (= K(mh)), integration by parts inside each cell gives exactly
 *   L_m = (h/2)·[K_{m−1} + μ_0^{(m)} − μ_2^{(m)}],
 *   R_m = (h/2)·[K_m + μ_0^{(m+1)} − 2μ_1^{(m+1)} + μ_2^{(m+1)}].
 * K is continuous (its derivative k may be singular), so these weights need only the moments of k.
 * Example: k ≡ 1, κ = 0, h = 1 gives L_1 = 1/3, R_0 = 1/6 (∫_0^1 s·s ds and ∫_0^1 s(1 − s) ds).
 */
export function integratedHatWeights(
  moments: Float64Array,
  h: number,
  cells: number,
  kappaRe = 0,
  kappaIm = 0,
): HatWeights {
  const left = new Float64Array(2 * (cells + 1));
  const right = new Float64Array(2 * (cells + 1));
  const h2 = 0.5 * h;
  // Running K_{m−1}; kept as a compensated (Kahan) sum so that K stays accurate over 10^6 cells.
  let kRe = kappaRe;
  let kIm = kappaIm;
  let cRe = 0;
  let cIm = 0;
  for (let m = 1; m <= cells; m++) {
    const o = 6 * (m - 1);
    const m0r = moments[o];
    const m0i = moments[o + 1];
    const m1r = moments[o + 2];
    const m1i = moments[o + 3];
    const m2r = moments[o + 4];
    const m2i = moments[o + 5];
    // R_{m−1} uses K_{m−1} and the moments of cell m.
    right[2 * (m - 1)] = h2 * (kRe + m0r - 2 * m1r + m2r);
    right[2 * (m - 1) + 1] = h2 * (kIm + m0i - 2 * m1i + m2i);
    left[2 * m] = h2 * (kRe + m0r - m2r);
    left[2 * m + 1] = h2 * (kIm + m0i - m2i);
    // K_m = K_{m−1} + μ_0^{(m)} (Kahan).
    let y = m0r - cRe;
    let t = kRe + y;
    cRe = t - kRe - y;
    kRe = t;
    y = m0i - cIm;
    t = kIm + y;
    cIm = t - kIm - y;
    kIm = t;
  }
  return { h, cells, left, right };
}

/**
 * Applies the weights: ∫_0^{t_n} k(t_n − s) y(s) ds ≈ R_0 y_n + Σ_{m=1}^{n−1}(L_m + R_m) y_{n−m} + L_n y_0
 * for y given at t_0 … t_n (interleaved complex). O(n); for checks and small problems.
 * Returns [re, im].
 */
export function applyHatWeights(w: HatWeights, y: Float64Array, n: number): [number, number] {
  if (n < 1) return [0, 0];
  if (n > w.cells) throw new RangeError(`applyHatWeights: n = ${n} exceeds the ${w.cells} cells of the weights`);
  const { left: L, right: R } = w;
  let re = R[0] * y[2 * n] - R[1] * y[2 * n + 1];
  let im = R[0] * y[2 * n + 1] + R[1] * y[2 * n];
  for (let m = 1; m < n; m++) {
    const wr = L[2 * m] + R[2 * m];
    const wi = L[2 * m + 1] + R[2 * m + 1];
    const j = 2 * (n - m);
    re += wr * y[j] - wi * y[j + 1];
    im += wr * y[j + 1] + wi * y[j];
  }
  re += L[2 * n] * y[0] - L[2 * n + 1] * y[1];
  im += L[2 * n] * y[1] + L[2 * n + 1] * y[0];
  return [re, im];
}
