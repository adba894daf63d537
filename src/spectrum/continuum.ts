import { brentRoot } from '../numerics/brent.js';
import { omegaP as omegaPDirect, levelShiftBracket, levelShiftDerivativeK } from '../model/selfEnergy.js';
import { piecewiseChebyshev, type PiecewiseChebyshev } from '../numerics/chebyshev.js';
import { onePlusMinusCos } from '../model/spectralDensity.js';
import { TAU_MAX, type Channel } from '../model/params.js';
import { checkNumber } from '../errors.js';

/**
 * The continuum part of the resolvent (physics.md, "Exact dynamics by the resolvent"):
 *   c±(t) = Σ_b 2Z_b e^{−iE_b t} + ∫_1^∞ ρ±(ω) e^{−iωt} dω,
 *   ρ±(ω) = J±(ω) / [(ω − ω0 − Δ±(ω))² + (πJ±(ω))²],
 * written in the longitudinal wave number k = √(ω² − 1) (dω = k/ω dk), where the band-edge
 * singularities of J± disappear:
 *   σ±(k) ≡ ρ±(ω) k/ω = (Γ11/2π)(1 ± cos τk) k²/ω / [D² k² + ((Γ11/2)(1 ± cos τk))²],
 *   D(k) = ω − ω0 − Δ±(ω).
 */
export function continuumDensityK(channel: Channel, k: number, omega0: number, gamma11: number, tau: number): number {
  if (channel === '-' && tau === 0) return 0;
  return densityFromDetuning(channel, k, gamma11, tau, detuningK(channel, k, omega0, gamma11, tau));
}

/** σ± at k from D(k) (the formula of continuumDensityK). */
function densityFromDetuning(channel: Channel, k: number, gamma11: number, tau: number, d: number): number {
  const a = onePlusMinusCos(channel, tau * k);
  const g = 0.5 * gamma11 * a;
  return ((gamma11 / (2 * Math.PI)) * a * k * k) / Math.sqrt(1 + k * k) / (d * d * k * k + g * g);
}

/**
 * σ±(k_r + x) for a node given by its offset x from a resonance at k_r (|x| ≤ k_r), for peaks so narrow
 * that the rounding of k_r + x (≈1e-16·k_r) is not small against their width γ_k: a quadrature in k
 * would see its nodes jitter by a fraction ulp(k)/γ_k of the peak. The rounding error e = (k_r + x) − k̃
 * of k̃ = fl(k_r + x) is exact (Fast2Sum) and is put back where σ is sensitive to it, in D:
 * ω − ω0 from (k̃ − k0 + e)(k̃ + k0 + e)/(ω + ω0), and Δ(k̃ + e), whose fast sine term takes e
 * exactly and whose remainder takes it through its slope at k_r (dΔ/dk minus the sine term's slope).
 */
export function continuumDensityOffset(
  channel: Channel, kr: number, x: number, omega0: number, gamma11: number, tau: number, dDeltaDk: number,
): number {
  if (channel === '-' && tau === 0) return 0;
  const k = kr + x;
  const e = kr - k + x;
  // The sine term of Δ takes e exactly (it varies on the scale 1/τ); the rest through the slope at k_r.
  const delta = fastLevelShiftK(channel, k, gamma11, tau, e) + (dDeltaDk - sineSlope(channel, k, gamma11, tau)) * e;
  return densityFromDetuning(channel, k, gamma11, tau, omegaMinusOmega0(k, omega0, e) - delta);
}

/**
 * D±(k) = ω − ω0 − Δ±(ω), whose zeros in the band are the resonances (quasi-bound states).
 * ω − ω0 is formed as (k − k0)(k + k0)/(ω + ω0) (k0 = √(ω0² − 1)) rather than by subtraction, so that
 * near a resonance close to the band edge D keeps its relative accuracy: a narrow peak of σ has a
 * width in D of πJ(ω_r), which can be far below the 2e-16 rounding of ω − ω0.
 */
export function detuningK(channel: Channel, k: number, omega0: number, gamma11: number, tau: number): number {
  return omegaMinusOmega0(k, omega0) - fastLevelShiftK(channel, k, gamma11, tau);
}

/**
 * ω(k + e) − ω0 = ((k + e)² − k0²)/(ω + ω0) without cancellation (k0² = (ω0 − 1)(ω0 + 1), negative below
 * the edge); e is an optional exact correction to k, far below ulp(k) (see continuumDensityOffset).
 */
export function omegaMinusOmega0(k: number, omega0: number, e = 0): number {
  const k0sq = (omega0 - 1) * (omega0 + 1);
  const num = k0sq > 0 ? (k - Math.sqrt(k0sq) + e) * (k + Math.sqrt(k0sq) + e) : k * k + 2 * k * e - k0sq;
  return num / (Math.sqrt(1 + k * k) + omega0);
}

