/**
 * Independent numerical checks of a reservoir Component (docs/reservoirs.md, "The conformance test"):
 * each quantity is recomputed from another one by quadrature, never from the component's own closed form.
 *
 * - laplaceOfKernel(c, E): ∫_0^∞ φ(t) e^{iEt} dt, which equals iσ(E) for E in a gap (shared/scenes.md §6)
 *   and iδ(ω) + πj(ω) for E = ω inside a band (the retarded Σ(ω + i0) = δ − iπj, times i).
 * - kernelFromDensity(c, t): ∫ j(ω) e^{−iωt} dω.
 * - principalValue(c, ω): PV ∫ j(ω')/(ω − ω') dω'.
 *
 * ## Methods and accuracy
 * Laplace transform (damping + extrapolation): I(η) = ∫_0^∞ φ(t) e^{(iE − η)t} dt = iΣ(E + iη) is
 * analytic in η for |η| < d, d the distance from E to the nearest band edge (in a gap) or edge (inside a
 * band, continued through the cut). It is computed at η_k = d/2^{k+1}, k = 0…6, by composite 16-point
 * Gauss–Legendre on [0, 36/η_min] (e^{−36} ≈ 2e-16) with panels of length ≤ min(1, 4/f), f the largest
 * |E − edge| (the fastest oscillation of the integrand away from singular times), and geometric
 * refinement (52 halvings) at the kernel's singular times; then I(0) by polynomial (Neville)
 * extrapolation through the 7 points. The extrapolation error is ~ Π η_k/d^7 ≈ 2^−28 ≈ 4e-9 times the
 * size of Σ's Taylor coefficients; `error` is the change between the last two extrapolation orders.
 * Density → kernel: the same idea in ω: F(ε) = ∫ j(ω) e^{−iωt − εω} dω = φ(t − iε), analytic for
 * |ε| < r, r the distance from t to the nearest ± singular time, at ε_k = r/2^{k+2} (only when a band
 * is unbounded; bounded bands are integrated at ε = 0). Square-root edges are removed by ω = centre −
 * half·cos θ on each interval between edges and by ω = A + u² on [A, A + 1] above the last edge.
 * Principal value: the symmetric pairing ∫_0^h [j(ω − u) − j(ω + u)]/u du on [ω − h, ω + h] (no edge
 * inside, adaptive Gauss–Legendre to 1e-13), the cos substitution on the finite pieces (64 panels of
 * 16 points in θ), and for an unbounded band the integral up to
 * W = 2000, 4000, 8000 (+ the last edge) Richardson-extrapolated in 1/W (the tail of a non-oscillating
 * j ~ 1/ω is a/W + b/W² + …; an oscillating one, cos(τω)/ω, leaves ~ 1/(2πτW²) ≈ 1e-8/τ).
 */
import { gaussLegendre } from '../../../src/numerics/gaussLegendre.js';
import { integrate } from '../../../src/numerics/quadrature.js';
import type { Component } from '../../../src/model/reservoirs/reservoir.js';

const GL = gaussLegendre(16);
const LEVELS = 7;

/** Calls push(t, w) for the 16-point Gauss–Legendre nodes of [a, b] cut into panels of length ≤ h. */
function panels(a: number, b: number, h: number, push: (t: number, w: number) => void): void {
  if (!(b > a)) return;
  const m = Math.max(1, Math.ceil((b - a) / h));
  const step = (b - a) / m;
  for (let p = 0; p < m; p++) {
    const lo = a + p * step;
    const half = 0.5 * step;
    const c = lo + half;
    for (let i = 0; i < 16; i++) push(c + half * GL.x[i], half * GL.w[i]);
  }
}

/** Panels of [a, b] refined geometrically towards a (if refineA) and b (if refineB), length ≤ h elsewhere. */
function gradedPanels(a: number, b: number, h: number, refineA: boolean, refineB: boolean, push: (t: number, w: number) => void): void {
  const L = Math.min(h, 0.25 * (b - a));
  let lo = a;
  let hi = b;
  // Panels that would round onto the singular point itself (a + L·2^−k = a) are skipped: their
  // share of a log-singular integral is below 1e-15·L.
  if (refineA) {
    for (let k = 52; k >= 0; k--) {
      const p = a + L * 2 ** -(k + 1);
      if (p > a) panels(p, a + L * 2 ** -k, Infinity, push);
    }
    lo = a + L;
  }
  if (refineB) {
    for (let k = 52; k >= 0; k--) {
      const p = b - L * 2 ** -(k + 1);
      if (p < b) panels(b - L * 2 ** -k, p, Infinity, push);
    }
    hi = b - L;
  }
  panels(lo, hi, h, push);
}

