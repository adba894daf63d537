import { describe, it, expect } from 'vitest';
import { complexExpm, complexMatMul, complexMatVec, complexSolveInPlace, type ExpmInfo } from '../../src/numerics/complexExpm.js';

/**
 * complexExpm against closed forms: rotations (2×2), V·e^D·V⁻¹ with integer V whose inverse is exact,
 * Jordan blocks λI + μN (finite series), and e^{−iHt} unitary for Hermitian H. Each Padé degree
 * (3, 5, 7, 9, 13) and the scaling-and-squaring branch is exercised (info.degree, info.squarings).
 */

type C = [number, number];
const cmul = (a: C, b: C): C => [a[0] * b[0] - a[1] * b[1], a[0] * b[1] + a[1] * b[0]];
const cexp = (a: C): C => [Math.exp(a[0]) * Math.cos(a[1]), Math.exp(a[0]) * Math.sin(a[1])];

/** Interleaved N×N matrix from a function of (j, l). */
function mat(n: number, f: (j: number, l: number) => C): Float64Array {
  const m = new Float64Array(2 * n * n);
  for (let j = 0; j < n; j++) for (let l = 0; l < n; l++) [m[2 * (j * n + l)], m[2 * (j * n + l) + 1]] = f(j, l);
  return m;
}

/** max |x − y| over entries, divided by max(1, max |y|) (relative to the largest entry of the reference). */
function relErr(x: Float64Array, y: Float64Array): number {
  let e = 0;
  let s = 0;
  for (let i = 0; i < x.length; i += 2) {
    e = Math.max(e, Math.hypot(x[i] - y[i], x[i + 1] - y[i + 1]));
    s = Math.max(s, Math.hypot(y[i], y[i + 1]));
  }
  return e / s;
}

/** V·diag(d)·W with real integer V, W (W = V⁻¹ exactly). */
function similarity(v: number[][], d: C[], w: number[][]): Float64Array {
  const n = v.length;
  return mat(n, (j, l) => {
    let re = 0;
    let im = 0;
    for (let k = 0; k < n; k++) {
      re += v[j][k] * d[k][0] * w[k][l];
      im += v[j][k] * d[k][1] * w[k][l];
    }
    return [re, im];
  });
}

function expmInfo(n: number, a: Float64Array): [Float64Array, ExpmInfo] {
  const info: ExpmInfo = { degree: 0, squarings: 0, norm1: 0 };
  return [complexExpm(n, a, info), info];
}

