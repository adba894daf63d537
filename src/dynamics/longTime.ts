import { checkNumber } from '../errors.js';
import { argObject } from '../arguments.js';
import { checkParams, tauOf } from '../model/params.js';
import { boundStates } from '../spectrum/boundStates.js';
import { resonances } from '../spectrum/continuum.js';
import { solveExact } from './exact.js';
import { outputGrid } from './validate.js';
import { MAX_OUTPUT_POINTS, type DynamicsProblem, type Solution, type SolveOptions, type Status } from './types.js';

/** Longest time span accepted by solveLongTime, 1/ω11 (beyond, e^{−iEt} loses its phase in double precision). */
export const LONG_T_MAX = 1e12;
/** Default span solved by solveExact to watch the continuum part decay, 1/ω11. */
export const DEFAULT_EXACT_SPAN = 2000;
/** Points of the check grid on [0, exactSpan]. */
const CHECK_POINTS = 4001;

export interface LongTimeOptions extends SolveOptions {
  /**
   * Span [0, T_e] (1/ω11) on which solveExact is run to see the continuum part decay (default 2000, at
   * most 1e6); its cost, not tMax, sets the cost of solveLongTime.
   */
  exactSpan?: number;
}

/** Which representation gave the values: bound states alone, exact then bound states, or exact alone. */
export type LongTimeRoute = 'bound-states' | 'exact+bound-states' | 'exact';

/** A Solution (method 'exact') with the time T_c beyond which only the bound states are summed. */
export interface LongTimeSolution extends Solution {
  route: LongTimeRoute;
  /** T_c, 1/ω11: for t > T_c the values are Σ_b 2Z_b e^{−iE_b t} per channel (the continuum is below tol there). */
  continuumTime: number;
  /** Total continuum weight per channel, m± = 1 − Σ_b 2Z_b (sum rule): bounds |continuum part of c±| at every t. */
  continuumMass: { plus: number; minus: number };
}

/**
 * Exact dynamics of Eq. (3) over long spans at a cost that does not grow with t.
 *
 * c±(t) = Σ_b 2Z_b e^{−iE_b t} + C±(t), C±(t) = ∫ σ±(k) e^{−iω(k)t} dk with σ± ≥ 0 (physics.md, "Exact
 * dynamics by the resolvent"); c1 = (c+ + c−)/2, c2 = (c+ − c−)/2. The bound-state part (Eq. 7–8) is
 * exact at any t; only the continuum part C± needs the quadrature whose nodes grow ∝ t (exact.ts).
 *
 * ## Method
 * 1. Static bound: σ± ≥ 0 and the sum rule give |C±(t)| ≤ ∫σ± dk = m± = 1 − Σ_b 2Z_b for every t, so
 *    |error on c1, c2| ≤ (m+ + m−)/2 when C± is dropped. If that (plus 1e-9 for the residues' accuracy)
 *    is ≤ tol, the bound states alone are returned for all t (route 'bound-states', T_c = 0). This is
 *    the weak-coupling case: an NV centre in a 450 nm guide has m+ ≈ 2.7e-4.
 * 2. If tMax ≤ T_e, solveExact on the output grid (route 'exact').
 * 3. Otherwise solveExact on [0, T_e] (4001 points) gives C(t) = c − bound-state part on that window;
 *    T_c is the last check time where max(|C1|, |C2|) > tol/2. If T_c ≤ T_e/2 (the decay was followed
 *    over at least the second half of the window) and every continuum resonance (width γ, weight w) has
 *    w·e^{−γT_e} ≤ tol/2, the values are solveExact's for t ≤ T_c and the bound states' beyond (route
 *    'exact+bound-states'). Beyond T_e the continuum is a sum of resonances decaying like e^{−γt} and
 *    the band-edge branch point decaying like t^{−3/2}: this step assumes that decay goes on (it is
 *    checked on the window, not proved past it). Otherwise status 'tolerance-not-met' naming the
 *    residual seen, with bound-state values beyond T_e.
 *
 * Units: t, T_e, T_c in 1/ω11; tol absolute on c1 and c2. Cost: one solveExact on [0, T_e] plus
 * O(points · bound states).
 */