/** Neville extrapolation to x = 0 of complex samples; error = change between the last two orders. */
export function extrapolateToZero(x: readonly number[], re: readonly number[], im: readonly number[]): { re: number; im: number; error: number } {
  const n = x.length;
  const pr = [...re];
  const pi = [...im];
  let prevRe = pr[n - 1];
  let prevIm = pi[n - 1];
  let lastRe = prevRe;
  let lastIm = prevIm;
  for (let m = 1; m < n; m++) {
    for (let i = 0; i < n - m; i++) {
      // P_{i..i+m}(0) = (x_{i+m} P_{i..i+m−1} − x_i P_{i+1..i+m})/(x_{i+m} − x_i)
      const d = x[i + m] - x[i];
      pr[i] = (x[i + m] * pr[i] - x[i] * pr[i + 1]) / d;
      pi[i] = (x[i + m] * pi[i] - x[i] * pi[i + 1]) / d;
    }
    prevRe = lastRe;
    prevIm = lastIm;
    lastRe = pr[0];
    lastIm = pi[0];
  }
  return { re: lastRe, im: lastIm, error: Math.hypot(lastRe - prevRe, lastIm - prevIm) };
}

/** Finite band ends and edges of a component, ascending and distinct. */
function finitePoints(c: Component): number[] {
  const pts = [...c.edges, ...c.bands.flat()].filter(Number.isFinite);
  return [...new Set(pts)].sort((a, b) => a - b);
}

/** ∫_0^∞ φ(t) e^{iEt} dt by damping and extrapolation (see the file comment). */
export function laplaceOfKernel(c: Component, E: number): { re: number; im: number; error: number } {
  const pts = finitePoints(c);
  const d = Math.min(...pts.map((p) => Math.abs(E - p)));
  const f = Math.max(...pts.map((p) => Math.abs(E - p)));
  const h = Math.min(1, 4 / f);
  const etas = Array.from({ length: LEVELS }, (_, k) => d * 2 ** -(k + 1));
  const T = 36 / etas[LEVELS - 1];
  const sre = new Float64Array(LEVELS);
  const sim = new Float64Array(LEVELS);
  const phi = new Float64Array(2);
  const push = (t: number, w: number): void => {
    c.kernel(t, phi, 0);
    const cr = Math.cos(E * t);
    const ci = Math.sin(E * t);
    const vr = w * (phi[0] * cr - phi[1] * ci);
    const vi = w * (phi[0] * ci + phi[1] * cr);
    for (let k = 0; k < LEVELS; k++) {
      const damp = Math.exp(-etas[k] * t);
      sre[k] += vr * damp;
      sim[k] += vi * damp;
    }
  };
  const sing = [...new Set(c.singularTimes)].filter((s) => s >= 0 && s < T).sort((a, b) => a - b);
  const cuts = [0, ...sing.filter((s) => s > 0), T];
  for (let i = 0; i < cuts.length - 1; i++) {
    gradedPanels(cuts[i], cuts[i + 1], h, sing.includes(cuts[i]), sing.includes(cuts[i + 1]), push);
  }
  return extrapolateToZero(etas, [...sre], [...sim]);
}

