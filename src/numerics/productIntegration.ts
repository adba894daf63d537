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
  /** Gauss–Legendre points per panel near the singular points (default 8). */
  points?: number;
  /** Panels narrower than `minWidth`·h are not refined further (default 2^−50 ≈ 9e-16). */
  minWidth?: number;
  /**
   * Modulation frequencies ω_c: the moments are those of k_c(σ)·e^{iω_c σ} (component c of the
   * kernel times a phase; e.g. a rotating frame). Applied here so that a regular cell needs one
   * cos/sin pair per component instead of one per node. Default: no modulation.
   */
  modulation?: readonly number[];
  /**
   * A bound Ω on how fast the (modulated) kernel oscillates: |k_c(z)·e^{iω_c z}| grows no faster
   * than e^{Ω|Im z|} off the real axis near σ (for the waveguide kernels, ∝ H0^{(2)}(z) ~ e^{−iz},
   * times e^{iEz}: Ω = |1 − E|; more next to a light cone, see volterra.ts). A number, or a function of
   * σ that is monotone between singular points (it is evaluated at the ends of each cell and panel).
   * When given, cells at least 64h from every singular point use the cheaper panel or far-cell
   * rules (see `cellMoments`); without it every cell uses `points`.
   */
  frequency?: number | ((sigma: number) => number);
}

/**
 * Gauss–Legendre points for a cell of width h at least 64h from every singularity of a kernel that
 * grows at most like e^{Ω|Im z|} off the real axis, with x = Ω·h: the fewest points whose relative
 * error on ∫_0^1 x'^q e^{ixx'} dx', q = 0, 1, 2 (the moments of the oscillation) is ≤ 1e-14 —
 * 4 points up to x = 0.066, 5 up to 0.3, 6 up to 0.8 (errors computed against mpmath:
 * 7.7e-15, 7.1e-15, 8.1e-15 at those ends; the x^q weight costs two orders: the 8th derivative
 * of x²e^{ixx'} is ∝ x^6, not x^8). The distance term (Bernstein ellipse through the nearest singular point,
 * ρ ≈ 4d/h ≥ 256, with the same loss of two orders from the x² weight) is ≲ ρ^{−(2n−2)} ≤ 4e-15.
 * Returns 0 for "use the near rule".
 */
export function farPoints(x: number): number {
  if (!(x >= 0)) return 0;
  if (x <= 0.066) return 4;
  if (x <= 0.3) return 5;
  if (x <= 0.8) return 6;
  return 0;
}

/** Chebyshev nodes per far panel (an interpolant of degree 11 shared by P cells). */
const PANEL_NODES = 12;

/**
 * Cells per far panel for a kernel with growth rate Ω (see `frequency`), x = Ω·h: the largest P in
 * {8, 4, 2} with Ω·P·h ≤ 1, or 1 (no panels). On a panel of half-width θ/Ω, θ = ΩPh/2 ≤ 0.5, the
 * degree-11 Chebyshev interpolant of e^{iΩσ} errs by ≈ 2(θ/2)^{12}/12! ≤ 3e-16; the distance term
 * (panel ≥ 64h ≥ 8·Ph from every singular point: ρ ≳ 32) is ρ^{−12} ≲ 1e-18.
 */
export function farPanelCells(x: number): number {
  for (const p of [8, 4, 2]) if (x * p <= 1) return p;
  return 1;
}

/**
 * Moments of the Lagrange basis of a panel of P cells: entry [(3j + q)·N + i] = ∫_0^1 ℓ_i(j + x) x^q dx,
 * cell j = 0 … P − 1, q = 0, 1, 2, where ℓ_i (i < N = PANEL_NODES) is the Lagrange polynomial of the
 * Chebyshev points t_i = (P/2)(1 − cos(π(i + ½)/N)) of [0, P] (in cell units). Integrated by a
 * 10-point Gauss–Legendre rule per cell, exact for these degree-13 integrands. Also returns t_i.
 */
