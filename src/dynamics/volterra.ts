/**
 * Time-stepping solution of Eq. (3) of the paper by product integration (a Volterra integro-
 * differential equation with the log-singular memory kernels f0, f1 of src/model/memoryKernel.ts).
 *
 * ## Equation
 * Eq. (3): ċ_j + iω0 c_j + Σ_j' ∫_0^t f_|j−j'|(t − s) c_j'(s) ds = 0, c1(0) = 1, c2(0) = 0. In the
 * channels c± = c1 ± c2 (kernels f± = f0 ± f1, c±(0) = 1; physics.md, "Symmetric and antisymmetric
 * channels") each is the single-emitter equation ċ + iω0 c + ∫_0^t f(t − s) c(s) ds = 0; then
 * c1 = (c+ + c−)/2, c2 = (c+ − c−)/2. At Δz = 0, f− ≡ 0 and c− = e^{−iω0 t} is used exactly.
 * Each channel is solved in a rotating frame, v = e^{iEt} c (exact for any E):
 *   v̇ + i(ω0 − E) v + ∫_0^t f(t − s) e^{iE(t−s)} v(s) ds = 0,
 * and integrated once in t into a second-kind Volterra equation with a *continuous* kernel,
 *   v(t) + ∫_0^t K(t − s) v(s) ds = 1,   K(σ) = i(ω0 − E) + ∫_0^σ f(u) e^{iEu} du,
 * which is what is discretised (K ~ σ ln σ at 0; K' is log-singular at 0 and at τ = 2πΔz).
 *
 * ## Method (second order)
 * v is replaced by its piecewise-linear interpolant on t_m = m·h and the convolution is integrated
 * exactly against it (product trapezoidal rule): the constant part of K gives the trapezoidal rule
 * for the ODE, the memory part has the weights ∫ K(σ)·hat(σ) dσ computed from cell moments of f by
 * `integratedHatWeights` (src/numerics/productIntegration.ts: graded Gauss–Legendre near 0 and τ,
 * shared Chebyshev panels ≥ 64h away, ≈1e-13 relative). Each step is implicit in v_m: the scalar linear solve
 *   v_m (1 + R_0) = 1 − L_m − Σ_{k=1}^{m−1} (L_k + R_k) v_{m−k}.
 * Integrating the memory term exactly, rather than applying the trapezoidal rule to the ODE with the
 * memory integral M(t) = ∫_0^t f(t−s)c(s)ds as a right-hand side, matters: M ~ t ln t at t = 0 and
 * that variant's error is not a clean C·h² (measured on f+ at (ω0, Δz, Γ11) = (0.5, 0.1, 0.5), t ≤ 10:
 * observed orders 1.74, 2.11, 1.95, and Richardson extrapolation gains only 12–35×). Here the error is
 * the interpolation error of v: C(t)·h² + O(h³) (v̈ is log-singular at 0 and τ, which contributes
 * locally), observed order 2.000 (test/dynamics/volterra.test.ts), and Richardson gains 400–8000×.
 * The frame: a bound state makes c oscillate forever at E_b, and the trapezoidal phase error then
 * grows like h²·t (and after Richardson extrapolation like (h²t)²: errors ∝ t² were measured without
 * a frame). With E = E_b that component of v is a constant, which linear interpolation represents
 * exactly, and the error stops growing; `frameEnergy` picks E between E_b and ω0 (a decaying
 * resonance at ω0 prefers E ≈ ω0 while it lives).
 *
 * ## Error control
 * Levels h_ℓ = h_0/2^ℓ, with h_0 ≤ hMax dividing the output step dt (so output points are grid points, no
 * interpolation). From level 1 on, the Richardson value R_ℓ = (4c_ℓ − c_{ℓ−1})/3 removes the h² term
 * (remaining error O(h³); its observed order is erratic, 2.2 … 4.9, because the O(h³) term depends on
 * where τ falls in the grid); from level 2 on, errorEstimate = max over the output grid of
 * |R_ℓ − R_{ℓ−1}| on c1 and c2 — an estimate of the error of R_{ℓ−1}, hence conservative for the
 * returned R_ℓ (true errors against the exact resolvent solver at tol 1e-12 were 4.9–8.9× smaller on
 * 16 random cases at tol 1e-9: `npm run validate -- estimates`). Halve until
 * errorEstimate ≤ tol ('success'), until the next level would exceed `maxSteps` ('max-steps'), or until
 * the estimate stops decreasing below 1e-6 (rounding floor: 'tolerance-not-met').
 *
 * ## History sums
 * 'direct' sums the history at every step (O(N²)); 'fft' uses FFT-blocked convolution
 * (volterraFast.ts, O(N log² N)) and gives the same numbers to rounding (≤ 1e-14 at N = 10⁵, bench/volterra); 'auto'
 * (default) uses the FFT above 128 steps (the measured crossover: at 256 steps FFT 0.10 ms, direct 0.14 ms).
 */
