import { Nufft1Plan, NUFFT_DEFAULT_TOL } from '../../numerics/nufft.js';
import { sceneBoundStates } from '../../spectrum/sceneBoundStates.js';
import { bornTerm } from '../bornTerm.js';
import { ParameterError } from '../../errors.js';
import type { SolveOptions, Status } from '../types.js';
import { tmForm } from './continuumMatrix.js';
import { continuumNodes, defaultMaxNodes, SCENE_BORN_ETA, type ContinuumNodes } from './continuumQuadrature.js';
import type { SceneGrid, SceneSolution } from './types.js';

/** Options of solveSceneExact beyond SolveOptions (expert: budgets). */
export interface SceneExactOptions extends SolveOptions {
  /** Most continuum nodes (default defaultMaxNodes(N) = min(2·10⁶, 2·10⁷/N)). */
  maxNodes?: number;
  /** Most adaptive quadrature panels (default SCENE_MAX_PANELS). */
  maxPanels?: number;
  /** Force the output sum route (default 'auto'). */
  evaluation?: 'auto' | 'direct' | 'nufft';
}

/**
 * Exact dynamics of an N-emitter scene by the matrix resolvent (shared/scenes.md §2):
 *   c(t) = Σ_b α_b α_bᵀ c(0) e^{−iE_b t} + ∫ e^{−iωt} ρ(ω) c(0) dω,   ρ = [G(ω − i0) − G(ω + i0)]/(2πi),
 * for any reservoir given as components (src/model/reservoirs/reservoir.ts); times in 1/ω11 (the
 * reservoir's unit), c_j dimensionless.
 *
 * ## Method
 * 1. Bound states α_b, E_b in every gap (src/spectrum/sceneBoundStates.ts) and the decoupled emitter
 *    states embedded in a band (discrete terms as well).
 * 2. The continuum as quadrature nodes ω_i with vector weights w_i ≈ (ρ − ρ_B)(ω_i)c(0)dω
 *    (src/dynamics/scene/continuumQuadrature.ts: resonances of the eigen-branches of ω − Ω − Δ(ω) located
 *    and given breakpoints or replaced by a discrete term when static over the span; band edges and
 *    thresholds as breakpoints; tail cut-off from a bound on the neglected mass).
 * 3. The Born part ρ_B = J_TM(ω)/((ω − ω̄)² + η²) (ω̄ the mean emitter frequency, η = 1; J_TM the
 *    components of TM form, tmForm) added back in the time domain: per component, bornTerm of
 *    src/dynamics/bornTerm.ts (self: B+(τ = 0)/2, cross at τ: (B+ − B−)/2; a TM_mn term scaled to its
 *    cutoff w by ω → ω/w), times W^c c(0). The residual decays ∝ k^{−4} (∝ k^{−5} for equal ω_j) instead of k^{−3}.
 * 4. Σ_i w_ij e^{−iω_i t_n} on the output grid for every emitter j by a type-1 NUFFT (cost independent of
 *    tMax beyond the node count), or directly for ≤ 64 points.
 * Sum rule: c(0) from the formula (discrete terms + node mass + Born terms at t = 0) must equal the
 * initial state to `tol` (stats.sumRuleDefect).
 * Loss: the intrinsic loss γ_j of the matrix Eq. (3) (ċ_j = −(iω_j + γ_j/2)c_j − Σ_l ∫F_jl c_l) does NOT factor
 * out as e^{−γt/2} even when equal on every emitter: with c = e^{−γt/2}d the kernel becomes F(u)e^{γu/2} (the
 * photon in the reservoir does not decay), so scenes.md §1's "exact factor" holds only for a memoryless
 * reservoir; the route below agrees with the volterra solver, the factor does not (≈1e-2 off at Γ = 0.5,
 * γ = 0.1, t ≤ 30; test/dynamics/sceneExact.test.ts). The loss is treated as a flat reservoir
 * J_loss = diag(γ_j)/2π over the whole real axis (shared/scenes.md §2): ρ = (1/π)Im[(ω − Ω − Δ − iπJ −
 * i·diag(γ)/2)^{−1}] is integrated over the gaps too, where each bound state becomes a Lorentzian of
 * half-width α_bᵀdiag(γ)α_b/2 (breakpoints, or a discrete term when static over the span); the bare lossy
 * emitters ρ_0 = diag((γ_j/2π)/((ω − ω_j)² + γ_j²/4)) are subtracted and added back exactly as
 * c_j(0)e^{−iω_j t − γ_j t/2}, so the gap integrand falls like γΣ(ω)/ω³ and is cut off by the same sampled
 * tail estimate. A decoupled state (embedded) on emitters of one loss is then part of ρ_0.
 * Status 'tolerance-not-met' when the sum rule, the error estimate, the quadrature or a resonance
 * (named in the message) fails; 'max-steps' when the node budget held the tail cut-off too low.
 */
