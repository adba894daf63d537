/**
 * Type-1 non-uniform FFT (non-uniform points → uniform modes):
 *
 *   f_n = Σ_j c_j e^{−i n x_j},   n = 0 … N − 1,
 *
 * for real or complex strengths c_j and arbitrary real points x_j (only x_j mod 2π matters; the
 * reduction is exact for |x_j|·M/2π < 2^52). Cost O(J·w + M log M) for J points instead of O(J·N).
 *
 * ## Method (Dutt & Rokhlin 1993; Greengard & Lee, SIAM Rev. 46, 443 (2004); Barnett, Magland &
 * af Klinteberg, SIAM J. Sci. Comput. 41, C479 (2019) — the "exponential of semicircle" (ES) kernel)
 * 1. Spreading: every point is smeared onto a periodic grid of M points (spacing h = 2π/M) with the
 *    ES kernel ψ(y) = φ(y/α), φ(z) = exp(β(√(1 − z²) − 1)) on |z| ≤ 1, α = w·h/2, so each point touches
 *    w grid points: b_l = Σ_j c_j ψ(x_j − l·h) (periodised).
 * 2. FFT: B_m = Σ_l b_l e^{−i m l h}. By Poisson summation B_m = (1/h) Σ_p ψ̂(m + pM) f_{m+pM}: the
 *    p = 0 term is (1/h) ψ̂(m) f_m, the p ≠ 0 terms are aliasing, small when ψ̂ has decayed at
 *    |m + pM| ≥ M − (band half-width).
 * 3. Deconvolution: f_m = h·B_m / ψ̂(m), ψ̂(m) = ∫ψ(y) e^{imy} dy = 2α ∫_0^1 φ(z) cos(mαz) dz, by
 *    Gauss–Legendre quadrature (2w + 16 nodes).
 * The requested modes must sit in the centre of the oversampled band (upsampling σ = M/band ≥ 2):
 * - Complex strengths ("complex plan"): modes n = 0 … N − 1 are shifted to m = n − n0 (n0 = ⌊N/2⌋)
 *   by multiplying c_j by e^{−i n0 x_j}; M = 2^⌈log2 2N⌉; one complex FFT of size M.
 * - Real strengths ("real plan", what `evaluateChannel` uses): f_{−n} = conj f_n, so the symmetric band
 *   |m| ≤ N − 1 is computed with real spreading (half the work, no phase factors), M = 2^⌈log2(4N − 2)⌉,
 *   and the real FFT is done as one complex FFT of size M/2 (even/odd samples packed as re/im) plus an
 *   O(N) untangling step for the m = 0 … N − 1 needed.
 * M is at least 2w and 32. FFTs are fft.js radix-4 transforms; FFT tables, deconvolution factors and
 * output buffers are cached per size (4 entries each).
 * Grid coordinates s = x·M/2π are formed in double-double (exact products, exact reduction mod M), so
 * the result is the NUFFT of the exact double-precision points — large |x| costs no accuracy (a plain
 * fl(x·M/2π) would add a phase error ≈ n·|x|·1e-16 per term, ≈ 1e-11 at n = 10⁵, |x| = 1).
 *
 * ## Accuracy
 * The tolerance ε sets the kernel width w = ⌈log10(1/ε)⌉ + 2 (2 ≤ w ≤ 16) and β = 2.30·w. (FINUFFT's
 * σ = 2 choice, w = ⌈log10(1/ε)⌉ + 1, was measured here to give single-point errors up to 7–11·ε at the
 * band edge; one more grid point brings the worst case to ≈ ε.) The error is relative to Σ_j |c_j|:
 * max_n |f̃_n − f_n| ≲ ε·Σ|c_j|, whatever N is. Measured against extended-precision direct sums
 * (`npm run validate -- nufft`, scripts/validate/nufft.ts; test/numerics/nufft.test.ts asserts 3·ε and 0.5·ε / 10·ε):
 * - worst single point, anywhere in a grid cell, all n, σ = 2 exactly (N = 1024): 0.37·ε (ε = 1e-3),
 *   0.39·ε (1e-6), 0.82·ε (1e-9), 0.96·ε (1e-12), 1.3·ε (1e-13), 2.6·ε (1e-14, w capped at 16);
 *   at σ ≈ 4 (N = 1025) 0.053–0.090·ε for ε ≥ 1e-13, 0.41·ε at 1e-14;
 * - random sums (J = 600 and 2000, N = 1 … 4099, real and complex strengths): worst 0.026–0.099·ε for
 *   ε ≥ 1e-12, 0.29·ε at 1e-13, 2.9·ε at ε = 1e-14 (rounding: the floor is ≈ 2e-14·Σ|c| at N ≈ 4000).
 * Speed (bench/exact.bench.ts, busy 2-core EPYC): J = 10⁵ points, N = 10⁴ modes, ε = 1e-12: ≈ 50–90 ms,
 * vs ≈ 30–60 s for direct summation.
 */
