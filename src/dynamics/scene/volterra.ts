/**
 * General-path Volterra solver of a scene: N emitters in any reservoir (shared/scenes.md §1, the matrix
 * form of Eq. 3 of the paper),
 *   ċ_j = −(iω_j + γ_j/2) c_j − Σ_l ∫_0^t F_jl(t − s) c_l(s) ds,   F_jl = Σ_c W^c_jl φ_c,
 * with the components φ_c and weights W^c of the scene's Coupling (src/model/reservoirs/reservoir.ts).
 * Units: those of the reservoir (ω11 = c = 1 for the guides: t in 1/ω11, frequencies and rates in ω11).
 *
 * ## Method
 * The scalar stepper of src/dynamics/volterra.ts in matrix form. In a rotating frame v = e^{iEt} c (one
 * frame energy E for all emitters, which keeps the memory term a convolution), integrated once in t:
 *   v(t) + ∫_0^t K(t − s) v(s) ds = c(0),   K(σ) = diag(i(ω_j − E) + γ_j/2) + Σ_c W^c ∫_0^σ φ_c(u) e^{iEu} du.
 * v is replaced by its piecewise-linear interpolant on t_m = m·h and the convolution integrated exactly
 * against it: the cell moments of each component's φ_c e^{iEσ} (`cellMoments`, refined towards the
 * component's `singularTimes`; smooth kernels simply have none) give one set of hat weights per component
 * (`integratedHatWeights`), assembled with the W^c in the step (src/dynamics/scene/volterraMatrixStep.ts:
 * an N×N complex implicit solve whose matrix holds the loss exactly, FFT-blocked history sums,
 * cost ≈ N²·M·log M for M steps). Second order: error C(t)·h² + O(h³).
 * Far from the singular times, cells use the cheaper far rules of `cellMoments` (4–6 points a cell, or
 * 12 Chebyshev nodes per panel of 8 cells) only when the growth of φ_c(z)e^{iEz} off the real axis is
 * bounded: by the component's optional `kernelRate` (RatedComponent below), or, for bounded bands, by
 * Ω = max |band end − E|; otherwise (unbounded bands without kernelRate: the guides today) every cell
 * gets the 8-point rule, ≈ 5× the kernel evaluations.
 *
 * ## Error control
 * As the scalar solver: levels h_ℓ = h_0/2^ℓ (h_0 ≤ hMax dividing dt), Richardson extrapolation and the
 * estimate max |R_ℓ − R_{ℓ−1}| over every c_j on the output grid (`richardsonLevels`,
 * src/numerics/richardsonLevels.ts); 'success' when it is ≤ tol, otherwise 'max-steps' (step budget),
 * 'tolerance-not-met' (rounding floor, non-finite values) or 'cancelled', each with a message.
 *
 * ## Frame
 * Any E is exact; it only changes the discretisation error (a component of c oscillating at ω has a
 * phase error ∝ |ω − E|³h²t). 'auto' (default, `sceneFrameEnergy`) takes the mean of the ω_j weighted by
 * |c_j(0)|², the frequency of the initial excitation (for the paper's state |e1⟩ that is ω0, the scalar
 * solver's frame when the resonance dominates); for emitters of unequal frequency in a bounded band it
 * takes the centre of the emitter frequencies instead. Unlike the scalar solver (one frame per ± channel) one frame cannot hold
 * several bound states still at once: on the paper's pair at T = 1000 (bound states at 0.620 and 0.908,
 * tol 1e-8) the frames 0.5, 0.62 and 0.7 all needed 6–7 levels, the lab frame 7.
 */
import { checkNumber, ParameterError } from '../../errors.js';
import type { Component } from '../../model/reservoirs/reservoir.js';
import type { PreparedScene } from '../../model/scene.js';
import { cellMoments, integratedHatWeights, type HatWeights } from '../../numerics/productIntegration.js';
import { richardsonLevels } from '../../numerics/richardsonLevels.js';
import type { SolveOptions, Status } from '../types.js';
import type { SceneGrid, SceneSolution } from './types.js';
import { matrixVolterraStep } from './volterraMatrixStep.js';

