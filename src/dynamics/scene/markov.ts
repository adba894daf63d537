import { EigenvalueDecomposition, Matrix } from 'ml-matrix';
import { ParameterError } from '../../errors.js';
import type { PreparedScene } from '../../model/scene.js';
import type { Component } from '../../model/reservoirs/reservoir.js';
import { complexExpm, complexMatVec, type ExpmInfo } from '../../numerics/complexExpm.js';
import type { SolveOptions } from '../types.js';
import type { SceneGrid, SceneSolution } from './types.js';

/**
 * The Markovian approximation for a scene: the matrix form of the paper's Eq. (6) (shared/scenes.md §1),
 *
 *   c(t) = exp(−A t) c(0),   A = iΩ + Γ_loss/2 + Υ,   Ω = diag ω_j,  Γ_loss = diag γ_j  (ω11),
 *
 * where Υ replaces the memory term Σ_l ∫_0^t F_jl(t − s) c_l(s) ds of Eq. (3). Inside a band
 * Y(ω) = πJ(ω) + iΔ(ω) (decay rates from the spectral density, shifts from its principal value
 * Δ(ω) = PV ∫ J(ω′)/(ω − ω′) dω′); in a gap Y(ω) = iΣ(ω), Σ(E) = ∫ J(ω′)/(E − ω′) dω′ the real
 * self-energy (J = 0 there: pure oscillation, no decay). Each reservoir component is classified on
 * its own (a closed mode of the multimode guide contributes iσ_c while an open one contributes
 * πj_c + iδ_c at the same frequency), so this module reads the components rather than
 * densityMatrix/levelShiftMatrix of reservoir.ts, which assume every component open.
 *
 * ## Which frequency for unequal ω_j
 * Markov-approximating the term c_l in ċ_j (c_l(s) ≈ c_l(t)e^{iω_l(t−s)}) gives
 * ∫_0^∞ F_jl(u)e^{iω_l u} du = Y_jl(ω_l): the rate of a pair is evaluated at the *source's* frequency.
 * That matrix is not symmetric; here the two orders are averaged,
 *
 *   Υ_jl = [Y_jl(ω_j) + Y_jl(ω_l)]/2   (Υ_jj = Y_jj(ω_j)),
 *
 * so Υ is complex symmetric like F, Σ and G (reciprocity) and A = D + iH with D = Γ_loss/2 + Re Υ and
 * H = Ω + Im Υ real symmetric (d/dt Σ|c|² = −2c†Dc). Why not the midpoint (ω_j + ω_l)/2: it can fall on
 * a band edge (ω = 0.9 and 1.1 around the TM11 cutoff) or in a gap when neither emitter is there, and
 * would need N(N+1)/2 frequencies; the emitter frequencies need only N evaluations and the result
 * differs from the midpoint value by O((ω_j − ω_l)²·J″). Why not the secular choice (drop Υ_jl when
 * |ω_j − ω_l| ≫ |Υ_jl|): it needs a threshold and is discontinuous in ω; the cross terms of detuned
 * emitters average out in the dynamics anyway. For equal frequencies all choices agree: the symmetric
 * two-emitter case equals src/dynamics/markov.ts (Υ0 = πJ0 + iδ0 on the diagonal, Υ1 = πJ1 + iδ1 off it)
 * to rounding. Caveat: with unequal frequencies D need not be positive semidefinite (e.g. ω_1 in a gap,
 * ω_2 in the band: D = [[0, πJ12/2], [πJ12/2, πJ22]]), and then the norm of c can grow; the solver
 * reports the eigenvalue range of D (stats minDecayRate, maxDecayRate) and says so in its message.
 *
 * ## Band edges
 * At a threshold of a component (TM11: ω_j = 1, where J ~ 1/k diverges) Eq. (6) is undefined; as the
 * two-emitter markovRates (ParameterError for ω0 = 1) this throws a ParameterError naming
 * `problem.scene.emitters[j].omega0`.
 *
 * ## Evaluation on the output grid, and its accuracy
 * E1 = exp(−A·dt) and E_K = exp(−A·K·dt) (src/numerics/complexExpm.ts) with K = ⌈√points⌉; anchors
 * a_m = E_K^m c(0) at t = mKdt and, between anchors, c(t_{mK+i}) = E1^i a_m. Each product adds a
 * rounding error ~ε‖c‖ and carries the error of E1 or E_K along undamped at worst (‖e^{−At}‖ ≤ 1 when
 * D ⪰ 0), so the error grows like (K + points/K)·ε ≈ 2√points·ε, against points·ε for plain
 * repeated multiplication by E1. On top of that every evaluation carries the phase conditioning
 * ε·‖A‖·t (a relative change ε of the frequencies moves c by that much), which dominates at long times.
 * Measured (N = 3 lossless in a gap, A = iH, against V·e^{−iΛt}·Vᵀ from a symmetric eigen-decomposition
 * of H; test/dynamics/sceneMarkov.test.ts): max error 1.9e-13 / 2.0e-12 / 1.3e-11 at t = 10³ / 10⁴ / 10⁵
 * (10⁴ / 10⁵ / 2·10⁵ points) for the two-level stepping, 1.4e-13 / 1.6e-12 / 1.6e-11 for exp(−At_n)
 * at every point, 4.1e-13 / 4.4e-12 / 4.5e-11 for plain repeated multiplication; the norm (exactly 1)
 * is kept to 1.2e-14 / 7e-14 / 4e-12 by the stepping, 1e-13 / 1e-12 / 1.6e-11 directly. The stepping
 * is as accurate as the direct evaluation and 30–60× faster (O(N²) per point against O(N³ log‖At‖)),
 * so it is the one used.
 * errorEstimate is NaN as for the two-emitter Markov solver: the method is exact for its own equation
 * and its error against Eq. (3) is what the other methods measure.
 */

