/**
 * The matrix product-integration stepper of the scene Volterra solver (shared/scenes.md §1, the matrix
 * form of Eq. 3 integrated once in t):
 *   y(t) + ∫_0^t K(t − s) y(s) ds = y(0),   K(σ) = diag(a) + Σ_c W^c K_c(σ),
 * y ∈ ℂ^N, a_j complex constants (the i(ω_j − E) + γ_j/2 of the frame and the loss), W^c real N×N
 * matrices and K_c scalar kernels given by their hat weights (integratedHatWeights of
 * src/numerics/productIntegration.ts, piecewise-linear y on t_m = m·h). It is the N×N form of
 * `convolutionStepDirect`/`convolutionStepFFT` (src/dynamics/volterra.ts, volterraFast.ts): each step
 * is the linear solve
 *   (I + R_0) y_m = (I − L_m) y_0 − Σ_{k=1}^{m−1} W_k y_{m−k},
 * with the N×N weights R_0 = (h/2)diag(a) + Σ_c W^c R^c_0, L_m = (h/2)diag(a) + Σ_c W^c L^c_m,
 * W_k = h·diag(a) + Σ_c W^c (L^c_k + R^c_k). I + R_0 is inverted once (ml-matrix LU on the real 2N×2N
 * form), so the loss enters the implicit part exactly.
 *
 * ## History sums
 * The diagonal part h·diag(a)·Σ_{j=1}^{m−1} y_j is a running sum. The rest is split as in
 * volterraFast.ts (Hairer, Lubich & Schlichte 1985): pairs (j, m) inside one leaf of `leaf` steps are
 * summed directly with the assembled N×N matrices W_1 … W_{leaf−1} (N² a pair); the contribution of
 * a solved left half [e − s/2, e) to the right half [e, e + s/2) is one cyclic convolution of length s
 * done in Fourier space: N forward FFTs of the y_l, then Ĥ_j = Σ_{(j,l,c)} W^c_jl ŵ_c ŷ_l over the
 * non-zero weights (ŵ_c the spectrum of component c's weights, one per component and level), then N
 * inverse FFTs. Cost per step ≈ N²·(leaf/2 + log₂(M/leaf)) + N·log²M with M steps, i.e. N²·M·log M in
 * all, not N²·M²; memory O((C + N)·M) for C components. With `direct` every pair is summed directly
 * over the non-zero weights (N²·M²/2; for checks).
 */
import FFT from 'fft.js';
import { inverse, Matrix } from 'ml-matrix';
import type { HatWeights } from '../../numerics/productIntegration.js';
import type { StepHooks } from '../volterraFast.js';

/** The linear system of one fixed-step solve. */
export interface MatrixVolterraSystem {
  /** Number of unknowns N. */
  n: number;
  /** Step h (the weights' h). */
  h: number;
  /** Steps M: y is computed at t_0 … t_M. */
  steps: number;
  /** Hat weights of each scalar kernel K_c (≥ M cells). */
  weights: readonly HatWeights[];
  /** W^c, real N×N row-major, one per kernel. */
  matrices: readonly ArrayLike<number>[];
  /** a_j, interleaved complex (length 2N). */
  diagonal: Float64Array;
  /** y(0), interleaved complex (length 2N). */
  y0: Float64Array;
}

export interface MatrixStepOptions {
  /** Direct O(M²) history sums instead of FFT-blocked ones (default false). */
  direct?: boolean;
  /** Leaf size of the FFT blocking, a power of two ≥ 2 (default 16: the N² direct sums of a leaf cost as much as ≈ leaf/2 FFT levels). */
  leaf?: number;
  /** Most doubles kept for the kernel spectra of all levels; larger levels are transformed at each use (default 2^24). */
  spectrumBudget?: number;
}

/** Result: y at t_0 … t_M, time-major (y_j(t_m) = y[2(m·N + j)] + i·y[2(m·N + j) + 1]); `steps` < M if cancelled. */
export interface MatrixStepResult {
  y: Float64Array;
  steps: number;
  cancelled: boolean;
}

/** Non-zero weights as flat lists: entry e adds W^{comp[e]}_{row[e],col[e]} = value[e]. */
interface Entries { row: Int32Array; col: Int32Array; comp: Int32Array; value: Float64Array; count: number }

