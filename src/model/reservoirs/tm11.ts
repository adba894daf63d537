import { ParameterError, checkNumber } from '../../errors.js';
import { kernelRate, memoryKernelPair } from '../memoryKernel.js';
import { PARAM_RANGES, TAU_NEGLIGIBLE } from '../params.js';
import {
  edgeIntegralA, edgeIntegralADerivative, levelShiftBracket, omegaP, reducedSelfEnergy, reducedSelfEnergyDerivative,
} from '../selfEnergy.js';
import { makeCoupling, type Component, type Coupling, type EmitterPlacement } from './reservoir.js';

/**
 * The TM11 continuum of the paper's guide as a sum of components (shared/scenes.md §1; Eq. 2–3 of the
 * paper with Γ11 = 1): the self term j0(ω) = (1/2π)/k and one cross term j0(ω)·cos(kτ) per distinct
 * retardation τ = 2π|z_j − z_l| (k = √(ω² − 1), ω11 = c = 1). Weights W_jl = √(Γ_j Γ_l) on the pairs
 * at that distance, so J_jl(ω) = (√(Γ_jΓ_l)/2π) cos(kτ_jl)/k, F_jl(t) = √(Γ_jΓ_l)·φ(t; τ_jl).
 * Kernels, self-energies and level shifts are today's closed forms (memoryKernel.ts, selfEnergy.ts),
 * evaluated at Γ11 = 1 and split from the ± channels: σ_cross = −(A − I−)/2π, δ_cross = (b+ − b−)/(2·2π).
 */

const TWO_PI = 2 * Math.PI;
const BAND: ReadonlyArray<readonly [number, number]> = [[1, Number.POSITIVE_INFINITY]];
const EDGES: readonly number[] = [1];

/** Retardations within this relative distance share one kernel (rounding noise of z_j − z_l; the kernel changes by ≤ 1e-14·τ·|∂φ/∂τ|). */
export const TAU_MERGE_RELATIVE = 1e-14;

/** Largest emitter distance |z_j − z_l|, in λ11 (the two-emitter model's Δz range). */
export const MAX_DISTANCE = PARAM_RANGES.dz.max;

function k(omega: number): number {
  return omega < 1e150 ? Math.sqrt((omega - 1) * (omega + 1)) : Math.sqrt(omega - 1) * Math.sqrt(omega + 1);
}

/** The self term (τ = 0): j0 = (1/2π)/k, φ0 = ¼[−Y0(t) − iJ0(t)], σ0 = −A(E)/2π, δ0 = asinh(k)/(2πk). */
export function tm11SelfComponent(): Component {
  const scratch = new Float64Array(4);
  return {
    label: 'TM11 self',
    bands: BAND,
    edges: EDGES,
    singularTimes: [0],
    tail: { power: 1, decay: 1 / TWO_PI },
    kernelRate: (sigma, frame) => kernelRate(sigma, 0, frame),
    tmForm: { cutoff: 1, tau: 0 },
    density: (omega) => (omega > 1 ? 1 / (TWO_PI * k(omega)) : 0),
    kernel(t, out, o) {
      memoryKernelPair(t, 1, 0, scratch);
      out[o] = scratch[0];
      out[o + 1] = scratch[1];
    },
    selfEnergy: (E) => -edgeIntegralA(E) / TWO_PI,
    selfEnergyDerivative: (E) => edgeIntegralADerivative(E) / TWO_PI,
    levelShift(omega) {
      const q = k(omega);
      return levelShiftBracket('+', q, 0, 0) / (2 * TWO_PI);
    },
  };
}

