import { heapPop, heapPush } from './errorHeap.js';
import { gaussLegendre } from './gaussLegendre.js';

/** Outcome of an adaptive quadrature. `converged` is false when the error target was not met. */
export interface QuadratureResult {
  value: number;
  /** The final panels [lo, hi] (sorted), for callers that re-use the adapted mesh. */
  panels?: Array<[number, number]>;
  /** Estimated absolute error (sum of panel estimates). */
  error: number;
  evaluations: number;
  converged: boolean;
}

export interface QuadratureOptions {
  /** Absolute error target (default 1e-14). */
  absTol?: number;
  /** Relative error target (default 1e-14). */
  relTol?: number;
  /** Gauss–Legendre points per panel (default 12). */
  order?: number;
  /** Most panels kept before giving up (default 2000). */
  maxPanels?: number;
  /** Return the final panels in the result (default false). */
  keepPanels?: boolean;
}

interface Panel { lo: number; hi: number; value: number; error: number }

/**
 * Globally adaptive Gauss–Legendre quadrature of a real function over [a, b], split first at `breaks`.
 *
 * ## Method
 * Each panel's value is the n-point rule on its two halves; its error estimate is the difference
 * from the n-point rule on the whole panel. The panel with the largest estimate is bisected
 * (max-heap, as in QUADPACK's QAG) until the summed estimate is below max(absTol, relTol·|I|) or
 * `maxPanels` is reached, in which case `converged` is false. Because the halves are kept, the
 * estimate is pessimistic for smooth integrands (the halves are far more accurate than the whole).
 * Handles integrable endpoint singularities (log, x^-1/2) by geometric refinement; oscillatory
 * integrands need breakpoints at least every half period.
 */
export function integrate(
  f: (x: number) => number,
  a: number,
  b: number,
  breaks: readonly number[] = [],
  options: QuadratureOptions = {},
): QuadratureResult {
  const absTol = options.absTol ?? 1e-14;
  const relTol = options.relTol ?? 1e-14;
  const n = options.order ?? 12;
  const maxPanels = options.maxPanels ?? 2000;
  const { x: gx, w: gw } = gaussLegendre(n);
  let evaluations = 0;
  const rule = (lo: number, hi: number): number => {
    const c = 0.5 * (lo + hi);
    const h = 0.5 * (hi - lo);
    let s = 0;
    for (let i = 0; i < n; i++) s += gw[i] * f(c + h * gx[i]);
    evaluations += n;
    return s * h;
  };
  const make = (lo: number, hi: number, whole?: number): Panel => {
    const w = whole ?? rule(lo, hi);
    const mid = 0.5 * (lo + hi);
    const v = rule(lo, mid) + rule(mid, hi);
    return { lo, hi, value: v, error: Math.abs(v - w) };
  };
  const pts = [a, ...breaks.filter((p) => p > a && p < b).sort((p, q) => p - q), b];
  const heap: Panel[] = [];
  for (let i = 0; i < pts.length - 1; i++) if (pts[i + 1] > pts[i]) heapPush(heap, make(pts[i], pts[i + 1]));
  let value = 0;
  let error = 0;
  for (const p of heap) { value += p.value; error += p.error; }
  const target = (): number => Math.max(absTol, relTol * Math.abs(value));
  while (error > target() && heap.length < maxPanels) {
    const p = heapPop(heap)!;
    const mid = 0.5 * (p.lo + p.hi);
    if (!(mid > p.lo && mid < p.hi)) { heapPush(heap, { ...p, error: 0 }); error -= p.error; continue; }
    const left = make(p.lo, mid);
    const right = make(mid, p.hi);
    value += left.value + right.value - p.value;
    error += left.error + right.error - p.error;
    heapPush(heap, left);
    heapPush(heap, right);
  }
  // Re-sum to remove drift from the running updates.
  value = 0;
  error = 0;
  for (const p of heap) { value += p.value; error += p.error; }
  const converged = Number.isFinite(value) && error <= target();
  const result: QuadratureResult = { value, error, evaluations, converged };
  if (options.keepPanels) result.panels = heap.map((p): [number, number] => [p.lo, p.hi]).sort((p, q) => p[0] - q[0]);
  return result;
}


/**
 * ∫_a^b f(u) du for f with an integrable singularity at the endpoint a (log, or |u − a|^p with
 * p > −1), a may be greater than b. The substitution u = a + (b − a)·y⁴ turns a log singularity into
 * y³·log y, which composite 32-point Gauss–Legendre on y ∈ [0, ¼, ½, 1] integrates to ≈1.5e-13
 * relative (measured on ∫_0^2 ln u; ≈3e-16 on ∫_0^2 u^−½; test/numerics/quadrature.test.ts). f is never
 * evaluated at a itself: nodes that would round to a are moved a few ulps away.
 */
export function integrateEndpointSingular(f: (u: number) => number, a: number, b: number): number {
  const one = new Float64Array(1);
  integrateEndpointSingularMany((u, out) => { out[0] = f(u); }, 1, a, b, one);
  return one[0];
}

/**
 * integrateEndpointSingular for m integrands at once, sharing the nodes: `f(u, values)` writes the m
 * integrand values at u, the m integrals are written to `out` (length ≥ m).
 */
export function integrateEndpointSingularMany(
  f: (u: number, values: Float64Array) => void,
  m: number,
  a: number,
  b: number,
  out: Float64Array,
): void {
  const { x, w } = gaussLegendre(32);
  const d = b - a;
  const cuts = [0, 0.25, 0.5, 1];
  const values = new Float64Array(m);
  out.fill(0, 0, m);
  for (let j = 0; j < 3; j++) {
    const lo = cuts[j];
    const hi = cuts[j + 1];
    const half = 0.5 * (hi - lo);
    for (let i = 0; i < 32; i++) {
      const y = lo + half * (x[i] + 1);
      const y3 = y * y * y;
      // Nodes closer to a than a few ulps (|d|·y⁴ < ulp) are moved off the singular point; the weight
      // of that region is below 1e-13 of the integral for log singularities.
      let u = a + d * y3 * y;
      if (u === a) u = a + Math.sign(d) * 4 * Number.EPSILON * Math.max(1, Math.abs(a));
      f(u, values);
      const wk = half * w[i] * 4 * d * y3;
      for (let k = 0; k < m; k++) out[k] += wk * values[k];
    }
  }
}
