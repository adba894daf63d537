/**
 * Independent numerical checks of a reservoir Component (docs/reservoirs.md, "The conformance test"):
 * each quantity is recomputed from another one by quadrature, never from the component's own closed form.
 *
 * - laplaceOfKernel(c, E): ∫_0^∞ φ(t) e^{iEt} dt, which equals iσ(E) for E in a gap (shared/scenes.md §6).
 * - kernelFromDensity(c, t): ∫ j(ω) e^{−iωt} dω.
 * - principalValue(c, ω): PV ∫ j(ω')/(ω − ω') dω'.
 *
 * ## Methods and accuracy
 * Laplace transform (smooth window): for E in a gap, f(t) = φ(t)e^{iEt} = ∫ j(ω) e^{−i(ω − E)t} dω
 * contains only frequencies ν = ω − E with |ν| ≥ d, d the distance from E to the nearest edge. With a
 * window w(t/T) that is 1 near t = 0 and falls to 0 smoothly, integration by parts gives
 *   ∫_0^∞ f(t) w(t/T) dt = ∫ j(ω) [1 + ŵ'(νT)]/(iν) dω,   ŵ'(q) = ∫ e^{−iqs} w'(s) ds,
 * and for w(s) = ½ erfc((s − 0.55)/(0.06√2)) (w' a Gaussian of width 0.06) |ŵ'(νT)| = e^{−(0.06νT)²/2}:
 * with T = 150/d this is below e^{−40} ≈ 4e-18 for every |ν| ≥ d, so the windowed integral equals
 * ∫ j/(iν) = iσ(E) to rounding and quadrature error — no extrapolation, and ~30× fewer kernel calls than
 * exponential damping (which matters for numerical kernels). w(0) = 1 − O(e^{−42}), w(1) ≈ 3e-14.
 * Quadrature: composite 16-point Gauss–Legendre on [0, T] with panels of length ≤ min(2, 8/f), f the
 * largest |E − edge| (≤ 8 radians a panel away from singular times), and geometric refinement
 * (52 halvings) at the kernel's singular times.
 * Density → kernel: the same window in ω for an unbounded band, ∫ j(ω) e^{−iωt} w((ω − A)/Ω) dω with
 * Ω = 150/r, r the distance from t to the nearest ± singular time (the "frequencies" of j as a function
 * of ω are the times where φ is singular: ±τ and 0); bounded bands are integrated as they are.
 * Square-root edges are removed by ω = centre − half·cos θ on each interval between edges and by
 * ω = A + u² on [A, A + 1] above the last edge.
 * Principal value: the symmetric pairing ∫_0^h [j(ω − u) − j(ω + u)]/u du on [ω − h, ω + h] (no edge
 * inside, adaptive Gauss–Legendre to 1e-13), the cos substitution on the finite pieces (64 panels of
 * 16 points in θ), and for an unbounded band the integral with the smooth window w((ω' − A)/Ω) for
 * Ω = 2000, 4000, 8000, Richardson-extrapolated in 1/Ω (the window makes the cut-off of an oscillating
 * j ~ cos(τω)/ω negligible, ~e^{−(0.06τΩ)²/2}; a non-oscillating j ~ 1/ω leaves a/Ω + b/Ω² + …).
 */
import { gaussLegendre } from '../../../src/numerics/gaussLegendre.js';
import { integrate } from '../../../src/numerics/quadrature.js';
import type { Component } from '../../../src/model/reservoirs/reservoir.js';

const GL = gaussLegendre(16);

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

/** Finite band ends and edges of a component, ascending and distinct. */
function finitePoints(c: Component): number[] {
  const pts = [...c.edges, ...c.bands.flat()].filter(Number.isFinite);
  return [...new Set(pts)].sort((a, b) => a - b);
}

/** erfc(x) for x ≥ 0 as (2/√π)∫_x^{x+6.5} e^{−u²} du (4 panels of 16-point Gauss–Legendre; the rest < e^{−42}). */
function erfcPos(x: number): number {
  let s = 0;
  panels(x, x + 6.5, 6.5 / 4, (u, w) => { s += w * Math.exp(-u * u); });
  return (2 / Math.sqrt(Math.PI)) * s;
}

/** Window centre and width, in units of T: w(s) = ½ erfc((s − S_C)/(√2·S_W)). */
const S_C = 0.55;
const S_W = 0.06;

/** The window w(t/T): 1 to within e^{−42} for t < ~0.01T, 0 to within 3e-14 at t = T. */
function windowAt(s: number): number {
  const x = (s - S_C) / (Math.SQRT2 * S_W);
  if (x < -6.5) return 1;
  if (x > 6.5) return 0;
  return x >= 0 ? 0.5 * erfcPos(x) : 1 - 0.5 * erfcPos(-x);
}

/**
 * A cheaper smooth window of the same shape for the PV tail (256k nodes there): erfc by Abramowitz &
 * Stegun 7.1.26 (|error| ≤ 1.5e-7). Any fixed smooth window serves the Richardson step in 1/Ω, since
 * the same function is used at the three widths; its jump of ~1e-9 at s = S_C (where the two branches
 * meet) changes the PV by ~1e-9·|j/ω'| ≲ 1e-13.
 */