export interface SceneVolterraOptions extends SolveOptions {
  /** Largest step of the first level (default min(0.1, 0.25/Ω), Ω the largest |ω_j − E| or |edge − E| over the finite band edges, E the frame), in the reservoir's time unit. */
  hMax?: number;
  /** Most steps at the finest level (default: 2^21, or less so that the weights and amplitudes fit in ≈ 512 MB). */
  maxSteps?: number;
  /** Least number of levels (default 3, the least that gives an error estimate). */
  minLevels?: number;
  /** Frame energy E: 'auto' (default, see the file comment), 'none' (E = 0) or a number. */
  frame?: 'auto' | 'none' | number;
  /** History sums: 'fft' (default, FFT-blocked) or 'direct' (O(M²), for checks). */
  convolution?: 'fft' | 'direct';
  /** Leaf size of the FFT blocking (power of two, default 16). */
  leaf?: number;
}

/** Most doubles the weights and amplitudes of one level may take (sets the default maxSteps). */
const MEMORY_DOUBLES = 2 ** 26;

/**
 * The frame energy 'auto' (see the file comment, "Frame"), in the reservoir's frequency unit:
 * - emitters of unequal ω_j in a coupling whose bands are all bounded (cavity arrays, tables): the
 *   centre (min ω_j + max ω_j)/2 of the emitter frequencies. No frame holds several frequencies still;
 *   the weighted mean sits at the excited emitter and leaves the far ones (and the bound states near
 *   them) fast. Cavity array ωc = 10, J = 1, ω = 9, 10.5, 12.3 from |e1⟩, T = 100, tol 1e-6
 *   (bench/reservoirs.bench.ts): E = 10.65 needs 5 levels and 37 200 steps in all where the weighted
 *   mean E = 9 needed 6 levels and 88 200. The band ends are left out: a wide table (the TM11 guide
 *   to 1000ω11) would pull the frame far from every emitter.
 * - otherwise (one frequency, or an unbounded band such as the guides): Σ_j |c_j(0)|² ω_j (the initial
 *   state is normalised), the frequency of the initial excitation, which holds the resonance still.
 */
export function sceneFrameEnergy(prepared: PreparedScene): number {
  let e = 0;
  let w = 0;
  let lo = Number.POSITIVE_INFINITY;
  let hi = Number.NEGATIVE_INFINITY;
  for (let j = 0; j < prepared.n; j++) {
    const p = prepared.initial[2 * j] ** 2 + prepared.initial[2 * j + 1] ** 2;
    e += p * prepared.omega[j];
    w += p;
    lo = Math.min(lo, prepared.omega[j]);
    hi = Math.max(hi, prepared.omega[j]);
  }
  const mean = e / w;
  if (!(hi > lo)) return mean;
  for (const [a, b] of prepared.coupling.bands) if (!Number.isFinite(a) || !Number.isFinite(b)) return mean;
  return 0.5 * (lo + hi);
}

/**
 * A component that may also bound its kernel's growth off the real axis — a proposed optional field of
 * Component (src/model/reservoirs/reservoir.ts), read here when present:
 * kernelRate(σ, E) = Ω such that |φ_c(z)e^{iEz}| grows no faster than e^{Ω|Im z|} near σ, monotone between
 * the singular times (cellMoments' `frequency`; for the TM11 components, `kernelRate(σ, τ, E)` of
 * src/dynamics/volterra.ts).
 */
export type RatedComponent = Component & { kernelRate?: (sigma: number, frame: number) => number };

/**
 * cellMoments' `frequency` for component c in the frame E: its own kernelRate if it has one; for bounded
 * bands Ω = max |band end − E| (then φ_c(z)e^{iEz} = ∫ j(ω)e^{−i(ω − E)z} dω is bounded by
 * ∫|j|·e^{Ω|Im z|}); undefined (no far rules) for an unbounded band.
 */