import FFT from 'fft.js';
import { twoProduct } from './twoProduct.js';
import { gaussLegendre } from './gaussLegendre.js';

/** Default tolerance (relative to Σ|c_j|). */
export const NUFFT_DEFAULT_TOL = 1e-12;

const TWO_PI = 2 * Math.PI;
/** 2π − fl(2π) (the tail of 2π in double-double). */
const TWO_PI_LO = 2.4492935982947064e-16;

export interface NufftOptions {
  /** Requested accuracy ε relative to Σ|c_j| (default 1e-12, clamped to [1e-16, 0.1]). */
  tol?: number;
  /** True for a plan that accepts complex strengths (default false: real strengths only). */
  complex?: boolean;
  /** Expert overrides of the kernel width (grid points, 2–16) and shape β chosen from `tol`. */
  width?: number;
  beta?: number;
}

/** Kernel parameters for a tolerance: spreading width w (grid points) and ES shape β. */
export function nufftKernelParameters(tol: number): { width: number; beta: number } {
  if (!(tol > 0)) throw new RangeError(`nufft: tol = ${tol} must be positive`);
  const t = Math.min(0.1, Math.max(1e-16, tol));
  const width = Math.min(16, Math.max(2, Math.ceil(-Math.log10(t)) + 2));
  return { width, beta: 2.3 * width };
}

function nextPow2(n: number): number {
  let p = 1;
  while (p < n) p *= 2;
  return p;
}

/**
 * A reusable type-1 NUFFT plan for N modes: spread points in any number of batches (`addReal`,
 * `addComplex`), then `execute` writes f_0 … f_{N−1}. Batching lets a caller poll for cancellation and
 * report progress between batches; `clear` resets the grid for a new sum.
 */
export class Nufft1Plan {
  readonly modes: number;
  readonly tol: number;
  readonly complex: boolean;
  /** Kernel width in grid points. */
  readonly width: number;
  readonly beta: number;
  /** Oversampled grid size M (a power of two). */
  readonly gridSize: number;
  /** Mode shift n0 of the complex plan (0 for the real plan). */
  readonly shift: number;
  private readonly pad: number;
  /** Padded grid: real plan M + 2·pad (real); complex plan 2(M + 2·pad) (interleaved). */
  private readonly grid: Float64Array;
  /** Complex FFT of size M (complex plan) or M/2 (real plan: real data packed as complex). */
  private readonly fft: FFT;
  /** Real plan: e^{−2πik/M}, k < N, interleaved. */
  private readonly twiddle: Float64Array;
  /** 1/(w·I(m)) for |m| = 0 … mMax, I(m) = ∫_0^1 φ(z) cos(mαz) dz: f_m = B_m·deconv[|m|]. */
  private readonly deconv: Float64Array;
  /** M/2π in double-double. */
  private readonly scaleHi: number;
  private readonly scaleLo: number;
  /** High half of scaleHi (Veltkamp split) for exact products. */
  private readonly scaleHiSplit: number;
  /** Scratch: [hi, lo] of the last grid coordinate. */
  private readonly coord = new Float64Array(2);
  /** Scratch: the w kernel values of one point. */
  private readonly ker: Float64Array;