function panelMatrix(P: number): { t: Float64Array; M: Float64Array } {
  const N = PANEL_NODES;
  const t = new Float64Array(N);
  const bw = new Float64Array(N);
  for (let i = 0; i < N; i++) {
    const th = (Math.PI * (i + 0.5)) / N;
    t[i] = 0.5 * P * (1 - Math.cos(th));
    // Barycentric weights of first-kind Chebyshev points (any common factor cancels).
    bw[i] = (i % 2 === 0 ? 1 : -1) * Math.sin(th);
  }
  const { x: gx, w: gw } = gaussLegendre(10);
  const M = new Float64Array(3 * P * N);
  const ell = new Float64Array(N);
  for (let j = 0; j < P; j++) {
    for (let g = 0; g < gx.length; g++) {
      const x = 0.5 * (1 + gx[g]);
      const w = 0.5 * gw[g];
      const u = j + x;
      let den = 0;
      for (let i = 0; i < N; i++) {
        ell[i] = bw[i] / (u - t[i]);
        den += ell[i];
      }
      for (let i = 0; i < N; i++) {
        const l = ell[i] / den;
        M[3 * j * N + i] += w * l;
        M[(3 * j + 1) * N + i] += w * x * l;
        M[(3 * j + 2) * N + i] += w * x * x * l;
      }
    }
  }
  return { t, M };
}

/** Distance, in cells, from every singular point beyond which the far rule may be used. */
const FAR_CELLS = 64;

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

/** Adds one quadrature node's contribution (weights w, w·x, w·x² times re + i·im) to the three moments at mo[off …]. */
function addNode(mo: Float64Array, off: number, w: number, wx: number, wxx: number, re: number, im: number): void {
  mo[off] += w * re;
  mo[off + 1] += w * im;
  mo[off + 2] += wx * re;
  mo[off + 3] += wx * im;
  mo[off + 4] += wxx * re;
  mo[off + 5] += wxx * im;
}