function growthRate(c: RatedComponent, e: number): number | ((sigma: number) => number) | undefined {
  const rate = c.kernelRate;
  if (typeof rate === 'function') return (sigma: number) => rate(sigma, e);
  let omega = 0;
  for (const [lo, hi] of c.bands) {
    if (!Number.isFinite(lo) || !Number.isFinite(hi)) return undefined;
    omega = Math.max(omega, Math.abs(lo - e), Math.abs(hi - e));
  }
  return omega;
}

/** Options of `sceneVolterraFixedStep`. */
export interface SceneFixedStepOptions {
  /** Frame energy E (default 0). */
  frame?: number;
  direct?: boolean;
  leaf?: number;
  signal?: SolveOptions['signal'];
  /** Fraction of this solve done, in [0, 1]. */
  onProgress?: (fraction: number) => void;
}

/** One fixed-step solve: v = e^{iEt}c at t_m = m·h, time-major (v_j(t_m) at [2(m·N + j)], [2(m·N + j) + 1]). */
export interface SceneFixedStepResult {
  h: number;
  steps: number;
  frame: number;
  v: Float64Array;
  kernelEvaluations: number;
  cancelled: boolean;
}

/**
 * Solves the matrix Eq. (3) of a prepared scene on the fixed grid t_m = m·h, m = 0 … steps, by the
 * second-order matrix product integration of this file (no error control; the building block of
 * `solveSceneVolterra`, also used by its tests and bench/sceneVolterra.bench.ts). Read c_j(t_m) with
 * `sceneAmplitudeAt`.
 */
export function sceneVolterraFixedStep(prepared: PreparedScene, h: number, steps: number, options: SceneFixedStepOptions = {}): SceneFixedStepResult {
  const { n, coupling } = prepared;
  const e = options.frame ?? 0;
  const weights: HatWeights[] = [];
  const matrices: Float64Array[] = [];
  let evaluations = 0;
  const used = coupling.components.map((_, c) => coupling.weights[c].some((w) => w !== 0));
  const count = used.filter(Boolean).length;
  const parts = count + 1; // progress: the moments of each component, then the stepping (as much again)
  let done = 0;
  for (let c = 0; c < coupling.components.length; c++) {
    if (!used[c]) continue;
    if (options.signal?.aborted) return { h, steps, frame: e, v: new Float64Array(0), kernelEvaluations: evaluations, cancelled: true };
    const comp: RatedComponent = coupling.components[c];
    const singular = [...new Set(comp.singularTimes.flatMap((s) => (s === 0 ? [0] : [s, -s])))];
    const mom = cellMoments((s, out) => comp.kernel(s, out, 0), 1, h, steps, {
      singular,
      modulation: [e],
      frequency: growthRate(comp, e),
    });
    evaluations += mom.evaluations;
    weights.push(integratedHatWeights(mom.moments[0], h, steps));
    matrices.push(coupling.weights[c]);
    done++;
    options.onProgress?.(done / (2 * parts));
  }
  const diagonal = new Float64Array(2 * n);
  for (let j = 0; j < n; j++) {
    diagonal[2 * j] = 0.5 * prepared.loss[j];
    diagonal[2 * j + 1] = prepared.omega[j] - e;
  }
  const r = matrixVolterraStep(
    { n, h, steps, weights, matrices, diagonal, y0: prepared.initial },
    {
      signal: options.signal,
      onStep: options.onProgress ? (d, tot) => options.onProgress!(0.5 * (done / parts) + 0.5 * (d / tot)) : undefined,
    },
    { direct: options.direct, leaf: options.leaf },
  );
  return { h, steps, frame: e, v: r.y, kernelEvaluations: evaluations, cancelled: r.cancelled };
}