/** ∫ j(ω) e^{−iωt} dω (see the file comment); t must not be a singular time. */
export function kernelFromDensity(c: Component, t: number): { re: number; im: number; error: number } {
  const pts = finitePoints(c);
  const unbounded = c.bands.some(([, hi]) => hi === Number.POSITIVE_INFINITY);
  const r = Math.min(t, ...c.singularTimes.flatMap((s) => [Math.abs(t - s), t + s]));
  const eps = unbounded ? Array.from({ length: LEVELS }, (_, k) => r * 2 ** -(k + 2)) : [0];
  const sre = new Float64Array(eps.length);
  const sim = new Float64Array(eps.length);
  const add = (omega: number, w: number): void => {
    const j = c.density(omega) * w;
    const vr = j * Math.cos(omega * t);
    const vi = -j * Math.sin(omega * t);
    for (let k = 0; k < eps.length; k++) {
      const damp = eps[k] === 0 ? 1 : Math.exp(-eps[k] * omega);
      sre[k] += vr * damp;
      sim[k] += vi * damp;
    }
  };
  for (const [lo, hi] of c.bands) {
    const inner = [lo, ...pts.filter((p) => p > lo && p < hi), ...(Number.isFinite(hi) ? [hi] : [])];
    for (let i = 0; i < inner.length - 1; i++) cosSubstitution(inner[i], inner[i + 1], t, add);
    if (!Number.isFinite(hi)) {
      const A = inner[inner.length - 1];
      // [A, A + 1] with ω = A + u², dω = 2u du
      panels(0, 1, Math.min(0.25, 2 / (t + 1)), (u, w) => add(A + u * u, 2 * u * w));
      const omegaMax = A + 1 + 36 / eps[eps.length - 1];
      panels(A + 1, omegaMax, Math.min(1, 3 / t), add);
    }
  }
  return eps.length === 1 ? { re: sre[0], im: sim[0], error: 0 } : extrapolateToZero(eps, [...sre], [...sim]);
}

/** Nodes of [a, b] through ω = (a + b)/2 − (b − a)/2·cos θ (removes inverse-square-root ends). */
function cosSubstitution(a: number, b: number, t: number, add: (omega: number, w: number) => void): void {
  const mid = 0.5 * (a + b);
  const half = 0.5 * (b - a);
  const h = Math.min(0.5, 3 / (1 + half * t));
  panels(0, Math.PI, h, (theta, w) => add(mid - half * Math.cos(theta), w * half * Math.sin(theta)));
}

/** PV ∫ j(ω')/(ω − ω') dω' for ω strictly inside a band and not at an edge (see the file comment). */
export function principalValue(c: Component, omega: number): number {
  const band = c.bands.find(([lo, hi]) => omega > lo && omega < hi);
  if (!band) throw new RangeError(`ω = ${omega} is not inside a band of ${c.label}`);
  const [lo, hi] = band;
  const pts = [lo, ...finitePoints(c).filter((p) => p > lo && p < hi), ...(Number.isFinite(hi) ? [hi] : [])];
  const h = 0.5 * Math.min(...pts.map((p) => Math.abs(omega - p)));
  const f = (w: number): number => c.density(w) / (omega - w);
  const opts = { absTol: 1e-13, relTol: 1e-13, order: 16, maxPanels: 20000 };
  // central part: ∫_0^h [j(ω − u) − j(ω + u)]/u du
  let sum = integrate((u) => (c.density(omega - u) - c.density(omega + u)) / u, 0, h, [], opts).value;
  const cuts = [...pts, omega - h, omega + h].sort((a, b) => a - b);
  for (let i = 0; i < cuts.length - 1; i++) {
    const a = cuts[i];
    const b = cuts[i + 1];
    if (a === omega - h) continue; // the central interval
    // Fixed panels, not adaptive: near an edge j(ω') carries the rounding of ω' − edge (relative
    // error ulp(ω')/(ω' − edge)), which an adaptive rule chasing 1e-13 would refine forever.
    const mid = 0.5 * (a + b);
    const half = 0.5 * (b - a);
    panels(0, Math.PI, Math.PI / 64, (th, w) => { sum += f(mid - half * Math.cos(th)) * half * Math.sin(th) * w; });
  }
  if (Number.isFinite(hi)) return sum;
  // [A, ∞): ω' = A + u² on [A, A + 1], then up to W1, W2 = 2W1, W3 = 4W1 and Richardson in 1/W.
  const A = cuts[cuts.length - 1];
  sum += integrate((u) => f(A + u * u) * 2 * u, 0, 1, [0.25, 0.5], opts).value;
  const W1 = A + 2000;
  const piece = (a: number, b: number): number => {
    let s = 0;
    panels(a, b, 0.5, (w, wt) => { s += f(w) * wt; });
    return s;
  };
  const P1 = sum + piece(A + 1, W1);
  const P2 = P1 + piece(W1, 2 * W1);
  const P3 = P2 + piece(2 * W1, 4 * W1);
  const R1 = 2 * P2 - P1;
  const R2 = 2 * P3 - P2;
  return (4 * R2 - R1) / 3;
}