import { ParameterError, checkNumber } from '../errors.js';
import { kernelRate, memoryKernelPair } from '../model/memoryKernel.js';
import { tauOf, type Channel, type ModelParams } from '../model/params.js';
import { checkFinite } from './finiteCheck.js';
import { channelDensity } from '../model/spectralDensity.js';
import { boundStates } from '../spectrum/boundStates.js';
import {
  cellMoments,
  integratedHatWeights,
  type HatWeights,
  type MultiKernel,
} from '../numerics/productIntegration.js';
import type { DynamicsProblem, Solution, SolveOptions } from './types.js';
import { checkProblem, outputGrid } from './validate.js';
import { richardsonLevels } from '../numerics/richardsonLevels.js';
import { convolutionStepFFT, finishStep, stepSetup, type StepHooks, type StepResult } from './volterraFast.js';

/** How the history sum of each step is computed. */
export type ConvolutionMethod = 'auto' | 'direct' | 'fft';

export interface VolterraOptions extends SolveOptions {
  /** History sums: 'direct' O(N²), 'fft' O(N log² N), 'auto' (default) = 'fft' above 128 steps. */
  convolution?: ConvolutionMethod;
  /** Largest step of the first level, in 1/ω11 (default min(0.1, 0.25/ω0)). */
  hMax?: number;
  /** Most steps of one channel at the finest level (default 2^21 with FFT sums, 2^16 with direct sums). */
  maxSteps?: number;
  /** Least number of levels run (default 3, which is also the least that gives an error estimate). */
  minLevels?: number;
  /**
   * Rotating frame of each channel: the solver works with v± = e^{iE± t} c± (an exact rewriting of
   * Eq. (3) for any E±; only the discretisation error depends on it). 'auto' (default) picks E± by
   * `frameEnergy` (between the channel's bound-state energy and ω0); 'none' sets E± = 0;
   * {plus, minus} sets them explicitly (ω11).
   */
  frame?: 'auto' | 'none' | { plus: number; minus: number };
}

/** Default absolute tolerance on c1, c2 (DynamicsProblem.tol). */
export const DEFAULT_TOL = 1e-8;
const AUTO_FFT_THRESHOLD = 128;

/**
 * Solves y(t) + ∫_0^t K(t − s) y(s) ds = y(0) on t_m = m·h, m = 0 … n, with the hat weights `w` of K
 * (piecewise-linear y), summing the history directly: O(n²). Each step is the scalar linear solve
 *   y_m (1 + R_0) = y_0 (1 − L_m) − Σ_{k=1}^{m−1} (L_k + R_k) y_{m−k}.
 * Returns y (interleaved complex, length 2(n + 1)).
 */
export function convolutionStepDirect(
  w: HatWeights,
  n: number,
  y0Re: number,
  y0Im: number,
  hooks: StepHooks = {},
): StepResult {
  if (n > w.cells) throw new RangeError(`convolutionStepDirect: n = ${n} exceeds the ${w.cells} cells of the weights`);
  const L = w.left;
  const y = new Float64Array(2 * (n + 1));
  y[0] = y0Re;
  y[1] = y0Im;
  const { W, invRe, invIm } = stepSetup(w, n);
  const every = Math.max(16, Math.floor(2e6 / Math.max(1, n)));
  for (let m = 1; m <= n; m++) {
    if ((m & 15) === 0 && hooks.signal?.aborted) return { y, steps: m - 1, cancelled: true };
    let accRe = 0;
    let accIm = 0;
    for (let k = 1, j = 2 * (m - 1); k < m; k++, j -= 2) {
      const wr = W[2 * k];
      const wi = W[2 * k + 1];
      const yr = y[j];
      const yi = y[j + 1];
      accRe += wr * yr - wi * yi;
      accIm += wr * yi + wi * yr;
    }
    finishStep(y, m, L, y0Re, y0Im, accRe, accIm, invRe, invIm);
    if (hooks.onStep && (m % every === 0 || m === n)) hooks.onStep(m, n);
  }
  return { y, steps: n, cancelled: false };
}