/** c_j(t_m) = e^{−iE·m·h} v_j(t_m) of a fixed-step solve, written to out[o], out[o + 1]. */
export function sceneAmplitudeAt(r: SceneFixedStepResult, n: number, j: number, m: number, out: Float64Array, o: number): void {
  const t = m * r.h;
  const cs = Math.cos(r.frame * t);
  const sn = -Math.sin(r.frame * t);
  const q = 2 * (m * n + j);
  const vr = r.v[q];
  const vi = r.v[q + 1];
  out[o] = vr * cs - vi * sn;
  out[o + 1] = vr * sn + vi * cs;
}

/**
 * Solves a scene's dynamics (matrix Eq. 3, shared/scenes.md §1) by matrix product integration with
 * Richardson extrapolation and step halving until the estimated absolute error on every c_j is below
 * grid.tol. Works for any reservoir through its components. Numerical outcomes (tolerance not met,
 * step budget, cancellation) come back as `status` with a message.
 * Example: two emitters 0.1 λ11 apart in the TM11 guide at ω0 = 0.5, Γ = 0.5, from |e1⟩: the same
 * c(t) as solveVolterra of the paper's model (within both tolerances).
 */
export function solveSceneVolterra(grid: SceneGrid, options: SceneVolterraOptions = {}): SceneSolution {
  const { prepared, dt, tol, points: nOut, t } = grid;
  const { n, coupling } = prepared;
  const conv = options.convolution ?? 'fft';
  if (conv !== 'fft' && conv !== 'direct') throw new ParameterError('convolution', conv, "one of 'fft', 'direct'", 'options.convolution');
  const frameOpt = options.frame ?? 'auto';
  let frame: number;
  if (typeof frameOpt === 'number') frame = checkNumber('frame', frameOpt, { min: -1e6, max: 1e6 }, 'options.frame');
  else if (frameOpt === 'auto') frame = sceneFrameEnergy(prepared);
  else if (frameOpt === 'none') frame = 0;
  else throw new ParameterError('frame', frameOpt, "'auto', 'none' or a number", 'options.frame');
  // Default first step: a quarter period of the fastest frequency seen in the frame (emitters, band edges).
  let scale = 0;
  for (const w of prepared.omega) scale = Math.max(scale, Math.abs(w - frame));
  for (const x of coupling.edges) if (Number.isFinite(x)) scale = Math.max(scale, Math.abs(x - frame));
  const hMax = checkNumber('hMax', options.hMax ?? (scale > 0 ? Math.min(0.1, 0.25 / scale) : 0.1), { min: 0, minOpen: true }, 'options.hMax');
  const components = coupling.weights.filter((w) => w.some((x) => x !== 0)).length;
  const budgetSteps = Math.max(1, Math.floor(MEMORY_DOUBLES / (6 * components + 4 * n)));
  const memoryBound = options.maxSteps === undefined && budgetSteps < 2 ** 21;
  const maxSteps = checkNumber('maxSteps', options.maxSteps ?? Math.min(2 ** 21, budgetSteps), { min: 1 }, 'options.maxSteps');
  const budgetText = `maxSteps = ${maxSteps}${memoryBound ? ` (the default for ${components} kernel components and ${n} emitters, which keeps the weights and amplitudes of a level within ≈ ${(MEMORY_DOUBLES * 8) / 2 ** 20} MB)` : ''}`;
  const minLevels = Math.max(3, Math.floor(checkNumber('minLevels', options.minLevels ?? 3, { min: 1, max: 60 }, 'options.minLevels')));
  const leaf = options.leaf;
  if (leaf !== undefined && !(Number.isInteger(leaf) && leaf >= 2 && leaf <= 2 ** 20 && (leaf & (leaf - 1)) === 0)) {
    throw new ParameterError('leaf', leaf, 'a power of two from 2 to 2^20', 'options.leaf');
  }

  const c: Float64Array[] = [];
  for (let j = 0; j < n; j++) {
    const cj = new Float64Array(2 * nOut);
    cj[0] = prepared.initial[2 * j];
    cj[1] = prepared.initial[2 * j + 1];
    c.push(cj);
  }
  const stats: Record<string, number> = {
    levels: 0, h: Number.NaN, steps: 0, totalSteps: 0, kernelEvaluations: 0, components, frame, fft: conv === 'fft' ? 1 : 0,
  };
  const base = { method: 'volterra' as const, scene: prepared.scene, t, c, path: 'general' as const };
  if (nOut === 1) return { ...base, status: 'success', message: 'only t = 0 requested', errorEstimate: 0, stats };

  const k0 = Math.max(1, Math.ceil(dt / hMax - 1e-9));
  const h0 = dt / k0;
  const steps0 = (nOut - 1) * k0;
  if (steps0 > maxSteps) {
    for (const cj of c) cj.fill(Number.NaN);
    const message = `step budget: the first level already needs ${steps0} steps (h = ${h0.toPrecision(3)} up to t = ${t[nOut - 1]}) > ${budgetText}`;
    return { ...base, status: 'max-steps', message, errorEstimate: Number.NaN, stats };
  }
  const maxLevel = Math.floor(Math.log2(maxSteps / steps0) + 1e-9);

  const r = richardsonLevels({
    tol,
    maxLevel,
    minLevels,
    signal: options.signal,
    onProgress: options.onProgress,
    levelCost: (level) => {
      const m = steps0 * 2 ** level;
      return m * (components + n * n * (8 + Math.log2(m + 2)) / 8);
    },
    solveLevel: (level, onFraction) => {
      const m = steps0 * 2 ** level;
      const h = h0 / 2 ** level;
      const sol = sceneVolterraFixedStep(prepared, h, m, {
        frame, direct: conv === 'direct', leaf, signal: options.signal, onProgress: onFraction,
      });
      stats.kernelEvaluations += sol.kernelEvaluations;
      if (sol.cancelled) return null;
      stats.levels = level + 1;
      stats.h = h;
      stats.steps = m;
      stats.totalSteps += m;
      const stride = k0 * 2 ** level;
      const out = new Float64Array(2 * n * nOut);
      for (let j = 0; j < n; j++) for (let i = 0; i < nOut; i++) sceneAmplitudeAt(sol, n, j, i * stride, out, 2 * (j * nOut + i));
      return out;
    },
  });

  let status: Status = r.status;
  let estimate = r.estimate;
  if (r.values) {
    for (let j = 0; j < n; j++) c[j].set(r.values.subarray(2 * j * nOut, 2 * (j + 1) * nOut));
  } else {
    for (const cj of c) cj.fill(Number.NaN);
  }
  const reached = `h = ${stats.h.toPrecision(3)} (${stats.steps} steps, ${stats.levels} level${stats.levels === 1 ? '' : 's'}, ${components} kernel component${components === 1 ? '' : 's'}), estimated error ${estimate.toPrecision(3)}`;
  let message: string;
  switch (status) {
    case 'success':
      message = `tolerance ${tol} met: ${reached}`;
      break;
    case 'max-steps':
      message = `step budget reached before tolerance ${tol}: ${reached}; the next level would need ${steps0 * 2 ** stats.levels} steps > ${budgetText}`;
      break;
    case 'tolerance-not-met':
      message = `tolerance ${tol} not met: ${r.reason} at ${reached}`;
      break;
    default:
      message = r.values
        ? `cancelled; returning the last completed level: ${reached}`
        : 'cancelled before the first level completed (c is NaN)';
  }
  if (status === 'success') {
    // The last check of the output: a non-finite amplitude is no success.
    for (let j = 0; j < n && status === 'success'; j++) {
      const i = c[j].findIndex((x) => !Number.isFinite(x));
      if (i >= 0) {
        status = 'tolerance-not-met';
        estimate = Number.POSITIVE_INFINITY;
        message = `volterra: non-finite c_${j} = ${c[j][i]} at t = ${t[i >> 1]}; the result is not valid (was: ${message})`;
      }
    }
  }
  return { ...base, status, message, errorEstimate: estimate, stats };
}
