import { describe, it, expect } from 'vitest';
import {
  convolutionStepDirect,
  frameEnergy,
  solveVolterra,
  volterraChannel,
} from '../../src/dynamics/volterra.js';
import { convolutionStepFFT } from '../../src/dynamics/volterraFast.js';
import { MAX_OUTPUT_POINTS } from '../../src/dynamics/types.js';
import { ParameterError } from '../../src/errors.js';
import { memoryKernelPair } from '../../src/model/memoryKernel.js';
import { besselJ0, besselY0, besselK0 } from '../../src/numerics/bessel.js';
import { tauOf } from '../../src/model/params.js';
import { cellMoments, integratedHatWeights, type MultiKernel } from '../../src/numerics/productIntegration.js';
import { boundStates } from '../../src/spectrum/boundStates.js';
import { assertClose } from '../helpers.js';
import { steadyAmplitude } from '../../src/battery/steadyState.js';

type C = [number, number];
const mul = (a: C, b: C): C => [a[0] * b[0] - a[1] * b[1], a[0] * b[1] + a[1] * b[0]];
const add = (a: C, b: C): C => [a[0] + b[0], a[1] + b[1]];
const sub = (a: C, b: C): C => [a[0] - b[0], a[1] - b[1]];
const div = (a: C, b: C): C => {
  const d = b[0] * b[0] + b[1] * b[1];
  return [(a[0] * b[0] + a[1] * b[1]) / d, (a[1] * b[0] - a[0] * b[1]) / d];
};
const csqrt = (a: C): C => {
  const r = Math.hypot(a[0], a[1]);
  return [Math.sqrt((r + a[0]) / 2), Math.sign(a[1] || 1) * Math.sqrt((r - a[0]) / 2)];
};
const cexp = (a: C): C => [Math.exp(a[0]) * Math.cos(a[1]), Math.exp(a[0]) * Math.sin(a[1])];

/**
 * Test problem with a known answer: ċ + iω0 c + ∫_0^t g e^{−γ(t−s)} c(s) ds = 0, c(0) = 1. With
 * y = ∫ e^{−γ(t−s)} c ds it is the 2×2 ODE ċ = −iω0 c − g y, ẏ = c − γ y, i.e.
 * c̈ + (iω0 + γ) ċ + (iω0γ + g) c = 0, c(0) = 1, ċ(0) = −iω0: c = A e^{λ1 t} + B e^{λ2 t}.
 */
function exponentialKernelSolution(omega0: number, g: C, gam: C, t: number): C {
  const b: C = [gam[0], gam[1] + omega0];
  const c: C = add(mul([0, omega0], gam), g);
  const disc = csqrt(sub(mul(b, b), mul([4, 0], c)));
  const l1 = mul([0.5, 0], sub(disc, b));
  const l2 = mul([-0.5, 0], add(b, disc));
  const A = div(sub([0, -omega0], l2), sub(l1, l2));
  const B = sub([1, 0], A);
  return add(mul(A, cexp(mul(l1, [t, 0]))), mul(B, cexp(mul(l2, [t, 0]))));
}

const maxDiff = (a: Float64Array, b: Float64Array, strideA = 1, strideB = 1, points = Math.min(a.length / 2 / strideA, b.length / 2 / strideB)): number => {
  let e = 0;
  for (let i = 0; i < points; i++) {
    const d = Math.hypot(a[2 * i * strideA] - b[2 * i * strideB], a[2 * i * strideA + 1] - b[2 * i * strideB + 1]);
    if (d > e) e = d;
  }
  return e;
};

/** The channel kernel f± = f0 ± f1 of the paper's model. */
function channelKernel(sign: 1 | -1, gamma11: number, dz: number): { k: MultiKernel; singular: number[] } {
  const tau = tauOf(dz);
  const o = new Float64Array(4);
  return {
    k: (s, out) => {
      memoryKernelPair(s, gamma11, tau, o);
      out[0] = o[0] + sign * o[2];
      out[1] = o[1] + sign * o[3];
    },
    singular: [0, tau, -tau],
  };
}

const P0 = { omega0: 0.5, gamma11: 0.5, dz: 0.1 };