/** The prefix of field paths in errors (solveScene validates `problem.scene`). */
const SCENE_PATH = 'problem.scene';

/** y_c(ω) = πj_c(ω) + iδ_c(ω) inside a band of the component, iσ_c(ω) outside; null on a band end. */
function componentRate(c: Component, omega: number): [number, number] | null {
  for (const [lo, hi] of c.bands) {
    if (omega > lo && omega < hi) return [Math.PI * c.density(omega), c.levelShift(omega)];
    if (omega === lo || omega === hi) return null;
  }
  return [0, c.selfEnergy(omega)];
}

/** The Markov generator of a scene (module doc). */
export interface SceneMarkovGenerator {
  n: number;
  /** Υ (ω11), interleaved complex N×N, complex symmetric. */
  upsilon: Float64Array;
  /** A = iΩ + Γ_loss/2 + Υ, interleaved complex N×N; c(t) = exp(−At)c(0). */
  a: Float64Array;
  /** Eigenvalues of the decay matrix D = Γ_loss/2 + Re Υ, ascending (ω11); d/dt Σ|c|² = −2c†Dc. */
  decayRates: Float64Array;
  /** Emitters whose frequency lies in a gap of every component coupled to them (Υ_jj real shift only). */
  inGap: number[];
}

/**
 * Υ and A of a prepared scene (module doc): Υ_jl = [Y_jl(ω_j) + Y_jl(ω_l)]/2 with Y = Σ_c W^c y_c.
 * Throws ParameterError (`problem.scene.emitters[j].omega0`) when ω_j is at a band edge of a component
 * coupled to emitter j.
 */
