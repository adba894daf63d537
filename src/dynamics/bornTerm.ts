import { gaussLegendre } from '../numerics/gaussLegendre.js';
import { integrateEndpointSingular } from '../numerics/quadrature.js';
import { memoryKernelPair } from '../model/memoryKernel.js';
import type { Channel } from '../model/params.js';

/**
 * The memory kernel of channel ± at any real time: f±(u) = f0(u) ± f1(u) for u > 0 (closed forms of
 * src/model/memoryKernel.ts), f(−u) = conj f(u) (J is real). Writes [re, im] into `out`.
 */
export function channelKernel(channel: Channel, u: number, gamma11: number, tau: number, out: Float64Array): void {
  memoryKernelPair(Math.abs(u), gamma11, tau, pair);
  const s = channel === '+' ? 1 : -1;
  // At τ = 0, f1 = f0 (memoryKernelPair leaves out[2..3] alone then).
  const [r1, i1] = tau > 0 ? [pair[2], pair[3]] : [pair[0], pair[1]];
  out[0] = pair[0] + s * r1;
  out[1] = (u < 0 ? -1 : 1) * (pair[1] + s * i1);
}

const pair = new Float64Array(4);

/**
 * B±(t) = ∫_1^∞ J±(ω) g(ω) e^{−iωt} dω with g(ω) = 1/((ω − ω0)² + η²): the part of the continuum that
 * qbwave's exact method subtracts from ρ± and adds back in the time domain (docs/methods.md).
 *
 * ## Method
 * g = [1/(ω − b̄) − 1/(ω − b)]/(2iη), b = ω0 − iη, and for Im b < 0 < Im b̄
 *   F_b(t) = ∫J e^{−iωt}/(ω − b) dω = −i ∫_{−∞}^{t} e^{−ib(t−u)} f(u) du,
 *   F_b̄(t) = ∫J e^{−iωt}/(ω − b̄) dω =  i ∫_{t}^{∞} e^{ib̄(u−t)} f(u) du,
 * damped exponential filters of the closed-form kernel f, run as one-step recursions forward and
 * backward over a grid of step h ≤ 0.25 (each step's integral by 16-point Gauss–Legendre, or, on
 * steps that contain the kernel's log singularities at u = 0, ±τ, split there and integrated with
 * the graded substitution of integrateEndpointSingular). The
 * recursions start 38/η before the first (after the last) time, where the filter weight is e^{−38}.
 * Cost O(T/h), independent of how many output times are asked for beyond that.
 */