/**
 * Frame energy E_f of a channel for the rotating-frame solve (a heuristic: any value is exact, this
 * one keeps the accumulated phase error small). The trapezoidal phase error of a component of
 * amplitude A and frequency ω is ≈ A·|ω − E_f|³·h²/12 per unit time, accumulated while it lives:
 * the bound state (A = 2Z, ω = E_b) for all of tMax, the decaying resonance (A = 1 − 2Z, ω ≈ ω0) for
 * min(tMax, 1/Γ) with Γ = πJ(ω0) its Markovian amplitude decay rate. E_f minimises
 *   2Z·|E_b − E_f|³·tMax + (1 − 2Z)·|ω0 − E_f|³·min(tMax, 1/Γ),
 * i.e. E_f = E_b + (ω0 − E_b)·r/(1 + r), r = √(2Z·tMax/((1 − 2Z)·min(tMax, 1/Γ))). Without a bound
 * state E_f = ω0; for ω0 < 1 (no resonance: the rest of the weight is continuum above the band edge)
 * E_f = E_b. Units ω11.
 */
export function frameEnergy(omega0: number, densityAtOmega0: number, tMax: number, eBound?: number, residue?: number): number {
  if (eBound === undefined || residue === undefined || !(residue > 0)) return omega0;
  const a = Math.min(1, 2 * residue);
  // Below the band edge there is no resonance at ω0: the rest of the weight is continuum (ω > 1), which
  // decays like t^−3/2.
  if (a >= 1 || omega0 < 1) return eBound;
  const life = Math.min(tMax, densityAtOmega0 > 0 ? 1 / (Math.PI * densityAtOmega0) : tMax);
  if (!(life > 0)) return eBound;
  const r = Math.sqrt((a * tMax) / ((1 - a) * life));
  // Minimiser of a·x³ + b·(L − x)³ on [0, L]: x/(L − x) = √(b/a); here x is measured from ω0.
  return omega0 + (eBound - omega0) * (r / (1 + r));
}

/** Chooses the history-sum method for n steps. */
function stepper(method: ConvolutionMethod, n: number): (w: HatWeights, n: number, re: number, im: number, hooks?: StepHooks) => StepResult {
  const fft = method === 'fft' || (method === 'auto' && n > AUTO_FFT_THRESHOLD);
  return fft ? convolutionStepFFT : convolutionStepDirect;
}

/**
 * One channel on a fixed grid: solves ċ + iω0 c + ∫_0^t f(t − s) c(s) ds = 0, c(0) = 1, for a general
 * complex kernel f (single component of `kernel`), at t_m = m·h, m = 0 … n, by the second-order product
 * integration described above (no error control). Returns c interleaved (length 2(n + 1)).
 * `singular` lists the lags where f is singular or not analytic (default [0]).
 */
export function volterraChannel(
  kernel: MultiKernel,
  omega0: number,
  h: number,
  n: number,
  options: { singular?: readonly number[]; convolution?: ConvolutionMethod } = {},
): Float64Array {
  const mom = cellMoments(kernel, 1, h, n, { singular: options.singular ?? [0] });
  const w = integratedHatWeights(mom.moments[0], h, n, 0, omega0);
  return stepper(options.convolution ?? 'auto', n)(w, n, 1, 0).y;
}

/** Options of `volterraFixedStep`. */
export interface FixedStepOptions {
  /** History sums (default 'auto'). */
  convolution?: ConvolutionMethod;
  /** Frame energies E± of the channels (default 0: no rotation), in ω11. */
  framePlus?: number;
  frameMinus?: number;
  signal?: SolveOptions['signal'];
  /** Fraction of this fixed-step solve done, in [0, 1]. */
  onProgress?: (fraction: number) => void;
}