export function solveSceneExact(grid: SceneGrid, options: SceneExactOptions): SceneSolution {
  const p = grid.prepared;
  const n = p.n;
  // Intrinsic loss is a flat reservoir over the whole real axis (see the doc comment: it does not factor
  // out, not even when equal on every emitter).
  const extra = Float64Array.from(p.loss);
  const lossy = extra.some((g) => g > 0);
  const c0 = p.initial;
  const points = grid.points;
  const dt = grid.dt;
  let spectrum: ReturnType<typeof sceneBoundStates>;
  try {
    spectrum = sceneBoundStates(p);
  } catch (err) {
    // A numerical failure of the bound-state search (not bad input) is a result that cannot be trusted,
    // reported as such rather than thrown.
    if (err instanceof ParameterError) throw err;
    const c = Array.from({ length: n }, () => new Float64Array(2 * points).fill(Number.NaN));
    const why = err instanceof Error ? err.message : String(err);
    return {
      method: 'exact', scene: p.scene, t: grid.t, c, status: 'tolerance-not-met', errorEstimate: Number.POSITIVE_INFINITY, stats: {}, path: 'general',
      message: `exact: the bound-state search failed (${why}); no result; method 'volterra' gives an independent solution`,
    };
  }
  options.onProgress?.(0.02);
  const nodes = continuumNodes(p.coupling, {
    tMax: grid.tMax, tol: grid.tol, initial: c0, omega: p.omega, embedded: spectrum.embedded,
    maxNodes: options.maxNodes ?? defaultMaxNodes(n), maxPanels: options.maxPanels, signal: options.signal,
    onProgress: options.onProgress ? (f) => options.onProgress!(0.02 + 0.38 * Math.min(1, f)) : undefined,
    ...(lossy ? { loss: extra, boundStates: spectrum.boundStates } : {}),
  });
  const c: Float64Array[] = [];
  for (let j = 0; j < n; j++) c.push(new Float64Array(2 * points));
  const cancelled = (): SceneSolution => {
    for (const x of c) x.fill(Number.NaN);
    return { method: 'exact', scene: p.scene, t: grid.t, c, status: 'cancelled', message: 'cancelled', errorEstimate: Number.NaN, stats: {}, path: 'general' };
  };
  if (!nodes) return cancelled();
  options.onProgress?.(0.4);
  // Continuum sums.
  const evalError = evaluateNodes(nodes, dt, points, c, grid.tol / 10, options, options.evaluation ?? 'auto');
  if (evalError === null) return cancelled();
  // Discrete terms: bound states (lossless; with extra loss they are Lorentzians inside the nodes),
  // embedded states, narrow-resonance cores, and with extra loss the bare lossy emitters (ρ_0).
  const discrete: Array<{ energy: number; amplitude: Float64Array; decay: number }> = nodes.poles.map((q) => ({ ...q, decay: 0 }));
  const reasonsLoss: string[] = [];
  for (const b of [...(lossy ? [] : spectrum.boundStates), ...spectrum.embedded]) {
    const a = b.amplitudes;
    let ovr = 0;
    let ovi = 0;
    for (let j = 0; j < n; j++) { ovr += a[j] * c0[2 * j]; ovi += a[j] * c0[2 * j + 1]; }
    const amp = new Float64Array(2 * n);
    for (let j = 0; j < n; j++) { amp[2 * j] = a[j] * ovr; amp[2 * j + 1] = a[j] * ovi; }
    // With loss, a decoupled state x (W^c x = 0, on emitters of one frequency) whose emitters share one
    // loss γ is the Lorentzian of ρ_0 along x (ρ x = ρ_0 x), already added back exactly; only a lossless
    // one is a real pole. Unequal loss across its emitters mixes it with the others: not supported.
    const support = [...a.keys()].filter((j) => a[j] !== 0);
    if (lossy && support.length > 0) {
      const decay = extra[support[0]];
      if (support.some((j) => extra[j] !== decay)) reasonsLoss.push(`a decoupled state at ω = ${b.energy} spans emitters of unequal loss (not supported)`);
      if (decay > 0) continue;
    }
    discrete.push({ energy: b.energy, amplitude: amp, decay: 0 });
  }
  if (lossy) {
    for (let j = 0; j < n; j++) {
      if (!(extra[j] > 0)) continue;
      const amp = new Float64Array(2 * n);
      amp[2 * j] = c0[2 * j];
      amp[2 * j + 1] = c0[2 * j + 1];
      discrete.push({ energy: p.omega[j], amplitude: amp, decay: extra[j] });
    }
  }
  const sum0 = new Float64Array(2 * n);
  for (let j = 0; j < n; j++) { sum0[2 * j] = nodes.mass[2 * j]; sum0[2 * j + 1] = nodes.mass[2 * j + 1]; }
  for (const d of discrete) {
    for (let j = 0; j < n; j++) { sum0[2 * j] += d.amplitude[2 * j]; sum0[2 * j + 1] += d.amplitude[2 * j + 1]; }
    for (let i = 0; i < points; i++) {
      const ph = d.energy * i * dt;
      const damp = d.decay > 0 ? Math.exp(-0.5 * d.decay * i * dt) : 1;
      const co = damp * Math.cos(ph);
      const si = -damp * Math.sin(ph);
      for (let j = 0; j < n; j++) {
        const ar = d.amplitude[2 * j];
        const ai = d.amplitude[2 * j + 1];
        c[j][2 * i] += ar * co - ai * si;
        c[j][2 * i + 1] += ar * si + ai * co;
      }
    }
  }
  options.onProgress?.(0.85);
  // Born terms (TM11 components).
  if (nodes.bornActive) {
    const ops = p.coupling;
    const interpolate = grid.tol >= 1e-10;
    for (let ci = 0; ci < ops.components.length; ci++) {
      if (options.signal?.aborted) return cancelled();
      const form = tmForm(ops.components[ci]);
      if (form === null) continue;
      const { w: cut, tau } = form;
      const w = ops.weights[ci];
      const wc = new Float64Array(2 * n);
      let any = false;
      for (let j = 0; j < n; j++) {
        for (let l = 0; l < n; l++) {
          const x = w[j * n + l];
          if (x === 0) continue;
          wc[2 * j] += x * c0[2 * l];
          wc[2 * j + 1] += x * c0[2 * l + 1];
          any = true;
        }
      }
      if (!any) continue;
      // j(ω) = j_base(ω/w): ∫ j g e^{−iωt} dω = (1/w)·B_base(wt) with ω̄ → ω̄/w, η → η/w.
      const plus = bornTerm('+', nodes.bornCenter / cut, 1, tau, SCENE_BORN_ETA / cut, dt * cut, points, interpolate);
      const minus = tau > 0 ? bornTerm('-', nodes.bornCenter / cut, 1, tau, SCENE_BORN_ETA / cut, dt * cut, points, interpolate) : null;
      const half = 0.5 / cut;
      for (let i = 0; i < points; i++) {
        const br = minus ? half * (plus[2 * i] - minus[2 * i]) : half * plus[2 * i];
        const bi = minus ? half * (plus[2 * i + 1] - minus[2 * i + 1]) : half * plus[2 * i + 1];
        for (let j = 0; j < n; j++) {
          const xr = wc[2 * j];
          const xi = wc[2 * j + 1];
          if (xr === 0 && xi === 0) continue;
          c[j][2 * i] += xr * br - xi * bi;
          c[j][2 * i + 1] += xr * bi + xi * br;
          if (i === 0) { sum0[2 * j] += xr * br - xi * bi; sum0[2 * j + 1] += xr * bi + xi * br; }
        }
      }
    }
  }
  options.onProgress?.(0.95);
  let sumRuleDefect = 0;
  for (let j = 0; j < n; j++) sumRuleDefect = Math.max(sumRuleDefect, Math.hypot(sum0[2 * j] - c0[2 * j], sum0[2 * j + 1] - c0[2 * j + 1]));
  // t = 0: the initial state itself; the representation's value there (sum0) differs by the sum-rule
  // defect, which stays in the message, the stats and the error estimate.
  for (let j = 0; j < n; j++) { c[j][0] = c0[2 * j]; c[j][1] = c0[2 * j + 1]; }
  // Born-term accuracy: ≈1e-12 on the interpolated route (bornTerm.ts), per component, scaled by |W c(0)|.
  const bornError = nodes.bornActive ? 1e-12 * p.coupling.components.length : 0;
  const errorEstimate = nodes.quadratureError + nodes.tailBound + evalError + bornError;
  const narrow = nodes.resonances.filter((r) => r.treatment === 'window').length;
  let message = `sum rule defect ${sumRuleDefect.toExponential(2)}, error estimate ${errorEstimate.toExponential(2)} (tol ${grid.tol}); ` +
    `${spectrum.count} bound state${spectrum.count === 1 ? '' : 's'}, ${nodes.omega.length} continuum nodes${Number.isFinite(nodes.cutoff) ? `, cut-off ω = ${nodes.cutoff.toPrecision(4)}` : ''}` +
    (narrow > 0 ? `; ${narrow} narrow resonance${narrow > 1 ? 's' : ''}, static over the time span, taken as discrete term${narrow > 1 ? 's' : ''} (error bound included)` : '') +
    (nodes.untreatedTail ? '; a slowly decaying tail without a closed-form Born term was truncated (its bound is in the estimate)' : '');
  let status: Status = 'success';
  const reasons = [
    ...nodes.messages,
    ...reasonsLoss,
    ...(spectrum.status === 'success' ? [] : [`bound states: ${spectrum.message}`]),
    ...(sumRuleDefect <= grid.tol ? [] : ['sum rule defect above tol']),
    ...(errorEstimate <= grid.tol ? [] : ['error estimate above tol']),
  ];
  if (nodes.truncated) {
    status = 'max-steps';
    message = `exact: ${message}: the continuum was cut at the node limit (${options.maxNodes ?? defaultMaxNodes(n)}) before the tail bound reached tol${reasons.length ? `; ${reasons.join('; ')}` : ''}; use a larger tol or a shorter tMax`;
  } else if (reasons.length > 0 || !nodes.converged) {
    status = 'tolerance-not-met';
    message = `exact: ${message}: requested tolerance not met: ${reasons.join('; ')}; method 'volterra' gives an independent solution`;
  }
  if (status === 'success') {
    for (const x of c) for (let i = 0; i < x.length; i++) if (!Number.isFinite(x[i])) {
      status = 'tolerance-not-met';
      message = `exact: non-finite amplitude at t = ${grid.t[i >> 1]}; the result is not valid (was: ${message})`;
      break;
    }
  }
  options.onProgress?.(1);
  return {
    method: 'exact', scene: p.scene, t: grid.t, c, status, message, errorEstimate: Math.max(errorEstimate, sumRuleDefect),
    stats: {
      boundStates: spectrum.count, embeddedStates: spectrum.embedded.length, nodes: nodes.omega.length, panels: nodes.panels,
      evaluations: nodes.evaluations, cutoff: Number.isFinite(nodes.cutoff) ? nodes.cutoff : Number.NaN, sumRuleDefect, tailBound: nodes.tailBound, quadratureError: nodes.quadratureError,
      evaluationError: evalError, resonances: nodes.resonances.length, narrowPoles: narrow, nonFiniteScanPoints: nodes.nonFinite,
    },
    path: 'general',
  };
}