function windowFast(s: number): number {
  const x = (s - S_C) / (Math.SQRT2 * S_W);
  if (x < -6.5) return 1;
  if (x > 6.5) return 0;
  const a = Math.abs(x);
  const t = 1 / (1 + 0.3275911 * a);
  const e = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429)))) * Math.exp(-a * a);
  return x >= 0 ? 0.5 * e : 1 - 0.5 * e;
}

/**
 * ∫_0^∞ φ(t) e^{iEt} dt for E outside the component's bands, by a smooth window (see the file comment):
 * ∫_0^T φ(t) e^{iEt} w(t/T) dt with T = 150/d. `error` is the change when T is replaced by 0.75T
 * (pessimistic: the 0.75T window is itself only good to ~e^{−20}).
 */
export function laplaceOfKernel(c: Component, E: number): { re: number; im: number; error: number } {
  const pts = finitePoints(c);
  const d = Math.min(...pts.map((p) => Math.abs(E - p)));
  const f = Math.max(...pts.map((p) => Math.abs(E - p)));
  const h = Math.min(2, 8 / f);
  const T = 150 / d;
  let re = 0;
  let im = 0;
  let re2 = 0;
  let im2 = 0;
  const phi = new Float64Array(2);
  const push = (t: number, w: number): void => {
    c.kernel(t, phi, 0);
    const cr = Math.cos(E * t);
    const ci = Math.sin(E * t);
    const vr = w * (phi[0] * cr - phi[1] * ci);
    const vi = w * (phi[0] * ci + phi[1] * cr);
    const w1 = windowAt(t / T);
    const w2 = t < 0.75 * T ? windowAt(t / (0.75 * T)) : 0;
    re += vr * w1;
    im += vi * w1;
    re2 += vr * w2;
    im2 += vi * w2;
  };
  const sing = [...new Set(c.singularTimes)].filter((s) => s >= 0 && s < T).sort((a, b) => a - b);
  const cuts = [0, ...sing.filter((s) => s > 0), T];
  for (let i = 0; i < cuts.length - 1; i++) {
    gradedPanels(cuts[i], cuts[i + 1], h, sing.includes(cuts[i]), sing.includes(cuts[i + 1]), push);
  }
  return { re, im, error: Math.hypot(re - re2, im - im2) };
}

/** ∫ j(ω) e^{−iωt} dω (see the file comment); t must not be a singular time. */
export function kernelFromDensity(c: Component, t: number): { re: number; im: number; error: number } {
  const pts = finitePoints(c);
  const unbounded = c.bands.some(([, hi]) => hi === Number.POSITIVE_INFINITY);
  const r = Math.min(t, ...c.singularTimes.flatMap((s) => [Math.abs(t - s), t + s]));
  const A0 = pts[pts.length - 1];
  // Window in ω for an unbounded band: w((ω − A0)/Ω), Ω = 150/r (and 0.75Ω for the error estimate).
  const Omega = unbounded ? 150 / r : Number.POSITIVE_INFINITY;
  let re = 0;
  let im = 0;
  let re2 = 0;
  let im2 = 0;
  const add = (omega: number, w: number): void => {
    const j = c.density(omega) * w;
    const vr = j * Math.cos(omega * t);
    const vi = -j * Math.sin(omega * t);
    const x = unbounded ? Math.max(0, omega - A0) : 0;
    const w1 = unbounded ? windowAt(x / Omega) : 1;
    const w2 = unbounded ? (x < 0.75 * Omega ? windowAt(x / (0.75 * Omega)) : 0) : 1;
    re += vr * w1;
    im += vi * w1;
    re2 += vr * w2;
    im2 += vi * w2;
  };
  for (const [lo, hi] of c.bands) {
    const inner = [lo, ...pts.filter((p) => p > lo && p < hi), ...(Number.isFinite(hi) ? [hi] : [])];
    for (let i = 0; i < inner.length - 1; i++) cosSubstitution(inner[i], inner[i + 1], t, add);
    if (!Number.isFinite(hi)) {
      const A = inner[inner.length - 1];
      // [A, A + 1] with ω = A + u², dω = 2u du
      panels(0, 1, Math.min(0.25, 2 / (t + 1)), (u, w) => add(A + u * u, 2 * u * w));
      panels(A + 1, A0 + Omega, Math.min(2, 8 / t), add);
    }
  }
  return { re, im, error: Math.hypot(re - re2, im - im2) };
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
  // [A, ∞): ω' = A + u² on [A, A + 1], then the windowed integrals below.
  const A = cuts[cuts.length - 1];
  sum += integrate((u) => f(A + u * u) * 2 * u, 0, 1, [0.25, 0.5], opts).value;
  // Smooth windows w((ω' − A)/Ω_k), Ω_k = 2000, 4000, 8000, on shared nodes: the window removes the
  // oscillating tail's truncation error (~e^{−(0.06τΩ)²/2}), Richardson in 1/Ω the smooth a/Ω + b/Ω².
  const Om = [2000, 4000, 8000];
  const P = Om.map(() => sum);
  panels(A + 1, A + Om[2], 0.5, (w, wt) => {
    const v = f(w) * wt;
    for (let i = 0; i < 3; i++) P[i] += v * windowFast((w - A) / Om[i]);
  });
  const R1 = 2 * P[1] - P[0];
  const R2 = 2 * P[2] - P[1];
  return (4 * R2 - R1) / 3;
}
