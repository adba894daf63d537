import type { Resonance } from './continuum.js';
import { onePlusMinusCos } from '../model/spectralDensity.js';

/**
 * A narrow resonance taken out of the continuum quadrature: the wave numbers (lo, hi) around k_r whose
 * part of σ± is replaced by one discrete term A·e^{−iω_r t}.
 */
export interface ResonanceWindow {
  lo: number;
  hi: number;
  energy: number;
  amplitude: number;
  /** Bound on the error of the replacement over the time span, in c± units. */
  errorBound: number;
}

/** The resonance's half-width in k, γ_k = γ·ω_r/k_r (dω = (k/ω)dk). */
export function widthInK(r: Resonance): number {
  return (r.width * r.energy) / r.k;
}

/**
 * Decides how a resonance of the continuum density σ±(k) is integrated (src/dynamics/exact.ts), and
 * returns the window that replaces its core by a discrete term, or null when the peak is integrated
 * through (then it only needs breakpoints).
 *
 * ## Why
 * Near a bound state in the continuum (and in the antisymmetric channel at small Δz, where J− ∝ τ²)
 * the peak of σ has a width γ (in ω) that can be far below what a quadrature can resolve once the
 * rounding of D = ω − ω0 − Δ (≈1e-16·|Δ|) is comparable to it. Over the times asked for such a peak is
 * static: it acts as a discrete level.
 *
 * ## Method
 * Around ω_r, ρ(ω) is the Lorentzian (w/π)·γ/((ω − ω_r)² + γ²), w = 1/(1 − Δ'), up to relative
 * corrections x/s and (x/s)² (x = ω − ω_r; s = (k_r/ω_r)·s_k, s_k the scale in k on which J± ∝ (1 ± cos τk)/k
 * and the distance to the band edge vary: 1/s_k = max(2/k_r, |a'/a|, √|a''/a|), a = 1 ± cos τk — near a
 * bound state in the continuum, where a has a double zero at distance d from k_r, s_k ≈ d/2). The window |k − k_r| < h (half-width W in ω) is taken out of the
 * quadrature and replaced by A e^{−iω_r t}, A = the Lorentzian's mass in the window,
 * (w/π)[atan(x_hi/γ) − atan(x_lo/γ)] with x computed as (k − k_r)(k + k_r)/(ω + ω_r). What stays
 * outside the window — the tails, which carry the decay e^{−γt} — is integrated as before. Expanding
 * e^{−ixt} = 1 − ixt − x²t²/2 over the window, the error is at most
 *   (wγW/π)·(t + 1/s)²
 * (the t² term of the Lorentzian core, the t and t⁰ terms of its 1/s corrections), and W is chosen
 * as large as allows this to stay below `budget` for t = span, but no larger than 1e-3·s_k in k (the
 * window must stay where σ is a Lorentzian). If that leaves fewer than 10 widths (h < 10γ_k,
 * γ_k = γω_r/k_r), the peak is wide enough to integrate and null is returned. γ = 0 (an exact bound state
 * in the continuum) gives A = w and a window of a few ulps (σ is regular around a double zero of J).
 */
export function resonanceWindow(r: Resonance, tau: number, span: number, budget: number): ResonanceWindow | null {
  const { k: kr, energy: wr, width: gamma, weight: w } = r;
  if (!(kr > 0) || !(w > 0)) return null;
  const gammaK = widthInK(r);
  const sK = variationScale(r.channel, kr, tau);
  const s = (kr / wr) * sK;
  const shape = (span + 1 / s) ** 2;
  const wMax = (budget * Math.PI) / (w * gamma * shape);
  const hMin = 8 * Number.EPSILON * kr;
  // γ = 0: J vanishes at k_r, a bound state in the continuum (or J underflowed at tiny τ). Around an exact
  // zero of J, σ is regular, not a peak: only the discrete term is taken out, with a window of a few ulps.
  if (gamma === 0) return { lo: kr - hMin, hi: kr + hMin, energy: wr, amplitude: w, errorBound: 0 };
  const h = Math.min((wMax * wr) / kr, 1e-3 * sK);
  if (h < 10 * gammaK || h < hMin) return null;
  const lo = kr - h;
  const hi = kr + h;
  const dx = (k: number) => ((k - kr) * (k + kr)) / (Math.sqrt(1 + k * k) + wr);
  const amplitude = (w / Math.PI) * (Math.atan(dx(hi) / gamma) - Math.atan(dx(lo) / gamma));
  const W = Math.max(dx(hi), -dx(lo));
  return { lo, hi, energy: wr, amplitude, errorBound: (w * gamma * W * shape) / Math.PI };
}

/** s_k = 1/max(2/k, |a'/a|, √|a''/a|) for a(k) = 1 ± cos τk (see resonanceWindow). */
function variationScale(channel: Resonance['channel'], k: number, tau: number): number {
  let inv = 2 / k;
  const a = onePlusMinusCos(channel, tau * k);
  if (tau > 0 && a > 0) {
    const sign = channel === '+' ? 1 : -1;
    const a1 = -sign * tau * Math.sin(tau * k);
    const a2 = -sign * tau * tau * Math.cos(tau * k);
    inv = Math.max(inv, Math.abs(a1 / a), Math.sqrt(Math.abs(a2 / a)));
  }
  return 1 / inv;
}
