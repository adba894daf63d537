/**
 * Error-free products (Dekker 1971, with Veltkamp's splitting; JavaScript has no fused multiply–add).
 * `productError(a, b, p)` is the exact rounding error a·b − p of p = fl(a·b), valid while |a|, |b| stay
 * below ≈1e300 (the splitting multiplies by 2^27 + 1).
 */
export function productError(a: number, b: number, p: number): number {
  const SPLIT = 134217729; // 2^27 + 1
  const ca = SPLIT * a;
  const ah = ca - (ca - a);
  const al = a - ah;
  const cb = SPLIT * b;
  const bh = cb - (cb - b);
  const bl = b - bh;
  return ((ah * bh - p) + ah * bl + al * bh) + al * bl;
}

/** The exact product a·b = p + e as [p, e] (see productError). */
export function twoProduct(a: number, b: number): [number, number] {
  const p = a * b;
  return [p, productError(a, b, p)];
}
