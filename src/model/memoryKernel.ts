import { besselJ0, besselK0, besselY0 } from '../numerics/bessel.js';

/** A complex number as a pair. */
export interface ComplexPair { re: number; im: number }

/**
 * Memory kernel f_{|j−j'|}(t) = ∫ J_{|j−j'|}(ω) e^{−iωt} dω of Eq. (3), in closed form
 * (physics.md, "Memory kernels in closed form"; units ω11 = c = 1, t in 1/ω11):
 *   f0(t) = (Γ11/4)·[−Y0(t) − i J0(t)],                       t > 0,
 *   f1(t) = (Γ11/4)·[−Y0(s) − i J0(s)],  s = sqrt(t² − τ²),     t > τ,
 *   f1(t) = (Γ11/2π)·K0(sqrt(τ² − t²)),                        0 ≤ t < τ.
 * Both are log-singular (at t = 0 and t = τ respectively), where +∞ is returned in the real part.
 * `order` 0 ignores τ. Example: memoryKernel(0, 1, 0.5, 0) ≈ {re: −0.01105, im: −0.09550}.
 */
export function memoryKernel(order: 0 | 1, t: number, gamma11: number, tau: number): ComplexPair {
  const g4 = gamma11 / 4;
  if (order === 0 || tau === 0) {
    if (t <= 0) return { re: Number.POSITIVE_INFINITY, im: -g4 };
    return { re: -g4 * besselY0(t), im: -g4 * besselJ0(t) };
  }
  if (t > tau) {
    const s = Math.sqrt((t - tau) * (t + tau));
    if (s === 0) return { re: Number.POSITIVE_INFINITY, im: -g4 };
    return { re: -g4 * besselY0(s), im: -g4 * besselJ0(s) };
  }
  if (t === tau) return { re: Number.POSITIVE_INFINITY, im: -g4 };
  const r = Math.sqrt((tau - t) * (tau + t));
  return { re: (gamma11 / (2 * Math.PI)) * besselK0(r), im: 0 };
}