  constructor(modes: number, options: NufftOptions = {}) {
    if (!Number.isInteger(modes) || modes < 1) throw new RangeError(`nufft: modes = ${modes} must be a positive integer`);
    this.modes = modes;
    this.tol = options.tol ?? NUFFT_DEFAULT_TOL;
    this.complex = options.complex ?? false;
    const chosen = nufftKernelParameters(this.tol);
    const width = options.width ?? chosen.width;
    const beta = options.beta ?? chosen.beta;
    if (!Number.isInteger(width) || width < 2 || width > 16) throw new RangeError(`nufft: width = ${width} must be an integer in [2, 16]`);
    if (!(beta > 0)) throw new RangeError(`nufft: beta = ${beta} must be positive`);
    this.width = width;
    this.beta = beta;
    const band = this.complex ? modes : 2 * modes - 1;
    const M = nextPow2(Math.max(2 * band, 2 * width, 32));
    if (M > 2 ** 26) throw new RangeError(`nufft: ${modes} modes need a grid of ${M} points (limit 2^26)`);
    this.gridSize = M;
    this.shift = this.complex ? Math.floor(modes / 2) : 0;
    this.pad = Math.ceil(width / 2) + 1;
    this.grid = new Float64Array((this.complex ? 2 : 1) * (M + 2 * this.pad + width));
    const fftSize = this.complex ? M : M / 2;
    this.fft = cached(fftCache, `${fftSize}`, () => new FFT(fftSize), 2 * fftSize);
    this.twiddle = this.complex ? new Float64Array(0) : cached(twiddleCache, `${M}:${modes}`, () => halfTwiddles(M, modes), 2 * modes);
    // M/2π as hi + lo: hi = fl(M/P1), lo = (M − hi·(P1 + P2))/2π with hi·P1 formed exactly
    // (P1 = fl(2π), P2 = 2π − P1), so the coordinate carries no systematic (coherent) phase error.
    this.scaleHi = M / TWO_PI;
    const [p, e] = twoProduct(this.scaleHi, TWO_PI);
    this.scaleLo = (M - p - e - this.scaleHi * TWO_PI_LO) / TWO_PI;
    const cs = 134217729 * this.scaleHi;
    this.scaleHiSplit = cs - (cs - this.scaleHi);
    const mMax = this.complex ? Math.max(this.shift, modes - 1 - this.shift) : modes - 1;
    this.ker = new Float64Array(width);
    this.deconv = cached(deconvCache, `${mMax}:${width}:${beta}:${M}`, () => kernelDeconvolution(mMax, width, beta, M), mMax);
  }

  /** Zeroes the grid (start of a new sum). */
  clear(): void {
    this.grid.fill(0);
  }

  /**
   * Grid coordinate of x = xs·scale: s = (x mod 2π)·M/2π ∈ [0, M) as hi + lo, written to `this.coord`.
   * The product xs·scale and the scaling by M/2π are formed in double-double and the reduction
   * mod M is exact, so the kernel offsets s − l are accurate to ≈1e-16 grid units (a phase error below
   * 1e-15 at every mode) however large x is: the result is the NUFFT of the exact points xs·scale.
   */
  private coordinate(xs: number, scale: number): void {
    const SPLIT = 134217729;
    // x = xs·scale = a + b exactly.
    const a = xs * scale;
    let c = SPLIT * xs;
    const xh = c - (c - xs);
    const xl = xs - xh;
    c = SPLIT * scale;
    const yh = c - (c - scale);
    const yl = scale - yh;
    const b = ((xh * yh - a) + xh * yl + xl * yh) + xl * yl;
    // s = x·(Chi + Clo) = p + e, with a·Chi = p + e0 exactly.
    const C = this.scaleHi;
    const p = a * C;
    c = SPLIT * a;
    const ah = c - (c - a);
    const al = a - ah;
    const ch = this.scaleHiSplit;
    const cl = C - ch;
    const e = ((ah * ch - p) + ah * cl + al * ch) + al * cl + (a * this.scaleLo + b * C);
    const M = this.gridSize;
    const hi = p - M * Math.floor(p / M); // exact: M is a power of two, hi a multiple of ulp(p)
    this.coord[0] = hi;
    this.coord[1] = e;
  }

