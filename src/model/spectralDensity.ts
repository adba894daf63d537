import type { Channel } from './params.js';

/**
 * Spectral density J_{|j−j'|}(ω) of the TM11 continuum, Eq. (2) of the paper, in units ω11 = c = 1:
 *   J0(ω) = (Γ11/2π) / sqrt(ω² − 1) · Θ(ω − 1),   J1(ω) = J0(ω) · cos(τ sqrt(ω² − 1)).
 * `order` 0 is the individual (same-emitter) density, 1 the cross density at retardation τ = 2πΔz.
 * Example: spectralDensity(0, 2, 0.5, 0) = 0.25/(π√3) ≈ 0.04594.
 */
export function spectralDensity(order: 0 | 1, omega: number, gamma11: number, tau: number): number {
  if (!(omega > 1)) return 0;
  const q = Math.sqrt((omega - 1) * (omega + 1));
  const j0 = gamma11 / (2 * Math.PI) / q;
  return order === 0 ? j0 : j0 * Math.cos(tau * q);
}

/**
 * Channel density J±(ω) = J0(ω) ± J1(ω) (physics.md, "Symmetric and antisymmetric channels"),
 * written with 1 ± cos = 2cos²/2sin² of the half angle so that J− keeps full relative precision
 * when τ·sqrt(ω² − 1) is small.
 */
export function channelDensity(channel: Channel, omega: number, gamma11: number, tau: number): number {
  if (!(omega > 1)) return 0;
  const q = Math.sqrt((omega - 1) * (omega + 1));
  return (gamma11 / (2 * Math.PI)) * onePlusMinusCos(channel, tau * q) / q;
}

/** 1 ± cos(x), computed without cancellation as 2cos²(x/2) or 2sin²(x/2). */
export function onePlusMinusCos(channel: Channel, x: number): number {
  const h = channel === '+' ? Math.cos(0.5 * x) : Math.sin(0.5 * x);
  return 2 * h * h;
}
