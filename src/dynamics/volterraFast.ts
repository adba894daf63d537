/**
 * Fast history sums for the product-integration Volterra stepper of `volterra.ts`: the lower-
 * triangular Toeplitz sum Σ_{j=1}^{m−1} W_{m−j} y_j is accumulated by FFT-blocked convolution
 * (Hairer, Lubich & Schlichte, SIAM J. Sci. Stat. Comput. 6, 532 (1985)), so that N steps cost
 * O(N log² N) instead of O(N²). The scheme and its results are those of the direct stepper (the same
 * weights, the same implicit scalar solve); only the order of the floating-point sums differs, so the
 * two agree to rounding, which grows with N (8.6e-15 at 3001 steps, tested to 1e-13; 2.7e-12 at 10⁵ in
 * the lab frame, docs/methods.md §5).
 *
 * ## Method
 * Steps m ∈ [1, P) (P − 1 = leaf·2^k ≥ N) are split recursively in halves [lo, mid) ∪ [mid, hi). After the
 * left half is solved, its contribution to every step of the right half,
 *   H_m += Σ_{j=lo}^{mid−1} W_{m−j} y_j,   m ∈ [mid, hi),
 * is one cyclic convolution of length s = hi − lo (inputs y_lo … y_{mid−1} zero-padded to s, kernel
 * W_0 … W_{s−1} with W_0 = 0; wrap-around only pollutes outputs below mid, which are discarded). The
 * kernel spectrum depends only on s, so it is transformed once per level. Each pair (j, m), j < m, is
 * summed exactly once: in the leaf (direct loop, `leaf` steps) when both lie in it, otherwise at the
 * node where j falls in the left and m in the right half. Cost per level: N/s nodes × 2 FFTs of size s,
 * i.e. O(N log N) a level and O(N log² N) in all; memory O(N).
 * FFTs are fft.js's radix-4 complex transforms (stack.md: 2^16 points in ≈2 ms, error 2e-15); the
 * inverse is taken as the conjugate of a forward transform, with 1/s folded into the kernel spectrum.
 */
import FFT from 'fft.js';
import type { HatWeights } from '../numerics/productIntegration.js';
import type { CancelToken } from './types.js';

/** Callbacks of a stepper run: progress in steps done, and a cancellation token polled between blocks. */
export interface StepHooks {
  onStep?: (done: number, total: number) => void;
  signal?: CancelToken;
}

/** Result of a stepper run: y at t_0 … t_n (interleaved complex); `steps` < n if cancelled. */
export interface StepResult {
  y: Float64Array;
  steps: number;
  cancelled: boolean;
}

/**
 * Default leaf size: below it the history sum is direct (tuned on a 2-core machine at N = 10⁵, best of
 * 7 runs: 99 ms at 64, 117 ms at 32 and 128).
 */
export const DEFAULT_LEAF = 64;

/** FFT plans by size, shared by all calls (a plan is a twiddle table, ≈ 2 MB at 2^17 points). */
const plans = new Map<number, FFT>();
function plan(size: number): FFT {
  let f = plans.get(size);
  if (!f) {
    f = new FFT(size);
    plans.set(size, f);
  }
  return f;
}

/**
 * Solves y(t) + ∫_0^t K(t − s) y(s) ds = y(0) on t_m = m·h, m = 0 … n, by product integration with
 * the hat weights `w` of K (piecewise-linear y), using FFT-blocked history sums. Each step is the scalar
 * linear solve y_m (1 + R_0) = y_0 (1 − L_m) − Σ_{j=1}^{m−1} (L_{m−j} + R_{m−j}) y_j.
 * Same contract as `convolutionStepDirect` in volterra.ts.
 *
 * The recursion of the method (see the file comment) is run as a loop over leaves: once the leaf that
 * ends at step e is solved, e − 1 = leaf·2^t·(odd) is the midpoint of exactly one node, of size
 * s = leaf·2^{t+1}, and that node's convolution (left half [e − s/2, e) into right half [e, e + s/2)) is
 * due — the same sums in the same order as the recursive form.
 */