  /**
   * Adds real strengths c[j] at points x[j]·xScale for j ∈ [start, end). On the complex plan the
   * strengths are treated as complex with zero imaginary part.
   */
  addReal(x: ArrayLike<number>, c: ArrayLike<number>, start = 0, end = x.length, xScale = 1): void {
    if (this.complex) {
      this.addComplex(x, c, null, start, end, xScale);
      return;
    }
    const w = this.width;
    const half = w / 2;
    const g = this.grid;
    const ker = this.ker;
    const off = this.pad;
    for (let j = start; j < end; j++) {
      const cj = c[j];
      if (cj === 0) continue;
      this.coordinate(x[j], xScale);
      const sh = this.coord[0];
      const sl = this.coord[1];
      const l0 = Math.ceil(sh + sl - half);
      this.kernelValues(sh - l0 + sl); // sh − l0 is exact
      let idx = l0 + off;
      for (let k = 0; k < w; k++, idx++) g[idx] += cj * ker[k];
    }
  }

  /**
   * Kernel values φ(z_k), z_k = (u − k)·2/w, k = 0 … w − 1, into `this.ker`, for the offset
   * u = s − l0 ∈ (w/2 − 1, w/2] of a point from its first grid point. (Evaluated directly: V8's exp and
   * sqrt were as fast as FINUFFT's piecewise-polynomial Horner evaluation, which was tried.)
   */
  private kernelValues(u: number): void {
    const w = this.width;
    const beta = this.beta;
    const ker = this.ker;
    const zs = 2 / w;
    let z = u * zs;
    for (let k = 0; k < w; k++, z -= zs) {
      const v = 1 - z * z;
      ker[k] = v > 0 ? Math.exp(beta * (Math.sqrt(v) - 1)) : 0;
    }
  }

  /** Adds complex strengths (cRe[j] + i·cIm[j]; cIm null means zero) at x[j]·xScale (complex plan only). */
  addComplex(x: ArrayLike<number>, cRe: ArrayLike<number>, cIm: ArrayLike<number> | null, start = 0, end = x.length, xScale = 1): void {
    if (!this.complex) throw new Error('nufft: addComplex needs a plan made with {complex: true}');
    const w = this.width;
    const half = w / 2;
    const g = this.grid;
    const ker = this.ker;
    const off = this.pad;
    const M = this.gridSize;
    const n0 = this.shift;
    const dPhi = TWO_PI / M;
    for (let j = start; j < end; j++) {
      const a = cRe[j];
      const b = cIm === null ? 0 : cIm[j];
      if (a === 0 && b === 0) continue;
      this.coordinate(x[j], xScale);
      const sh = this.coord[0];
      const sl = this.coord[1];
      // e^{−i n0 x} = e^{−2πi n0 s/M}, with n0·⌊s⌋ reduced mod M exactly (integers below 2^53).
      const si = Math.floor(sh);
      const q = ((n0 * si) % M) + n0 * (sh - si + sl);
      const ph = dPhi * q;
      const cr = Math.cos(ph);
      const ci = -Math.sin(ph);
      const ar = a * cr - b * ci;
      const ai = a * ci + b * cr;
      const l0 = Math.ceil(sh + sl - half);
      this.kernelValues(sh - l0 + sl);
      let idx = 2 * (l0 + off);
      for (let k = 0; k < w; k++, idx += 2) {
        g[idx] += ar * ker[k];
        g[idx + 1] += ai * ker[k];
      }
    }
  }

