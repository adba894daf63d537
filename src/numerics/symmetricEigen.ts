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
 * ≈ n·eps·‖A‖, orthonormal vectors to ≈ n·eps. This wrapper only symmetrises the input
 * ((A + Aᵀ)/2, so rounding asymmetry of an assembled matrix cannot leak in) and sorts.
 */
export function symmetricEigen(a: ArrayLike<number>, n: number): SymmetricEigen {
  const rows: number[][] = [];
  for (let i = 0; i < n; i++) {
    const row = new Array<number>(n);
    for (let j = 0; j < n; j++) row[j] = i === j ? a[i * n + i] : 0.5 * (a[i * n + j] + a[j * n + i]);
    rows.push(row);
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