function entriesOf(matrices: readonly ArrayLike<number>[], n: number): Entries {
  const row: number[] = [];
  const col: number[] = [];
  const comp: number[] = [];
  const value: number[] = [];
  matrices.forEach((w, c) => {
    for (let j = 0; j < n; j++) {
      for (let l = 0; l < n; l++) {
        const v = w[j * n + l];
        if (v === 0) continue;
        row.push(j);
        col.push(l);
        comp.push(c);
        value.push(v);
      }
    }
  });
  return { row: Int32Array.from(row), col: Int32Array.from(col), comp: Int32Array.from(comp), value: Float64Array.from(value), count: row.length };
}

/** Inverse of the complex N×N matrix re + i·im (row-major), via the real form [[re, −im], [im, re]]. */
export function complexInverse(re: Float64Array, im: Float64Array, n: number): { re: Float64Array; im: Float64Array } {
  const big = Matrix.zeros(2 * n, 2 * n);
  for (let j = 0; j < n; j++) {
    for (let l = 0; l < n; l++) {
      const r = re[j * n + l];
      const i = im[j * n + l];
      big.set(j, l, r);
      big.set(j, n + l, -i);
      big.set(n + j, l, i);
      big.set(n + j, n + l, r);
    }
  }
  const inv = inverse(big);
  const oRe = new Float64Array(n * n);
  const oIm = new Float64Array(n * n);
  for (let j = 0; j < n; j++) {
    for (let l = 0; l < n; l++) {
      oRe[j * n + l] = inv.get(j, l);
      oIm[j * n + l] = inv.get(n + j, l);
    }
  }
  return { re: oRe, im: oIm };
}

/**
 * Solves the system of the file comment on t_m = m·h, m = 0 … M (second order, no error control).
 * Units are the caller's (h in the time unit of the weights).
 */
