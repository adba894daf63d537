import { integrate } from '../numerics/quadrature.js';
import { gaussLegendre } from '../numerics/gaussLegendre.js';
import { productError } from '../numerics/twoProduct.js';
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
/** ω·P is O(τ) and its share of Δ must stay accurate however small τ is: a purely relative target. */
const P_QUAD = { absTol: 0, relTol: 1e-14, order: 10, maxPanels: 4000 };

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
  // E·Q(E) jumps by π e^{−τ} across E = 0 (the pole term of C takes over); at E = 0 return the 0⁻ limit,
  // which is what the E ≤ 0 branch of reducedSelfEnergy needs.
  if (E === 0) return -0.5 * Math.PI * Math.exp(-tau);
  if (Math.abs(E) >= 0.1) {
    const U = uMax(tau);
    const E2 = E * E;
    return E * integrate((u) => { const s = Math.sinh(u); return Math.exp(-tau * Math.cosh(u)) / (s * s + E2); }, 0, U, uBreaks(E, tau, U), QUAD).value;
  }
  // E·Q = sign(E)(π/2)e^{−τ} + E·R(E) with R even in E and R(E) = R(0) + O(|E|); below E_TINY, R is
  // taken at E_TINY (E² would underflow near |E| ≈ 1e-154 and give ∞ − ∞): an error O(|E|·E_TINY).
  return Math.sign(E) * (0.5 * Math.PI * Math.exp(-tau)) + E * smallERemainder(Math.max(Math.abs(E), E_TINY), tau);
}

/**
 * Below this |E| the small-E forms of eTimesQ and wIntegral take their E-dependence at |E| = E_TINY:
 * both remainders are even in E and differ from their E → 0 limits by O(|E|) (the Lorentzian
 * subtraction leaves a bounded integrand whose E-dependence is ∫(E²/(u² + E²))·O(1) du = O(|E|)), so
 * the substitution changes E·Q by O(1e-60) and W by O(1e-30) absolute, far below rounding; and at
 * 1e-30, E² = 1e-60 and (u² + E²)² ≥ 1e-120 stay far from underflow (which, below |E| ≈ 1e-154 for E²
 * and 1e-77 for the squared denominator, gave NaN).
 */
const E_TINY = 1e-30;

/** R(E) = ∫_0^∞ [e^{−τ cosh u}/(sinh²u + E²) − e^{−τ}/(u² + E²)] du − (tail of the subtracted term), |E| < 0.1. */
function smallERemainder(aE: number, tau: number): number {
  const U = uMax(tau);
  const E2 = aE * aE;
  const et = Math.exp(-tau);
  const rest = integrate((u) => {
    const s = Math.sinh(u);
    return Math.exp(-tau * Math.cosh(u)) / (s * s + E2) - et / (u * u + E2);
  }, 0, U, uBreaks(aE, tau, U), QUAD).value;
  // ∫_U^∞ e^{−τ}/(u² + E²) du = e^{−τ}(π/2 − atan(U/|E|))/|E| = e^{−τ} atan(|E|/U)/|E|
  return rest - (et * Math.atan(aE / U)) / aE;
}

/**
 * W(E) = −Q(E) + 2E²·Q2(E) = ∫_0^∞ e^{−τ cosh u}(E² − sinh²u)/(sinh²u + E²)² du, the E-derivative of
 * −E·Q(E). For small |E| the exact zero ∫_0^∞ (E² − u²)/(u² + E²)² du = 0 is subtracted.
 */