export function bornTerm(channel: Channel, omega0: number, gamma11: number, tau: number, eta: number, dt: number, points: number): Float64Array {
  const tMax = (points - 1) * dt;
  const m = Math.max(1, Math.ceil(dt / 0.25));
  const h = points > 1 ? dt / m : 0.25;
  const lead = Math.ceil(38 / eta / h);
  const { x: gx, w: gw } = gaussLegendre(16);
  const kv = new Float64Array(2);
  // Singular points of f: u = 0 and the light cone u = ±τ. Below τ = 1e-13 the three are merged (the
  // integral over the gap between them is below 1e-12), which keeps the split intervals resolvable.
  const singular = tau > 1e-13 ? [0, tau, -tau] : [0];
  // ∫_{u0}^{u0+h} e^{c·(u − anchor)} f(u) du for complex rate c = (cr + i·ci); result into res.
  const res = new Float64Array(2);
  const stepIntegral = (u0: number, anchor: number, cr: number, ci: number): void => {
    const u1 = u0 + h;
    const hit = singular.filter((s) => s >= u0 - 1e-12 && s <= u1 + 1e-12);
    if (hit.length > 0) {
      const fRe = (u: number) => { channelKernel(channel, u, gamma11, tau, kv); const e = Math.exp(cr * (u - anchor)); const ph = ci * (u - anchor); return e * (kv[0] * Math.cos(ph) - kv[1] * Math.sin(ph)); };
      const fIm = (u: number) => { channelKernel(channel, u, gamma11, tau, kv); const e = Math.exp(cr * (u - anchor)); const ph = ci * (u - anchor); return e * (kv[0] * Math.sin(ph) + kv[1] * Math.cos(ph)); };
      // Split at each singular point and integrate from it outwards (graded substitution).
      const pts = [u0, ...hit.filter((p) => p > u0 && p < u1), u1];
      res[0] = 0;
      res[1] = 0;
      for (let j = 0; j < pts.length - 1; j++) {
        const [lo, hi] = [pts[j], pts[j + 1]];
        if (hi <= lo) continue;
        const singAtLo = hit.some((p) => Math.abs(p - lo) <= 1e-12);
        const [from, to, sign] = singAtLo ? [lo, hi, 1] : [hi, lo, -1];
        res[0] += sign * integrateEndpointSingular(fRe, from, to);
        res[1] += sign * integrateEndpointSingular(fIm, from, to);
      }
      return;
    }
    let sr = 0;
    let si = 0;
    for (let i = 0; i < 16; i++) {
      const u = u0 + 0.5 * h * (gx[i] + 1);
      channelKernel(channel, u, gamma11, tau, kv);
      const e = Math.exp(cr * (u - anchor));
      const ph = ci * (u - anchor);
      const c = Math.cos(ph);
      const s = Math.sin(ph);
      sr += gw[i] * e * (kv[0] * c - kv[1] * s);
      si += gw[i] * e * (kv[0] * s + kv[1] * c);
    }
    res[0] = 0.5 * h * sr;
    res[1] = 0.5 * h * si;
  };
  const fb = new Float64Array(2 * points);
  const fbBar = new Float64Array(2 * points);
  // Forward: F_b(t+h) = e^{−ibh} F_b(t) − i ∫_t^{t+h} e^{−ib(t+h−u)} f(u) du, with −ib = −η − iω0.
  {
    const decay = Math.exp(-eta * h);
    const cR = decay * Math.cos(omega0 * h);
    const cI = -decay * Math.sin(omega0 * h);
    let re = 0;
    let im = 0;
    for (let n = -lead; n < m * (points - 1); n++) {
      if (n >= 0 && n % m === 0) { fb[2 * (n / m)] = re; fb[2 * (n / m) + 1] = im; }
      const u0 = n * h;
      // e^{−ib(t+h−u)} = e^{(η + iω0)(u − (t+h))}
      stepIntegral(u0, u0 + h, eta, omega0);
      const nr = cR * re - cI * im + res[1];
      const ni = cR * im + cI * re - res[0];
      re = nr;
      im = ni;
    }
    fb[2 * (points - 1)] = re;
    fb[2 * (points - 1) + 1] = im;
  }
  // Backward: F_b̄(t−h) = e^{ib̄h} F_b̄(t) + i ∫_{t−h}^{t} e^{ib̄(u−t+h)} f(u) du, with ib̄ = −η + iω0.
  {
    const decay = Math.exp(-eta * h);
    const cR = decay * Math.cos(omega0 * h);
    const cI = decay * Math.sin(omega0 * h);
    let re = 0;
    let im = 0;
    const last = m * (points - 1);
    for (let n = last + lead; n > 0; n--) {
      if (n <= last && n % m === 0) { fbBar[2 * (n / m)] = re; fbBar[2 * (n / m) + 1] = im; }
      const u0 = (n - 1) * h;
      // e^{ib̄(u − (t − h))} = e^{(−η + iω0)(u − u0)}
      stepIntegral(u0, u0, -eta, omega0);
      const nr = cR * re - cI * im - res[1];
      const ni = cR * im + cI * re + res[0];
      re = nr;
      im = ni;
    }
    fbBar[0] = re;
    fbBar[1] = im;
  }
  // B = (F_b̄ − F_b)/(2iη)
  const out = new Float64Array(2 * points);
  for (let n = 0; n < points; n++) {
    const dr = fbBar[2 * n] - fb[2 * n];
    const di = fbBar[2 * n + 1] - fb[2 * n + 1];
    out[2 * n] = di / (2 * eta);
    out[2 * n + 1] = -dr / (2 * eta);
  }
  void tMax;
  return out;
}
