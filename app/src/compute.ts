/**
 * What the worker computes, as plain functions of the request (no worker or DOM API here, so the
 * same code runs under Node in the tests). Everything physical comes from the qbwave core in src/.
 */
import { boundStates } from '../../src/spectrum/boundStates.js';
import { channelDensity } from '../../src/model/spectralDensity.js';
import { tauOf, type ModelParams } from '../../src/model/params.js';
import type { CancelToken, DynamicsProblem, Method, Solution, SolveOptions } from '../../src/dynamics/types.js';
import { solve } from '../../src/dynamics/solve.js';
import { steadyState } from '../../src/battery/steadyState.js';
import type { BoundStateOut, MapSpec, SteadyOut, SweepSpec } from './protocol.js';
import { mapAxes, REGIME_CODES } from './mapGrid.js';
import { solveLongTime, type LongTimeSolution } from '../../src/dynamics/longTime.js';
import { ParameterError } from '../../src/errors.js';
import { designObservationTime } from '../../src/studies/design.js';

/**
 * Spans beyond this (1/ω11) are solved by solveLongTime: the exact method's quadrature grows ∝ t, so
 * beyond 2000/ω11 the bound states carry the dynamics once the continuum is below tol.
 */
export const LONG_SPAN = 2000;

/** Bound states of Eq. (7)–(8) at one parameter point, in the protocol's plain form. */
export function pointSpectrum(params: ModelParams): { boundStates: BoundStateOut[]; count: number } {
  const s = boundStates(params);
  return {
    boundStates: s.boundStates.map((b) => ({ channel: b.channel, energy: b.energy, residue: b.residue, inContinuum: b.inContinuum })),
    count: s.count,
  };
}

/**
 * Steady state of Eq. (8) from the core (src/battery/steadyState.ts), with the residue threshold of
 * the effective count; `tMax` (the plotted time span, 1/ω11) only decides whether the slowest
 * continuum resonance is worth a note (it has not decayed by tMax).
 */
export function steady(params: ModelParams, threshold: number, tMax: number): SteadyOut {
  // Observation time of the "2D" test as `qbwave design` has it: max(2000/ω11, 10/Γ11), so a weakly
  // coupled emitter (an NV centre, Γ11 ≈ 2e-8 ω11) is classified on its own time scale.
  const s = steadyState(params, { residueThreshold: threshold, observationTime: designObservationTime(params.gamma11) });
  const notes: string[] = [];
  const r = s.slowestResonance;
  if (r && r.width * tMax < 3) {
    notes.push(r.width === 0
      ? `bound state in the continuum (channel ${r.channel}) at ω = ${r.energy.toPrecision(6)} ω11: it never decays, Eq. (8) misses it`
      : `slow resonance (channel ${r.channel}) at ω = ${r.energy.toPrecision(6)} ω11 decays at ${r.width.toPrecision(3)} ω11: not settled by t = ${tMax}/ω11, E(t) can still differ from Eq. (8)`);
  }
  if (s.degenerate) notes.push(`E+ and E− are degenerate within the observation time ${s.observationTime}/ω11 (the paper's "2D")`);
  return {
    energyMin: s.energyMin,
    energyMax: s.energyMax,
    ergotropyMax: s.ergotropyMax,
    frequency: s.frequency,
    count: s.count,
    effectiveCount: s.effectiveCount,
    regime: s.regime,
    notes,
  };
}

/**
 * J±(ω) = J0 ± J1 (Eq. 2) on n points of ω ∈ (1, omegaMax], spaced uniformly in k = sqrt(ω² − 1)
 * so the band edge (where J+ ~ (ω − 1)^−1/2) is resolved.
 */
export function densities(params: ModelParams, omegaMax: number, n: number): { omega: Float64Array; jPlus: Float64Array; jMinus: Float64Array } {
  const tau = tauOf(params.dz);
  const kMax = Math.sqrt(omegaMax * omegaMax - 1);
  const omega = new Float64Array(n);
  const jPlus = new Float64Array(n);
  const jMinus = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    // Start a little above k = 0, where J+ is infinite.
    const k = kMax * ((i + 0.5) / n) ** 1.5;
    const w = Math.sqrt(1 + k * k);
    omega[i] = w;
    jPlus[i] = channelDensity('+', w, params.gamma11, tau);
    jMinus[i] = channelDensity('-', w, params.gamma11, tau);
  }
  return { omega, jPlus, jMinus };
}

/** The sweep abscissa: n points from min to max. */
export function sweepGrid(spec: SweepSpec): Float64Array {
  const x = new Float64Array(spec.n);
  for (let i = 0; i < spec.n; i++) x[i] = spec.min + ((spec.max - spec.min) * i) / (spec.n - 1);
  return x;
}