  /**
   * Writes f_n, n = 0 … N − 1, into `out` (interleaved re, im; length ≥ 2N), or adds them to it when
   * `accumulate` is true. The grid is consumed (its padding folded in): call `clear` before the next sum.
   */
  execute(out: Float64Array, accumulate = false): void {
    const N = this.modes;
    if (out.length < 2 * N) throw new RangeError(`nufft: out has ${out.length} entries, needs ${2 * N}`);
    const M = this.gridSize;
    const g = this.grid;
    const d = this.deconv;
    // Fold the padding into the periodic grid, in place (grid points l < 0 → l + M, l ≥ M → l − M).
    const c = this.complex ? 2 : 1;
    const off = c * this.pad;
    const len = c * M;
    for (let i = 0; i < off; i++) {
      g[off + len - off + i] += g[i];
      g[i] = 0;
    }
    for (let i = off + len; i < g.length; i++) {
      g[i - len] += g[i];
      g[i] = 0;
    }
    const data = g.subarray(off, off + len);
    const put = (n: number, re: number, im: number): void => {
      if (accumulate) {
        out[2 * n] += re;
        out[2 * n + 1] += im;
      } else {
        out[2 * n] = re;
        out[2 * n + 1] = im;
      }
    };
    if (!this.complex) {
      // Real input of length M as a complex sequence of length M/2, z_m = b_2m + i·b_2m+1: one complex
      // FFT Z of half size, then X_k = E_k + e^{−2πik/M} O_k with E_k = (Z_k + conj Z_{M/2−k})/2 and
      // O_k = (Z_k − conj Z_{M/2−k})/(2i), for the k < N needed only.
      const spec = scratch(M);
      this.fft.transform(spec, data);
      const H = M / 2;
      const tw = this.twiddle;
      for (let k = 0; k < N; k++) {
        const j = k === 0 ? 0 : H - k;
        const zr = spec[2 * k];
        const zi = spec[2 * k + 1];
        const wr = spec[2 * j];
        const wi = -spec[2 * j + 1]; // conj Z_{H−k}
        const er = 0.5 * (zr + wr);
        const ei = 0.5 * (zi + wi);
        const or = 0.5 * (zi - wi); // (Z − W)/(2i)
        const oi = -0.5 * (zr - wr);
        const cr = tw[2 * k];
        const ci = tw[2 * k + 1];
        put(k, (er + cr * or - ci * oi) * d[k], (ei + cr * oi + ci * or) * d[k]);
      }
      return;
    }
    const spec = scratch(2 * M);
    this.fft.transform(spec, data);
    const n0 = this.shift;
    for (let n = 0; n < N; n++) {
      const m = n - n0;
      const k = m < 0 ? m + M : m;
      const f = d[m < 0 ? -m : m];
      put(n, spec[2 * k] * f, spec[2 * k + 1] * f);
    }
  }
}

/**
 * Small caches of FFT tables (fft.js builds 2·size twiddles, ≈0.1 s at size 2^18), twiddles,
 * deconvolution factors and FFT output buffers, so that repeated transforms of one size (both channels
 * of a solve, repeated solves) pay for them once. All but the output buffers are read-only after
 * construction (fft.js keeps per-call state only within a call). At most CACHE_SIZE entries each, oldest
 * evicted first; sizes above CACHE_MAX_SIZE (≈ 10⁶ output points) are not kept, so that a one-off huge
 * transform does not pin hundreds of MB.
 */
const CACHE_SIZE = 4;
const CACHE_MAX_SIZE = 2 ** 22;
const fftCache = new Map<string, FFT>();
const deconvCache = new Map<string, Float64Array>();
const twiddleCache = new Map<string, Float64Array>();
/** One FFT output buffer per size, shared: `execute` is synchronous and calls no user code. */
const scratchCache = new Map<string, Float64Array>();
function scratch(length: number): Float64Array {
  return cached(scratchCache, `${length}`, () => new Float64Array(length), length);
}