describe('volterraChannel(kernel, ω0, h, n) — second-order product integration', () => {
  it('converges to the analytic solution of the exponential-kernel problem with observed order 2 ± 0.05', () => {
    const omega0 = 0.8;
    const g: C = [0.3, -0.2];
    const gam: C = [0.5, 1.0];
    const k: MultiKernel = (s, o) => {
      const v = mul(g, cexp(mul([-s, 0], gam)));
      o[0] = v[0];
      o[1] = v[1];
    };
    const T = 20;
    const errors: number[] = [];
    for (const h of [0.1, 0.05, 0.025, 0.0125]) {
      const n = Math.round(T / h);
      const c = volterraChannel(k, omega0, h, n, { singular: [] });
      let e = 0;
      for (let m = 0; m <= n; m++) {
        const x = exponentialKernelSolution(omega0, g, gam, m * h);
        e = Math.max(e, Math.hypot(c[2 * m] - x[0], c[2 * m + 1] - x[1]));
      }
      errors.push(e);
    }
    for (let i = 1; i < errors.length; i++) {
      const order = Math.log2(errors[i - 1] / errors[i]);
      // README: second order, observed 1.994 … 2.000 (measured here); ±0.05 is ~10× the largest deviation.
      assertClose(order, 2, 0.05, `order between h = ${0.1 / 2 ** (i - 1)} and ${0.1 / 2 ** i} (errors ${errors[i - 1]}, ${errors[i]})`);
    }
    // Error constant: measured max|error| ≈ 0.052·h² on [0, 20]; 0.1·h² bounds it with margin.
    expect(errors[3]).toBeLessThan(0.1 * 0.0125 ** 2);
  });

  it('self-converges with order 2 ± 0.05 on the real log-singular kernels f± (Γ11 = 0.5, Δz = 0.1λ11, ω0 = 0.5)', () => {
    const T = 20;
    const hs = [0.04, 0.02, 0.01, 0.005];
    for (const sign of [1, -1] as const) {
      const { k, singular } = channelKernel(sign, 0.5, 0.1);
      const sols = hs.map((h) => volterraChannel(k, 0.5, h, Math.round(T / h), { singular }));
      // Compare on the coarse grid t = 0, 0.04, …, 20.
      const d = [1, 2, 3].map((i) => maxDiff(sols[i], sols[i - 1], 2 ** i, 2 ** (i - 1), 501));
      for (let i = 1; i < d.length; i++) {
        // Measured 1.998 … 2.000: the log singularities of c̈ at 0 and τ only add local O(h³ ln h) terms
        // (±0.05 as above).
        assertClose(Math.log2(d[i - 1] / d[i]), 2, 0.05, `channel ${sign > 0 ? '+' : '−'}: differences ${d.join(', ')}`);
      }
      // Richardson extrapolation (4c_{h/2} − c_h)/3 removes the h² term: its successive differences are
      // ≥ 100× smaller than the plain ones at the same h (measured 200…5000×; the remaining O(h³) term
      // depends on where τ falls in the grid, so its observed order is erratic, 2.2 … 4.9).
      const rich = (i: number): Float64Array => {
        const out = new Float64Array(2 * 501);
        const fine = sols[i];
        const coarse = sols[i - 1];
        const sf = 2 ** i;
        const sc = 2 ** (i - 1);
        for (let j = 0; j <= 500; j++) {
          out[2 * j] = (4 * fine[2 * j * sf] - coarse[2 * j * sc]) / 3;
          out[2 * j + 1] = (4 * fine[2 * j * sf + 1] - coarse[2 * j * sc + 1]) / 3;
        }
        return out;
      };
      const r2 = maxDiff(rich(3), rich(2));
      expect(r2, `Richardson difference ${r2} vs plain ${d[2]}`).toBeLessThan(d[2] / 100);
    }
  });

  it('FFT-blocked history sums give the direct sums to 1e-13 on the same grid (any n, any leaf size)', () => {
    const { k, singular } = channelKernel(1, 0.5, 0.1);
    // n on both sides of the block boundaries leaf·2^k (the node that ends exactly at n, one past it).
    for (const n of [1, 2, 7, 64, 65, 255, 256, 257, 300, 3001]) {
      const h = 0.01;
      const mom = cellMoments(k, 1, h, n, { singular });
      const w = integratedHatWeights(mom.moments[0], h, n, 0, 0.5);
      const direct = convolutionStepDirect(w, n, 1, 0).y;
      for (const leaf of [2, 8, 64, 128]) {
        const fast = convolutionStepFFT(w, n, 1, 0, {}, leaf).y;
        // Same scheme, only the summation order differs. Claimed: equal to 1e-14 (README benchmarks,
        // volterra.ts). Measured on these |y| ≤ 1 solutions: 0 (n ≤ 2), ≤ 8.3e-16 (n ≤ 300), 8.6e-15
        // (n = 3001; 3.4e-14 at n = 3·10⁴, growing like n^0.6). 1e-13 is 10× the claim.
        expect(maxDiff(fast, direct), `n = ${n}, leaf = ${leaf}`).toBeLessThan(1e-13);
      }
    }
  });
});