/** One sweep sample: bound-state energies and residues (NaN where a channel has none below the edge). */
interface Sample { x: number; ePlus: number; eMinus: number; zPlus: number; zMinus: number }

function sample(spec: SweepSpec, params: ModelParams, x: number): Sample {
  const out: Sample = { x, ePlus: Number.NaN, eMinus: Number.NaN, zPlus: Number.NaN, zMinus: Number.NaN };
  const p: ModelParams = spec.kind === 'omega0' ? { ...params, omega0: x } : { ...params, dz: x };
  let s;
  try {
    s = boundStates(p);
  } catch {
    return out; // a grid end outside the validated range (e.g. ω0 = 0) is left blank
  }
  for (const b of s.boundStates) {
    if (b.inContinuum) continue;
    if (b.channel === '+') { out.ePlus = b.energy; out.zPlus = b.residue; } else { out.eMinus = b.energy; out.zMinus = b.residue; }
  }
  return out;
}

/**
 * Bound-state energies and residues along a sweep of ω0 or Δz with the other parameters fixed;
 * NaN where a channel has no bound state below the band edge. Returns null if cancelled.
 *
 * The uniform grid of `spec.n` points is refined where a bound state appears or disappears between
 * two neighbours: 12 bisection steps locate the threshold to (max − min)/(n·4096), and both sides of
 * it are added, so a branch ends where it really meets the band edge instead of at a grid point.
 * `pause` lets an async caller return to its event loop between chunks (to see a cancel).
 */
export async function sweepSpectrum(
  spec: SweepSpec,
  params: ModelParams,
  signal?: CancelToken,
  pause?: () => Promise<void>,
): Promise<{ x: Float64Array; ePlus: Float64Array; eMinus: Float64Array; zPlus: Float64Array; zMinus: Float64Array } | null> {
  const grid = sweepGrid(spec);
  const samples: Sample[] = [];
  for (let i = 0; i < grid.length; i++) {
    if (pause && i % 8 === 0 && i > 0) await pause();
    if (signal?.aborted) return null;
    samples.push(sample(spec, params, grid[i]));
  }
  const extra: Sample[] = [];
  for (let i = 0; i + 1 < samples.length; i++) {
    for (const key of ['ePlus', 'eMinus'] as const) {
      let a = samples[i];
      let b = samples[i + 1];
      if (Number.isFinite(a[key]) === Number.isFinite(b[key])) continue;
      if (signal?.aborted) return null;
      for (let k = 0; k < 12; k++) {
        const m = sample(spec, params, 0.5 * (a.x + b.x));
        if (Number.isFinite(m[key]) === Number.isFinite(a[key])) a = m; else b = m;
      }
      extra.push(a, b);
    }
  }
  const all = [...samples, ...extra].sort((p, q) => p.x - q.x);
  const pick = (k: keyof Sample) => Float64Array.from(all, (s) => s[k]);
  return { x: pick('x'), ePlus: pick('ePlus'), eMinus: pick('eMinus'), zPlus: pick('zPlus'), zMinus: pick('zMinus') };
}

/** Solves Eq. (3) with the named method through the core's `solve` (src/dynamics/solve.ts). */
export function dynamics(
  params: ModelParams,
  method: Method,
  tMax: number,
  points: number,
  tol: number,
  options: SolveOptions,
): Solution | LongTimeSolution {
  const problem: DynamicsProblem = { params, tMax, dt: tMax / (points - 1), tol };
  if (tMax > LONG_SPAN) {
    if (method === 'exact') return solveLongTime(problem, options);
    if (method === 'volterra') throw new ParameterError('tMax', tMax, `volterra's cost grows with t: at most ${LONG_SPAN}/ω11; the exact method reaches any span (bound states beyond T_c)`);
  }
  return solve(problem, method, options);
}

/**
 * One row (fixed Δz) of the phase diagram of Fig. 4: for every ω0 of the grid, the regime (Fig. 4a,
 * coded by REGIME_CODES), the maximal steady-state ergotropy W(∞) (Fig. 4b) and energy E(∞), from the
 * core's steadyState (Eq. 8) with the effective-count threshold. Writes into the arrays at k·nx.
 */
export function mapRow(spec: MapSpec, gamma11: number, threshold: number, k: number, out: { regime: Uint8Array; ergotropy: Float64Array; energy: Float64Array }): void {
  const { omega0, dz } = mapAxes(spec);
  for (let i = 0; i < spec.nx; i++) {
    const s = steadyState({ omega0: omega0[i], dz: dz[k], gamma11 }, { residueThreshold: threshold, resonances: false });
    const j = k * spec.nx + i;
    out.regime[j] = REGIME_CODES.indexOf(s.regime);
    out.ergotropy[j] = s.ergotropyMax;
    out.energy[j] = s.energyMax;
  }
}
