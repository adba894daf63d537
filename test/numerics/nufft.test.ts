import { describe, it, expect } from 'vitest';
import { nufft1, Nufft1Plan, nufftKernelParameters, NUFFT_DEFAULT_TOL } from '../../src/numerics/nufft.js';
import { channelResolvent, evaluateChannel, type ChannelResolvent } from '../../src/dynamics/exact.js';
import { boundStates } from '../../src/spectrum/boundStates.js';

import { directSum, maxDiff, phase } from './nufftReference.js';

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 4294967296;
  };
}
/** Random points in [−10, 40] (several periods, both signs) plus the awkward ones: 0, −0, just below 2π, 2π, ±tiny, 1e3. */
function points(J: number, seed: number): { x: Float64Array; a: Float64Array; b: Float64Array } {
  const r = rng(seed);
  const x = new Float64Array(J);
  const a = new Float64Array(J);
  const b = new Float64Array(J);
  for (let j = 0; j < J; j++) {
    x[j] = -10 + 50 * r();
    a[j] = r() - 0.5;
    b[j] = r() - 0.5;
  }
  const special = [0, -0, 2 * Math.PI, 2 * Math.PI - 1e-15, 2 * Math.PI * (1 - Number.EPSILON), 1e-300, -1e-13, 1e3, -2 * Math.PI];
  special.forEach((v, i) => { x[i] = v; });
  return { x, a, b };
}

describe('nufft1 — type-1 NUFFT against extended-precision direct summation', () => {
  // Error criterion: max_n |f̃_n − f_n| ≤ bound·Σ|c_j|. The NUFFT error is relative to Σ|c_j| (every
  // term is in error by ≲ tol·|c_j| at worst, whatever N is). Claimed in nufft.ts (npm run validate -- nufft):
  // random sums ≤ 0.099·tol for tol ≥ 1e-12, up to 2.9·tol at tol = 1e-14 (where rounding of the FFT and the
  // spreading sums starts to count); a single point, anywhere in a cell, 0.37–0.96·tol (tol ≥ 1e-12).
  // Measured in these tests: random sums ≤ 0.066·tol (tol ≥ 1e-12) and 2.36·tol (1e-14); single points
  // 0.30, 0.73, 0.96·tol at tol = 1e-4, 1e-8, 1e-12. Bounds: 0.5·tol and 10·tol for the random sums,
  // 3·tol for single points — each ≤ 10× the claim, with room for platform differences in
  // exp/sqrt/FFT rounding; a wrong width, β or deconvolution gives ≥ 100·tol or O(1).
  const J = 600;
  const Ns = [1, 2, 7, 100, 1000, 1024, 4099];
  const tols = [1e-3, 1e-6, 1e-9, 1e-12, 1e-14];
  for (const complex of [false, true]) {
    it(`${complex ? 'complex' : 'real'} strengths: N = ${Ns.join(', ')}, tol = ${tols.join(', ')}, error ≤ 0.5·tol·Σ|c| (10·tol·Σ|c| at tol 1e-14)`, () => {
      for (const N of Ns) {
        const { x, a, b } = points(J, 17 * N + (complex ? 1 : 0));
        const ref = directSum(x, a, complex ? b : null, N);
        let norm = 0;
        for (let j = 0; j < J; j++) norm += Math.hypot(a[j], complex ? b[j] : 0);
        for (const tol of tols) {
          const f = nufft1(x, a, complex ? b : null, N, { tol });
          const err = maxDiff(f, ref, N) / norm;
          expect(err, `N = ${N}, tol = ${tol}: relative error ${err.toExponential(2)}`).toBeLessThanOrEqual((tol >= 1e-12 ? 0.5 : 10) * tol);
        }
      }
    });
  }

  it('single points anywhere in a grid cell, at the band edge (σ = 2 exactly, N = 1024): error ≤ 3·tol', () => {
    const N = 1024;
    const out = new Float64Array(2 * N);
    for (const tol of [1e-4, 1e-8, 1e-12]) {
      const plan = new Nufft1Plan(N, { tol });
      expect(plan.gridSize).toBe(4096);
      const h = (2 * Math.PI) / plan.gridSize;
      let worst = 0;
      for (let k = 0; k < 16; k++) {
        const x = 777 + (h * (k + 0.31)) / 16;
        plan.clear();
        plan.addReal([x], [1]);
        plan.execute(out);
        for (let n = 0; n < N; n++) {
          const ph = phase(n, x);
          worst = Math.max(worst, Math.hypot(out[2 * n] - Math.cos(ph), out[2 * n + 1] + Math.sin(ph)));
        }
      }
      expect(worst, `tol ${tol}`).toBeLessThanOrEqual(3 * tol);
    }
  });

  it('plans: batches, x scaling and accumulation give the same sums; the complex plan accepts real strengths', () => {
    const { x, a } = points(500, 3);
    const N = 300;
    const one = nufft1(x, a, null, N);
    const plan = new Nufft1Plan(N);
    const half = new Float64Array(x.length);
    for (let j = 0; j < x.length; j++) half[j] = x[j] / 2; // exact
    plan.addReal(half, a, 0, 200, 2);
    plan.addReal(half, a, 200, 500, 2);
    const out = new Float64Array(2 * N).fill(1);
    plan.execute(out, true);
    for (let i = 0; i < 2 * N; i++) out[i] -= 1;
    expect(maxDiff(out, one, N)).toBeLessThan(1e-14);
    const cplan = new Nufft1Plan(N, { complex: true });
    cplan.addReal(x, a);
    const cout = new Float64Array(2 * N);
    cplan.execute(cout);
    let norm = 0;
    for (const v of a) norm += Math.abs(v);
    expect(maxDiff(cout, one, N)).toBeLessThan(2 * NUFFT_DEFAULT_TOL * norm); // two approximations of one sum
    expect(() => plan.addComplex(x, a, a)).toThrow(/complex/);
  });

  it('kernel width grows with accuracy; invalid arguments throw', () => {
    const widths = [1e-2, 1e-4, 1e-8, 1e-12, 1e-15].map((t) => nufftKernelParameters(t).width);
    for (let i = 1; i < widths.length; i++) expect(widths[i]).toBeGreaterThan(widths[i - 1]);
    expect(nufftKernelParameters(NUFFT_DEFAULT_TOL).width).toBe(14);
    expect(nufftKernelParameters(1e-30).width).toBe(16);
    expect(() => nufftKernelParameters(0)).toThrow(RangeError);
    expect(() => new Nufft1Plan(0)).toThrow(RangeError);
    expect(() => new Nufft1Plan(2.5)).toThrow(RangeError);
    expect(() => nufft1([1, 2], [1], null, 4)).toThrow(RangeError);
    expect(() => new Nufft1Plan(4).execute(new Float64Array(4))).toThrow(RangeError);
  });
});

