/**
 * The exponential of a small dense complex matrix, for the matrix form of the paper's Eq. (6)
 * (shared/scenes.md §1; c(t) = exp(−At)·c(0), src/dynamics/scene/markov.ts).
 *
 * Matrices are N×N, row-major, interleaved complex: entry (j, l) has its real part at [2(jN + l)] and
 * its imaginary part at [2(jN + l) + 1]; vectors are interleaved likewise.
 *
 * ## Method
 * Scaling and squaring with a diagonal Padé approximant (Higham, SIAM J. Matrix Anal. Appl. 26, 1179,
 * 2005, "Algorithm 2.3"): with θ_m the largest 1-norm for which the [m/m] Padé approximant r_m(A) has
 * backward error ≤ 2⁻⁵³ (θ3 ≈ 0.015, θ5 ≈ 0.25, θ7 ≈ 0.95, θ9 ≈ 2.1, θ13 ≈ 5.4), the smallest m with
 * ‖A‖₁ ≤ θ_m is used directly; otherwise A is scaled by 2^−s so that ‖A/2^s‖₁ ≤ θ13, r13 is formed and
 * squared s times. r_m = (V − U)^{−1}(V + U), U the odd and V the even part of the Padé numerator; the
 * solve is an LU factorisation with partial pivoting of the complex matrix V − U.
 * Accuracy: backward error ≤ 2⁻⁵³·‖A‖ in exact arithmetic, so a relative error of a few ulp times
 * the condition number of exp at A (≈ 1 for normal A); the s squarings amplify rounding by at most
 * ~2^s·ε in the entries that decay (absolute error ≲ s·ε·‖e^A‖ for a contractive e^{A/2^k}).
 * Measured in test/numerics/complexExpm.test.ts against closed forms (rotations, eigen-decompositions,
 * Jordan blocks): relative errors ≤ ~1e-15 … 1e-14. No npm package computes the exponential of a
 * complex matrix (ml-matrix is real only), hence this file.
 */
import { complexLuSolve } from './complexLinear.js';

/** Largest 1-norms for the Padé degrees 3, 5, 7, 9, 13 (Higham 2005, Table 2.3). */
const THETA: ReadonlyArray<readonly [number, number]> = [
  [3, 1.495585217958292e-2],
  [5, 2.539398330063230e-1],
  [7, 9.504178996162932e-1],
  [9, 2.097847961257068e0],
  [13, 5.371920351148152e0],
];

/** Coefficients b_k of the [m/m] Padé numerator p(x) = Σ b_k x^k of e^x (denominator p(−x)). */
const PADE: Readonly<Record<number, readonly number[]>> = {
  3: [120, 60, 12, 1],
  5: [30240, 15120, 3360, 420, 30, 1],
  7: [17297280, 8648640, 1995840, 277200, 25200, 1512, 56, 1],
  9: [17643225600, 8821612800, 2075673600, 302702400, 30270240, 2162160, 110880, 3960, 90, 1],
  13: [
    64764752532480000, 32382376266240000, 7771770303897600, 1187353796428800, 129060195264000,
    10559470521600, 670442572800, 33522128640, 1323241920, 40840800, 960960, 16380, 182, 1,
  ],
};

/** Details of one exponential: the Padé degree and the number of squarings used. */
export interface ExpmInfo {
  degree: number;
  squarings: number;
  /** ‖A‖₁ of the input. */
  norm1: number;
}

/** C = A·B for N×N interleaved complex matrices (C must not alias A or B). */
export function complexMatMul(n: number, a: Float64Array, b: Float64Array, c = new Float64Array(2 * n * n)): Float64Array {
  c.fill(0, 0, 2 * n * n);
  for (let i = 0; i < n; i++) {
    const ci = 2 * i * n;
    for (let k = 0; k < n; k++) {
      const ar = a[2 * (i * n + k)];
      const ai = a[2 * (i * n + k) + 1];
      if (ar === 0 && ai === 0) continue;
      const bk = 2 * k * n;
      for (let j = 0; j < n; j++) {
        const br = b[bk + 2 * j];
        const bi = b[bk + 2 * j + 1];
        c[ci + 2 * j] += ar * br - ai * bi;
        c[ci + 2 * j + 1] += ar * bi + ai * br;
      }
    }
  }
  return c;
}

/** y = A·x for an N×N interleaved complex matrix and an interleaved complex vector (y must not alias x). */
export function complexMatVec(n: number, a: Float64Array, x: Float64Array, y = new Float64Array(2 * n), xOffset = 0, yOffset = 0): Float64Array {
  for (let i = 0; i < n; i++) {
    let sr = 0;
    let si = 0;
    const row = 2 * i * n;
    for (let k = 0; k < n; k++) {
      const ar = a[row + 2 * k];
      const ai = a[row + 2 * k + 1];
      const xr = x[xOffset + 2 * k];
      const xi = x[xOffset + 2 * k + 1];
      sr += ar * xr - ai * xi;
      si += ar * xi + ai * xr;
    }
    y[yOffset + 2 * i] = sr;
    y[yOffset + 2 * i + 1] = si;
  }
  return y;
}

