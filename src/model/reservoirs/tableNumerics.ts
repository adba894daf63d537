import { ParameterError } from '../../errors.js';
import { brentRoot } from '../../numerics/brent.js';
import { gaussLegendre } from '../../numerics/gaussLegendre.js';

/**
 * Numerics of a band given by a table (issue 11 item 4; shared/scenes.md §1–2): dispersion ω(k) and
 * coupling |g(k)|² sampled at k_0 < k_1 < … < k_{n−1}, k_0 ≥ 0.
 *
 * ## Model
 * The table is the k ≥ 0 half of a reciprocal band: modes at ±k have the same ω(k) and |g(k)|², and an
 * emitter at z couples to mode k with g(k)e^{ikz}. Summing the two signs of k gives, per pair of
 * emitters at distance Δz (phase k·Δz: k in radians per unit of z),
 *   J(ω; Δz) = Σ_{k: ω(k) = ω} |g(k)|² cos(kΔz)/(π|dω/dk|),                          (scenes.md §1)
 *   φ(t; Δz) = ∫ J e^{−iωt} dω = (1/π) ∫_{k0}^{kmax} |g(k)|² cos(kΔz) e^{−iω(k)t} dk,
 *   σ(E; Δz) = ∫ J/(E − ω) dω = (1/π) ∫ |g|² cos(kΔz)/(E − ω(k)) dk          (E outside the band),
 *   σ'(E; Δz) = (1/π) ∫ |g|² cos(kΔz)/(ω(k) − E)² dk,
 *   δ(ω; Δz) = PV (1/π) ∫ |g|² cos(kΔz)/(ω − ω(k)) dk                            (ω inside the band).
 * Every integral is taken in k, where the integrand is smooth: the 1/|dω/dk| singularities of J at the
 * band edges (van Hove points) never appear. Units are the table's: ω and E in its frequency unit,
 * |g|² in frequency²·(unit of z), t in 1/frequency.
 *
 * The band is what the table holds: ω(k) for k in [k0, kmax]. A continuum that goes on beyond kmax
 * (the TM11 guide's) is truncated there: below the band σ_table(E) = σ(E) + (1/π)∫_{kmax}^∞ |g|²/(ω(k) − E) dk,
 * so a bound state with amplitudes α sits higher by ≈ |α|²·(1/π)∫_{kmax}^∞ |g|²/(ω(k) − E) dk (table.ts).
 *
 * ## Interpolation
 * ω(k) and |g(k)|² are interpolated by local polynomials of degree INTERP_DEGREE = 7 (one per table
 * interval through the 8 nearest rows; error O(h⁸) on any grid, graded ones included). When k0 = 0 the
 * table is mirrored to k < 0 (an even band is smooth through k = 0), so the stencils there are centred
 * and dω/dk(0) ≈ 0. The interpolation error is estimated from the table itself:
 * the interpolant of every other point, evaluated at the points it omits, misses them by ε_2h, and
 * ε_h = ε_2h/2^{INTERP_DEGREE − 1} (the asymptotic ratio is 2^{d+1}; two powers of 2 are kept as margin).
 * The tests check that this estimate bounds the true error of tabulated cavity and TM11 bands.
 *
 * ## Band edges
 * The extrema of the interpolant of ω(k) (zeros of its derivative) plus k0 and kmax split [k0, kmax]
 * into monotone branches; their ω values are the edges. An extremum must be one the table's points
 * show (a change of direction of ω_i) and each change of direction must hold exactly one; otherwise the
 * edge is not resolved and the table is refused.
 */

/** A band table: k (ascending, ≥ 0), ω(k) and |g(k)|² (≥ 0), one entry per k. */
export interface BandTable {
  k: ArrayLike<number>;
  omega: ArrayLike<number>;
  coupling: ArrayLike<number>;
}

/** Fewest rows a table may have: the error estimate interpolates every other row, which needs ≥ INTERP_DEGREE + 1 = 8 rows. */
export const TABLE_MIN_POINTS = 16;
/** Most rows (the scene file limit allows ≈ 20 000 rows; the numerics are O(n) per node). */
export const TABLE_MAX_POINTS = 100_000;
/** Degree of the local interpolating polynomials (8-row stencils). */
export const INTERP_DEGREE = 7;
/**
 * A table whose estimated interpolation error of ω exceeds this fraction of the bandwidth does not
 * resolve its band (nor its edges) and is refused.
 */
