import { checkNumber } from '../errors.js';
import { argObject } from '../arguments.js';
import { checkParams, tauOf } from '../model/params.js';
import { boundStates } from '../spectrum/boundStates.js';
import { continuumDensityK, resonances, type Resonance } from '../spectrum/continuum.js';
import { widthInK } from '../spectrum/narrowResonance.js';
import { integrate } from '../numerics/quadrature.js';
import { gaussLegendre } from '../numerics/gaussLegendre.js';
import { evaluateChannel, MAX_NODES, solveExact, type ChannelResolvent } from './exact.js';
import type { Channel } from '../model/params.js';
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

/**
 * Which representation gave the values: bound states alone; bound states plus the continuum integrated
 * over small k only ('bound-states+band-edge'); exact on [0, T_c] then bound states; exact alone.
 */
export type LongTimeRoute = 'bound-states' | 'bound-states+band-edge' | 'exact+bound-states' | 'exact';

/** Largest cut-off K of the band-edge route (beyond, the continuum is not concentrated at the edge). */
const EDGE_K_MAX = 25.6;
/** Largest phase change (rad) of e^{−iω(k)t} across one 32-point Gauss–Legendre sub-panel. */
const EDGE_PHI = 16;

interface EdgeContinuum { ok: boolean; reason: string; resolvent: ChannelResolvent | null; tail: number; quadratureError: number; K: number }

/**
 * The continuum part ∫_0^K σ±(k) e^{−iω(k)t} dk of channel ± as quadrature nodes, with K the smallest
 * cut-off (0.05·2^j ≤ EDGE_K_MAX = 25.6) whose left-over weight m± − ∫_0^K σ± (sum rule, σ ≥ 0) is ≤ tol/4: that
 * weight bounds the dropped part at every t. Panels of the adaptive integral of σ (to tol/40) are split
 * so that the phase ω(k)·tMax changes by at most EDGE_PHI across each 32-point sub-panel, measured by
 * the slope dω/dk = k/ω at the panel's upper end — near the band edge (k → 0) that slope is small, which
 * is why a weakly coupled emitter needs few nodes even at t ~ 1e7/ω11 (nodes ≈ 2·(ω(K) − 1)·tMax/Φ·32).
 */