export function convolutionStepFFT(
  w: HatWeights,
  n: number,
  y0Re: number,
  y0Im: number,
  hooks: StepHooks = {},
  leaf = DEFAULT_LEAF,
): StepResult {
  if (n > w.cells) throw new RangeError(`convolutionStepFFT: n = ${n} exceeds the ${w.cells} cells of the weights`);
  if (!Number.isInteger(leaf) || leaf < 2 || (leaf & (leaf - 1)) !== 0) throw new RangeError(`leaf = ${leaf} must be a power of two ≥ 2`);
  const L = w.left;
  const y = new Float64Array(2 * (n + 1));
  y[0] = y0Re;
  y[1] = y0Im;
  if (n === 0) return { y, steps: 0, cancelled: false };
  const { W, invRe, invIm } = stepSetup(w, n);
  const H = new Float64Array(2 * (n + 1));
  const signal = hooks.signal;
  const onStep = hooks.onStep;
  // Per level (size s = 2^{level+1}·leaf), made on first use: the plan and the kernel spectrum. Two
  // work buffers of the largest size serve every level (fft.js's forward transform touches only the
  // first 2s entries; its inverse, which rescales the whole buffer, is not used).
  interface Level { fft: FFT; spec: Float64Array }
  const levels: Level[] = [];
  let top = leaf;
  while (top < n) top *= 2;
  const a = new Float64Array(2 * top);
  const b = new Float64Array(2 * top);
  for (let lo = 1; lo <= n; lo += leaf) {
    if (signal?.aborted) return { y, steps: lo - 1, cancelled: true };
    // Direct sums inside the leaf [lo, lo + leaf).
    const end = Math.min(lo + leaf, n + 1);
    for (let m = lo; m < end; m++) {
      let accRe = H[2 * m];
      let accIm = H[2 * m + 1];
      for (let j = lo, k = 2 * (m - lo); j < m; j++, k -= 2) {
        const wr = W[k];
        const wi = W[k + 1];
        const yr = y[2 * j];
        const yi = y[2 * j + 1];
        accRe += wr * yr - wi * yi;
        accIm += wr * yi + wi * yr;
      }
      finishStep(y, m, L, y0Re, y0Im, accRe, accIm, invRe, invIm);
    }
    onStep?.(end - 1, n);
    if (end > n) break;
    // The node whose midpoint is e = end: half = leaf·2^t with 2^t the lowest set bit of (e − 1)/leaf.
    const e = end;
    const blocks = (e - 1) / leaf;
    const half = leaf * (blocks & -blocks);
    const s = 2 * half;
    const start = e - half;
    const level = Math.log2(blocks & -blocks); // s = leaf·2^{level+1}
    let lv = levels[level];
    if (!lv) {
      const fft = plan(s);
      const spec = new Float64Array(2 * s);
      // W_0 … W_{s−1} (W_0 = 0), zero beyond n.
      a.fill(0, 0, 2 * s);
      const kTop = Math.min(s, n);
      for (let k = 1; k < kTop; k++) {
        a[2 * k] = W[2 * k];
        a[2 * k + 1] = W[2 * k + 1];
      }
      fft.transform(spec, a);
      // The inverse transform is done as conj(FFT(conj(·)))/s: fold the 1/s into the spectrum here.
      const inv = 1 / s;
      for (let i = 0; i < 2 * s; i++) spec[i] *= inv;
      lv = { fft, spec };
      levels[level] = lv;
    }
    const { fft, spec } = lv;
    // a ← y_start … y_{e−1}, zero-padded to s; b ← its transform; a ← conj(b·spec/s); b ← FFT(a),
    // whose conjugate is the cyclic convolution.
    a.set(y.subarray(2 * start, 2 * e), 0);
    a.fill(0, 2 * half, 2 * s);
    fft.transform(b, a);
    for (let i = 0; i < 2 * s; i += 2) {
      const br = b[i];
      const bi = b[i + 1];
      const sr = spec[i];
      const si = spec[i + 1];
      a[i] = br * sr - bi * si;
      a[i + 1] = -(br * si + bi * sr);
    }
    fft.transform(b, a);
    // Outputs m ∈ [e, e + half) sit at cyclic positions m − start ∈ [half, s).
    const stop = Math.min(e + half, n + 1);
    for (let m = e, i = 2 * half; m < stop; m++, i += 2) {
      H[2 * m] += b[i];
      H[2 * m + 1] -= b[i + 1];
    }
  }
  return { y, steps: n, cancelled: false };
}

/**
 * What both steppers need before stepping: the history weights W_k = L_k + R_k for k = 1 … n − 1
 * (W_0 = 0, unused) and 1/(1 + R_0), the inverse of the implicit step's coefficient.
 */
export function stepSetup(w: HatWeights, n: number): { W: Float64Array; invRe: number; invIm: number } {
  const L = w.left;
  const R = w.right;
  const W = new Float64Array(2 * (n + 1));
  for (let k = 1; k < n; k++) {
    W[2 * k] = L[2 * k] + R[2 * k];
    W[2 * k + 1] = L[2 * k + 1] + R[2 * k + 1];
  }
  const dRe = 1 + R[0];
  const dIm = R[1];
  const dd = dRe * dRe + dIm * dIm;
  return { W, invRe: dRe / dd, invIm: -dIm / dd };
}

/** The implicit step's solve: y_m = [y_0 (1 − L_m) − acc]/(1 + R_0), with inv = 1/(1 + R_0). */
export function finishStep(
  y: Float64Array, m: number, L: Float64Array, y0Re: number, y0Im: number,
  accRe: number, accIm: number, invRe: number, invIm: number,
): void {
  const lr = L[2 * m];
  const li = L[2 * m + 1];
  const rr = y0Re - (lr * y0Re - li * y0Im) - accRe;
  const ri = y0Im - (lr * y0Im + li * y0Re) - accIm;
  y[2 * m] = rr * invRe - ri * invIm;
  y[2 * m + 1] = rr * invIm + ri * invRe;
}