describe('memoryKernelPair(σ, Γ11, τ, out)', () => {
  it('equals the closed forms evaluated with stdlib J0/Y0 and besselK0 to 1e-15 relative (it uses the faster besselJY0 pair)', () => {
    const out = new Float64Array(4);
    const g4 = 0.125;
    for (const tau of [0.01, tauOf(0.1), tauOf(2)]) {
      for (let i = 1; i <= 2000; i++) {
        const s = i < 1000 ? (i / 1000) * 3 * tau : 30 * (i - 999);
        if (s === tau) continue;
        memoryKernelPair(s, 0.5, tau, out);
        const f0 = [-g4 * besselY0(s), -g4 * besselJ0(s)];
        const r = Math.sqrt(Math.abs((s - tau) * (s + tau)));
        const f1 = s > tau ? [-g4 * besselY0(r), -g4 * besselJ0(r)] : [(0.5 / (2 * Math.PI)) * besselK0(r), 0];
        const scale = 1e-15 * Math.max(1, Math.abs(f0[0]), Math.abs(f1[0]));
        assertClose(out[0], f0[0], scale, `Re f0(${s})`);
        assertClose(out[1], f0[1], scale, `Im f0(${s})`);
        assertClose(out[2], f1[0], scale, `Re f1(${s}), τ = ${tau}`);
        assertClose(out[3], f1[1], scale, `Im f1(${s}), τ = ${tau}`);
      }
    }
  });
});