/** Both channels of Eq. (3) on one fixed grid t_m = m·h, m = 0 … steps. */
export interface FixedStepResult {
  params: ModelParams;
  h: number;
  steps: number;
  /** v± = e^{iE± t} c± at t_m (interleaved complex, length 2(steps + 1)). */
  vPlus: Float64Array;
  /** null at Δz = 0, where f− ≡ 0 and c− = e^{−iω0 t} exactly. */
  vMinus: Float64Array | null;
  framePlus: number;
  frameMinus: number;
  kernelEvaluations: number;
  cancelled: boolean;
}

/**
 * Solves both channels of Eq. (3) on the fixed grid t_m = m·h (m = 0 … n) by the second-order product
 * integration of this module, with no error control (the building block of `solveVolterra`; also
 * used by bench/volterra.bench.ts). Units ω11 = c = 1. Read c1, c2 with `amplitudesAt`.
 */
export function volterraFixedStep(params: ModelParams, h: number, n: number, options: FixedStepOptions = {}): FixedStepResult {
  const { omega0, gamma11, dz } = params;
  const tau = tauOf(dz);
  const ePlus = options.framePlus ?? 0;
  const eMinus = tau > 0 ? (options.frameMinus ?? 0) : 0;
  // Channel kernels in their frames: f̂±(σ) = (f0 ± f1)(σ)·e^{iE±σ}; at τ = 0 only f̂+ = 2 f0 e^{iE+σ}.
  // The kernel gives f0 ± f1; cellMoments applies the phases e^{iE±σ} (`modulation`). `frequency` is
  // the rate Ω(σ) at which f̂± grows off the real axis: f0 ∝ H0^{(2)}(σ) ~ e^{−iσ} gives |1 − E|; f1 is
  // ∝ K0(√(τ² − σ²)) inside the light cone (not oscillating: |E|) and ∝ H0^{(2)}(s), s = √(σ² − τ²),
  // outside, whose local frequency ds/dσ = σ/s exceeds 1 near σ = τ (|σ/s − E|).
  const f01 = new Float64Array(4);
  const kernel: MultiKernel = (s, out) => {
    memoryKernelPair(s, gamma11, tau, f01);
    if (tau > 0) {
      out[0] = f01[0] + f01[2];
      out[1] = f01[1] + f01[3];
      out[2] = f01[0] - f01[2];
      out[3] = f01[1] - f01[3];
    } else {
      out[0] = 2 * f01[0];
      out[1] = 2 * f01[1];
    }
  };
  const mom = cellMoments(kernel, tau > 0 ? 2 : 1, h, n, {
    singular: tau > 0 ? [0, tau, -tau] : [0],
    modulation: tau > 0 ? [ePlus, eMinus] : [ePlus],
    frequency: (sg: number) => Math.max(kernelRate(sg, tau, ePlus), tau > 0 ? kernelRate(sg, tau, eMinus) : 0),
  });
  const step = stepper(options.convolution ?? 'auto', n);
  const parts = tau > 0 ? 2 : 1;
  // v± + ∫ K̂±(t − s) v±(s) ds = 1 with K̂±(σ) = i(ω0 − E±) + ∫_0^σ f̂±.
  const run = (c: number, e: number): StepResult => {
    const w = integratedHatWeights(mom.moments[c], h, n, 0, omega0 - e);
    mom.moments[c] = new Float64Array(0); // release the moments before stepping
    return step(w, n, 1, 0, {
      signal: options.signal,
      onStep: options.onProgress ? (d, tot) => options.onProgress!((c + d / tot) / parts) : undefined,
    });
  };
  const base = { params, h, steps: n, framePlus: ePlus, frameMinus: eMinus, kernelEvaluations: mom.evaluations };
  const plus = run(0, ePlus);
  if (plus.cancelled || tau === 0) return { ...base, vPlus: plus.y, vMinus: null, cancelled: plus.cancelled };
  const minus = run(1, eMinus);
  return { ...base, vPlus: plus.y, vMinus: minus.y, cancelled: minus.cancelled };
}

export { kernelRate };

/**
 * c1, c2 at grid point m of a fixed-step solution: c± = e^{−iE± t} v±, c1 = (c+ + c−)/2,
 * c2 = (c+ − c−)/2 (Eq. 3 in the channels of physics.md). Writes [Re c1, Im c1, Re c2, Im c2] to
 * out[offset …], or with `split` Re/Im c1 to out[2i…] and c2 to out[split + 2i…] for i = offset/2.
 */