/** e^{−2πik/M} for k = 0 … n − 1, interleaved (direct cos/sin: accurate to rounding). */
function halfTwiddles(M: number, n: number): Float64Array {
  const t = new Float64Array(2 * n);
  for (let k = 0; k < n; k++) {
    t[2 * k] = Math.cos((2 * Math.PI * k) / M);
    t[2 * k + 1] = -Math.sin((2 * Math.PI * k) / M);
  }
  return t;
}
function cached<T>(cache: Map<string, T>, key: string, make: () => T, size = 0): T {
  if (size > CACHE_MAX_SIZE) return make();
  const hit = cache.get(key);
  if (hit !== undefined) {
    cache.delete(key);
    cache.set(key, hit);
    return hit;
  }
  const v = make();
  cache.set(key, v);
  if (cache.size > CACHE_SIZE) cache.delete(cache.keys().next().value as string);
  return v;
}

/**
 * Deconvolution factors h/ψ̂(m) = 1/(w·I(m)), I(m) = ∫_0^1 φ(z) cos(mαz) dz, α = wπ/M, for m = 0 … mMax,
 * by Gauss–Legendre on [0, 1]; cos(m·αz_k) by rotation recurrences re-seeded every 64 modes.
 */
function kernelDeconvolution(mMax: number, width: number, beta: number, M: number): Float64Array {
  const q = 2 * width + 16;
  const { x: gx, w: gw } = gaussLegendre(q);
  const z = new Float64Array(q);
  const wt = new Float64Array(q);
  for (let k = 0; k < q; k++) {
    z[k] = 0.5 * (gx[k] + 1);
    wt[k] = 0.5 * gw[k] * Math.exp(beta * (Math.sqrt(1 - z[k] * z[k]) - 1));
  }
  const alpha = (width * Math.PI) / M;
  const cr = new Float64Array(q);
  const ci = new Float64Array(q);
  const sr = new Float64Array(q);
  const si = new Float64Array(q);
  for (let k = 0; k < q; k++) {
    sr[k] = Math.cos(alpha * z[k]);
    si[k] = Math.sin(alpha * z[k]);
  }
  const out = new Float64Array(mMax + 1);
  for (let m = 0; m <= mMax; m++) {
    if ((m & 63) === 0) {
      for (let k = 0; k < q; k++) {
        cr[k] = Math.cos(m * alpha * z[k]);
        ci[k] = Math.sin(m * alpha * z[k]);
      }
    }
    let s = 0;
    for (let k = 0; k < q; k++) {
      s += wt[k] * cr[k];
      const a = cr[k];
      cr[k] = a * sr[k] - ci[k] * si[k];
      ci[k] = a * si[k] + ci[k] * sr[k];
    }
    out[m] = 1 / (width * s);
  }
  return out;
}

/**
 * One-shot type-1 NUFFT: f_n = Σ_j c_j e^{−i n x_j}, n = 0 … N − 1, as an interleaved complex array of
 * length 2N. `cIm` null (or omitted) means real strengths (the faster real plan).
 */
export function nufft1(x: ArrayLike<number>, cRe: ArrayLike<number>, cIm: ArrayLike<number> | null, modes: number, options: { tol?: number } = {}): Float64Array {
  if (cRe.length !== x.length || (cIm !== null && cIm.length !== x.length)) throw new RangeError('nufft: x and c must have the same length');
  const plan = new Nufft1Plan(modes, { tol: options.tol, complex: cIm !== null });
  if (cIm === null) plan.addReal(x, cRe);
  else plan.addComplex(x, cRe, cIm);
  const out = new Float64Array(2 * modes);
  plan.execute(out);
  return out;
}