function edgeContinuum(ch: Channel, omega0: number, gamma11: number, tau: number, mass: number, poles: Array<{ e: number; a: number }>, tMax: number, tol: number, maxNodes: number): EdgeContinuum {
  const res: Resonance[] = resonances(ch, omega0, gamma11, tau, omega0 + 2 + 2 * gamma11);
  const resolvent = (omega: Float64Array, weight: Float64Array, tail: number, q: number): ChannelResolvent => ({
    channel: ch, poles: poles.map((p) => ({ energy: p.e, amplitude: p.a })), omega, weight, massResidual: mass - tail, sumRule: 1, tailBound: tail,
    quadratureError: q, evaluationError: 0, narrowPoles: 0, offsetSegments: 0, resonances: res, converged: true, truncated: false,
  });
  if (ch === '-' && tau === 0) return { ok: Math.abs(mass) <= tol / 4, reason: 'decoupled channel', resolvent: resolvent(new Float64Array(0), new Float64Array(0), Math.abs(mass), 0), tail: Math.abs(mass), quadratureError: 0, K: 0 };
  const sigma = (k: number) => continuumDensityK(ch, k, omega0, gamma11, tau);
  let K = 0.05;
  let q: ReturnType<typeof integrate> | null = null;
  let tail = Number.POSITIVE_INFINITY;
  for (;;) {
    const breaks: number[] = [];
    for (let x = K / 2; x > 1e-9; x /= 2) breaks.push(x);
    for (const r of res) {
      const g = widthInK(r);
      for (const m of [0, 1, 10, 100, 1e3, 1e4, 1e5, 1e6]) breaks.push(r.k - m * g, r.k + m * g);
    }
    if (tau > 0) for (let x = Math.PI / tau; x < K; x += Math.PI / tau) breaks.push(x);
    q = integrate(sigma, 0, K, breaks.filter((b) => b > 0 && b < K), { absTol: tol / 40, relTol: 1e-12, order: 12, maxPanels: 20000, keepPanels: true });
    tail = Math.abs(mass - q.value);
    if (tail + q.error <= tol / 4 || K >= EDGE_K_MAX) break;
    K *= 2;
  }
  if (!q.converged) return { ok: false, reason: `the continuum quadrature of channel ${ch} on [0, ${K}] did not converge`, resolvent: null, tail, quadratureError: q.error, K };
  if (tail + q.error > tol / 4) return { ok: false, reason: `channel ${ch}: the continuum weight beyond k = ${EDGE_K_MAX} (${tail.toExponential(2)}) is above tol/4: not concentrated at the band edge`, resolvent: null, tail, quadratureError: q.error, K };
  const n = 32;
  const { x: gx, w: gw } = gaussLegendre(n);
  // Panels whose weight ∫σ (σ ≥ 0, so it bounds their contribution at every t) is small are left out,
  // smallest first, up to tol/8 in all: the flat background of a weakly coupled in-band emitter then
  // costs no nodes, only the Lorentzian of width ~Γ11 around ω0 does.
  const g12 = gaussLegendre(12);
  const panelMass = q.panels!.map(([lo, hi]) => {
    let m = 0;
    for (let i = 0; i < 12; i++) m += g12.w[i]! * sigma(lo + 0.5 * (hi - lo) * (g12.x[i]! + 1));
    return Math.abs(0.5 * (hi - lo) * m);
  });
  const order = panelMass.map((_, i) => i).sort((i, j) => panelMass[i]! - panelMass[j]!);
  let dropped = 0;
  const keep = new Array<boolean>(panelMass.length).fill(true);
  for (const i of order) {
    if (dropped + panelMass[i]! > tol / 8) break;
    dropped += panelMass[i]!;
    keep[i] = false;
  }
  tail += dropped;
  const panels = q.panels!.filter((_, i) => keep[i]);
  const subs = panels.map(([lo, hi]) => Math.max(1, Math.ceil(((hi / Math.sqrt(1 + hi * hi)) * (hi - lo) * tMax) / EDGE_PHI)));
  const total = subs.reduce((a, b) => a + b, 0) * n;
  if (total > maxNodes) return { ok: false, reason: `channel ${ch}: ${total.toExponential(2)} nodes needed at t = ${tMax.toPrecision(4)}/ω11, above the budget ${maxNodes.toExponential(1)}`, resolvent: null, tail, quadratureError: q.error, K };
  const omega = new Float64Array(total);
  const weight = new Float64Array(total);
  let idx = 0;
  panels.forEach(([lo, hi], p) => {
    const h = (hi - lo) / subs[p]!;
    for (let j = 0; j < subs[p]!; j++) {
      const a = lo + j * h;
      for (let i = 0; i < n; i++) {
        const k = a + 0.5 * h * (gx[i]! + 1);
        omega[idx] = Math.sqrt(1 + k * k);
        weight[idx] = 0.5 * h * gw[i]! * sigma(k);
        idx++;
      }
    }
  });
  return { ok: true, reason: '', resolvent: resolvent(omega, weight, tail, q.error), tail, quadratureError: q.error, K };
}

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
 * 2b. (Tried before 3.) Band edge: when the continuum weight of each channel lies within k ≤ K ≤ 25.6
 *    up to tol/4 (sum rule: m± − ∫_0^K σ±), the continuum is integrated on [0, K] only, with nodes
 *    that follow the phase slope k/ω (few near the edge), panels of small weight (≤ tol/8 in all, a
 *    bound on their part at every t since σ ≥ 0) left out — so an in-band weakly coupled emitter costs
 *    only its Lorentzian of width ~Γ11 — and summed by evaluateChannel (NUFFT): route
 *    'bound-states+band-edge', exact to the stated estimate at every t. Its cost grows like
 *    (ω(K) − 1)·tMax, small for a weakly coupled emitter near the band edge (NV centre at ω0 = ω11:
 *    K ≈ 0.1, a few 10⁴ nodes to 10⁷/ω11).
 *
 * Units: t, T_e, T_c in 1/ω11; tol absolute on c1 and c2. Cost: route 1 O(points · bound states);
 * route 2b ∝ (ω(K) − 1)·tMax nodes over the kept panels (NV at ω0 = ω11: ~3e4 nodes, 60 ms at 4e6/ω11);
 * route 3 one solveExact on [0, T_e], independent of tMax.
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
  // Band-edge route: bound states + the continuum on a small-k interval whose left-over weight is ≤ tol/4.
  const tauP = tauOf(params.dz);
  const edges = (['+', '-'] as const).map((ch) => edgeContinuum(ch, params.omega0, params.gamma11, tauP, ch === '+' ? continuumMass.plus : continuumMass.minus, poles[ch], tMax, tol, MAX_NODES));
  const edgeReasons = edges.filter((e) => !e.ok).map((e) => e.reason);
  if (edgeReasons.length === 0) {
    const cp = new Float64Array(2 * points);
    const cm = new Float64Array(2 * points);
    let ok = evaluateChannel(edges[0]!.resolvent!, dt, points, cp, options.signal, (f) => options.onProgress?.(0.5 * f), 'auto', tol / 10);
    ok = ok && evaluateChannel(edges[1]!.resolvent!, dt, points, cm, options.signal, (f) => options.onProgress?.(0.5 + 0.5 * f), 'auto', tol / 10);
    if (!ok) return { ...base, route: 'bound-states+band-edge', continuumTime: Number.NaN, status: 'cancelled', message: 'cancelled', errorEstimate: Number.NaN, stats: stats({}) };
    for (let i = 0; i < 2 * points; i++) { c1[i] = 0.5 * (cp[i]! + cm[i]!); c2[i] = 0.5 * (cp[i]! - cm[i]!); }
    // Each channel's error: left-over weight + quadrature error + evaluation bound; c1, c2 take the mean of the two.
    const chErr = edges.map((e) => e.tail + e.quadratureError + e.resolvent!.evaluationError);
    const errorEstimate = 0.5 * (chErr[0]! + chErr[1]!) + 1e-9;
    const status: Status = errorEstimate <= tol ? 'success' : 'tolerance-not-met';
    options.onProgress?.(1);
    return {
      ...base, route: 'bound-states+band-edge', continuumTime: Number.NaN, status, errorEstimate,
      message: `bound states (Eq. 7–8) + the continuum integrated on k ≤ ${edges.map((e) => e.K).join(', ')} (channels +, −; ${edges.map((e) => e.resolvent!.omega.length).join(' + ')} nodes; panels carrying ≤ tol/8 in all left out); the weight left beyond (${edges.map((e) => e.tail.toExponential(1)).join(', ')}, sum rule) bounds the rest at every t; error estimate ${errorEstimate.toExponential(2)} (tol ${tol})` +
        (status === 'success' ? '' : ': requested tolerance not met'),
      stats: stats({ nodesPlus: edges[0]!.resolvent!.omega.length, nodesMinus: edges[1]!.resolvent!.omega.length, cutoffPlus: edges[0]!.K, cutoffMinus: edges[1]!.K }),
    };
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