export function sceneMarkovGenerator(p: PreparedScene): SceneMarkovGenerator {
  const { n, coupling } = p;
  const nc = coupling.components.length;
  // Y(ω_j): only row j and column j are used (Υ_jl and Υ_lj); computed once per distinct frequency, from
  // the components coupled to an emitter at that frequency (a mode with a node at emitter j, W^c_j· = 0,
  // does not make ω_j's position relative to its cutoff matter).
  const cache = new Map<number, Float64Array>();
  const yAt = (j: number): Float64Array => {
    const w = p.omega[j];
    const hit = cache.get(w);
    if (hit) return hit;
    const y = new Float64Array(2 * n * n);
    const rows: number[] = [];
    for (let k = 0; k < n; k++) if (p.omega[k] === w) rows.push(k);
    for (let c = 0; c < nc; c++) {
      const wc = coupling.weights[c];
      const who = rows.find((k) => wc.subarray(k * n, k * n + n).some((x) => x !== 0));
      if (who === undefined) continue;
      const comp = coupling.components[c];
      const r = componentRate(comp, w);
      if (r === null) {
        throw new ParameterError('omega0', w, `must not lie on a band edge of the reservoir (component "${comp.label}", bands ${comp.bands.map(([lo, hi]) => `[${lo}, ${hi}]`).join(', ')}): the Markovian approximation (matrix Eq. 6) diverges or is undefined at a threshold`, `${SCENE_PATH}.emitters[${who}].omega0`);
      }
      for (let i = 0; i < n * n; i++) {
        if (wc[i] === 0) continue;
        y[2 * i] += wc[i] * r[0];
        y[2 * i + 1] += wc[i] * r[1];
      }
    }
    cache.set(w, y);
    return y;
  };
  const ys: Float64Array[] = [];
  for (let j = 0; j < n; j++) ys.push(yAt(j));
  const upsilon = new Float64Array(2 * n * n);
  for (let j = 0; j < n; j++) {
    for (let l = 0; l < n; l++) {
      const i = 2 * (j * n + l);
      upsilon[i] = 0.5 * (ys[j][i] + ys[l][i]);
      upsilon[i + 1] = 0.5 * (ys[j][i + 1] + ys[l][i + 1]);
    }
  }
  const a = Float64Array.from(upsilon);
  const d = new Matrix(n, n);
  for (let j = 0; j < n; j++) {
    a[2 * (j * n + j)] += 0.5 * p.loss[j];
    a[2 * (j * n + j) + 1] += p.omega[j];
    for (let l = 0; l < n; l++) d.set(j, l, a[2 * (j * n + l)]);
  }
  const decayRates = Float64Array.from(new EigenvalueDecomposition(d, { assumeSymmetric: true }).realEigenvalues).sort();
  const inGap: number[] = [];
  for (let j = 0; j < n; j++) if (ys[j][2 * (j * n + j)] === 0) inGap.push(j);
  return { n, upsilon, a, decayRates, inGap };
}

/** How the propagator is applied on the grid (module doc): two-level stepping (default) or exp(−At_n) at every t_n. */
export type MarkovEvaluation = 'stepping' | 'direct';

/**
 * c(t_n) = exp(−A t_n) c0 on the grid t_n (t_n = n·dt up to the grid's decimal rounding), written as
 * one interleaved series per emitter. 'stepping': anchors every `block` points (default ⌈√points⌉)
 * by E_K, E1 in between (error ≈ (block + points/block)·ε); 'direct': one exponential per point.
 * Returns the number of points written (fewer than t.length if `signal` aborted).
 */
