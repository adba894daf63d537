import { argNumber, argOrder, TAU_RANGE } from '../arguments.js';
import { MAX_T } from '../dynamics/validate.js';
import { PARAM_RANGES } from './params.js';
import { besselK0 } from '../numerics/bessel.js';
import { besselJY0 } from '../numerics/besselAsymptotic.js';

/** A complex number as a pair. */
export interface ComplexPair { re: number; im: number }

/**
 * Memory kernel f_{|j−j'|}(t) = ∫ J_{|j−j'|}(ω) e^{−iωt} dω of Eq. (3), in closed form
 * (physics.md, "Memory kernels in closed form"; units ω11 = c = 1, t in 1/ω11):
 *   f0(t) = (Γ11/4)·[−Y0(t) − i J0(t)],                       t > 0,
 *   f1(t) = (Γ11/4)·[−Y0(s) − i J0(s)],  s = sqrt(t² − τ²),     t > τ,
 *   f1(t) = (Γ11/2π)·K0(sqrt(τ² − t²)),                        0 ≤ t < τ.
 * Both are log-singular (at t = 0 and t = τ respectively), where +∞ is returned in the real part.
 * `order` 0 ignores τ. Example: memoryKernel(0, 1, 0.5, 0) ≈ {re: −0.011032, im: −0.095650}
 * (mpmath: (Γ11/4)·[−Y0(1) − iJ0(1)] and the defining integral (Γ11/2π)∫_0^∞ e^{−i cosh u} du both give
 * −0.0110321205 − 0.0956497108i).
 * Arguments are checked (ParameterError): order ∈ {0, 1}, 0 ≤ t ≤ 10⁶, Γ11 in PARAM_RANGES, 0 ≤ τ ≤ 2π·20.
 */
export function memoryKernel(order: 0 | 1, t: number, gamma11: number, tau: number): ComplexPair {
  argOrder(order);
  const hint = 'memoryKernel(order, t, params.gamma11, tauOf(params.dz))';
  argNumber('t', t, { min: 0, max: MAX_T, unit: '1/ω11, the solvers\' time range' }, 't', hint);
  argNumber('gamma11', gamma11, PARAM_RANGES.gamma11, 'gamma11', hint);
  argNumber('tau', tau, TAU_RANGE, 'tau', hint);
  memoryKernelPair(t, gamma11, order === 0 ? 0 : tau, scratch);
  return order === 0 || tau === 0 ? { re: scratch[0], im: scratch[1] } : { re: scratch[2], im: scratch[3] };
}

const scratch = new Float64Array(4);
const jy = new Float64Array(2);

/**
 * The memory kernels f0(σ), f1(σ) of Eq. (3) in closed form (the formulas of `memoryKernel` in
 * this file, evaluated with one J0/Y0 pair per argument — `besselJY0` — for speed):
 * writes re/im of f0 to out[0], out[1] and of f1 to out[2], out[3]; f1 is skipped when τ = 0.
 * +∞ is written at the log-singular points σ = 0 (f0) and σ = τ (f1).
 */
export function memoryKernelPair(sigma: number, gamma11: number, tau: number, out: Float64Array): void {
  const g4 = 0.25 * gamma11;
  if (sigma > 0) {
    besselJY0(sigma, jy);
    out[0] = -g4 * jy[1];
    out[1] = -g4 * jy[0];
  } else {
    out[0] = Number.POSITIVE_INFINITY;
    out[1] = -g4;
  }
  if (tau <= 0) return;
  if (sigma > tau) {
    const s = Math.sqrt((sigma - tau) * (sigma + tau));
    if (s > 0) {
      besselJY0(s, jy);
      out[2] = -g4 * jy[1];
      out[3] = -g4 * jy[0];
      return;
    }
  } else if (sigma < tau) {
    out[2] = (gamma11 / (2 * Math.PI)) * besselK0(Math.sqrt((tau - sigma) * (tau + sigma)));
    out[3] = 0;
    return;
  }
  out[2] = Number.POSITIVE_INFINITY;
  out[3] = -g4;
}

/**
 * Growth rate Ω(σ) of the kernels f0, f1 and f0 ± f1 (times e^{iEσ}) off the real axis (the `frequency`
 * of cellMoments in src/numerics/productIntegration.ts): max(|1 − E|, |E| inside the light cone σ < τ, |σ/√(σ² − τ²) − E| outside it).
 * Quasi-convex between the singular points 0, τ, so its largest value on an interval is at an end.
 */
export function kernelRate(sigma: number, tau: number, e: number): number {
  const f0 = Math.abs(1 - e);
  if (!(tau > 0)) return f0;
  if (sigma <= tau) return Math.max(f0, Math.abs(e));
  const s = Math.sqrt((sigma - tau) * (sigma + tau));
  return Math.max(f0, Math.abs(sigma / s - e));
}
