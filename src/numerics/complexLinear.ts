/**
 * Dense complex linear systems, interleaved storage (re, im of entry (i, j) at 2(i·N + j), 2(i·N + j) + 1):
 * the matrix-exponential's Padé solve (complexExpm.ts) and the resolvent's ρ(ω)c(0) at every frequency
 * node (src/dynamics/scene/continuumMatrix.ts) use it.
 */

/**
 * Solves M·X = R in place for an N×N complex M (interleaved, overwritten by its LU factors) and `cols`
 * right-hand sides R (row-major N×cols, interleaved), Gaussian elimination with partial pivoting (pivot of largest |re| + |im|, a cheap
 * stand-in for the modulus that is within √2 of it).
 * `perm` (length ≥ N) receives the pivot rows.
 * Returns false if a pivot is exactly zero.
 */
export function complexLuSolve(n: number, m: Float64Array, r: Float64Array, cols: number, perm: Int32Array): boolean {
  for (let k = 0; k < n; k++) {
    let p = k;
    let best = -1;
    for (let i = k; i < n; i++) {
      const o = 2 * (i * n + k);
      const v = Math.abs(m[o]) + Math.abs(m[o + 1]);
      if (v > best) { best = v; p = i; }
    }
    if (!(best > 0)) return false;
    perm[k] = p;
    if (p !== k) {
      for (let j = 2 * k; j < 2 * n; j++) { const t = m[2 * k * n + j]; m[2 * k * n + j] = m[2 * p * n + j]; m[2 * p * n + j] = t; }
      for (let j = 0; j < 2 * cols; j++) { const t = r[2 * k * cols + j]; r[2 * k * cols + j] = r[2 * p * cols + j]; r[2 * p * cols + j] = t; }
    }
    const pr = m[2 * (k * n + k)];
    const pi = m[2 * (k * n + k) + 1];
    const den = pr * pr + pi * pi;
    const ir = pr / den;
    const ii = -pi / den;
    for (let i = k + 1; i < n; i++) {
      const o = 2 * (i * n + k);
      const xr = m[o] * ir - m[o + 1] * ii;
      const xi = m[o] * ii + m[o + 1] * ir;
      if (xr === 0 && xi === 0) continue;
      m[o] = xr; m[o + 1] = xi;
      const ro = 2 * i * n;
      const ko = 2 * k * n;
      for (let j = k + 1; j < n; j++) {
        const ur = m[ko + 2 * j];
        const ui = m[ko + 2 * j + 1];
        m[ro + 2 * j] -= xr * ur - xi * ui;
        m[ro + 2 * j + 1] -= xr * ui + xi * ur;
      }
      for (let j = 0; j < cols; j++) {
        const ur = r[2 * (k * cols + j)];
        const ui = r[2 * (k * cols + j) + 1];
        r[2 * (i * cols + j)] -= xr * ur - xi * ui;
        r[2 * (i * cols + j) + 1] -= xr * ui + xi * ur;
      }
    }
  }
  for (let k = n - 1; k >= 0; k--) {
    const pr = m[2 * (k * n + k)];
    const pi = m[2 * (k * n + k) + 1];
    const den = pr * pr + pi * pi;
    for (let j = 0; j < cols; j++) {
      let sr = r[2 * (k * cols + j)];
      let si = r[2 * (k * cols + j) + 1];
      for (let l = k + 1; l < n; l++) {
        const ar = m[2 * (k * n + l)];
        const ai = m[2 * (k * n + l) + 1];
        const xr = r[2 * (l * cols + j)];
        const xi = r[2 * (l * cols + j) + 1];
        sr -= ar * xr - ai * xi;
        si -= ar * xi + ai * xr;
      }
      r[2 * (k * cols + j)] = (sr * pr + si * pi) / den;
      r[2 * (k * cols + j) + 1] = (si * pr - sr * pi) / den;
    }
  }
  return true;
}