export const TABLE_RESOLUTION = 1e-4;
/** Largest |Δz|·kmax (radians of cos(kΔz) across the table); beyond it the k integrals get too long. */
export const TABLE_MAX_PHASE = 2 * Math.PI * 1e4;
/** The kernel error bound quoted in Component.absoluteError holds for t up to this many inverse bandwidths. */
export const TABLE_ERROR_TIME = 1e4;

// ---------------------------------------------------------------------------------------------
// Local polynomial interpolation

/** A piecewise polynomial interpolant: one polynomial per table interval. */
export interface PiecewiseInterpolant {
  value(x: number): number;
  derivative(x: number): number;
}

/**
 * Piecewise polynomial interpolation of degree p through (x_i, f_i), x strictly increasing: on each
 * interval [x_i, x_{i+1}] the polynomial through the p + 1 nearest rows (the stencil x_{i−⌊p/2⌋} …,
 * shifted inside the table at its ends), in Newton form (divided differences, evaluated by nested
 * multiplication with its derivative). Continuous, exact at the rows, error O(h^{p+1}) on any grid —
 * also a strongly graded one, where a global rational (Floater–Hormann) interpolant was measured to
 * lose all accuracy (a sinh-graded TM11 table). Its derivative jumps at the rows by O(h^p).
 */
export function localPolynomial(x: Float64Array, f: Float64Array, p: number): PiecewiseInterpolant {
  const n = x.length;
  const m = Math.min(p, n - 1) + 1; // stencil size
  const nodes: Float64Array[] = [];
  const coefs: Float64Array[] = [];
  for (let i = 0; i < n - 1; i++) {
    const start = Math.min(Math.max(0, i - Math.floor((m - 1) / 2)), n - m);
    const xs = x.slice(start, start + m);
    const c = f.slice(start, start + m);
    for (let j = 1; j < m; j++) for (let q = m - 1; q >= j; q--) c[q] = (c[q] - c[q - 1]) / (xs[q] - xs[q - j]);
    nodes.push(xs);
    coefs.push(c);
  }
  const interval = (t: number): number => {
    let lo = 0;
    let hi = n - 2;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (x[mid] <= t) lo = mid; else hi = mid - 1;
    }
    return lo;
  };
  return {
    value(t) {
      const i = interval(t);
      const xs = nodes[i];
      const c = coefs[i];
      let v = c[m - 1];
      for (let q = m - 2; q >= 0; q--) v = v * (t - xs[q]) + c[q];
      return v;
    },
    derivative(t) {
      const i = interval(t);
      const xs = nodes[i];
      const c = coefs[i];
      let v = c[m - 1];
      let d = 0;
      for (let q = m - 2; q >= 0; q--) {
        d = d * (t - xs[q]) + v;
        v = v * (t - xs[q]) + c[q];
      }
      return d;
    },
  };
}

// ---------------------------------------------------------------------------------------------
// The tabulated band

/** A validated, interpolated band with its integrals (all in the table's units). */
export interface TabulatedBand {
  readonly k0: number;
  readonly kMax: number;
  readonly points: number;
  /** [min ω, max ω] over the table: the band (a single interval, ω being continuous). */
  readonly band: readonly [number, number];
  /** ω at every branch end (extrema of ω(k), k0, kmax), ascending, without repeats. */
  readonly edges: readonly number[];
  /** k of the branch ends: k0, the interior extrema of ω(k), kmax. */
  readonly splits: readonly number[];
  /** Estimated max interpolation error of ω(k) and of |g(k)|² (half-table estimate, see the module comment). */
  readonly errorOmega: number;
  readonly errorCoupling: number;
  /** max |g(k)|² and the total weight A = (1/π)∫|g|² dk = ∫ J(ω; 0) dω (the sum rule of the self term). */
  readonly couplingMax: number;
  readonly weight: number;
  omegaAt(k: number): number;
  omegaPrimeAt(k: number): number;
  couplingAt(k: number): number;
  density(omega: number, dz: number): number;
  /** φ(t; Δz) into out[o], out[o + 1] (re, im). */
  kernel(t: number, dz: number, out: Float64Array, o: number): void;
  selfEnergy(E: number, dz: number): number;
  selfEnergyDerivative(E: number, dz: number): number;
  levelShift(omega: number, dz: number): number;
  /** Bound on |φ_table − φ_true| from interpolation at time t: (kspan/π)(ε_g + max|g|²·t·ε_ω) plus quadrature. */
  kernelErrorBound(t: number): number;
  /** Bound on |σ_table − σ_true| at E in a gap: (kspan/π)ε_g/d + ε_ω·σ'(E; 0) plus quadrature (d: distance to the band). */
  selfEnergyErrorBound(E: number): number;
}

