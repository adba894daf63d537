import { integrate } from '../numerics/quadrature.js';
import { gaussLegendre } from '../numerics/gaussLegendre.js';
import type { Channel } from './params.js';

/**
 * Self-energies of the two collective channels (physics.md, "Self-energy"), in units ω11 = c = 1.
 *
 * Below the band edge (E < 1): Σ±(E) = ∫ J±(ω)/(ω − E) dω = (Γ11/2π)·I±(E), the integral of Eq. (7),
 * and its derivative Σ±'(E) = ∫ J±/(ω − E)² dω that enters the residues Z± of Eq. (8).
 * Above it (ω > 1): the level shift Δ±(ω) = PV ∫ J±(ω')/(ω − ω') dω' that enters the continuum density.
 *
 * ## Method
 * I±(E) = A(E) ± C(E) with A(E) = ∫_1^∞ dω/((ω − E)√(ω² − 1)) in closed form (arccos/arccosh) and
 * C(E) = ∫_0^∞ cos(τk)/(ω(ω − E)) dk, ω = √(1 + k²). C is not evaluated as the oscillatory k-integral:
 * closing the contour in the upper half k-plane (derived for qbwave, docs/methods.md) gives
 *   C(E) = π e^{−τκ}/κ · [0 < E < 1] − E·Q(E),   κ = √(1 − E²),
 *   Q(E) = ∫_0^∞ e^{−τ cosh u} / (sinh²u + E²) du,
 * a positive, non-oscillatory integral decaying like exp(−τ e^u/2). The pole term carries the
 * 1/√(1 − E) band-edge divergence in closed form, so I−(E) = A − C is evaluated from rearranged
 * closed-form pieces without the catastrophic cancellation of A − C near E → 1, and I+ = 2A − I−.
 * Above the band the same formula continued to E = ω + i0 (κ = −i√(ω² − 1)) gives Δ±.
 * τ = 0 is exact: I− ≡ 0, I+ = 2A.
 */

const TWO_PI = 2 * Math.PI;
const QUAD = { absTol: 1e-14, relTol: 1e-12, order: 10, maxPanels: 400 };

/** A(E) = ∫_1^∞ dω/((ω − E)√(ω² − 1)) for E < 1 (physics.md); A(−1) = 1. */
export function edgeIntegralA(E: number): number {
  if (!(E < 1)) throw new RangeError(`edgeIntegralA: E = ${E} must be < 1`);
  if (E === -1) return 1;
  if (E > -1) {
    const kappa = Math.sqrt((1 - E) * (1 + E));
    // arccos(−E) = 2·asin(√((1 + E)/2)), accurate near E = −1.
    return (2 * Math.asin(Math.sqrt((1 + E) / 2))) / kappa;
  }
  const s = Math.sqrt((-E - 1) * (1 - E));
  return (2 * Math.asinh(Math.sqrt((-E - 1) / 2))) / s;
}

/** A'(E) = ∫_1^∞ dω/((ω − E)²√(ω² − 1)) = (1 + E·A)/(1 − E²), by quadrature near E = −1. */
export function edgeIntegralADerivative(E: number): number {
  if (!(E < 1)) throw new RangeError(`edgeIntegralADerivative: E = ${E} must be < 1`);
  if (Math.abs(E + 1) < 0.05) {
    // ∫_0^∞ du/(cosh u − E)², smooth and decaying like e^{−2u}.
    return integrate((u) => { const d = Math.cosh(u) - E; return 1 / (d * d); }, 0, 40, [1, 4], QUAD).value;
  }
  return (1 + E * edgeIntegralA(E)) / ((1 - E) * (1 + E));
}

/** Upper limit of the u-integrals: beyond it e^{−τ cosh u}/sinh²u is below 1e-17 of its start. */
function uMax(tau: number): number {
  return tau > 0 ? Math.min(Math.acosh(1 + 40 / tau), 22) : 22;
}

function uBreaks(E: number, tau: number, U: number): number[] {
  const a = Math.abs(E);
  const b = [0.25 * a, a, 4 * a, 1, 3];
  if (tau > 0) b.push(Math.acosh(1 + 1 / tau));
  return b.filter((x) => x > 0 && x < U);
}