/**
 * Adds Σ_i w_ij e^{−iω_i t_n} (t_n = n·dt) to every emitter's series c[j]. NUFFT route (type-1, real plan
 * for real weights) with tolerance min(1e-12, tol)/max(1, Σ|w|) (≥ 1e-14) when it is cheaper, else direct
 * sums with phase recurrences re-seeded every 64 steps. Returns the bound on the summation error (max over
 * emitters), or null if cancelled.
 */
export function evaluateNodes(
  nodes: ContinuumNodes, dt: number, points: number, c: Float64Array[], tol: number,
  options: SolveOptions, mode: 'auto' | 'direct' | 'nufft',
): number | null {
  const total = nodes.omega.length;
  const n = nodes.n;
  if (total === 0) return 0;
  let worst = 0;
  const gridEstimate = 4 * points;
  const nufftCost = 50 * total + 2 * gridEstimate * Math.log2(gridEstimate) + 2e4;
  const useNufft = mode === 'nufft' || (mode === 'auto' && points > 64 && nufftCost < total * points);
  const out = new Float64Array(2 * points);
  for (let j = 0; j < n; j++) {
    if (options.signal?.aborted) return null;
    const re = nodes.re.subarray(j * total, (j + 1) * total);
    const im = nodes.im ? nodes.im.subarray(j * total, (j + 1) * total) : null;
    let absSum = 0;
    let complex = false;
    for (let i = 0; i < total; i++) { absSum += Math.hypot(re[i], im ? im[i] : 0); if (im && im[i] !== 0) complex = true; }
    if (absSum === 0) continue;
    if (useNufft) {
      const planTol = Math.max(1e-14, Math.min(NUFFT_DEFAULT_TOL, tol) / Math.max(1, absSum));
      worst = Math.max(worst, Math.max(planTol, 1e-14) * absSum);
      const plan = new Nufft1Plan(points, { tol: planTol, complex });
      if (complex) plan.addComplex(nodes.omega, re, im!, 0, total, dt);
      else plan.addReal(nodes.omega, re, 0, total, dt);
      plan.execute(out);
    } else {
      worst = Math.max(worst, 1e-13 * absSum);
      out.fill(0);
      for (let i = 0; i < total; i++) {
        const w = nodes.omega[i];
        const sr = Math.cos(w * dt);
        const si = -Math.sin(w * dt);
        let pr = 0;
        let pi = 0;
        for (let m = 0; m < points; m++) {
          if ((m & 63) === 0) {
            const t = m * dt;
            const co = Math.cos(w * t);
            const sn = -Math.sin(w * t);
            const wi = im ? im[i] : 0;
            pr = re[i] * co - wi * sn;
            pi = re[i] * sn + wi * co;
          }
          out[2 * m] += pr;
          out[2 * m + 1] += pi;
          const a = pr * sr - pi * si;
          pi = pr * si + pi * sr;
          pr = a;
        }
      }
    }
    const cj = c[j];
    for (let m = 0; m < 2 * points; m++) cj[m] += out[m];
    options.onProgress?.(0.4 + (0.44 * (j + 1)) / n);
  }
  return worst;
}
