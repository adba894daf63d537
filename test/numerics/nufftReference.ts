/** The NUFFT's independent reference (used by test/numerics/nufft.test.ts and scripts/validate/nufft.ts). */
/**
 * Reference: direct summation with phases n·x_j reduced mod 2π in extended precision (exact product
 * n·x = p + e by Veltkamp splitting, Cody–Waite reduction with a 3-part 2π whose first two parts have
 * 33 bits, so k·P1 and k·P2 are exact for k < 2^20). Each term is then correct to ≈1e-16, so the
 * reference is exact to rounding for the double-precision points given, however large n·x is
 * (a naive cos(n·x) would be in error by ≈ n·|x|·1e-16 per term, comparable to the tolerances tested).
 */
function twoProduct(a: number, b: number): [number, number] {
  const p = a * b;
  const S = 134217729;
  const ca = S * a;
  const ah = ca - (ca - a);
  const al = a - ah;
  const cb = S * b;
  const bh = cb - (cb - b);
  const bl = b - bh;
  return [p, ((ah * bh - p) + ah * bl + al * bh) + al * bl];
}
const P1 = 4 * 1.57079632673412561417e0;
const P2 = 4 * 6.0771005063039659766e-11;
const P3 = 4 * 2.0222662487111664558e-21;
export function phase(n: number, x: number): number {
  const [p, e] = twoProduct(n, x);
  const k = Math.round(p / (2 * Math.PI));
  return ((p - k * P1) - k * P2) - k * P3 + e;
}
export function directSum(x: ArrayLike<number>, cRe: ArrayLike<number>, cIm: ArrayLike<number> | null, N: number): Float64Array {
  const f = new Float64Array(2 * N);
  for (let n = 0; n < N; n++) {
    let re = 0;
    let im = 0;
    for (let j = 0; j < x.length; j++) {
      const ph = phase(n, x[j]);
      const c = Math.cos(ph);
      const s = -Math.sin(ph);
      const b = cIm === null ? 0 : cIm[j];
      re += cRe[j] * c - b * s;
      im += cRe[j] * s + b * c;
    }
    f[2 * n] = re;
    f[2 * n + 1] = im;
  }
  return f;
}

/** max over n < count of |a_n − b_n| for interleaved complex arrays. */
export function maxDiff(a: Float64Array, b: Float64Array, count: number): number {
  let e = 0;
  for (let i = 0; i < count; i++) e = Math.max(e, Math.hypot(a[2 * i] - b[2 * i], a[2 * i + 1] - b[2 * i + 1]));
  return e;
}