function toArray(raw: unknown, name: string, path: string): Float64Array {
  const isTyped = ArrayBuffer.isView(raw) && !(raw instanceof DataView);
  if (!Array.isArray(raw) && !isTyped) throw new ParameterError(name, raw, 'must be an array of numbers (one per row of the table)', `${path}.${name}`);
  const a = raw as ArrayLike<unknown>;
  const out = new Float64Array(a.length);
  for (let i = 0; i < a.length; i++) {
    const v = a[i];
    if (typeof v !== 'number' || !Number.isFinite(v)) throw new ParameterError(name, v, 'must be a finite number', `${path}.${name}[${i}]`);
    out[i] = v;
  }
  return out;
}

/** Largest error of the every-other-point interpolant at the omitted points (ε_2h of the module comment). */
function halfTableError(x: Float64Array, f: Float64Array, mirror: boolean): number {
  const n = x.length;
  const keep: number[] = [];
  for (let i = 0; i < n; i += 2) keep.push(i);
  if (keep[keep.length - 1] !== n - 1) keep.push(n - 1);
  const xs = Float64Array.from(keep, (i) => x[i]);
  const fs = Float64Array.from(keep, (i) => f[i]);
  const r = mirrored(xs, fs, mirror).value;
  let e = 0;
  for (let i = 1; i < n - 1; i += 2) e = Math.max(e, Math.abs(r(x[i]) - f[i]));
  return e;
}

/** The interpolant, through the data mirrored to −k (a few rows) when `mirror` (k0 = 0). */
function mirrored(x: Float64Array, f: Float64Array, mirror: boolean): PiecewiseInterpolant {
  if (!mirror) return localPolynomial(x, f, INTERP_DEGREE);
  const m = Math.min(x.length - 1, INTERP_DEGREE + 1);
  const xx = new Float64Array(x.length + m);
  const ff = new Float64Array(x.length + m);
  for (let i = 0; i < m; i++) {
    xx[i] = -x[m - i];
    ff[i] = f[m - i];
  }
  xx.set(x, m);
  ff.set(f, m);
  return localPolynomial(xx, ff, INTERP_DEGREE);
}

const INV_PI = 1 / Math.PI;
const GL = gaussLegendre(16);
/** Panels of the folded pole window, as fractions of its half-width a (geometric toward the pole). */
const FOLD_PANELS: ReadonlyArray<readonly [number, number]> = [[0, 0.125], [0.125, 0.25], [0.25, 0.5], [0.5, 1]];

/**
 * Validates a band table (ParameterError naming `${path}.k[i]` etc.) and builds its interpolants,
 * branches and integrals.
 */
