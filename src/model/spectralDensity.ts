import { argChannel, argNumber, argOrder, TAU_RANGE, type NumberRange } from '../arguments.js';
import { PARAM_RANGES, type Channel } from './params.js';

/** Frequencies accepted by the densities: any finite ω up to 1e300 (J vanishes below the band edge ω = 1). */
const FREQUENCY: NumberRange = { min: -1e300, max: 1e300, unit: 'ω11' };

/**
 * √(ω² − 1) for ω > 1 without overflow: the product form only where ω² would overflow (ω ≥ 1e150),
 * so that values below keep the bits of the plain formula.
 */
function bandWaveNumber(omega: number): number {
  return omega < 1e150 ? Math.sqrt((omega - 1) * (omega + 1)) : Math.sqrt(omega - 1) * Math.sqrt(omega + 1);
}

/**
 * Spectral density J_{|j−j'|}(ω) of the TM11 continuum, Eq. (2) of the paper, in units ω11 = c = 1:
 *   J0(ω) = (Γ11/2π) / sqrt(ω² − 1) · Θ(ω − 1),   J1(ω) = J0(ω) · cos(τ sqrt(ω² − 1)).
 * `order` 0 is the individual (same-emitter) density, 1 the cross density at retardation τ = 2πΔz.
 * Arguments are checked (ParameterError naming the argument): order ∈ {0, 1}, Γ11 and τ in their
 * ranges (PARAM_RANGES; τ ≤ 2π·20), ω finite.
 * Example: spectralDensity(0, 2, 0.5, 0) = 0.25/(π√3) ≈ 0.04594.
 */
export function spectralDensity(order: 0 | 1, omega: number, gamma11: number, tau: number): number {
  argOrder(order);
  checkDensityArgs(omega, gamma11, tau, 'spectralDensity(order, ω, params.gamma11, tauOf(params.dz))');
  if (!(omega > 1)) return 0;
  const q = bandWaveNumber(omega);
  const j0 = gamma11 / (2 * Math.PI) / q;
  return order === 0 ? j0 : j0 * Math.cos(tau * q);
}

/**
 * Channel density J±(ω) = J0(ω) ± J1(ω) (physics.md, "Symmetric and antisymmetric channels"),
 * written with 1 ± cos = 2cos²/2sin² of the half angle so that J− keeps full relative precision
 * when τ·sqrt(ω² − 1) is small. Arguments are checked as for spectralDensity.
 */
export function channelDensity(channel: Channel, omega: number, gamma11: number, tau: number): number {
  argChannel(channel);
  checkDensityArgs(omega, gamma11, tau, 'channelDensity(channel, ω, params.gamma11, tauOf(params.dz))');
  if (!(omega > 1)) return 0;
  const q = bandWaveNumber(omega);
  return (gamma11 / (2 * Math.PI)) * onePlusMinusCos(channel, tau * q) / q;
}

function checkDensityArgs(omega: unknown, gamma11: unknown, tau: unknown, hint: string): void {
  argNumber('omega', omega, FREQUENCY, 'omega', hint);
  argNumber('gamma11', gamma11, PARAM_RANGES.gamma11, 'gamma11', hint);
  argNumber('tau', tau, TAU_RANGE, 'tau', hint);
}

/** 1 ± cos(x), computed without cancellation as 2cos²(x/2) or 2sin²(x/2). */
export function onePlusMinusCos(channel: Channel, x: number): number {
  const h = channel === '+' ? Math.cos(0.5 * x) : Math.sin(0.5 * x);
  return 2 * h * h;
}