/**
 * E·Q(E) = E ∫_0^∞ e^{−τ cosh u}/(sinh²u + E²) du. For small |E| the Lorentzian peak at u ≈ 0 is
 * subtracted in closed form (its integral is sign(E)·(π/2)·e^{−τ}), leaving a bounded integrand.
 * At E = 0 the value is the limit from below, −(π/2)e^{−τ}.
 */
export function eTimesQ(E: number, tau: number): number {
  const U = uMax(tau);
  const breaks = uBreaks(E, tau, U);
  // E·Q(E) jumps by π e^{−τ} across E = 0 (the pole term of C takes over); at E = 0 return the 0⁻ limit,
  // which is what the E ≤ 0 branch of reducedSelfEnergy needs.
  if (E === 0) return -0.5 * Math.PI * Math.exp(-tau);
  if (Math.abs(E) >= 0.1) {
    const E2 = E * E;
    return E * integrate((u) => { const s = Math.sinh(u); return Math.exp(-tau * Math.cosh(u)) / (s * s + E2); }, 0, U, breaks, QUAD).value;
  }
  const E2 = E * E;
  const et = Math.exp(-tau);
  const rest = integrate((u) => {
    const s = Math.sinh(u);
    return Math.exp(-tau * Math.cosh(u)) / (s * s + E2) - et / (u * u + E2);
  }, 0, U, breaks, QUAD).value;
  const aE = Math.abs(E);
  // ∫_U^∞ e^{−τ}/(u² + E²) du = e^{−τ}(π/2 − atan(U/|E|))/|E| = e^{−τ} atan(|E|/U)/|E|
  const tailOfSubtracted = (et * Math.atan(aE / U)) / aE;
  return Math.sign(E) * (0.5 * Math.PI * et) + E * (rest - tailOfSubtracted);
}

/**
 * W(E) = −Q(E) + 2E²·Q2(E) = ∫_0^∞ e^{−τ cosh u}(E² − sinh²u)/(sinh²u + E²)² du, the E-derivative of
 * −E·Q(E). For small |E| the exact zero ∫_0^∞ (E² − u²)/(u² + E²)² du = 0 is subtracted.
 */
export function wIntegral(E: number, tau: number): number {
  const U = uMax(tau);
  const breaks = uBreaks(E, tau, U);
  const E2 = E * E;
  const core = (u: number): number => {
    const s = Math.sinh(u);
    const d = s * s + E2;
    return (Math.exp(-tau * Math.cosh(u)) * (E2 - s * s)) / (d * d);
  };
  if (Math.abs(E) >= 0.1) return integrate(core, 0, U, breaks, QUAD).value;
  const et = Math.exp(-tau);
  const rest = integrate((u) => {
    const d = u * u + E2;
    return core(u) - (et * (E2 - u * u)) / (d * d);
  }, 0, U, breaks, QUAD).value;
  // ∫_0^U (E² − u²)/(u² + E²)² du = U/(U² + E²)
  return rest + (et * U) / (U * U + E2);
}

/** g2(x) = 1 − e^{−x}(1 + x), by its series for small x. */
function oneMinusExpOnePlus(x: number): number {
  if (x > 0.5) return 1 - Math.exp(-x) * (1 + x);
  let term = (x * x) / 2; // n = 2 term magnitude x^n/n!
  let sum = 0;
  for (let n = 2; n < 40; n++) {
    if (n > 2) term *= x / n;
    const t = (n % 2 === 0 ? 1 : -1) * (n - 1) * term;
    sum += t;
    if (Math.abs(t) < 1e-18 * Math.abs(sum)) break;
  }
  return sum;
}

/** T1(κ) = (κ − √(1−κ²)·asin κ)/κ³ = κ⁻³ ∫_0^κ x asin(x)/√(1 − x²) dx, without cancellation. */
function edgeTermT1(kappa: number): number {
  if (kappa >= 0.3) {
    const E = Math.sqrt((1 - kappa) * (1 + kappa));
    return (kappa - E * Math.asin(kappa)) / (kappa * kappa * kappa);
  }
  const { x, w } = gaussLegendre(16);
  let s = 0;
  for (let i = 0; i < x.length; i++) {
    const v = 0.5 * kappa * (x[i] + 1);
    s += w[i] * v * Math.asin(v) / Math.sqrt(1 - v * v);
  }
  return (0.5 * kappa * s) / (kappa * kappa * kappa);
}