export function tabulatedBand(table: BandTable, path = 'reservoir'): TabulatedBand {
  const k = toArray(table.k, 'k', path);
  const omega = toArray(table.omega, 'omega', path);
  const g2 = toArray(table.coupling, 'coupling', path);
  const n = k.length;
  if (n < TABLE_MIN_POINTS || n > TABLE_MAX_POINTS) {
    throw new ParameterError('k', `${n} rows`, `a table needs ${TABLE_MIN_POINTS} to ${TABLE_MAX_POINTS} rows`, `${path}.k`);
  }
  if (omega.length !== n) throw new ParameterError('omega', `${omega.length} entries`, `must have one entry per k (${n})`, `${path}.omega`);
  if (g2.length !== n) throw new ParameterError('coupling', `${g2.length} entries`, `must have one entry per k (${n})`, `${path}.coupling`);
  if (k[0] < 0) throw new ParameterError('k', k[0], 'must be ≥ 0 (the table is the k ≥ 0 half of a band symmetric in k)', `${path}.k[0]`);
  for (let i = 1; i < n; i++) {
    if (!(k[i] > k[i - 1])) throw new ParameterError('k', k[i], `must be greater than k[${i - 1}] = ${k[i - 1]} (k strictly increasing)`, `${path}.k[${i}]`);
  }
  for (let i = 0; i < n; i++) {
    if (g2[i] < 0) throw new ParameterError('coupling', g2[i], 'must be ≥ 0 (it is |g(k)|²)', `${path}.coupling[${i}]`);
  }
  let wMin = Infinity;
  let wMax = -Infinity;
  for (const w of omega) { wMin = Math.min(wMin, w); wMax = Math.max(wMax, w); }
  if (!(wMax > wMin)) throw new ParameterError('omega', wMin, 'must vary with k (a flat band has no continuum; its J(ω) would be a delta function)', `${path}.omega`);
  let gMax = 0;
  for (const v of g2) gMax = Math.max(gMax, v);
  if (!(gMax > 0)) throw new ParameterError('coupling', 0, 'must be > 0 somewhere (the emitters would not couple to the band)', `${path}.coupling`);

  const mirror = k[0] === 0;
  const k0 = k[0];
  const kMax = k[n - 1];
  const kSpan = kMax - k0;
  const W = wMax - wMin;
  const fhOmega = mirrored(k, omega, mirror);
  const fhG = mirrored(k, g2, mirror);

  // Interpolation error estimates (module comment). The floor is the rounding of the interpolant: 64 ulps
  // of the scale.
  const ratio = 2 ** (INTERP_DEGREE - 1);
  const wScale = Math.max(Math.abs(wMin), Math.abs(wMax));
  const errorOmega = Math.max(halfTableError(k, omega, mirror) / ratio, 64 * Number.EPSILON * Math.max(W, wScale));
  const errorCoupling = Math.max(halfTableError(k, g2, mirror) / ratio, 64 * Number.EPSILON * gMax);
  if (errorOmega > TABLE_RESOLUTION * W) {
    throw new ParameterError('omega', `estimated interpolation error ${errorOmega.toPrecision(3)}`, `the table must resolve its band: the interpolation error of ω(k) (estimated from every other row) must be below ${TABLE_RESOLUTION} of the bandwidth ${W.toPrecision(6)}; add rows where ω(k) bends`, `${path}.omega`);
  }

  const omegaAt = fhOmega.value;
  const couplingAt = (x: number): number => Math.max(0, fhG.value(x));
  const omegaPrimeAt = fhOmega.derivative;

  // Band edges: sign changes of the interpolant's slope, checked against the table's own turns.
  const splits = findExtrema(k, omega, omegaPrimeAt, path);
  const edgeValues = splits.map((s) => omegaAt(s));
  const lo = Math.min(...edgeValues);
  const hi = Math.max(...edgeValues);
  const edges = [...new Set(edgeValues)].sort((a, b) => a - b);
  const omegaRef = 0.5 * (lo + hi);

  // Base panels: the table's intervals (on each, ω and |g|² are polynomials of degree 7) cut at the
  // branch ends, so every panel lies within one monotone branch.
  const cutSet = new Set<number>([...splits, ...k]);
  const cuts = [...cutSet].filter((x) => x >= k0 && x <= kMax).sort((a, b) => a - b);
  const baseLo = Float64Array.from(cuts.slice(0, -1));
  const baseHi = Float64Array.from(cuts.slice(1));

  /** Upper estimate of |ω'| on [a, b] (a panel inside one branch): 1.5 × max(|ω'| at ends and middle, mean slope). */
  const slopeOn = (a: number, b: number, wa: number, wb: number): number =>
    1.5 * Math.max(Math.abs(omegaPrimeAt(a)), Math.abs(omegaPrimeAt(b)), Math.abs(omegaPrimeAt(0.5 * (a + b))), Math.abs(wb - wa) / (b - a));

  /**
   * Σ over a mesh of 16-point Gauss–Legendre panels of f(x) = |g|²cos(xΔz)·kernelOf(ω(x)), where the
   * mesh is cut a priori so that on each panel (half-width H) H·S ≤ D/2 and H·|Δz| ≤ π/2: S bounds |ω'|
   * there and D = min |E − ω| over it, so the poles of 1/(E − ω(k)) (at Im k ≳ D/S, or √(D/|ω''|) at an
   * extremum, where S ≈ |ω''|H makes the same test cut to H ≲ √(D/|ω''|)) lie at least two half-widths
   * away: the 16-point rule then converges like 4.2^{−32} ≈ 1e-20 (a rational integrand). E is outside
   * [lo, hi] of every panel given (gaps, or the pieces off a level-shift pole).
   */
  const meshSum = (a0: number, b0: number, E: number, dz: number, power: 1 | 2): number => {
    let total = 0;
    const stack: number[] = [a0, b0, 0];
    while (stack.length > 0) {
      const depth = stack.pop()!;
      const b = stack.pop()!;
      const a = stack.pop()!;
      const wa = omegaAt(a);
      const wb = omegaAt(b);
      const D = Math.min(Math.abs(E - wa), Math.abs(E - wb));
      const H = 0.5 * (b - a);
      if (depth < 60 && (H * slopeOn(a, b, wa, wb) > 0.5 * D || H * Math.abs(dz) > 0.5 * Math.PI)) {
        const m = 0.5 * (a + b);
        stack.push(a, m, depth + 1, m, b, depth + 1);
        continue;
      }
      const c = 0.5 * (a + b);
      for (let q = 0; q < GL.x.length; q++) {
        const x = c + H * GL.x[q];
        const u = E - omegaAt(x);
        total += H * GL.w[q] * couplingAt(x) * Math.cos(x * dz) / (power === 1 ? u : u * u);
      }
    }
    return total;
  };
  /** Σ of meshSum over the base panels between a and b (a, b on panel ends or inside). */
  const baseSum = (a: number, b: number, E: number, dz: number, power: 1 | 2): number => {
    let total = 0;
    for (let i = 0; i < baseLo.length; i++) {
      const pa = Math.max(a, baseLo[i]);
      const pb = Math.min(b, baseHi[i]);
      if (pb > pa) total += meshSum(pa, pb, E, dz, power);
    }
    return total;
  };

  const weight = INV_PI * baseSum(k0, kMax, omegaRef + 1e6 * (W + wScale), 0, 1) * 1e6 * (W + wScale);

  /** Root of ω(k) = w on branch b (monotone), or NaN if w is outside the branch's range. */
  const branchRoot = (b: number, w: number): number => {
    const fa = edgeValues[b] - w;
    const fc = edgeValues[b + 1] - w;
    // (edgeValues are omegaAt at the branch ends, so brent sees the same bracket.)
    if (fa === 0 || fc === 0 || Math.sign(fa) === Math.sign(fc)) return NaN;
    return brentRoot((x) => omegaAt(x) - w, splits[b], splits[b + 1], 0, 200).root;
  };

  const distance = (E: number): number => (E < lo ? lo - E : E > hi ? E - hi : 0);
  const selfEnergy = (E: number, dz: number): number => (distance(E) > 0 ? INV_PI * baseSum(k0, kMax, E, dz, 1) : NaN);
  // σ' = (1/π)∫|g|²cos/(ω − E)² dk: the same sum with the square of (E − ω).
  const selfEnergyDerivative = (E: number, dz: number): number => (distance(E) > 0 ? INV_PI * baseSum(k0, kMax, E, dz, 2) : NaN);

  const density = (w: number, dz: number): number => {
    if (!(w >= lo && w <= hi)) return 0;
    let s = 0;
    for (let b = 0; b < splits.length - 1; b++) {
      const x = branchRoot(b, w);
      if (Number.isNaN(x)) continue;
      s += couplingAt(x) * Math.cos(x * dz) / (Math.PI * Math.abs(omegaPrimeAt(x)));
    }
    return s;
  };

  const levelShift = (w0: number, dz: number): number => {
    // Outside the band δ is the regular self-energy; exactly at an edge (where δ may diverge) the value
    // 1e-10 bandwidths inside is returned, so a scan that lands on an edge gets a finite number.
    if (distance(w0) > 0) return selfEnergy(w0, dz);
    let w = w0;
    if (edges.includes(w)) w = w === hi ? w - 1e-10 * W : w + 1e-10 * W;
    let total = 0;
    for (let b = 0; b < splits.length - 1; b++) {
      const a0 = splits[b];
      const c = splits[b + 1];
      const x0 = branchRoot(b, w);
      if (Number.isNaN(x0)) {
        total += baseSum(a0, c, w, dz, 1);
        continue;
      }
      // The pole at x0 (h ≈ R/(x0 − x) near it) is taken on a symmetric window [x0 − a, x0 + a] by
      // folding, ∫_0^a [h(x0 + u) + h(x0 − u)] du, whose integrand is smooth (the 1/u parts cancel); a
      // fixed composite rule keeps every node ≥ 3e-4·a from the pole, where the rounding of ω(k)
      // (≈ 1e-15·W) is amplified as δω/(ω'u)². Outside the window the integrand is regular.
      const j = Math.min(n - 2, lowerIndex(k, x0));
      const a = 0.5 * Math.min(x0 - a0, c - x0, 4 * (k[j + 1] - k[j]), Math.abs(dz) > 0 ? Math.PI / Math.abs(dz) : Infinity);
      const h = (x: number): number => couplingAt(x) * Math.cos(x * dz) / (w - omegaAt(x));
      let folded = 0;
      for (const [u0, u1] of FOLD_PANELS) {
        const half = 0.5 * (u1 - u0) * a;
        const mid = 0.5 * (u1 + u0) * a;
        for (let q = 0; q < GL.x.length; q++) {
          const u = mid + half * GL.x[q];
          folded += half * GL.w[q] * (h(x0 + u) + h(x0 - u));
        }
      }
      total += folded + baseSum(a0, x0 - a, w, dz, 1) + baseSum(x0 + a, c, w, dz, 1);
    }
    return INV_PI * total;
  };

  // Kernel: composite 16-point Gauss–Legendre on the base panels, each cut so the phase ω(k)t + kΔz
  // turns by at most 2π per panel (the rule's error on e^{iθ} over 2π is ≈ π^32/32! ≈ 3e-20); node sets
  // are cached per time bucket T = 2^{L/4}/W (t ≤ T, so at most 19 % more nodes than t needs) and per Δz.
  const nodeCache = new Map<string, { amp: Float64Array; om: Float64Array }>();
  const baseSlope = Float64Array.from(baseLo, (a, i) => slopeOn(a, baseHi[i], omegaAt(a), omegaAt(baseHi[i])));
  const nodesFor = (L: number, dz: number): { amp: Float64Array; om: Float64Array } => {
    const key = `${L}:${dz}`;
    const hit = nodeCache.get(key);
    if (hit) return hit;
    const T = 2 ** (L / 4) / W;
    const ks: number[] = [];
    const ws: number[] = [];
    for (let i = 0; i < baseLo.length; i++) {
      const h = baseHi[i] - baseLo[i];
      const m = Math.max(1, Math.ceil((h * (baseSlope[i] * T + Math.abs(dz))) / (2 * Math.PI)));
      const step = h / m;
      for (let p = 0; p < m; p++) {
        const c = baseLo[i] + (p + 0.5) * step;
        for (let q = 0; q < GL.x.length; q++) {
          ks.push(c + 0.5 * step * GL.x[q]);
          ws.push(0.5 * step * GL.w[q]);
        }
      }
    }
    const amp = new Float64Array(ks.length);
    const om = new Float64Array(ks.length);
    for (let i = 0; i < ks.length; i++) {
      amp[i] = INV_PI * ws[i] * couplingAt(ks[i]) * Math.cos(ks[i] * dz);
      om[i] = omegaAt(ks[i]) - omegaRef;
    }
    const made = { amp, om };
    if (nodeCache.size > 256) nodeCache.clear();
    nodeCache.set(key, made);
    return made;
  };
  const kernel = (t: number, dz: number, out: Float64Array, o: number): void => {
    const L = t * W <= 1 ? 0 : Math.ceil(4 * Math.log2(t * W));
    const { amp, om } = nodesFor(L, dz);
    let re = 0;
    let im = 0;
    for (let i = 0; i < amp.length; i++) {
      const ph = om[i] * t;
      re += amp[i] * Math.cos(ph);
      im -= amp[i] * Math.sin(ph);
    }
    const c = Math.cos(omegaRef * t);
    const s = Math.sin(omegaRef * t);
    // (re + i im)·e^{−iω_ref t}
    out[o] = re * c + im * s;
    out[o + 1] = im * c - re * s;
  };

  const kernelErrorBound = (t: number): number => INV_PI * kSpan * (errorCoupling + gMax * Math.abs(t) * errorOmega) + 1e-13 * weight;
  const selfEnergyErrorBound = (E: number): number => {
    const d = distance(E);
    return INV_PI * kSpan * errorCoupling / d + errorOmega * selfEnergyDerivative(E, 0) + 1e-13 * weight / d;
  };

  return {
    k0, kMax, points: n, band: [lo, hi], edges, splits, errorOmega, errorCoupling, couplingMax: gMax, weight,
    omegaAt, omegaPrimeAt, couplingAt, density, kernel, selfEnergy, selfEnergyDerivative, levelShift,
    kernelErrorBound, selfEnergyErrorBound,
  };
}