export function amplitudesAt(r: FixedStepResult, m: number, out: Float64Array, offset: number, split = 2): void {
  const t = m * r.h;
  const j = 2 * m;
  const cp = Math.cos(r.framePlus * t);
  const sp = -Math.sin(r.framePlus * t);
  const pr = r.vPlus[j] * cp - r.vPlus[j + 1] * sp;
  const pim = r.vPlus[j] * sp + r.vPlus[j + 1] * cp;
  let mr: number;
  let mim: number;
  if (r.vMinus) {
    const cm = Math.cos(r.frameMinus * t);
    const sm = -Math.sin(r.frameMinus * t);
    mr = r.vMinus[j] * cm - r.vMinus[j + 1] * sm;
    mim = r.vMinus[j] * sm + r.vMinus[j + 1] * cm;
  } else {
    // Δz = 0: f− ≡ 0, so c− = e^{−iω0 t} exactly.
    mr = Math.cos(r.params.omega0 * t);
    mim = -Math.sin(r.params.omega0 * t);
  }
  out[offset] = 0.5 * (pr + mr);
  out[offset + 1] = 0.5 * (pim + mim);
  out[offset + split] = 0.5 * (pr - mr);
  out[offset + split + 1] = 0.5 * (pim - mim);
}

/**
 * Solves Eq. (3) of the paper for c1(t), c2(t) by product integration with Richardson extrapolation
 * and step halving until the estimated absolute error on c1 and c2 is below `problem.tol`.
 * Units ω11 = c = 1 (t in 1/ω11). Throws ParameterError for invalid input; numerical outcomes
 * (tolerance not met, step budget, cancellation) come back as `status` with a message.
 * Example: {omega0: 0.5, gamma11: 0.5, dz: 0.1}, tMax = 100, dt = 1 gives c2(100) ≈ −0.1109070 − 0.6921350i
 * (|c2|² ≈ 0.4914) with errorEstimate ≤ 1e-8.
 */