export function propagateMarkov(
  n: number, a: Float64Array, c0: Float64Array, t: Float64Array, dt: number, out: Float64Array[],
  mode: MarkovEvaluation = 'stepping', options: SolveOptions & { block?: number } = {}, info?: ExpmInfo,
): number {
  const points = t.length;
  const minus = (s: number): Float64Array => a.map((x) => -s * x);
  const write = (k: number, v: Float64Array): void => {
    for (let j = 0; j < n; j++) {
      out[j][2 * k] = v[2 * j];
      out[j][2 * k + 1] = v[2 * j + 1];
    }
  };
  if (mode === 'direct') {
    const v = new Float64Array(2 * n);
    for (let k = 0; k < points; k++) {
      if (options.signal?.aborted) return k;
      complexMatVec(n, complexExpm(n, minus(t[k])), c0, v);
      write(k, v);
      if ((k & 255) === 255) options.onProgress?.(k / points);
    }
    return points;
  }
  const block = Math.max(1, Math.floor(options.block ?? Math.ceil(Math.sqrt(points))));
  const e1 = complexExpm(n, minus(dt));
  const eK = complexExpm(n, minus(block * dt), info);
  let anchor = Float64Array.from(c0.subarray(0, 2 * n));
  let next = new Float64Array(2 * n);
  let cur = new Float64Array(2 * n);
  let tmp = new Float64Array(2 * n);
  for (let start = 0; start < points; start += block) {
    if (options.signal?.aborted) return start;
    cur.set(anchor);
    const end = Math.min(points, start + block);
    for (let k = start; k < end; k++) {
      write(k, cur);
      if (k + 1 < end) {
        complexMatVec(n, e1, cur, tmp);
        const s = cur;
        cur = tmp;
        tmp = s;
      }
    }
    if (end < points) {
      complexMatVec(n, eK, anchor, next);
      const s = anchor;
      anchor = next;
      next = s;
    }
    options.onProgress?.(end / points);
  }
  return points;
}

/**
 * The general-path Markov solver of solveScene (module doc): matrix Eq. (6) on the output grid.
 * 'success' unless cancelled or a value came out non-finite ('tolerance-not-met', naming it);
 * errorEstimate NaN (error against Eq. 3 not estimated, as the two-emitter solveMarkov).
 */
export function solveSceneMarkov(grid: SceneGrid, options: SolveOptions): SceneSolution {
  const p = grid.prepared;
  const n = p.n;
  const gen = sceneMarkovGenerator(p);
  const c = Array.from({ length: n }, () => new Float64Array(2 * grid.points));
  const info: ExpmInfo = { degree: 0, squarings: 0, norm1: 0 };
  const block = Math.max(1, Math.ceil(Math.sqrt(grid.points)));
  const done = propagateMarkov(n, gen.a, p.initial, grid.t, grid.dt, c, 'stepping', { ...options, block }, info);
  const stats: Record<string, number> = {
    minDecayRate: gen.decayRates[0], maxDecayRate: gen.decayRates[n - 1], blockLength: block,
    squarings: info.squarings, emittersInGap: gen.inGap.length,
  };
  const base = { method: 'markov' as const, scene: p.scene, t: grid.t, c, errorEstimate: Number.NaN, stats, path: 'general' as const };
  if (done < grid.points) {
    for (const s of c) s.fill(Number.NaN, 2 * done);
    return { ...base, status: 'cancelled', message: `cancelled after ${done} of ${grid.points} output points (the rest are NaN)` };
  }
  const scale = Math.max(gen.decayRates[n - 1], 0) || 1;
  let message = `Markovian approximation (matrix Eq. 6) for ${n} emitters: Υ_jl = [Y_jl(ω_j) + Y_jl(ω_l)]/2, Y = πJ + iΔ in a band, iΣ in a gap`
    + (gen.inGap.length ? ` (emitters ${gen.inGap.map((j) => j + 1).join(', ')} in a gap: no decay)` : '')
    + `; decay-matrix eigenvalues ${gen.decayRates[0].toPrecision(6)} … ${gen.decayRates[n - 1].toPrecision(6)} ω11`;
  if (gen.decayRates[0] < -1e-12 * scale) {
    message += '; warning: the decay matrix has a negative eigenvalue (unequal frequencies across a band edge), so Σ|c_j|² can grow — the approximation is unphysical here';
  }
  for (let j = 0; j < n; j++) {
    const s = c[j];
    for (let i = 0; i < s.length; i++) {
      if (Number.isFinite(s[i])) continue;
      const k = i >> 1;
      return {
        ...base, status: 'tolerance-not-met', errorEstimate: Number.POSITIVE_INFINITY,
        message: `markov: non-finite c_${j + 1} = ${s[i]} (${i & 1 ? 'imaginary' : 'real'} part) at t = ${grid.t[k]}; the result is not valid (was: ${message})`,
      };
    }
  }
  return { ...base, status: 'success', message };
}