/** ‖A‖₁ = max over columns of Σ_j |a_jl|. */
export function complexNorm1(n: number, a: Float64Array): number {
  let best = 0;
  for (let l = 0; l < n; l++) {
    let s = 0;
    for (let j = 0; j < n; j++) s += Math.hypot(a[2 * (j * n + l)], a[2 * (j * n + l) + 1]);
    if (s > best || Number.isNaN(s)) best = s;
  }
  return best;
}

/**
 * Solves M·X = B in place (B ← X) for an N×N complex M (overwritten by its LU factors) and an N×N
 * complex right-hand side, by Gaussian elimination with partial pivoting (complexLinear.ts).
 * Throws RangeError when M is singular to working precision (an exact zero pivot).
 */
export function complexSolveInPlace(n: number, m: Float64Array, b: Float64Array, columns = n): void {
  if (!complexLuSolve(n, m, b, columns, new Int32Array(n))) throw new RangeError('complexSolveInPlace: matrix is singular (an exact zero pivot)');
}

/** out = Σ_k coef[k]·P_k (each P_k an N×N complex matrix), plus coefI·I. */
function combine(n: number, out: Float64Array, coefI: number, terms: ReadonlyArray<readonly [number, Float64Array]>): Float64Array {
  const len = 2 * n * n;
  out.fill(0, 0, len);
  for (const [c, p] of terms) for (let i = 0; i < len; i++) out[i] += c * p[i];
  for (let i = 0; i < n; i++) out[2 * (i * n + i)] += coefI;
  return out;
}

/**
 * exp(A) for an N×N interleaved complex matrix A (module doc: scaling and squaring with Padé degree
 * 3…13). `info`, when given, receives the degree and the number of squarings. A matrix with a NaN or
 * infinite entry gives a NaN result.
 */
export function complexExpm(n: number, a: Float64Array, info?: ExpmInfo): Float64Array {
  const len = 2 * n * n;
  if (a.length < len) throw new RangeError(`complexExpm: matrix of ${a.length / 2} entries, expected ${n * n}`);
  const norm = complexNorm1(n, a);
  if (!Number.isFinite(norm)) {
    if (info) Object.assign(info, { degree: 0, squarings: 0, norm1: norm });
    return new Float64Array(len).fill(Number.NaN);
  }
  let m = 13;
  let s = 0;
  for (const [deg, theta] of THETA) {
    if (norm <= theta) {
      m = deg;
      break;
    }
  }
  const x = new Float64Array(len);
  if (m === 13 && norm > THETA[THETA.length - 1][1]) {
    s = Math.max(0, Math.ceil(Math.log2(norm / THETA[THETA.length - 1][1])));
    const f = 2 ** -s;
    for (let i = 0; i < len; i++) x[i] = a[i] * f;
  } else x.set(a.subarray(0, len));
  if (info) Object.assign(info, { degree: m, squarings: s, norm1: norm });
  const b = PADE[m];
  const a2 = complexMatMul(n, x, x);
  const u = new Float64Array(len);
  const v = new Float64Array(len);
  const tmp = new Float64Array(len);
  if (m === 13) {
    const a4 = complexMatMul(n, a2, a2);
    const a6 = complexMatMul(n, a4, a2);
    // U = A[A6(b13 A6 + b11 A4 + b9 A2) + b7 A6 + b5 A4 + b3 A2 + b1 I]
    combine(n, tmp, 0, [[b[13], a6], [b[11], a4], [b[9], a2]]);
    const w1 = complexMatMul(n, a6, tmp);
    combine(n, tmp, b[1], [[1, w1], [b[7], a6], [b[5], a4], [b[3], a2]]);
    complexMatMul(n, x, tmp, u);
    // V = A6(b12 A6 + b10 A4 + b8 A2) + b6 A6 + b4 A4 + b2 A2 + b0 I
    combine(n, tmp, 0, [[b[12], a6], [b[10], a4], [b[8], a2]]);
    const w2 = complexMatMul(n, a6, tmp);
    combine(n, v, b[0], [[1, w2], [b[6], a6], [b[4], a4], [b[2], a2]]);
  } else {
    // Powers A², A⁴, … up to A^{m−1}; U = A Σ_{k odd} b_k A^{k−1}, V = Σ_{k even} b_k A^k.
    const powers: Float64Array[] = [a2];
    for (let k = 4; k < m; k += 2) powers.push(complexMatMul(n, powers[powers.length - 1], a2));
    combine(n, tmp, b[1], powers.map((p, i) => [b[2 * i + 3], p] as const));
    complexMatMul(n, x, tmp, u);
    combine(n, v, b[0], powers.map((p, i) => [b[2 * i + 2], p] as const));
  }
  // r = (V − U)^{−1}(V + U)
  const lhs = new Float64Array(len);
  const r = new Float64Array(len);
  for (let i = 0; i < len; i++) {
    lhs[i] = v[i] - u[i];
    r[i] = v[i] + u[i];
  }
  complexSolveInPlace(n, lhs, r);
  let cur = r;
  let other = tmp;
  for (let k = 0; k < s; k++) {
    complexMatMul(n, cur, cur, other);
    const t = cur;
    cur = other;
    other = t;
  }
  return cur;
}