export function wIntegral(E: number, tau: number): number {
  // W is even in E and W(E) = W(0) + O(|E|): below E_TINY (and at 0) take it at E_TINY (see E_TINY).
  if (Math.abs(E) < E_TINY) E = E_TINY;
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
  // At the edge itself (the antisymmetric limit I−(1⁻), finite): I−(1) = πτ − ω·P(1) (omegaP), two
  // terms of order τ (πτ and ≤ πτ/2) with no cancellation, so its sign and size hold for any τ > 0.
  if (E === 1 && channel === '-') return tau === 0 ? 0 : Math.PI * tau - omegaP(1, tau);
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
 * ω·P(ω) = ω ∫_0^∞ (1 − e^{−τ cosh u})/(sinh²u + ω²) du for ω ≥ 1 (so that ω·Q(ω) = asinh(k)/k − ω·P(ω),
 * since ω·Q at τ = 0 is asinh(k)/k). It is the part of the level shift that vanishes with τ: the
 * antisymmetric bracket of levelShiftK is ω·P − π sin(τk)/k, two terms of order τ with no cancellation
 * between them (ω·P → πτ/2, π sin(τk)/k → πτ), whereas a − (π sin(τk)/k + ω·Q) subtracts two numbers
 * of order 1 and leaves an absolute rounding error ≈ 1e-16 that, at small Δz, is no longer small
 * against the O(τ²) width of the antisymmetric resonance. 1 − e^{−x} is evaluated as −expm1(−x).
 * The integrand decays like 2τe^{−u} until τ cosh u ≈ 1 and like 4e^{−2u} after, so the range ends 20
 * beyond max(acosh(1 + 1/τ), asinh ω). Below τ = 1e-100, ω·P = πτ/2 to double precision (the next
 * term is O(τ² ln τ)); from τ = 0.5 on, where nothing cancels, it is asinh(k)/k − ω·Q.
 */
export function omegaP(omega: number, tau: number): number {
  if (tau === 0) return 0;
  if (tau < 1e-100) return 0.5 * Math.PI * tau;
  if (tau >= P_DIRECT_TAU) {
    // ω·Q ≤ e^{−τ}·asinh(k)/k, so the difference keeps its relative accuracy, and ω·Q's integrand is
    // cut off by e^{−τ cosh u} (≈ 3× cheaper than the expm1 form, which matters for sweeps over Δz).
    const k = Math.sqrt((omega - 1) * (omega + 1));
    return asinhOverK(k) - eTimesQ(omega, tau);
  }
  return omega * pIntegral(omega, tau, (s2, w2) => 1 / (s2 + w2));
}

/** asinh(k)/k, by its series 1 − k²/6 + 3k⁴/40 below k = 1e-4 (next term ≈ 1e-26). */
function asinhOverK(k: number): number {
  return k > 1e-4 ? Math.asinh(k) / k : 1 - (k * k) / 6 + (3 * k ** 4) / 40;
}

/** From this τ on, ω·P is computed as asinh(k)/k − ω·Q (no cancellation: ω·Q ≤ e^{−τ}·asinh(k)/k). */
const P_DIRECT_TAU = 0.5;

/**
 * d(ω·P)/dω = ∫_0^∞ (1 − e^{−τ cosh u})(sinh²u − ω²)/(sinh²u + ω²)² du (see omegaP); it vanishes like
 * τ² ln τ as τ → 0 (the O(τ) term is τ∫(s² − ω²)/(s² + ω²)² ds = 0).
 */
export function omegaPDerivative(omega: number, tau: number): number {
  if (tau < 1e-100) return 0;
  // From τ = 0.5 on: d(asinh(k)/k)/dω − d(ωQ)/dω = ω·h(k) + W(ω), W = −d(ωQ)/dω (wIntegral).
  if (tau >= P_DIRECT_TAU) return omega * asinhSlope(Math.sqrt((omega - 1) * (omega + 1))) + wIntegral(omega, tau);
  return pIntegral(omega, tau, (s2, w2) => (s2 - w2) / ((s2 + w2) * (s2 + w2)));
}

function pIntegral(omega: number, tau: number, rational: (s2: number, w2: number) => number): number {
  const uStar = Math.acosh(1 + 1 / tau);
  const uOmega = Math.asinh(omega);
  const U = Math.max(uStar, uOmega) + 20;
  const w2 = omega * omega;
  const breaks = [0.25 * uOmega, uOmega, 4 * uOmega, 1, 3, uStar - 3, uStar, uStar + 3].filter((x) => x > 0 && x < U);
  return integrate((u) => {
    const s = Math.sinh(u);
    return -Math.expm1(-tau * Math.cosh(u)) * rational(s * s, w2);
  }, 0, U, breaks, P_QUAD).value;
}

/**
 * π sin(τk)/k, with its k → 0 limit. sin(τk) is taken at the exact product τ·k (its rounding error
 * from Veltkamp–Dekker splitting) plus τ·e: at τk ≈ 10³ the rounding of τ·k alone (≈1e-13) would make
 * Δ jitter by ≈1e-16·Γ from one k to the next, which a peak of width 1e-9 resolves. `e` is an exact
 * correction to k (k + e is the intended wave number; see continuumDensityOffset); without it (the
 * default, for nodes of ordinary peaks, where the jitter is below 1e-10 of any width) the plain sine.
 */
function piSinc(k: number, tau: number, e?: number): number {
  if (k <= 1e-8) return Math.PI * tau * (1 - (tau * k) ** 2 / 6);
  const p = tau * k;
  if (e === undefined) return (Math.PI * Math.sin(p)) / k;
  const d = productError(tau, k, p) + tau * e;
  return (Math.PI * (Math.sin(p) + Math.cos(p) * d)) / (k + e);
}

/**
 * The bracket of the level shift, (2π/Γ11)·Δ±, from a = asinh(k)/k, π sin(τk)/k and ω·P (omegaP):
 *   + : 2a + π sin(τk)/k − ω·P,      − : ω·P − π sin(τk)/k.
 * `e`, if given, corrects k in the sine term, which is then evaluated at the exact product τ·k (see
 * piSinc); a and ω·P vary slowly enough not to need it.
 */
export function levelShiftBracket(channel: Channel, k: number, tau: number, wP: number, e?: number): number {
  const sinc = piSinc(k, tau, e);
  if (channel === '-') return wP - sinc;
  return 2 * asinhOverK(k) + sinc - wP;
}

/**
 * Level shift Δ±(ω) = PV ∫ J±(ω')/(ω − ω') dω' for ω > 1, written in the longitudinal wave number
 * k = √(ω² − 1) (so it is smooth down to k → 0):
 *   Δ± = (Γ11/2π)·[asinh(k)/k ± (π sin(τk)/k + ω·Q(ω))],
 * evaluated as levelShiftBracket with ω·Q = asinh(k)/k − ω·P (omegaP), exact at τ = 0 (Δ− ≡ 0).
 */
export function levelShiftK(channel: Channel, k: number, gamma11: number, tau: number): number {
  return (gamma11 / TWO_PI) * levelShiftBracket(channel, k, tau, omegaP(Math.sqrt(1 + k * k), tau));
}

/** g(x) = (x cos x − sin x)/x³ = Σ_{n≥1} (−1)^n 2n x^{2n−2}/(2n + 1)!, by the series for |x| < 1. */
export function sincSlope(x: number): number {
  if (Math.abs(x) >= 1) return (x * Math.cos(x) - Math.sin(x)) / (x * x * x);
  const x2 = x * x;
  let sum = 0;
  let inv = 1 / 6; // 1/(2n + 1)! at n = 1
  let pow = 1; // x^{2n−2}
  for (let n = 1; n < 20; n++) {
    const term = (n % 2 === 0 ? 2 : -2) * n * pow * inv;
    sum += term;
    if (Math.abs(term) < 1e-18 * Math.abs(sum)) break;
    pow *= x2;
    inv /= (2 * n + 2) * (2 * n + 3);
  }
  return sum;
}

/**
 * h(k) = (k/ω − asinh k)/k³ = −k⁻³ ∫_0^k t²(1 + t²)^{−3/2} dt, ω = √(1 + k²); by 16-point Gauss–Legendre
 * for k < 1 (the integrand's poles at ±i keep the rule at ≈1e-20), directly above.
 */
export function asinhSlope(k: number): number {
  if (k >= 1) return (k / Math.sqrt(1 + k * k) - Math.asinh(k)) / (k * k * k);
  const { x, w } = gaussLegendre(16);
  let s = 0;
  for (let i = 0; i < x.length; i++) {
    const t = 0.5 * k * (x[i] + 1);
    s += w[i] * t * t / Math.pow(1 + t * t, 1.5);
  }
  return (-0.5 * k * s) / (k * k * k);
}

/**
 * dΔ±/dω above the band edge, analytically (it sets the weight 1/(1 − Δ') of a resonance):
 *   (2π/Γ11)·dΔ+/dω = 2ω·(k/ω − asinh k)/k³ + πω·τ³·g(τk) − d(ωP)/dω,
 *   (2π/Γ11)·dΔ−/dω = d(ωP)/dω − πω·τ³·g(τk),     g(x) = (x cos x − sin x)/x³,
 * using dk/dω = ω/k; both k³ quotients are evaluated without cancellation (sincSlope, asinhSlope).
 */
export function levelShiftDerivativeK(channel: Channel, k: number, gamma11: number, tau: number): number {
  const omega = Math.sqrt(1 + k * k);
  const sincPart = Math.PI * omega * tau * tau * tau * sincSlope(tau * k);
  const dP = omegaPDerivative(omega, tau);
  let bracket: number;
  if (channel === '-') bracket = dP - sincPart;
  else bracket = 2 * omega * asinhSlope(k) + sincPart - dP;
  return (gamma11 / TWO_PI) * bracket;
}

/** Δ±(ω) for ω > 1 (see levelShiftK). */
export function levelShift(channel: Channel, omega: number, gamma11: number, tau: number): number {
  if (!(omega > 1)) throw new RangeError(`levelShift: ω = ${omega} must be > 1 (above the band edge)`);
  return levelShiftK(channel, Math.sqrt((omega - 1) * (omega + 1)), gamma11, tau);
}