/**
 * Moments μ_q^{(m)} = ∫_{(m−1)h}^{mh} k(σ) e^{iω_c σ} x^q dσ, x = (σ − (m − 1)h)/h, q = 0, 1, 2, of
 * every cell m = 1 … n, for each component c of a complex kernel (ω_c = 0 without `modulation`).
 *
 * ## Method
 * A panel [p, q] is integrated by the `points`-point Gauss–Legendre rule when its distance to every
 * singular point is at least twice its width; otherwise it is bisected (recursively). A kernel that
 * is analytic except at the listed points is then analytic inside the Bernstein ellipse of
 * parameter ρ = 5 + √24 ≈ 9.9 around every panel, so the rule's relative error is O(ρ^−2n):
 * ≈ 1e-16 for n = 8. Towards a singular point this is geometric grading with ratio 2 (≈ 2·log2(1/minWidth)
 * extra panels per singular point; ~50 for the default); the last panel, of width ≤ minWidth·h, holds a
 * log-singular contribution of order minWidth·h·|ln(minWidth·h)| ≈ 3e-14·h, which the rule still gets
 * to a few per cent, i.e. ~1e-15·h absolute. When `frequency` Ω is given, cells ≥ 64h from every
 * singular point are cheaper: in panels of P = `farPanelCells(Ωh)` cells (8, 4 or 2; Ω the largest
 * over the panel) the modulated
 * kernel is sampled at 12 Chebyshev points and its degree-11 interpolant is integrated exactly
 * against x^q on each cell (a fixed 3P × 12 matrix): 12/P evaluations a cell; where Ωh is too large
 * for a panel (P = 1), each cell takes `farPoints(Ωh)` Gauss points. Measured against closed forms (see
 * test/numerics/productIntegration.test.ts): k = −ln σ on the singular cell, ≤ 2e-15 relative; k = ln|σ − a|
 * with a inside a cell or 1e-12 from its edge, ≤ 4e-15 relative on the cells around a; k = e^{−zσ},
 * ≤ 1e-13 relative on every cell, also on panels and far cells (the closed form limits that check);
 * the waveguide kernels f± e^{iEσ} with panels/far cells (Ω(σ) from volterra.ts's kernelRate) agree
 * with a 12-point rule to ≤ 9.5e-15 relative at Δz = 0.1 and 1λ11, ≤ 1.5e-13 next to the light cone at
 * Δz = 20λ11 (where the kernel's own sensitivity to the rounding of σ is of that order). The rule needs the kernel to be resolved at scale h
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
  const omega = new Float64Array(components);
  if (options.modulation) {
    if (options.modulation.length !== components) throw new RangeError(`cellMoments: modulation has ${options.modulation.length} entries, expected ${components}`);
    for (let c = 0; c < components; c++) {
      omega[c] = options.modulation[c];
      if (!Number.isFinite(omega[c])) throw new RangeError(`cellMoments: modulation[${c}] = ${omega[c]} must be finite`);
    }
  }
  const modulated = omega.some((w) => w !== 0);
  if (typeof options.frequency === 'number' && !(options.frequency >= 0)) throw new RangeError(`cellMoments: frequency = ${options.frequency} must be ≥ 0`);
  const { x: gx, w: gw } = gaussLegendre(n);
  const moments: Float64Array[] = [];
  for (let c = 0; c < components; c++) moments.push(new Float64Array(6 * cells));
  const val = new Float64Array(2 * components);
  let evaluations = 0;

  // Integrate the panel [p, q] of the cell that starts at a into the moments of cell index m0 (0-based).
  // A whole cell (p = a, q = a + h) is taken with its exact width h: the difference of the rounded
  // ends, (m·h) − ((m − 1)·h), is off by up to ulp(σ), a relative error ulp(σ)/h in every weight
  // (≈ 3e-13 at σ = 32, h = 0.025) that the far rules, which use h itself, do not have.
  const panel = (p: number, q: number, a: number, m0: number, whole = false): void => {
    const half = whole ? 0.5 * h : 0.5 * (q - p);
    const mid = whole ? a + half : 0.5 * (p + q);
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
      // The node's cell coordinate from its offsets (not (s − a)/h, which carries the rounding of s).
      const x = whole ? 0.5 * (1 + gx[i]) : (mid - a + half * gx[i]) / h;
      const wx = w * x;
      const wxx = wx * x;
      for (let c = 0; c < components; c++) {
        let re = val[2 * c];
        let im = val[2 * c + 1];
        if (omega[c] !== 0) {
          const cs = Math.cos(omega[c] * s);
          const sn = Math.sin(omega[c] * s);
          const r = re * cs - im * sn;
          im = re * sn + im * cs;
          re = r;
        }
        addNode(moments[c], off, w, wx, wxx, re, im);
      }
    }
    evaluations += n;
  };

  const distance = (p: number, q: number): number => {
    let d = Number.POSITIVE_INFINITY;
    for (let i = 0; i < singular.length; i++) {
      const sp = singular[i];
      const di = sp < p ? p - sp : sp > q ? sp - q : 0;
      if (di < d) d = di;
    }
    return d;
  };

  const acc = new Float64Array(6 * components);
  const farFrom = FAR_CELLS * h;
  // Ω at σ (undefined: no far rules). A function is evaluated at both ends of a panel or cell.
  const freq = options.frequency;
  const omegaAt = (p: number, q: number): number => (typeof freq === 'function' ? Math.max(freq(p), freq(q)) : freq!);

  // Far cells and panels need node tables per rule; made on first use. The modulation is split as
  // e^{iωσ} = e^{iωa}·e^{iω(σ − a)} (a = the cell's or panel's start): the node factors e^{iω(σ − a)}
  // are the same everywhere (tabulated), the start factor multiplies the finished sums.
  // phaseTable(x)[2(c·n + i) + (0|1)] = cos/sin(ω_c·h·x_i) for nodes x_i in cell units.
  const phaseTable = (x: Float64Array): Float64Array => {
    const np = x.length;
    const t = new Float64Array(2 * np * components);
    for (let c = 0; c < components; c++) {
      for (let i = 0; i < np; i++) {
        t[2 * (c * np + i)] = Math.cos(omega[c] * h * x[i]);
        t[2 * (c * np + i) + 1] = Math.sin(omega[c] * h * x[i]);
      }
    }
    return t;
  };
  interface CellRule { n: number; x: Float64Array; w: Float64Array; wx: Float64Array; wxx: Float64Array; phase: Float64Array }
  const cellRules: CellRule[] = [];
  const cellRule = (np: number): CellRule => {
    let r = cellRules[np];
    if (r) return r;
    const g = gaussLegendre(np);
    const x = new Float64Array(np);
    const w = new Float64Array(np);
    const wx = new Float64Array(np);
    const wxx = new Float64Array(np);
    for (let i = 0; i < np; i++) {
      x[i] = 0.5 * (1 + g.x[i]);
      w[i] = 0.5 * h * g.w[i];
      wx[i] = w[i] * x[i];
      wxx[i] = wx[i] * x[i];
    }
    r = { n: np, x, w, wx, wxx, phase: phaseTable(x) };
    cellRules[np] = r;
    return r;
  };
  // Far panels: P consecutive far cells share one degree-11 Chebyshev interpolant of the modulated
  // kernel, whose cell moments are a fixed linear map (panelMatrix) of its 12 node values.
  interface PanelRule { P: number; t: Float64Array; M: Float64Array; phase: Float64Array }
  const panelRules: PanelRule[] = [];
  const NP = PANEL_NODES;
  const panelRule = (P: number): PanelRule => {
    let r = panelRules[P];
    if (r) return r;
    const { t, M } = panelMatrix(P);
    r = { P, t, M, phase: phaseTable(t) };
    panelRules[P] = r;
    return r;
  };
  const pv = new Float64Array(2 * NP * components); // modulated node values, [c][i] re/im

  // Explicit stack instead of recursion (depth ≈ 50 per singular point is fine either way).
  const stack: number[] = [];
  for (let m = 1; m <= cells; m++) {
    const a = (m - 1) * h;
    const b = m * h;
    // The widest panel (8, 4, 2 cells) that Ω allows, fits and is far from every singular point.
    let P = 1;
    if (freq !== undefined) {
      for (P = farPanelCells(omegaAt(a, Math.min(a + 8 * h, cells * h)) * h); P > 1; P >>= 1) {
        if (m + P - 1 <= cells && distance(a, a + P * h) >= farFrom && farPanelCells(omegaAt(a, a + P * h) * h) >= P) break;
      }
    }
    if (P > 1) {
      // One panel: cells m … m + P − 1.
      const pr = panelRule(P);
      let finite = true;
      for (let i = 0; i < NP; i++) {
        kernel(a + h * pr.t[i], val);
        for (let c = 0; c < components; c++) {
          let re = val[2 * c];
          let im = val[2 * c + 1];
          if (!Number.isFinite(re) || !Number.isFinite(im)) finite = false;
          if (omega[c] !== 0) {
            const k = 2 * (c * NP + i);
            const cs = pr.phase[k];
            const sn = pr.phase[k + 1];
            const r = re * cs - im * sn;
            im = re * sn + im * cs;
            re = r;
          }
          pv[2 * (c * NP + i)] = re;
          pv[2 * (c * NP + i) + 1] = im;
        }
      }
      evaluations += NP;
      if (finite) {
        const M = pr.M;
        for (let c = 0; c < components; c++) {
          // The panel phase e^{iω_c a} (node phases are relative to a).
          const cs = omega[c] === 0 ? 1 : Math.cos(omega[c] * a);
          const sn = omega[c] === 0 ? 0 : Math.sin(omega[c] * a);
          const mo = moments[c];
          const v0 = 2 * c * NP;
          for (let r = 0; r < 3 * P; r++) {
            let re = 0;
            let im = 0;
            for (let i = 0, row = r * NP; i < NP; i++) {
              const w = M[row + i];
              re += w * pv[v0 + 2 * i];
              im += w * pv[v0 + 2 * i + 1];
            }
            // Row r = 3j + q is cell m + j, moment q; the basis moments are per unit cell (× h).
            const o = 6 * (m - 1) + 2 * r;
            mo[o] = h * (re * cs - im * sn);
            mo[o + 1] = h * (re * sn + im * cs);
          }
        }
        m += P - 1;
        continue;
      }
    }
    const d = distance(a, b);
    const nFar = d >= farFrom && freq !== undefined ? farPoints(omegaAt(a, b) * h) : 0;
    if (nFar > 0) {
      const fr = cellRule(nFar);
      acc.fill(0);
      for (let i = 0; i < nFar; i++) {
        kernel(a + h * fr.x[i], val);
        const w = fr.w[i];
        const wx = fr.wx[i];
        const wxx = fr.wxx[i];
        for (let c = 0, o = 0, k = 2 * i; c < components; c++, o += 6, k += 2 * nFar) {
          let re = val[2 * c];
          let im = val[2 * c + 1];
          if (modulated) {
            const cs = fr.phase[k];
            const sn = fr.phase[k + 1];
            const r = re * cs - im * sn;
            im = re * sn + im * cs;
            re = r;
          }
          addNode(acc, o, w, wx, wxx, re, im);
        }
      }
      evaluations += nFar;
      // A non-finite value (not expected this far from the singular points) sends the cell to the
      // general path below, which drops such nodes.
      let finite = true;
      for (let k = 0; k < 6 * components; k++) if (!Number.isFinite(acc[k])) finite = false;
      if (finite) {
        const off = 6 * (m - 1);
        for (let c = 0, o = 0; c < components; c++, o += 6) {
          const mo = moments[c];
          if (omega[c] === 0) {
            for (let k = 0; k < 6; k++) mo[off + k] = acc[o + k];
            continue;
          }
          const cs = Math.cos(omega[c] * a);
          const sn = Math.sin(omega[c] * a);
          for (let k = 0; k < 6; k += 2) {
            const re = acc[o + k];
            const im = acc[o + k + 1];
            mo[off + k] = re * cs - im * sn;
            mo[off + k + 1] = re * sn + im * cs;
          }
        }
        continue;
      }
    }
    if (d >= 2 * (b - a)) {
      panel(a, b, a, m - 1, true);
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