/** The cross term at retardation τ > 0: j = cos(kτ)/(2πk), φ = f1 of memoryKernel at Γ11 = 1. */
export function tm11CrossComponent(tau: number): Component {
  const scratch = new Float64Array(4);
  return {
    label: `TM11 τ=${tau}`,
    bands: BAND,
    edges: EDGES,
    singularTimes: [tau],
    tail: { power: 1, decay: 1 / TWO_PI },
    kernelRate: (sigma, frame) => kernelRate(sigma, tau, frame),
    tmForm: { cutoff: 1, tau },
    density(omega) {
      if (!(omega > 1)) return 0;
      const q = k(omega);
      return Math.cos(tau * q) / (TWO_PI * q);
    },
    kernel(t, out, o) {
      memoryKernelPair(t, 1, tau, scratch);
      out[o] = scratch[2];
      out[o + 1] = scratch[3];
    },
    // Σ1 = (Σ+ − Σ−)/2 = (A − I−)/2π in the ∫J/(ω − E) sign; this interface's σ is its negative.
    selfEnergy: (E) => -(edgeIntegralA(E) - reducedSelfEnergy('-', E, tau)) / TWO_PI,
    selfEnergyDerivative: (E) => (edgeIntegralADerivative(E) - reducedSelfEnergyDerivative('-', E, tau)) / TWO_PI,
    levelShift(omega) {
      const q = k(omega);
      const wP = omegaP(omega, tau);
      return (levelShiftBracket('+', q, tau, wP) - levelShiftBracket('-', q, tau, wP)) / (2 * TWO_PI);
    },
  };
}

/**
 * Groups emitter pairs by retardation: returns the distinct τ > 0 (ascending) and, for each pair, the
 * index of its group (−1 for τ = 0, which shares the self kernel). τ below TAU_NEGLIGIBLE counts as 0.
 */
export function retardationGroups(z: readonly number[]): { taus: number[]; group: Int32Array } {
  const n = z.length;
  const group = new Int32Array(n * n).fill(-1);
  const pairs: Array<{ j: number; l: number; tau: number }> = [];
  for (let j = 0; j < n; j++) {
    for (let l = j + 1; l < n; l++) {
      const tau = TWO_PI * Math.abs(z[j] - z[l]);
      if (tau >= TAU_NEGLIGIBLE) pairs.push({ j, l, tau });
    }
  }
  pairs.sort((a, b) => a.tau - b.tau);
  const taus: number[] = [];
  for (const p of pairs) {
    const last = taus[taus.length - 1];
    if (last === undefined || p.tau - last > TAU_MERGE_RELATIVE * p.tau) taus.push(p.tau);
    const g = taus.length - 1;
    group[p.j * n + p.l] = g;
    group[p.l * n + p.j] = g;
  }
  return { taus, group };
}

/** Reads and checks each emitter's z and gamma (paths `${path}[j].z`, `${path}[j].gamma`). */
export function placements(emitters: readonly EmitterPlacement[], path: string): { z: number[]; gamma: number[] } {
  const z: number[] = [];
  const gamma: number[] = [];
  emitters.forEach((e, j) => {
    z.push(checkNumber('z', e.z, { min: -MAX_DISTANCE, max: MAX_DISTANCE, unit: 'λ11' }, `${path}[${j}].z`));
    gamma.push(checkNumber('gamma', e.gamma, PARAM_RANGES.gamma11, `${path}[${j}].gamma`));
  });
  const lo = Math.min(...z);
  const hi = Math.max(...z);
  if (hi - lo > MAX_DISTANCE) {
    const j = z.indexOf(hi);
    throw new ParameterError('z', hi, `emitters must lie within ${MAX_DISTANCE} λ11 of each other (this one is ${hi - lo} λ11 from emitter ${z.indexOf(lo) + 1})`, `${path}[${j}].z`);
  }
  return { z, gamma };
}

/** The TM11 coupling of N emitters at positions z (λ11) with TM11 rates Γ (ω11). */
export function tm11Coupling(z: readonly number[], gamma: readonly number[]): Coupling {
  const n = z.length;
  const { taus, group } = retardationGroups(z);
  const self = new Float64Array(n * n);
  const cross = taus.map(() => new Float64Array(n * n));
  for (let j = 0; j < n; j++) {
    for (let l = 0; l < n; l++) {
      // √(Γ_jΓ_l), which is Γ exactly for equal rates (√Γ·√Γ may differ in the last bit).
      const w = j === l ? gamma[j] : Math.sqrt(gamma[j] * gamma[l]);
      const g = j === l ? -1 : group[j * n + l];
      (g < 0 ? self : cross[g])[j * n + l] = w;
    }
  }
  return makeCoupling(n, [tm11SelfComponent(), ...taus.map(tm11CrossComponent)], [self, ...cross]);
}
