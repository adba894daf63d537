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
 * backward over cells: width dt/m (≤ 0.25) on [0, tMax], 0.25 on the warm-up regions of length 38/η
 * before 0 and after tMax (filter weight e^{−38} beyond). Both recursions need, per cell [u0, u1],
 *   I_f = ∫ e^{(η + iω0)(u − u1)} f(u) du  and  I_b = ∫ e^{(−η + iω0)(u − u0)} f(u) du,
 * computed together from one set of kernel values: Gauss–Legendre with the fewest points n ∈ {4, 6, 8,
 * 12, 16} whose error bound (Ω·w/2)^{2n}/(2n)! (Ω = |ω0| + η + 2) is below 1e-17; cells containing the
 * kernel's log singularities (u = 0, ±τ) are split there and integrated with the graded substitution
 * of integrateEndpointSingular, and cells within 2w of one are integrated from it (as a difference of
 * two graded integrals). Cost O(tMax/dt + 76/η·4), independent of the number of output points
 * beyond that.
 */
export function bornTerm(channel: Channel, omega0: number, gamma11: number, tau: number, eta: number, dt: number, points: number): Float64Array {
  const tMax = (points - 1) * dt;
  const m = Math.max(1, Math.ceil(dt / 0.25));
  const hFine = points > 1 ? dt / m : 0.25;
  const hCoarse = 0.25;
  const nLead = Math.ceil(38 / eta / hCoarse);
  // Cell edges: coarse warm-up, fine main part (exactly on the output grid), coarse tail.
  const nFine = points > 1 ? m * (points - 1) : 0;
  const nCells = 2 * nLead + nFine;
  const edge = (i: number): number => {
    if (i <= nLead) return -(nLead - i) * hCoarse;
    if (i <= nLead + nFine) return points > 1 ? ((i - nLead) / m) * dt : 0;
    return tMax + (i - nLead - nFine) * hCoarse;
  };
  const kv = new Float64Array(2);
  // Singular points of f: u = 0 and the light cone u = ±τ. Below τ = 1e-13 the three are merged (the
  // integral over the gap between them is below 1e-12), which keeps the split intervals resolvable.
  const singular = tau > 1e-13 ? [0, tau, -tau] : [0];
  const omegaMax = Math.abs(omega0) + eta + 2;
  const orders = [4, 6, 8, 12, 16];
  const logFact = (k: number) => { let x = 0; for (let i = 2; i <= k; i++) x += Math.log(i); return x; };
  const orderFor = (w: number): number => {
    for (const n of orders) if (2 * n * Math.log(Math.max(omegaMax * w / 2, 1e-300)) - logFact(2 * n) < Math.log(1e-17)) return n;
    return 16;
  };
  // Gauss nodes relative to the cell start with the filter weights and phases folded in, cached per
  // (order, width): all fine cells share one width, all coarse cells another.
  interface CellRule { offset: Float64Array; wf: Float64Array; wb: Float64Array; cos: Float64Array; sin: Float64Array; cw: number; sw: number }
  const rules = new Map<string, CellRule>();
  const cellRule = (n: number, w: number): CellRule => {
    const key = `${n}:${w}`;
    let r = rules.get(key);
    if (!r) {
      const { x: gx, w: gw } = gaussLegendre(n);
      const offset = new Float64Array(n); const wf = new Float64Array(n); const wb = new Float64Array(n);
      const cos = new Float64Array(n); const sin = new Float64Array(n);
      for (let k = 0; k < n; k++) {
        const d = 0.5 * w * (gx[k] + 1);
        offset[k] = d;
        wf[k] = 0.5 * w * gw[k] * Math.exp(eta * (d - w));
        wb[k] = 0.5 * w * gw[k] * Math.exp(-eta * d);
        cos[k] = Math.cos(omega0 * d);
        sin[k] = Math.sin(omega0 * d);
      }
      r = { offset, wf, wb, cos, sin, cw: Math.cos(omega0 * w), sw: Math.sin(omega0 * w) };
      rules.set(key, r);
    }
    return r;
  };
  // Per-cell integrals I_f (re, im) and I_b (re, im).
  const If = new Float64Array(2 * nCells);
  const Ib = new Float64Array(2 * nCells);
  const weighted = (u: number, anchor: number, cr: number, part: 0 | 1): number => {
    channelKernel(channel, u, gamma11, tau, kv);
    const e = Math.exp(cr * (u - anchor));
    const ph = omega0 * (u - anchor);
    const c = Math.cos(ph);
    const sn = Math.sin(ph);
    return part === 0 ? e * (kv[0] * c - kv[1] * sn) : e * (kv[0] * sn + kv[1] * c);
  };
  for (let i = 0; i < nCells; i++) {
    const u0 = edge(i);
    const u1 = edge(i + 1);
    const w = u1 - u0;
    const hit = singular.filter((sp) => sp >= u0 - 1e-12 && sp <= u1 + 1e-12);
    if (hit.length > 0) {
      // Pieces between singular points; a piece with singular points at both ends is halved so that
      // every half is integrated from its singular end.
      const cuts = [u0, ...hit.filter((p) => p > u0 && p < u1), u1];
      const isSing = (x: number) => hit.some((p) => Math.abs(p - x) <= 1e-12);
      const pts: number[] = [cuts[0]];
      for (let j = 1; j < cuts.length; j++) {
        if (isSing(cuts[j - 1]) && isSing(cuts[j])) pts.push(0.5 * (cuts[j - 1] + cuts[j]));
        pts.push(cuts[j]);
      }
      let a = 0; let b = 0; let c = 0; let d = 0;
      for (let j = 0; j < pts.length - 1; j++) {
        const [lo, hi] = [pts[j], pts[j + 1]];
        if (hi <= lo) continue;
        const singAtLo = isSing(lo);
        const [from, to, sign] = singAtLo ? [lo, hi, 1] : [hi, lo, -1];
        a += sign * integrateEndpointSingular((u) => weighted(u, u1, eta, 0), from, to);
        b += sign * integrateEndpointSingular((u) => weighted(u, u1, eta, 1), from, to);
        c += sign * integrateEndpointSingular((u) => weighted(u, u0, -eta, 0), from, to);
        d += sign * integrateEndpointSingular((u) => weighted(u, u0, -eta, 1), from, to);
      }
      If[2 * i] = a; If[2 * i + 1] = b; Ib[2 * i] = c; Ib[2 * i + 1] = d;
      continue;
    }
    // A singular point just outside the cell (within 2w): the kernel is nearly log-singular at the
    // cell's edge, which Gauss rules resolve poorly. Integrate from the singular point instead:
    // ∫_{u0}^{u1} = ∫_s^{u1} − ∫_s^{u0}, both with the graded rule.
    // The nearest one, so that no other singular point lies between it and the cell.
    let near: number | undefined;
    for (const sp of singular) {
      const dist = sp < u0 ? u0 - sp : sp - u1;
      if (dist > 0 && dist < 2 * w && (near === undefined || dist < (near < u0 ? u0 - near : near - u1))) near = sp;
    }
    if (near !== undefined) {
      const both = (g: (u: number) => number) => integrateEndpointSingular(g, near, u1) - integrateEndpointSingular(g, near, u0);
      If[2 * i] = both((u) => weighted(u, u1, eta, 0));
      If[2 * i + 1] = both((u) => weighted(u, u1, eta, 1));
      Ib[2 * i] = both((u) => weighted(u, u0, -eta, 0));
      Ib[2 * i + 1] = both((u) => weighted(u, u0, -eta, 1));
      continue;
    }
    const rule = cellRule(orderFor(w), w);
    let fr = 0; let fi = 0; let br = 0; let bi = 0;
    for (let k = 0; k < rule.offset.length; k++) {
      channelKernel(channel, u0 + rule.offset[k], gamma11, tau, kv);
      const zr = kv[0] * rule.cos[k] - kv[1] * rule.sin[k]; // Re[f(u)·e^{iω0(u−u0)}]
      const zi = kv[0] * rule.sin[k] + kv[1] * rule.cos[k];
      fr += rule.wf[k] * zr; fi += rule.wf[k] * zi;
      br += rule.wb[k] * zr; bi += rule.wb[k] * zi;
    }
    // e^{iω0(u − u1)} = e^{iω0(u − u0)}·e^{−iω0 w}: the second factor is applied after the sum.
    If[2 * i] = fr * rule.cw + fi * rule.sw;
    If[2 * i + 1] = fi * rule.cw - fr * rule.sw;
    Ib[2 * i] = br;
    Ib[2 * i + 1] = bi;
  }
  const fb = new Float64Array(2 * points);
  const fbBar = new Float64Array(2 * points);
  const outIndex = (i: number): number => (i >= nLead && i <= nLead + nFine && (i - nLead) % m === 0 ? (i - nLead) / m : -1);
  // Forward: F_b(u1) = e^{−(η + iω0)w} F_b(u0) − i·I_f.
  let re = 0;
  let im = 0;
  for (let i = 0; i < nCells; i++) {
    const o = outIndex(i);
    if (o >= 0 && o < points) { fb[2 * o] = re; fb[2 * o + 1] = im; }
    const w = edge(i + 1) - edge(i);
    const dec = Math.exp(-eta * w);
    const cR = dec * Math.cos(omega0 * w);
    const cI = -dec * Math.sin(omega0 * w);
    const nr = cR * re - cI * im + If[2 * i + 1];
    const ni = cR * im + cI * re - If[2 * i];
    re = nr;
    im = ni;
  }
  if (nFine === 0) { fb[0] = fb[0] || 0; }
  // Backward: F_b̄(u0) = e^{(−η + iω0)w} F_b̄(u1) + i·I_b.
  re = 0;
  im = 0;
  for (let i = nCells - 1; i >= 0; i--) {
    const w = edge(i + 1) - edge(i);
    const dec = Math.exp(-eta * w);
    const cR = dec * Math.cos(omega0 * w);
    const cI = dec * Math.sin(omega0 * w);
    const nr = cR * re - cI * im - Ib[2 * i + 1];
    const ni = cR * im + cI * re + Ib[2 * i];
    re = nr;
    im = ni;
    const o = outIndex(i);
    if (o >= 0 && o < points) { fbBar[2 * o] = re; fbBar[2 * o + 1] = im; }
  }
  // B = (F_b̄ − F_b)/(2iη)
  const out = new Float64Array(2 * points);
  for (let n = 0; n < points; n++) {
    const dr = fbBar[2 * n] - fb[2 * n];
    const di = fbBar[2 * n + 1] - fb[2 * n + 1];
    out[2 * n] = di / (2 * eta);
    out[2 * n + 1] = -dr / (2 * eta);
  }
  return out;
}