export function solveVolterra(problem: DynamicsProblem, options: VolterraOptions = {}): Solution {
  const { params, dt, tol, points: nOut } = checkProblem(problem);
  const method = options.convolution ?? 'auto';
  if (method !== 'auto' && method !== 'direct' && method !== 'fft') {
    throw new ParameterError('convolution', method, "one of 'auto', 'direct', 'fft'");
  }
  const { omega0, gamma11, dz } = params;
  const hMax = checkNumber('hMax', options.hMax ?? Math.min(0.1, 0.25 / omega0), { min: 0, minOpen: true });
  const useFft = method !== 'direct';
  const maxSteps = checkNumber('maxSteps', options.maxSteps ?? (useFft ? 2 ** 21 : 2 ** 16), { min: 1 });
  const minLevels = Math.max(3, Math.floor(options.minLevels ?? 3));
  const frame = options.frame ?? 'auto';
  if (typeof frame === 'object' && frame !== null) {
    checkNumber('frame.plus', frame.plus, { min: -100, max: 100 });
    checkNumber('frame.minus', frame.minus, { min: -100, max: 100 });
  } else if (frame !== 'auto' && frame !== 'none') {
    throw new ParameterError('frame', frame, "'auto', 'none' or {plus, minus}");
  }
  const tau = tauOf(dz);
  // Frame energies E± (0: no rotation). At Δz = 0 the antisymmetric channel is solved exactly.
  let ePlus = 0;
  let eMinus = 0;
  if (typeof frame === 'object') {
    ePlus = frame.plus;
    eMinus = frame.minus;
  } else if (frame === 'auto') {
    const bs = boundStates(params).boundStates;
    const pick = (ch: Channel): number => {
      const b = bs.find((x) => x.channel === ch && !x.inContinuum && Number.isFinite(x.energy));
      return frameEnergy(omega0, channelDensity(ch, omega0, gamma11, tau), problem.tMax, b?.energy, b?.residue);
    };
    ePlus = pick('+');
    eMinus = tau > 0 ? pick('-') : 0;
  }

  const t = outputGrid(dt, nOut);
  const c1 = new Float64Array(2 * nOut);
  const c2 = new Float64Array(2 * nOut);
  c1[0] = 1;
  const stats: Record<string, number> = {
    levels: 0, h: Number.NaN, steps: 0, totalSteps: 0, kernelEvaluations: 0, fft: useFft ? 1 : 0, framePlus: ePlus, frameMinus: tau > 0 ? eMinus : 0,
  };
  const base = { method: 'volterra' as const, params, t, c1, c2 };
  if (nOut === 1) {
    return { ...base, status: 'success', message: 'only t = 0 requested', errorEstimate: 0, stats };
  }

  // Level 0: the largest h0 ≤ hMax dividing dt, so output points are grid points at every level.
  const k0 = Math.max(1, Math.ceil(dt / hMax - 1e-9));
  const h0 = dt / k0;
  const steps0 = (nOut - 1) * k0;
  if (steps0 > maxSteps) {
    c1.fill(Number.NaN);
    c2.fill(Number.NaN);
    const message = `step budget: the first level already needs ${steps0} steps (h = ${h0.toPrecision(3)} up to t = ${t[nOut - 1]}) > maxSteps = ${maxSteps}`;
    return { ...base, status: 'max-steps', message, errorEstimate: Number.NaN, stats };
  }
  const maxLevel = Math.floor(Math.log2(maxSteps / steps0) + 1e-9); // last level within budget

  // Progress: relative cost of a level with n steps (richardsonLevels plans the levels).
  const units = (n: number): number => (useFft && !(method === 'auto' && n <= AUTO_FFT_THRESHOLD) ? n * (4 + Math.log2(n + 2)) : n * (4 + n / 64));
  // Levels h0/2^ℓ with Richardson extrapolation (src/numerics/richardsonLevels.ts); each level returns
  // the output samples [c1 (2 nOut) | c2 (2 nOut)].
  const r = richardsonLevels({
    tol,
    maxLevel,
    minLevels,
    signal: options.signal,
    onProgress: options.onProgress,
    levelCost: (level) => units(steps0 * 2 ** level),
    solveLevel: (level, onFraction) => {
      const n = steps0 * 2 ** level;
      const h = h0 / 2 ** level;
      const sol = volterraFixedStep(params, h, n, {
        convolution: method,
        framePlus: ePlus,
        frameMinus: eMinus,
        signal: options.signal,
        onProgress: options.onProgress ? onFraction : undefined,
      });
      stats.kernelEvaluations += sol.kernelEvaluations;
      if (sol.cancelled) return null;
      stats.levels = level + 1;
      stats.h = h;
      stats.steps = n;
      stats.totalSteps += n * (sol.vMinus ? 2 : 1);
      const stride = k0 * 2 ** level;
      const cur = new Float64Array(4 * nOut);
      for (let i = 0; i < nOut; i++) amplitudesAt(sol, i * stride, cur, 2 * i, 2 * nOut);
      return cur;
    },
  });
  const { status, values: best, estimate } = r;
  let message = '';

  if (best) {
    c1.set(best.subarray(0, 2 * nOut));
    c2.set(best.subarray(2 * nOut));
  } else {
    c1.fill(Number.NaN);
    c2.fill(Number.NaN);
  }
  const reached = `h = ${stats.h.toPrecision(3)} (${stats.steps} steps a channel, ${stats.levels} level${stats.levels === 1 ? '' : 's'}), estimated error ${estimate.toPrecision(3)}`;
  switch (status) {
    case 'success':
      message = `tolerance ${tol} met: ${reached}`;
      break;
    case 'max-steps':
      message = `step budget reached before tolerance ${tol}: ${reached}; the next level would need ${steps0 * 2 ** stats.levels} steps > maxSteps = ${maxSteps}`;
      break;
    case 'tolerance-not-met':
      message = r.reason === 'non-finite values'
        ? `non-finite values at h = ${stats.h}; ${reached}`
        : `tolerance ${tol} not met: the error estimate stopped decreasing (rounding floor) at ${reached}`;
      break;
    case 'cancelled':
      message = best
        ? `cancelled; returning the last completed level: ${reached}`
        : 'cancelled before the first level completed (c1, c2 are NaN)';
      break;
  }
  return checkFinite({ ...base, status, message, errorEstimate: estimate, stats });
}