/** Reduced self-energy I±(E) = (2π/Γ11)·Σ±(E), E < 1. */
export function reducedSelfEnergy(channel: Channel, E: number, tau: number): number {
  if (E === 1 && channel === '-') return reducedSelfEnergy('-', 1 - Number.EPSILON / 2, tau);
  const A = edgeIntegralA(E);
  let iMinus: number;
  if (tau === 0) iMinus = 0;
  else if (E > 0) {
    const kappa = Math.sqrt((1 - E) * (1 + E));
    // −arccos(E)/κ → −1 and π(1 − e^{−τκ})/κ → πτ as E → 1 (κ → 0).
    const edge = kappa > 0 ? -Math.acos(E) / kappa : -1;
    const pole = kappa > 0 ? (Math.PI * -Math.expm1(-tau * kappa)) / kappa : Math.PI * tau;
    iMinus = edge + pole + eTimesQ(E, tau);
  } else {
    iMinus = A + eTimesQ(E, tau);
  }
  return channel === '-' ? iMinus : 2 * A - iMinus;
}

/** Reduced derivative I±'(E) = (2π/Γ11)·∫ J±/(ω − E)² dω, E < 1. */
export function reducedSelfEnergyDerivative(channel: Channel, E: number, tau: number): number {
  const dA = edgeIntegralADerivative(E);
  let dMinus: number;
  if (tau === 0) dMinus = 0;
  else if (E > 0) {
    const kappa = Math.sqrt((1 - E) * (1 + E));
    dMinus = edgeTermT1(kappa) + (Math.PI * E * oneMinusExpOnePlus(tau * kappa)) / (kappa * kappa * kappa) - wIntegral(E, tau);
  } else {
    dMinus = dA - wIntegral(E, tau);
  }
  return channel === '-' ? dMinus : 2 * dA - dMinus;
}

/** Σ±(E) = ∫ J±(ω)/(ω − E) dω for E < 1 (Eq. 7: Y±(E) = ω0 − Σ±(E)). */
export function selfEnergy(channel: Channel, E: number, gamma11: number, tau: number): number {
  return (gamma11 / TWO_PI) * reducedSelfEnergy(channel, E, tau);
}

/** Σ±'(E) = ∫ J±(ω)/(ω − E)² dω for E < 1; the residue of Eq. (8) is Z± = ½/(1 + Σ±'(E±)). */
export function selfEnergyDerivative(channel: Channel, E: number, gamma11: number, tau: number): number {
  return (gamma11 / TWO_PI) * reducedSelfEnergyDerivative(channel, E, tau);
}

/**
 * Level shift Δ±(ω) = PV ∫ J±(ω')/(ω − ω') dω' for ω > 1, written in the longitudinal wave number
 * k = √(ω² − 1) (so it is smooth down to k → 0):
 *   Δ± = (Γ11/2π)·[asinh(k)/k ± (π sin(τk)/k + ω·Q(ω))].
 */
export function levelShiftK(channel: Channel, k: number, gamma11: number, tau: number): number {
  const omega = Math.sqrt(1 + k * k);
  const a = k > 1e-8 ? Math.asinh(k) / k : 1 - (k * k) / 6;
  let c: number;
  if (tau === 0) c = a;
  else {
    const sinc = k > 1e-8 ? Math.sin(tau * k) / k : tau * (1 - (tau * k) ** 2 / 6);
    c = Math.PI * sinc + eTimesQ(omega, tau);
  }
  return (gamma11 / TWO_PI) * (channel === '+' ? a + c : a - c);
}

/** Δ±(ω) for ω > 1 (see levelShiftK). */
export function levelShift(channel: Channel, omega: number, gamma11: number, tau: number): number {
  if (!(omega > 1)) throw new RangeError(`levelShift: ω = ${omega} must be > 1 (above the band edge)`);
  return levelShiftK(channel, Math.sqrt((omega - 1) * (omega + 1)), gamma11, tau);
}