describe('solveVolterra(problem, options) — Eq. (3) with error control', () => {
  it('meets tol = 1e-8 at (ω0, Δz, Γ11) = (0.5, 0.1, 0.5), t ≤ 50, and its error estimate bounds the true error', () => {
    const s = solveVolterra({ params: P0, tMax: 50, dt: 0.5, tol: 1e-8 });
    expect(s.status, s.message).toBe('success');
    expect(s.errorEstimate).toBeLessThanOrEqual(1e-8);
    expect(s.method).toBe('volterra');
    expect(s.t.length).toBe(101);
    assertClose(s.c1[0], 1, 0, 'c1(0)');
    assertClose(Math.hypot(s.c2[0], s.c2[1]), 0, 0, 'c2(0)');
    // Reference: the same solver at tol 1e-11 (independent check against the exact resolvent in
    // crossMethod.test.ts). The estimate is conservative: it is |R_ℓ − R_{ℓ−1}| ≈ the error of the
    // previous level; measured true error ≈ 0.1× the estimate.
    const ref = solveVolterra({ params: P0, tMax: 50, dt: 0.5, tol: 1e-11 });
    expect(ref.status, ref.message).toBe('success');
    const err = Math.max(maxDiff(s.c1, ref.c1), maxDiff(s.c2, ref.c2));
    expect(err).toBeLessThanOrEqual(s.errorEstimate + ref.errorEstimate);
  });

  it("gives the same answer in any rotating frame ('auto', 'none', explicit) and with direct or FFT history sums, within tol", () => {
    const problem = { params: { omega0: 1.5, gamma11: 0.5, dz: 0.1 }, tMax: 30, dt: 1, tol: 1e-7 };
    const a = solveVolterra(problem);
    const variants = [
      solveVolterra(problem, { frame: 'none' }),
      solveVolterra(problem, { frame: { plus: 1.5, minus: 0.7 } }),
      solveVolterra(problem, { convolution: 'direct' }),
      solveVolterra(problem, { convolution: 'fft' }),
    ];
    for (const v of variants) {
      expect(v.status, v.message).toBe('success');
      // Both are within their own estimates (≤ 1e-7) of the true solution.
      expect(Math.max(maxDiff(a.c1, v.c1), maxDiff(a.c2, v.c2))).toBeLessThanOrEqual(a.errorEstimate + v.errorEstimate);
    }
  });

  it('approaches Eq. (8), c2 → Z+e^{−iE+t} − Z−e^{−iE−t}, with a remainder decaying like t^(−3/2) (exponent ± 0.05)', () => {
    const s = solveVolterra({ params: P0, tMax: 1000, dt: 1, tol: 1e-7 });
    expect(s.status, s.message).toBe('success');
    const bs = boundStates(P0).boundStates;
    // The public reference values of physics.md (Γ11 = 0.5, Δz = 0.1): the frame and Eq. (8) use them.
    assertClose(bs[0].energy, 0.261216271976, 1e-11, 'E+');
    assertClose(bs[1].energy, 0.431696216533, 1e-11, 'E−');
    const remainder = (t: number): number => {
      const [re, im] = steadyAmplitude(bs, t);
      return Math.hypot(s.c2[2 * t] - re, s.c2[2 * t + 1] - im);
    };
    const envelope = (a: number, b: number): number => {
      let m = 0;
      for (let t = a; t <= b; t++) m = Math.max(m, remainder(t));
      return m;
    };
    const r1 = envelope(100, 200);
    const r2 = envelope(800, 1000);
    // Measured: max over [t, 2t] of the remainder = 0.373·t^(−3/2) for t = 100 … 1600. The solver's
    // error (≤ 1e-7) is 1e-3 of r2 ≈ 1.6e-5, so it cannot bias the exponent beyond ±0.01.
    const exponent = Math.log(r2 / r1) / Math.log(800 / 100);
    assertClose(exponent, -1.5, 0.05, `remainder exponent (r(100…200) = ${r1}, r(800…1000) = ${r2})`);
  });

  it('keeps the excitation |c1|² + |c2|² ≤ 1, and in the lossy case ω0 = 1.5 relaxes to 2Z+² (one bound state)', () => {
    for (const params of [P0, { omega0: 1.5, gamma11: 0.5, dz: 0.1 }, { omega0: 3, gamma11: 0.5, dz: 0.1 }, { omega0: 1.4, gamma11: 0.5, dz: 0.5 }]) {
      const s = solveVolterra({ params, tMax: 200, dt: 0.25, tol: 1e-7 });
      expect(s.status, s.message).toBe('success');
      let maxP = 0;
      for (let i = 0; i < s.t.length; i++) {
        maxP = Math.max(maxP, s.c1[2 * i] ** 2 + s.c1[2 * i + 1] ** 2 + s.c2[2 * i] ** 2 + s.c2[2 * i + 1] ** 2);
      }
      // Exact: the field carries the rest of the single excitation. Tolerance 2·errorEstimate (amplitude
      // error ε changes |c|² by ≤ 2ε).
      expect(maxP, JSON.stringify(params)).toBeLessThanOrEqual(1 + 2 * s.errorEstimate);
      if (params.omega0 === 1.5) {
        const z = boundStates(params).boundStates.find((b) => b.channel === '+')!.residue;
        assertClose(z, 0.140064886039, 1e-10, 'Z+ (physics.md)');
        const n = s.t.length - 1;
        const P = s.c1[2 * n] ** 2 + s.c1[2 * n + 1] ** 2 + s.c2[2 * n] ** 2 + s.c2[2 * n + 1] ** 2;
        // c1, c2 → Z+e^{−iE+t} each, so P → 2Z+² = 0.039236; at t = 200 the continuum remainder (∝ t^−3/2)
        // still contributes ≈ 8e-5 (measured); 5e-4 allows for it.
        assertClose(P, 2 * z * z, 5e-4, 'P(200)');
      }
    }
    // NOT asserted: that the excitation is non-increasing when ω0 > 1. It is not: the excitation flows
    // back from the field (non-Markovian backflow, and re-absorption after the delay τ): measured
    // max_{t > t'} P(t) − P(t') = 2.2e-2 (ω0 = 1.5), 4.7e-3 (ω0 = 3), 0.28 (ω0 = 1.4, Δz = 0.5). The exact
    // resolvent solver shows the same (crossMethod.test.ts), so this is physics, not a numerical artefact.
  });

  it('solves the antisymmetric channel exactly at Δz = 0: c1 − c2 = c− = e^{−iω0 t} to 1e-15', () => {
    const s = solveVolterra({ params: { omega0: 0.7, gamma11: 0.5, dz: 0 }, tMax: 20, dt: 0.5, tol: 1e-6 });
    expect(s.status, s.message).toBe('success');
    for (let i = 0; i < s.t.length; i++) {
      assertClose(s.c1[2 * i] - s.c2[2 * i], Math.cos(0.7 * s.t[i]), 1e-15, `Re c−(${s.t[i]})`);
      assertClose(s.c1[2 * i + 1] - s.c2[2 * i + 1], -Math.sin(0.7 * s.t[i]), 1e-15, `Im c−(${s.t[i]})`);
    }
  });

  it('validates its input with ParameterError', () => {
    const ok = { params: P0, tMax: 1, dt: 0.5 };
    const bad: [string, object][] = [
      ['tMax < 0', { ...ok, tMax: -1 }],
      ['dt = 0', { ...ok, dt: 0 }],
      ['dt < 0', { ...ok, dt: -0.1 }],
      ['dt NaN', { ...ok, dt: Number.NaN }],
      ['too many points', { ...ok, tMax: MAX_OUTPUT_POINTS, dt: 0.5 }],
      ['tol too small', { ...ok, tol: 1e-15 }],
      ['tol too large', { ...ok, tol: 0.2 }],
      ['omega0 ≤ 0', { ...ok, params: { ...P0, omega0: 0 } }],
      ['dz < 0', { ...ok, params: { ...P0, dz: -0.1 } }],
    ];
    for (const [what, p] of bad) expect(() => solveVolterra(p as never), what).toThrow(ParameterError);
    expect(() => solveVolterra(ok, { convolution: 'bogus' as never })).toThrow(ParameterError);
    expect(() => solveVolterra(ok, { frame: 'bogus' as never })).toThrow(ParameterError);
    expect(() => solveVolterra(ok, { hMax: 0 })).toThrow(ParameterError);
  });

  it("returns 'max-steps' with a message saying what was reached when the step budget runs out", () => {
    const s = solveVolterra({ params: P0, tMax: 50, dt: 0.5, tol: 1e-12 }, { maxSteps: 2 ** 13 });
    expect(s.status).toBe('max-steps');
    expect(s.message).toMatch(/maxSteps = 8192/);
    expect(s.message).toMatch(/estimated error/);
    // The best available (Richardson) result is still returned, with its estimate.
    expect(Number.isFinite(s.errorEstimate) && s.errorEstimate > 1e-12).toBe(true);
    expect(Number.isFinite(s.c2[2 * 100])).toBe(true);
    const none = solveVolterra({ params: P0, tMax: 50, dt: 0.5 }, { maxSteps: 10 });
    expect(none.status).toBe('max-steps');
    expect(Number.isNaN(none.c2[2])).toBe(true);
  });

  it("reports monotone progress ending at 1, and stops with 'cancelled' when the signal is raised", () => {
    const fractions: number[] = [];
    const s = solveVolterra({ params: P0, tMax: 40, dt: 0.5, tol: 1e-8 }, { onProgress: (f) => fractions.push(f) });
    expect(s.status).toBe('success');
    expect(fractions.length).toBeGreaterThan(3);
    for (let i = 1; i < fractions.length; i++) expect(fractions[i]).toBeGreaterThanOrEqual(fractions[i - 1]);
    expect(fractions[fractions.length - 1]).toBe(1);
    expect(fractions.every((f) => f >= 0 && f <= 1)).toBe(true);

    const before = solveVolterra({ params: P0, tMax: 40, dt: 0.5 }, { signal: { aborted: true } });
    expect(before.status).toBe('cancelled');
    expect(Number.isNaN(before.c1[2])).toBe(true);

    // Cancel once the run is under way (after the first levels): the last completed level is returned.
    const token = { aborted: false };
    const mid = solveVolterra(
      { params: P0, tMax: 40, dt: 0.5, tol: 1e-12 },
      { signal: token, onProgress: (f) => { if (f > 0.2) token.aborted = true; } },
    );
    expect(mid.status).toBe('cancelled');
    expect(mid.message).toMatch(/cancelled/);
    expect(mid.stats.levels).toBeGreaterThanOrEqual(1);
    expect(Number.isFinite(mid.c2[2 * 80])).toBe(true);
  });
});

describe('frameEnergy(ω0, J(ω0), tMax, E_b, Z)', () => {
  it('is ω0 without a bound state, E_b below the band edge, and in between for a lossy channel', () => {
    expect(frameEnergy(3, 0.02, 100)).toBe(3);
    expect(frameEnergy(0.5, 0, 100, 0.26, 0.4)).toBe(0.26);
    const e = frameEnergy(1.5, 0.05, 100, 0.84, 0.14);
    expect(e).toBeGreaterThan(0.84);
    expect(e).toBeLessThan(1.5);
    // Longer runs weigh the undamped bound state more: the frame moves towards E_b.
    expect(frameEnergy(1.5, 0.05, 1e4, 0.84, 0.14)).toBeLessThan(e);
  });
});
