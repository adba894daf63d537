/** Result of a bracketed root search. */
export interface RootResult {
  root: number;
  /** |f(root)| at the returned point. */
  residual: number;
  iterations: number;
  converged: boolean;
}

/**
 * Brent–Dekker root finding on a bracket [a, b] with f(a)·f(b) ≤ 0.
 *
 * ## Method
 * Inverse quadratic interpolation or secant steps, falling back to bisection whenever the
 * interpolated step would not shrink the bracket fast enough (Brent 1973, "zeroin"). Terminates when
 * the bracket is below 2·eps·|x| + xTol/2. Converges superlinearly for smooth f and never worse than
 * bisection.
 */
export function brentRoot(
  f: (x: number) => number,
  a: number,
  b: number,
  xTol = 0,
  maxIterations = 200,
): RootResult {
  let fa = f(a);
  let fb = f(b);
  if (fa === 0) return { root: a, residual: 0, iterations: 0, converged: true };
  if (fb === 0) return { root: b, residual: 0, iterations: 0, converged: true };
  if (Math.sign(fa) === Math.sign(fb)) {
    throw new RangeError(`brentRoot: f(a) = ${fa} and f(b) = ${fb} do not bracket a root on [${a}, ${b}]`);
  }
  let c = a;
  let fc = fa;
  let d = b - a;
  let e = d;
  for (let iter = 1; iter <= maxIterations; iter++) {
    if (Math.sign(fb) === Math.sign(fc)) {
      c = a;
      fc = fa;
      d = b - a;
      e = d;
    }
    if (Math.abs(fc) < Math.abs(fb)) {
      a = b; b = c; c = a;
      fa = fb; fb = fc; fc = fa;
    }
    const tol = 2 * Number.EPSILON * Math.abs(b) + 0.5 * xTol;
    const m = 0.5 * (c - b);
    if (Math.abs(m) <= tol || fb === 0) {
      return { root: b, residual: Math.abs(fb), iterations: iter, converged: true };
    }
    if (Math.abs(e) >= tol && Math.abs(fa) > Math.abs(fb)) {
      let p: number;
      let q: number;
      const s = fb / fa;
      if (a === c) {
        p = 2 * m * s;
        q = 1 - s;
      } else {
        const qq = fa / fc;
        const r = fb / fc;
        p = s * (2 * m * qq * (qq - r) - (b - a) * (r - 1));
        q = (qq - 1) * (r - 1) * (s - 1);
      }
      if (p > 0) q = -q;
      else p = -p;
      if (2 * p < Math.min(3 * m * q - Math.abs(tol * q), Math.abs(e * q))) {
        e = d;
        d = p / q;
      } else {
        d = m;
        e = m;
      }
    } else {
      d = m;
      e = m;
    }
    a = b;
    fa = fb;
    b += Math.abs(d) > tol ? d : m > 0 ? tol : -tol;
    fb = f(b);
  }
  return { root: b, residual: Math.abs(fb), iterations: maxIterations, converged: false };
}