/**
 * The branch ends [k0, interior extrema…, kmax] of ω(k). Throws ParameterError when the interpolant's
 * extrema do not match the table's changes of direction one to one (an edge it cannot resolve).
 */
function findExtrema(k: Float64Array, omega: Float64Array, slope: (x: number) => number, path: string): number[] {
  const n = k.length;
  // Regions where the table turns: between the last interval of one direction and the first of the other.
  const regions: Array<{ lo: number; hi: number; at: number }> = [];
  let lastSign = 0;
  let lastStart = 0; // index of the start of the last interval with a non-zero difference
  for (let i = 0; i < n - 1; i++) {
    const s = Math.sign(omega[i + 1] - omega[i]);
    if (s === 0) continue;
    if (lastSign !== 0 && s !== lastSign) regions.push({ lo: k[lastStart], hi: k[i + 1], at: i });
    if (lastSign !== 0 && s === lastSign && lastStart + 1 < i) {
      throw new ParameterError('omega', omega[i], `has equal values at k[${lastStart + 1}] … k[${i}] inside a monotone stretch (a flat piece of band: a band edge the table cannot resolve)`, `${path}.omega[${i}]`);
    }
    lastSign = s;
    lastStart = i;
  }
  for (let r = 1; r < regions.length; r++) {
    if (regions[r].lo < regions[r - 1].hi) {
      throw new ParameterError('omega', omega[regions[r].at], `turns at two neighbouring rows (k ≈ ${k[regions[r - 1].at]} and ${k[regions[r].at]}): two band edges closer than the table's spacing cannot be resolved; add rows there`, `${path}.omega[${regions[r].at}]`);
    }
  }
  // Interpolant extrema: sign changes of r'(k) sampled 8 times per interval (ends excluded: the slope
  // at k0 = 0 is 0 by symmetry and may have either sign in rounding).
  const found: number[] = [];
  const sub = 8;
  let prevX = NaN;
  let prevD = NaN;
  for (let i = 0; i < n - 1; i++) {
    for (let p = i === 0 ? 1 : 0; p < sub; p++) {
      const x = k[i] + ((k[i + 1] - k[i]) * p) / sub;
      const d = slope(x);
      if (!Number.isNaN(prevD) && d !== 0 && prevD !== 0 && Math.sign(d) !== Math.sign(prevD)) {
        found.push(brentRoot(slope, prevX, x, 0, 200).root);
      } else if (d === 0 && p !== 0) {
        found.push(x);
      }
      if (d !== 0) { prevX = x; prevD = d; }
    }
  }
  const unmatched = (x: number) => `the interpolant of ω(k) turns at k ≈ ${x.toPrecision(6)} where the table's rows do not (an edge the table cannot resolve: the rows around it are too sparse or noisy)`;
  const used = new Array<boolean>(regions.length).fill(false);
  for (const x of found) {
    const r = regions.findIndex((g) => x > g.lo && x < g.hi);
    const i = Math.min(n - 1, Math.max(0, lowerIndex(k, x)));
    if (r < 0 || used[r]) throw new ParameterError('omega', omega[i], unmatched(x), `${path}.omega[${i}]`);
    used[r] = true;
  }
  const missing = used.indexOf(false);
  if (missing >= 0) {
    const g = regions[missing];
    throw new ParameterError('omega', omega[g.at], `the table turns between k = ${g.lo} and ${g.hi} but its interpolant does not (a band edge the table cannot resolve)`, `${path}.omega[${g.at}]`);
  }
  return [k[0], ...found, k[n - 1]];
}

/** Largest i with k[i] ≤ x. */
function lowerIndex(k: Float64Array, x: number): number {
  let lo = 0;
  let hi = k.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (k[mid] <= x) lo = mid; else hi = mid - 1;
  }
  return lo;
}