export function matrixVolterraStep(sys: MatrixVolterraSystem, hooks: StepHooks = {}, options: MatrixStepOptions = {}): MatrixStepResult {
  const { n: N, h, steps: M, weights, diagonal: a, y0 } = sys;
  const C = weights.length;
  if (sys.matrices.length !== C) throw new RangeError(`matrixVolterraStep: ${C} weights but ${sys.matrices.length} matrices`);
  for (const w of weights) if (M > w.cells) throw new RangeError(`matrixVolterraStep: M = ${M} exceeds the ${w.cells} cells of the weights`);
  const leaf = options.leaf ?? 16;
  if (!Number.isInteger(leaf) || leaf < 2 || (leaf & (leaf - 1)) !== 0) throw new RangeError(`leaf = ${leaf} must be a power of two ≥ 2`);
  const N2 = 2 * N;
  const y = new Float64Array(N2 * (M + 1));
  y.set(y0.subarray(0, N2), 0);
  if (M === 0) return { y, steps: 0, cancelled: false };
  const ent = entriesOf(sys.matrices, N);
  const { row, col, comp, value } = ent;

  // Per component: W^c_k = L^c_k + R^c_k (k = 1 … M − 1; W_0 = 0) and L^c_m (m = 1 … M, for the y_0 term).
  const Wc: Float64Array[] = [];
  const Lc: Float64Array[] = [];
  for (const w of weights) {
    const W = new Float64Array(2 * (M + 1));
    for (let k = 1; k < M; k++) {
      W[2 * k] = w.left[2 * k] + w.right[2 * k];
      W[2 * k + 1] = w.left[2 * k + 1] + w.right[2 * k + 1];
    }
    Wc.push(W);
    Lc.push(w.left);
  }

  // (I + R_0)^{−1}.
  const dRe = new Float64Array(N * N);
  const dIm = new Float64Array(N * N);
  for (let j = 0; j < N; j++) {
    dRe[j * N + j] = 1 + 0.5 * h * a[2 * j];
    dIm[j * N + j] = 0.5 * h * a[2 * j + 1];
  }
  for (let e = 0; e < ent.count; e++) {
    const r0 = weights[comp[e]].right;
    dRe[row[e] * N + col[e]] += value[e] * r0[0];
    dIm[row[e] * N + col[e]] += value[e] * r0[1];
  }
  const { re: invRe, im: invIm } = complexInverse(dRe, dIm, N);

  // (I − (h/2)diag(a)) y_0 and the running sum S = Σ_{j=1}^{m−1} y_j (with its Kahan compensation).
  const base = new Float64Array(N2);
  for (let j = 0; j < N; j++) {
    const ar = 0.5 * h * a[2 * j];
    const ai = 0.5 * h * a[2 * j + 1];
    base[2 * j] = y0[2 * j] - (ar * y0[2 * j] - ai * y0[2 * j + 1]);
    base[2 * j + 1] = y0[2 * j + 1] - (ar * y0[2 * j + 1] + ai * y0[2 * j]);
  }
  const S = new Float64Array(N2);
  const Sc = new Float64Array(N2);
  // Entries that touch y_0 (the L_m y_0 term needs only these).
  const y0Entries: number[] = [];
  for (let e = 0; e < ent.count; e++) if (y0[2 * col[e]] !== 0 || y0[2 * col[e] + 1] !== 0) y0Entries.push(e);

  const H = new Float64Array(N2 * (M + 1)); // history sums from FFT nodes (or all of them, direct)
  const rhs = new Float64Array(N2);

  /** Solves step m given H_m (all history except the leaf's own pairs, which `acc` holds). */
  const finish = (m: number, acc: Float64Array): void => {
    for (let i = 0; i < N2; i++) rhs[i] = base[i] - acc[i];
    for (const e of y0Entries) {
      const L = Lc[comp[e]];
      const lr = value[e] * L[2 * m];
      const li = value[e] * L[2 * m + 1];
      const l = col[e];
      rhs[2 * row[e]] -= lr * y0[2 * l] - li * y0[2 * l + 1];
      rhs[2 * row[e] + 1] -= lr * y0[2 * l + 1] + li * y0[2 * l];
    }
    for (let j = 0; j < N; j++) {
      const ar = h * a[2 * j];
      const ai = h * a[2 * j + 1];
      rhs[2 * j] -= ar * S[2 * j] - ai * S[2 * j + 1];
      rhs[2 * j + 1] -= ar * S[2 * j + 1] + ai * S[2 * j];
    }
    const o = N2 * m;
    for (let j = 0; j < N; j++) {
      let re = 0;
      let im = 0;
      for (let l = 0, q = j * N; l < N; l++, q++) {
        const xr = invRe[q];
        const xi = invIm[q];
        re += xr * rhs[2 * l] - xi * rhs[2 * l + 1];
        im += xr * rhs[2 * l + 1] + xi * rhs[2 * l];
      }
      y[o + 2 * j] = re;
      y[o + 2 * j + 1] = im;
    }
    // S += y_m (Kahan), for the next step.
    for (let i = 0; i < N2; i++) {
      const v = y[o + i] - Sc[i];
      const t = S[i] + v;
      Sc[i] = t - S[i] - v;
      S[i] = t;
    }
  };

  const signal = hooks.signal;
  const onStep = hooks.onStep;
  const acc = new Float64Array(N2);

  if (options.direct) {
    const every = Math.max(1, Math.floor(2e6 / Math.max(1, ent.count * M)));
    for (let m = 1; m <= M; m++) {
      if ((m & 15) === 0 && signal?.aborted) return { y, steps: m - 1, cancelled: true };
      acc.fill(0);
      for (let e = 0; e < ent.count; e++) {
        const W = Wc[comp[e]];
        const v = value[e];
        const l = col[e];
        let re = 0;
        let im = 0;
        for (let j = 1; j < m; j++) {
          const k = 2 * (m - j);
          const wr = W[k];
          const wi = W[k + 1];
          const yr = y[N2 * j + 2 * l];
          const yi = y[N2 * j + 2 * l + 1];
          re += wr * yr - wi * yi;
          im += wr * yi + wi * yr;
        }
        acc[2 * row[e]] += v * re;
        acc[2 * row[e] + 1] += v * im;
      }
      finish(m, acc);
      if (onStep && (m % every === 0 || m === M)) onStep(m, M);
    }
    return { y, steps: M, cancelled: false };
  }

  // Assembled N×N matrices W_k = Σ_c W^c W^c_k for the leaf's own pairs, k = 1 … leaf − 1.
  const kLeaf = Math.min(leaf, M);
  const Wm = new Float64Array(2 * N * N * kLeaf);
  for (let k = 1; k < kLeaf; k++) {
    const o = 2 * N * N * k;
    for (let e = 0; e < ent.count; e++) {
      const W = Wc[comp[e]];
      const q = o + 2 * (row[e] * N + col[e]);
      Wm[q] += value[e] * W[2 * k];
      Wm[q + 1] += value[e] * W[2 * k + 1];
    }
  }

  let top = leaf;
  while (top < M) top *= 2;
  const bufA = new Float64Array(2 * top);
  const bufB = new Float64Array(2 * top);
  const Yhat = new Float64Array(N * 2 * top);
  const Hhat = new Float64Array(N * 2 * top);
  const plans = new Map<number, FFT>();
  const plan = (s: number): FFT => {
    let f = plans.get(s);
    if (!f) {
      f = new FFT(s);
      plans.set(s, f);
    }
    return f;
  };
  // Kernel spectra per level (index log2(s/leaf) − 1): C arrays of 2s doubles each, scaled by 1/s.
  const budget = options.spectrumBudget ?? 2 ** 24;
  let kept = 0;
  const spectra: Array<Float64Array[] | undefined> = [];
  const spectraOf = (level: number, s: number): Float64Array[] => {
    const cached = spectra[level];
    if (cached) return cached;
    const fft = plan(s);
    const out: Float64Array[] = [];
    const kTop = Math.min(s, M);
    const inv = 1 / s;
    for (let c = 0; c < C; c++) {
      bufA.fill(0, 0, 2 * s);
      bufA.set(Wc[c].subarray(2, 2 * kTop), 2); // W_1 … W_{kTop−1}; W_0 = 0
      const spec = new Float64Array(2 * s);
      fft.transform(spec, bufA);
      for (let i = 0; i < 2 * s; i++) spec[i] *= inv;
      out.push(spec);
    }
    if (kept + 2 * s * C <= budget) {
      spectra[level] = out;
      kept += 2 * s * C;
    }
    return out;
  };

  for (let lo = 1; lo <= M; lo += leaf) {
    if (signal?.aborted) return { y, steps: lo - 1, cancelled: true };
    const end = Math.min(lo + leaf, M + 1);
    for (let m = lo; m < end; m++) {
      const oh = N2 * m;
      for (let i = 0; i < N2; i++) acc[i] = H[oh + i];
      for (let j = lo; j < m; j++) {
        const ow = 2 * N * N * (m - j);
        const oy = N2 * j;
        for (let r = 0; r < N; r++) {
          let re = 0;
          let im = 0;
          for (let l = 0, q = ow + 2 * r * N; l < N; l++, q += 2) {
            const wr = Wm[q];
            const wi = Wm[q + 1];
            const yr = y[oy + 2 * l];
            const yi = y[oy + 2 * l + 1];
            re += wr * yr - wi * yi;
            im += wr * yi + wi * yr;
          }
          acc[2 * r] += re;
          acc[2 * r + 1] += im;
        }
      }
      finish(m, acc);
    }
    onStep?.(end - 1, M);
    if (end > M) break;
    // The node whose midpoint is e = end: half = leaf·2^t, 2^t the lowest set bit of (e − 1)/leaf.
    const e = end;
    const blocks = (e - 1) / leaf;
    const low = blocks & -blocks;
    const half = leaf * low;
    const s = 2 * half;
    const start = e - half;
    const specs = spectraOf(Math.log2(low), s);
    const fft = plan(s);
    // ŷ_l of y_start … y_{e−1} (zero-padded to s).
    for (let l = 0; l < N; l++) {
      for (let i = 0, q = N2 * start + 2 * l; i < half; i++, q += N2) {
        bufA[2 * i] = y[q];
        bufA[2 * i + 1] = y[q + 1];
      }
      bufA.fill(0, 2 * half, 2 * s);
      fft.transform(Yhat.subarray(2 * s * l, 2 * s * (l + 1)), bufA);
    }
    Hhat.fill(0, 0, 2 * s * N);
    for (let q = 0; q < ent.count; q++) {
      const sp = specs[comp[q]];
      const v = value[q];
      const oy = 2 * s * col[q];
      const oh = 2 * s * row[q];
      for (let i = 0; i < 2 * s; i += 2) {
        const sr = sp[i];
        const si = sp[i + 1];
        const yr = Yhat[oy + i];
        const yi = Yhat[oy + i + 1];
        Hhat[oh + i] += v * (sr * yr - si * yi);
        Hhat[oh + i + 1] += v * (sr * yi + si * yr);
      }
    }
    // Inverse transforms as conj(FFT(conj(·))) (the 1/s is in the spectra); outputs m ∈ [e, e + half)
    // sit at cyclic positions m − start ∈ [half, s).
    const stop = Math.min(e + half, M + 1);
    for (let j = 0; j < N; j++) {
      const oh = 2 * s * j;
      for (let i = 0; i < 2 * s; i += 2) {
        bufA[i] = Hhat[oh + i];
        bufA[i + 1] = -Hhat[oh + i + 1];
      }
      fft.transform(bufB, bufA);
      for (let m = e, i = 2 * half; m < stop; m++, i += 2) {
        H[N2 * m + 2 * j] += bufB[i];
        H[N2 * m + 2 * j + 1] -= bufB[i + 1];
      }
    }
  }
  return { y, steps: M, cancelled: false };
}