describe('evaluateChannel — NUFFT route against the direct route (reference)', () => {
  it('agrees with direct summation to ≤ 2e-12 on real resolvents (incl. a narrow BIC resonance), 100…2001 points', () => {
    // exact.ts claims the NUFFT route agrees with the direct one to ≈1e-12 absolute or better; measured
    // here ≤ 3.5e-13 (ω0 = 1.4, Δz = 0.5, channel +, N = 2001), 1e-14 – 2e-13 elsewhere. 2e-12 is 2× the
    // claim and 6× the largest measured value.
    for (const params of [{ omega0: 1, gamma11: 0.5, dz: 0.1 }, { omega0: 1.4, gamma11: 0.5, dz: 0.5 }, { omega0: 9.5, gamma11: 4.5, dz: 3 }]) {
      const tMax = 60;
      const bs = boundStates(params).boundStates;
      for (const ch of ['+', '-'] as const) {
        const r = channelResolvent(ch, params.omega0, params.gamma11, params.dz, tMax, 1e-8, bs);
        for (const N of [100, 2001]) {
          const dt = tMax / (N - 1);
          const direct = new Float64Array(2 * N);
          const fast = new Float64Array(2 * N);
          const auto = new Float64Array(2 * N);
          expect(evaluateChannel(r, dt, N, direct, undefined, undefined, 'direct')).toBe(true);
          expect(evaluateChannel(r, dt, N, fast, undefined, undefined, 'nufft')).toBe(true);
          evaluateChannel(r, dt, N, auto);
          const err = maxDiff(direct, fast, N);
          expect(err, `${JSON.stringify(params)} ${ch} N = ${N}: ${err.toExponential(2)}`).toBeLessThanOrEqual(2e-12);
          expect(maxDiff(direct, auto, N)).toBeLessThanOrEqual(2e-12);
        }
      }
    }
  });

  function synthetic(nodes: number): ChannelResolvent {
    const r = rng(nodes);
    const omega = new Float64Array(nodes);
    const weight = new Float64Array(nodes);
    for (let i = 0; i < nodes; i++) {
      omega[i] = 1 + 30 * r() ** 2;
      weight[i] = (r() - 0.3) / nodes;
    }
    return { channel: '+', poles: [{ energy: 0.7, amplitude: 0.4 }], omega, weight, massResidual: 0, sumRule: 1, tailBound: 0, quadratureError: 0, evaluationError: 0, narrowPoles: 0, offsetSegments: 0, resonances: [], converged: true, truncated: false };
  }

  it('keeps cancellation and progress on the NUFFT route (batches of 2^16 nodes)', () => {
    const r = synthetic(200_000);
    const N = 500;
    const out = new Float64Array(2 * N);
    const fractions: number[] = [];
    expect(evaluateChannel(r, 0.05, N, out, { aborted: false }, (f) => fractions.push(f), 'nufft')).toBe(true);
    expect(fractions.length).toBeGreaterThanOrEqual(4);
    for (let i = 1; i < fractions.length; i++) expect(fractions[i]).toBeGreaterThan(fractions[i - 1]);
    expect(fractions.at(-1)).toBe(1);
    // Aborted after the first batch: returns false without finishing.
    const signal = { aborted: false };
    const seen: number[] = [];
    const ok = evaluateChannel(r, 0.05, N, out, signal, (f) => { seen.push(f); signal.aborted = true; }, 'nufft');
    expect(ok).toBe(false);
    expect(seen.length).toBe(1);
    expect(evaluateChannel(r, 0.05, N, out, { aborted: true }, undefined, 'auto')).toBe(false);
    // The poles are added on the NUFFT route too: compare one time with a direct sum.
    evaluateChannel(r, 0.05, N, out, undefined, undefined, 'nufft');
    const n = 321;
    const t = n * 0.05;
    let re = 0.4 * Math.cos(0.7 * t);
    let im = -0.4 * Math.sin(0.7 * t);
    for (let i = 0; i < r.omega.length; i++) {
      re += r.weight[i] * Math.cos(r.omega[i] * t);
      im -= r.weight[i] * Math.sin(r.omega[i] * t);
    }
    expect(Math.hypot(out[2 * n] - re, out[2 * n + 1] - im)).toBeLessThan(1e-12);
  });
});