export function solveLongTime(problem: DynamicsProblem, options: LongTimeOptions = {}): LongTimeSolution {
  argObject('problem', problem, '{params, tMax, dt, tol?}');
  const params = checkParams(problem.params, 'problem.params');
  const tMax = checkNumber('tMax', problem.tMax, { min: 0, max: LONG_T_MAX, unit: '1/ω11' }, 'problem.tMax');
  const dt = checkNumber('dt', problem.dt, { min: 0, minOpen: true, max: LONG_T_MAX, unit: '1/ω11' }, 'problem.dt');
  const tol = checkNumber('tol', problem.tol === undefined ? 1e-8 : problem.tol, { min: 1e-14, max: 0.1, unit: 'absolute, on c1 and c2' }, 'problem.tol');
  const exactSpan = checkNumber('exactSpan', options.exactSpan ?? DEFAULT_EXACT_SPAN, { min: 0, minOpen: true, max: 1e6, unit: '1/ω11' }, 'options.exactSpan');
  const points = Math.floor(tMax / dt + 1e-9) + 1;
  if (points > MAX_OUTPUT_POINTS) {
    checkNumber('dt', dt, { min: tMax / (MAX_OUTPUT_POINTS - 1), max: LONG_T_MAX, unit: `1/ω11: tMax/dt + 1 must stay ≤ ${MAX_OUTPUT_POINTS} output points` }, 'problem.dt');
  }
  const spectrum = boundStates(params);
  const poles = { '+': [] as Array<{ e: number; a: number }>, '-': [] as Array<{ e: number; a: number }> };
  for (const b of spectrum.boundStates) poles[b.channel].push({ e: b.energy, a: 2 * b.residue });
  const massOf = (ch: '+' | '-') => 1 - poles[ch].reduce((s, p) => s + p.a, 0);
  const continuumMass = { plus: massOf('+'), minus: massOf('-') };
  const staticBound = 0.5 * (Math.abs(continuumMass.plus) + Math.abs(continuumMass.minus)) + 1e-9;
  const t = outputGrid(dt, points);
  const c1 = new Float64Array(2 * points);
  const c2 = new Float64Array(2 * points);
  /** Fills c1, c2 from the bound states at grid indices [from, points). */
  const fillBound = (from: number) => {
    for (let n = from; n < points; n++) {
      const [p, m] = [boundAt('+', t[n]), boundAt('-', t[n])];
      c1[2 * n] = 0.5 * (p[0] + m[0]); c1[2 * n + 1] = 0.5 * (p[1] + m[1]);
      c2[2 * n] = 0.5 * (p[0] - m[0]); c2[2 * n + 1] = 0.5 * (p[1] - m[1]);
    }
  };
  const boundAt = (ch: '+' | '-', time: number): [number, number] => {
    let re = 0;
    let im = 0;
    for (const p of poles[ch]) { re += p.a * Math.cos(p.e * time); im -= p.a * Math.sin(p.e * time); }
    return [re, im];
  };
  const base = { method: 'exact' as const, params, t, c1, c2, continuumMass };
  const stats = (extra: Record<string, number>) => ({ boundStates: spectrum.boundStates.length, continuumMassPlus: continuumMass.plus, continuumMassMinus: continuumMass.minus, staticBound, exactSpan, ...extra });

  if (staticBound <= tol) {
    fillBound(0);
    options.onProgress?.(1);
    return {
      ...base, route: 'bound-states', continuumTime: 0, status: 'success', errorEstimate: staticBound,
      message: `bound states only (Eq. 7–8) at every t: the continuum's total weight (m+ = ${continuumMass.plus.toExponential(2)}, m− = ${continuumMass.minus.toExponential(2)}, sum rule) bounds its part of c1, c2 by ${staticBound.toExponential(2)} ≤ tol ${tol}`,
      stats: stats({ continuumTime: 0 }),
    };
  }
  if (tMax <= exactSpan) {
    const sol = solveExact({ params, tMax, dt, tol }, options);
    return { ...sol, route: 'exact', continuumTime: tMax, continuumMass, stats: { ...sol.stats, ...stats({ continuumTime: tMax }) } };
  }
  // The check window [0, T_e].
  const check = solveExact({ params, tMax: exactSpan, dt: exactSpan / (CHECK_POINTS - 1), tol }, { signal: options.signal, onProgress: (f) => options.onProgress?.(0.8 * f) });
  if (check.status === 'cancelled') {
    return { ...base, route: 'exact+bound-states', continuumTime: Number.NaN, status: 'cancelled', message: 'cancelled', errorEstimate: Number.NaN, stats: stats({}) };
  }
  const thr = tol / 2;
  let tc = 0;
  let worstLate = 0;
  for (let n = 0; n < check.t.length; n++) {
    const [p, m] = [boundAt('+', check.t[n]), boundAt('-', check.t[n])];
    const r1 = Math.hypot(check.c1[2 * n] - 0.5 * (p[0] + m[0]), check.c1[2 * n + 1] - 0.5 * (p[1] + m[1]));
    const r2 = Math.hypot(check.c2[2 * n] - 0.5 * (p[0] - m[0]), check.c2[2 * n + 1] - 0.5 * (p[1] - m[1]));
    const r = Math.max(r1, r2);
    if (!(r <= thr)) tc = check.t[n];
    if (check.t[n] >= exactSpan / 2) worstLate = Math.max(worstLate, r);
  }
  const tau = tauOf(params.dz);
  const kMax = params.omega0 + 2 + 2 * params.gamma11;
  const slow = (['+', '-'] as const).flatMap((ch) => resonances(ch, params.omega0, params.gamma11, tau, kMax)).filter((r) => 0.5 * r.weight * Math.exp(-r.width * exactSpan) > thr);
  const reasons: string[] = [];
  if (check.status !== 'success') reasons.push(`solveExact on [0, ${exactSpan}] did not succeed (${check.status}: ${check.message})`);
  if (tc > exactSpan / 2) reasons.push(`the continuum part is still ${worstLate.toExponential(2)} > tol/2 at t = ${tc.toPrecision(6)}/ω11, in the second half of the checked window [0, ${exactSpan}]/ω11`);
  for (const r of slow) reasons.push(`a continuum resonance (channel ${r.channel}, ω = ${r.energy.toPrecision(6)}, width ${r.width.toExponential(2)}) has not decayed by t = ${exactSpan}/ω11`);
  // Values: solveExact on the output grid up to T_c (the window when the check failed), bound states beyond.
  const ok = reasons.length === 0;
  const exactUpTo = ok ? tc : exactSpan;
  const pc = Math.min(points, exactUpTo > 0 ? Math.floor(exactUpTo / dt + 1e-9) + 1 : 0);
  let head: Solution | null = null;
  if (pc > 0) {
    head = solveExact({ params, tMax: (pc - 1) * dt, dt, tol }, { signal: options.signal, onProgress: (f) => options.onProgress?.(0.8 + 0.2 * f) });
    if (head.status === 'cancelled') {
      return { ...base, route: 'exact+bound-states', continuumTime: Number.NaN, status: 'cancelled', message: 'cancelled', errorEstimate: Number.NaN, stats: stats({}) };
    }
    c1.set(head.c1.subarray(0, 2 * pc));
    c2.set(head.c2.subarray(0, 2 * pc));
  }
  fillBound(pc);
  options.onProgress?.(1);
  const status: Status = ok ? (head && head.status !== 'success' ? head.status : 'success') : 'tolerance-not-met';
  const message = ok
    ? `t > T_c = ${tc.toPrecision(4)}/ω11: bound states only; continuum below tol (max |c − bound states| ≤ tol/2 = ${thr.toExponential(1)} on [T_c, ${exactSpan}]/ω11 by solveExact, assumed to keep decaying beyond: resonances as e^{−γt}, the band edge as t^{−3/2})` +
      (head && head.status !== 'success' ? `; exact part: ${head.message}` : '')
    : `long-time: requested tolerance not met: ${reasons.join('; ')}; values beyond t = ${exactSpan}/ω11 are the bound states alone, with an error up to the continuum weight ${staticBound.toExponential(2)}`;
  return {
    ...base, route: 'exact+bound-states', continuumTime: ok ? tc : Number.NaN, status, message,
    errorEstimate: ok ? Math.max(head?.errorEstimate ?? 0, check.errorEstimate, thr) : staticBound,
    stats: stats({ continuumTime: ok ? tc : Number.NaN, checkResidualLate: worstLate }),
  };
}
