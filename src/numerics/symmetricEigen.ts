import { EigenvalueDecomposition, Matrix } from 'ml-matrix';

/** Eigen-decomposition of a real symmetric matrix: values ascending, vectors[k·n + i] = component i of vector k. */
export interface SymmetricEigen {
  n: number;
  /** Eigenvalues, ascending. */
  values: Float64Array;
  /** Orthonormal eigenvectors, one per row (vector k at [k·n, (k + 1)·n)), in the order of `values`. */
  vectors: Float64Array;
}

/**
 * Eigenvalues and eigenvectors of a real symmetric n×n matrix (row-major Float64Array; only its
 * symmetric part is meant), sorted ascending.
 *
 * ## Method
 * ml-matrix's EigenvalueDecomposition with {assumeSymmetric: true} (Householder tridiagonalisation and
 * the implicit QL algorithm, as in EISPACK tred2/tql2): eigenvalues with absolute error
 * ≈ n·eps·‖A‖, orthonormal vectors to ≈ n·eps. This wrapper symmetrises the input ((A + Aᵀ)/2, so
 * rounding asymmetry of an assembled matrix cannot leak in), sets entries below 1e-30·max|A| to 0
 * (ml-matrix fails on them, see below), returns the identity for the zero matrix, throws RangeError
 * for a non-finite entry, and sorts.
 */
export function symmetricEigen(a: ArrayLike<number>, n: number): SymmetricEigen {
  const rows: number[][] = [];
  let big = 0;
  for (let i = 0; i < n * n; i++) big = Math.max(big, Math.abs(a[i]));
  // ml-matrix 6.15's tql2 indexes past the matrix (TypeError) when entries are tiny against others
  // (e.g. 1e-323 beside 1e-15); entries below 1e-30·max|A| change no eigenvalue by more than the
  // eps·‖A‖ the method guarantees anyway, so they are set to 0.
  const floor = 1e-30 * big;
  for (let i = 0; i < n; i++) {
    const row = new Array<number>(n);
    for (let j = 0; j < n; j++) {
      const x = i === j ? a[i * n + i] : 0.5 * (a[i * n + j] + a[j * n + i]);
      row[j] = Math.abs(x) < floor ? 0 : x;
    }
    rows.push(row);
  }
  if (!(big > 0) || !Number.isFinite(big)) {
    if (big === 0) return { n, values: new Float64Array(n), vectors: identity(n) };
    throw new RangeError(`symmetricEigen: the matrix has a non-finite entry (max |a| = ${big})`);
  }
  const evd = new EigenvalueDecomposition(new Matrix(rows), { assumeSymmetric: true });
  const raw = evd.realEigenvalues;
  const vec = evd.eigenvectorMatrix;
  const order = raw.map((_, k) => k).sort((p, q) => raw[p] - raw[q]);
  const values = new Float64Array(n);
  const vectors = new Float64Array(n * n);
  order.forEach((k, idx) => {
    values[idx] = raw[k];
    for (let i = 0; i < n; i++) vectors[idx * n + i] = vec.get(i, k);
  });
  return { n, values, vectors };
}

function identity(n: number): Float64Array {
  const v = new Float64Array(n * n);
  for (let i = 0; i < n; i++) v[i * n + i] = 1;
  return v;
}

/**
 * The same decomposition by the cyclic Jacobi method, for *graded* matrices whose small eigenvalues
 * must keep an absolute accuracy ≈ eps times the small entries rather than eps·‖A‖: e.g.
 * [[h, bᵀ], [b, C]] with h ≫ ‖C‖ (one huge diagonal entry), where QR-type solvers lose the small
 * eigenvalues to eps·h.
 *
 * ## Method
 * Rutishauser's stable rotations (t = sign θ/(|θ| + √(θ² + 1)), θ = (a_qq − a_pp)/(2a_pq), diagonal
 * updated by ∓t·a_pq), cyclic by rows. A pair is rotated while |a_pq| > eps²·(|a_pp| + |a_qq|) or above
 * 1e-300, a relative test: a huge a_pp does not excuse an O(1) entry between two small diagonals, and a
 * rotation against the huge entry moves the small one by only a_pq²/h (Demmel–Veselić: Jacobi keeps
 * such eigenvalues to a few eps relative to the entries they come from). Quadratic convergence: a
 * few sweeps; at most 60. Cost ≈ 6–10 sweeps × 3n³ flops (n = 32: ≈ 1 ms).
 */
export function symmetricEigenJacobi(a: ArrayLike<number>, n: number): SymmetricEigen {
  const A = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) A[i * n + j] = i === j ? a[i * n + i] : 0.5 * (a[i * n + j] + a[j * n + i]);
  const V = new Float64Array(n * n);
  for (let i = 0; i < n; i++) V[i * n + i] = 1;
  const tiny = Number.EPSILON * Number.EPSILON;
  for (let sweep = 0; sweep < 60; sweep++) {
    let rotated = false;
    for (let p = 0; p < n - 1; p++) {
      for (let q = p + 1; q < n; q++) {
        const apq = A[p * n + q];
        const app = A[p * n + p];
        const aqq = A[q * n + q];
        if (!(Math.abs(apq) > tiny * (Math.abs(app) + Math.abs(aqq)) && Math.abs(apq) > 1e-300)) continue;
        rotated = true;
        const theta = (aqq - app) / (2 * apq);
        const t = Math.abs(theta) > 1e150 ? 0.5 / theta : Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        const tau = s / (1 + c);
        A[p * n + p] = app - t * apq;
        A[q * n + q] = aqq + t * apq;
        A[p * n + q] = 0;
        A[q * n + p] = 0;
        for (let r = 0; r < n; r++) {
          if (r !== p && r !== q) {
            const g = A[r * n + p];
            const h = A[r * n + q];
            const gp = g - s * (h + g * tau);
            const hq = h + s * (g - h * tau);
            A[r * n + p] = gp; A[p * n + r] = gp;
            A[r * n + q] = hq; A[q * n + r] = hq;
          }
          // Column p, q of V (vectors are columns during the sweep).
          const g = V[r * n + p];
          const h = V[r * n + q];
          V[r * n + p] = g - s * (h + g * tau);
          V[r * n + q] = h + s * (g - h * tau);
        }
      }
    }
    if (!rotated) break;
  }
  const order = Array.from({ length: n }, (_, k) => k).sort((p, q) => A[p * n + p] - A[q * n + q]);
  const values = new Float64Array(n);
  const vectors = new Float64Array(n * n);
  order.forEach((k, idx) => {
    values[idx] = A[k * n + k];
    for (let i = 0; i < n; i++) vectors[idx * n + i] = V[i * n + k];
  });
  return { n, values, vectors };
}