/** A resonance of the continuum: a zero of D± inside the band, and the Lorentzian it makes in ρ±. */
export interface Resonance {
  channel: Channel;
  /** Its frequency ω_r (> 1), in ω11. */
  energy: number;
  /** Longitudinal wave number k_r = √(ω_r² − 1). */
  k: number;
  /** Decay rate of the amplitude, γ = πJ(ω_r)/(1 − Δ'(ω_r)), in ω11 (0 for a bound state in the continuum). */
  width: number;
  /** Weight of the Lorentzian, 1/(1 − Δ'(ω_r)) (in c± units; 2Z in the paper's convention). */
  weight: number;
}

/** Largest scan range of `resonances` (its callers, steadyState and the exact solver, use ω0 + 2 + 2Γ11 ≤ 22). */
export const RESONANCE_K_MAX = 1000;

/** Largest τ accepted where τ is an argument (src/model/params.ts). */
export { TAU_MAX };

/**
 * Finds the resonances of channel ±: zeros of D±(k) for k in (0, kMax]. D is smooth in k; it is
 * scanned on a grid fine enough to separate zeros (step ≤ min(0.01, 0.2/τ)) and each sign change is
 * polished by Brent's method. Only zeros with 1 − Δ' > 0 are Lorentzian peaks and are returned.
 * The scan costs kMax/step evaluations of D, so kMax must be finite and at most RESONANCE_K_MAX
 * (≤ 8·10⁵ evaluations, ≈ 1–2 s, at τ = TAU_MAX), and τ within [0, TAU_MAX] (ParameterError otherwise:
 * kMax = ∞ or τ = ∞ never returned).
 */
export function resonances(channel: Channel, omega0: number, gamma11: number, tau: number, kMax: number): Resonance[] {
  checkNumber('kMax', kMax, { min: 0, minOpen: true, max: RESONANCE_K_MAX, unit: 'wave number k = √(ω² − 1), in ω11/c' });
  checkNumber('tau', tau, { min: 0, max: TAU_MAX, unit: '1/ω11 (τ = 2πΔz, Δz ∈ [0, 20] λ11)' });
  if (channel === '-' && tau === 0) return [];
  const D = (k: number) => detuningK(channel, k, omega0, gamma11, tau);
  const step = Math.min(0.01, tau > 0 ? 0.2 / tau : 0.01);
  const out: Resonance[] = [];
  let k0 = 1e-9;
  let d0 = D(k0);
  for (let k1 = step; k0 < kMax; k1 += step) {
    const d1 = D(k1);
    if (d0 === 0 || Math.sign(d0) !== Math.sign(d1)) {
      const kr = d0 === 0 ? k0 : brentRoot(D, k0, k1, 0, 100).root;
      const omega = Math.sqrt(1 + kr * kr);
      const dDelta = levelShiftDerivativeK(channel, kr, gamma11, tau);
      const slope = 1 - dDelta;
      if (slope > 0) {
        const piJ = (0.5 * gamma11 * onePlusMinusCos(channel, tau * kr)) / kr;
        out.push({ channel, energy: omega, k: kr, width: piJ / slope, weight: 1 / slope });
      }
    }
    k0 = k1;
    d0 = d1;
  }
  return out;
}

const OMEGA_TABLE_MAX = 1e5;
const tables = new Map<number, PiecewiseChebyshev>();

/**
 * ω·P(ω) for ω ≥ 1 (src/model/selfEnergy.ts, omegaP) from a piecewise Chebyshev table in ln ω (built
 * once per τ, cached; relative accuracy ≈1e-13, checked against the direct quadrature in
 * test/model/selfEnergy.test.ts), direct quadrature beyond ω = 1e5 and in closed form below τ = 1e-100.
 */
export function omegaP(omega: number, tau: number): number {
  if (omega > OMEGA_TABLE_MAX || tau < 1e-100) return omegaPDirect(omega, tau);
  let table = tables.get(tau);
  if (!table) {
    if (tables.size > 64) tables.clear();
    table = piecewiseChebyshev((s) => omegaPDirect(Math.exp(s), tau), 0, Math.log(OMEGA_TABLE_MAX), { tol: 1e-13 });
    tables.set(tau, table);
  }
  return table(Math.log(omega));
}

/**
 * Δ±(ω(k)) as levelShiftK, with ω·P(ω) from the cached table: ~0.2 µs instead of ~30 µs. `e` is an exact
 * correction to k for the fast-varying sine term (see levelShiftBracket).
 */
export function fastLevelShiftK(channel: Channel, k: number, gamma11: number, tau: number, e?: number): number {
  return (gamma11 / (2 * Math.PI)) * levelShiftBracket(channel, k, tau, omegaP(Math.sqrt(1 + k * k), tau), e);
}

/** d/dk of the sine term ±(Γ/2π)·π sin(τk)/k of Δ± (the part of dΔ/dk that fastLevelShiftK's `e` covers). */
function sineSlope(channel: Channel, k: number, gamma11: number, tau: number): number {
  const slope = (0.5 * gamma11 * (tau * k * Math.cos(tau * k) - Math.sin(tau * k))) / (k * k);
  return channel === '+' ? slope : -slope;
}