describe('complexExpm — closed forms', () => {
  it('2×2 rotations: exp(θ[[0, 1], [−1, 0]]) and exp(−iθσx), every Padé degree and scaling, to ≤ 4ε·max(1, θ)', () => {
    const degrees = new Set<number>();
    let worst = 0;
    for (const theta of [0.01, 0.2, 0.9, 2, 5, 20, 300]) {
      const [r, info] = expmInfo(2, mat(2, (j, l) => (j === l ? [0, 0] : [j < l ? theta : -theta, 0])));
      degrees.add(info.degree);
      const ref = mat(2, (j, l) => (j === l ? [Math.cos(theta), 0] : [j < l ? Math.sin(theta) : -Math.sin(theta), 0]));
      const [q] = expmInfo(2, mat(2, (j, l) => (j === l ? [0, 0] : [0, -theta])));
      const refQ = mat(2, (j, l) => (j === l ? [Math.cos(theta), 0] : [0, -Math.sin(theta)]));
      const e = Math.max(relErr(r, ref), relErr(q, refQ)) / Math.max(1, theta);
      worst = Math.max(worst, e);
      // A rotation by θ is conditioned like θ (a relative change ε of θ moves the result by εθ), so the
      // bound is a few ulp times max(1, θ); measured ≤ 0.64ε·max(1, θ) (θ = 0.01 … 300).
      expect(e, `θ = ${theta}`).toBeLessThan(4 * Number.EPSILON);
    }
    expect([...degrees].sort((a, b) => a - b)).toEqual([3, 5, 7, 9, 13]);
    expect(worst).toBeGreaterThan(0);
  });

  it('diagonalisable 3×3: V·e^{D}·V⁻¹ (V integer, V⁻¹ exact) for mixed signs of Re λ (to 4e-15 relative), and at large t', () => {
    const v = [[1, 1, 0], [0, 1, 1], [1, 0, 1]];
    const w = [[0.5, -0.5, 0.5], [0.5, 0.5, -0.5], [-0.5, 0.5, 0.5]];
    const lam: C[] = [[-0.3, 2], [0.5, -1], [-2, 0.1]];
    for (const t of [0.05, 1, 3]) {
      const d = lam.map(([re, im]) => [re * t, im * t] as C);
      const [r, info] = expmInfo(3, similarity(v, d, w));
      const ref = similarity(v, d.map(cexp), w);
      const e = relErr(r, ref);
      // cond(V) = ‖V‖‖V⁻¹‖ = 3 here and ‖A‖ ≤ 8: measured ≤ 4.2e-16 (the reference itself is rounded:
      // three products and a sum per entry); 4e-15 is ~10× that.
      expect(e, `t = ${t} (degree ${info.degree}, ${info.squarings} squarings)`).toBeLessThan(4e-15);
    }
    // Contractive case at long time (exp(−At), every Re λ < 0, t = 200: 9 squarings). The entries decay
    // like e^{−0.3t}; the absolute error relative to the largest entry is what squaring controls.
    const lamC: C[] = [[-0.003, 2], [-0.01, -1], [-0.02, 0.1]];
    const dC = lamC.map(([re, im]) => [re * 200, im * 200] as C);
    const [r, info] = expmInfo(3, similarity(v, dC, w));
    expect(info.squarings).toBeGreaterThan(5);
    // ‖A‖₁ = 620 (phases up to 400 rad): a relative error ε in A moves the result by ~400ε ≈ 1e-13;
    // measured 1.3e-14 (7 squarings), so 1e-13.
    expect(relErr(r, similarity(v, dC.map(cexp), w))).toBeLessThan(1e-13);
  });

  it('nilpotent Jordan blocks: exp(λI + μN) = e^λ Σ_k μ^k N^k/k! for a 5×5 block, to 5e-15 relative', () => {
    const n = 5;
    for (const [lam, mu] of [[[0, 0], [1, 0]], [[-0.5, 1.5], [0.7, -0.4]], [[0.2, -3], [4, 1]], [[0, 0], [40, 0]]] as Array<[C, C]>) {
      const a = mat(n, (j, l) => (j === l ? lam : l === j + 1 ? mu : [0, 0]));
      const [r, info] = expmInfo(n, a);
      const el = cexp(lam);
      const ref = mat(n, (j, l) => {
        if (l < j) return [0, 0];
        let p: C = [1, 0];
        let f = 1;
        for (let k = 1; k <= l - j; k++) {
          p = cmul(p, mu);
          f *= k;
        }
        return cmul(el, [p[0] / f, p[1] / f]);
      });
      // Non-normal (the result's entries span μ⁴/24 vs 1); measured ≤ 9.2e-16 relative to the largest entry.
      expect(relErr(r, ref), `λ = ${lam}, μ = ${mu} (degree ${info.degree}, ${info.squarings} squarings)`).toBeLessThan(5e-15);
    }
  });

  it('e^{−iHt} is unitary for Hermitian H (8×8, ‖Ht‖₁ up to 73) to 5e-15·max(1, ‖Ht‖₁), and exp(A)·exp(−A) = I', () => {
    let seed = 7;
    const rnd = (): number => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed / 2147483648 - 0.5;
    };
    const n = 8;
    const h = mat(n, () => [0, 0]);
    for (let j = 0; j < n; j++) {
      for (let l = j; l < n; l++) {
        const re = rnd();
        const im = j === l ? 0 : rnd();
        h[2 * (j * n + l)] = re; h[2 * (j * n + l) + 1] = im;
        h[2 * (l * n + j)] = re; h[2 * (l * n + j) + 1] = -im;
      }
    }
    for (const t of [0.1, 3, 20]) {
      const a = mat(n, (j, l) => [h[2 * (j * n + l) + 1] * t, -h[2 * (j * n + l)] * t]); // −iHt
      const [u, info] = expmInfo(n, a);
      const uh = mat(n, (j, l) => [u[2 * (l * n + j)], -u[2 * (l * n + j) + 1]]);
      const prod = complexMatMul(n, uh, u);
      const id = mat(n, (j, l) => [j === l ? 1 : 0, 0]);
      const scale = Math.max(1, info.norm1);
      // Measured ≤ 8.9e-16·max(1, ‖Ht‖₁); 5e-15 leaves ~6×.
      expect(relErr(prod, id) / scale, `t = ${t}`).toBeLessThan(5e-15);
      const minus = complexExpm(n, a.map((x) => -x));
      expect(relErr(complexMatMul(n, u, minus), id) / scale, `t = ${t}, e^A e^−A`).toBeLessThan(5e-15);
    }
  });
});

describe('complex linear algebra helpers', () => {
  it('complexSolveInPlace solves a pivoting-requiring system exactly representable; complexMatVec agrees with it', () => {
    // M has a zero (1,1) entry, so partial pivoting is needed. X known, B = M·X, solve back.
    const n = 3;
    const entries: C[][] = [[[0, 0], [2, 0.5], [1, -1]], [[1, 0.5], [1, -1], [0, 0.5]], [[3, -1], [0, 0.5], [1, 0]]];
    const m = mat(n, (j, l) => entries[j][l]);
    const x = mat(n, (j, l) => [j - l, 1 + j * l]);
    const b = complexMatMul(n, m, x);
    const lu = Float64Array.from(m);
    complexSolveInPlace(n, lu, b);
    // Measured 1.9e-16 (M is well conditioned); 1e-15 is ~5×.
    expect(relErr(b, x)).toBeLessThan(1e-15);
    const v = complexMatVec(n, m, new Float64Array([1, 0, 0, 1, -1, 0.5]));
    // Column 0·1 + column 1·i + column 2·(−1 + 0.5i), by hand:
    const col = (l: number): C[] => [0, 1, 2].map((j) => [m[2 * (j * n + l)], m[2 * (j * n + l) + 1]] as C);
    for (let j = 0; j < n; j++) {
      const s = [col(0)[j], cmul(col(1)[j], [0, 1]), cmul(col(2)[j], [-1, 0.5])].reduce((p, q) => [p[0] + q[0], p[1] + q[1]] as C);
      expect(Math.hypot(v[2 * j] - s[0], v[2 * j + 1] - s[1])).toBeLessThan(1e-15);
    }
  });

  it('complexSolveInPlace throws on a singular matrix', () => {
    expect(() => complexSolveInPlace(2, new Float64Array([1, 0, 2, 0, 2, 0, 4, 0]), new Float64Array(8))).toThrow(/singular/);
  });
});
