/**
 * The coupled-cavity array (src/model/reservoirs/cavityArray.ts, shared/scenes.md §5) against
 * independent references: mpmath J_n(x), and exact diagonalisation of finite arrays of 2001 and 3001
 * sites (scripts/reference/cavity_array_ed.py → test/fixtures/reference.cavity.json) for bound states
 * and dynamics before the first reflection. The conformance test (conformance.test.ts) checks the
 * components' kernels, densities, self-energies and level shifts against each other by quadrature.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { EigenvalueDecomposition, Matrix, inverse } from 'ml-matrix';
import { besselJn, cavityCoupling } from '../../../src/model/reservoirs/cavityArray.js';
import { kernelMatrix, selfEnergyDerivativeMatrix, selfEnergyMatrix, type Coupling } from '../../../src/model/reservoirs/reservoir.js';
import { prepareScene } from '../../../src/model/scene.js';
import { ParameterError } from '../../../src/errors.js';

interface EdScene {
  name: string; omegaC: number; hopping: number; sites: number[]; omega: number[]; g: number[];
  initial: Array<[number, number]>;
  boundStates: Array<{ energy: number; alpha: number[] }>;
  times: number[]; c: Array<Array<[number, number]>>;
  finiteSizeDiff: { boundStates: number; dynamics: number };
}
const fixture: { scenes: EdScene[]; besselJn: Array<[number, number, number]> } = JSON.parse(
  readFileSync(new URL('../../fixtures/reference.cavity.json', import.meta.url), 'utf8'),
);

describe('besselJn(n, x) against mpmath', () => {
  it('Miller region (n ≥ x) to 1e-14 and forward-recurrence region (n < x) to 5e-13 of the scale', () => {
    // Scale max(|J_n|, min(1, √(2/(πx)))): relative where J_n is tiny (n ≫ x), absolute against the
    // envelope in the oscillatory region. Measured: 1.9e-15 (n ≥ x) and 7.8e-14 (n < x, worst at
    // n = 1000, x = 1003 where the forward recurrence ran 1000 steps up to the turning point).
    let worstMiller = 0;
    let worstForward = 0;
    for (const [n, x, v] of fixture.besselJn) {
      const scale = Math.max(Math.abs(v), Math.min(1, Math.sqrt(2 / (Math.PI * x))));
      const e = Math.abs(besselJn(n, x) - v) / scale;
      if (n >= x) worstMiller = Math.max(worstMiller, e);
      else worstForward = Math.max(worstForward, e);
    }
    expect(worstMiller).toBeLessThan(1e-14);
    expect(worstForward).toBeLessThan(5e-13);
  });
  it('J_n(0) = δ_n0 and the Neumann sum J0² + 2ΣJ_n² = 1 (DLMF 10.23.3) at x = 37.3', () => {
    expect(besselJn(0, 0)).toBe(1);
    expect(besselJn(5, 0)).toBe(0);
    let s = besselJn(0, 37.3) ** 2;
    for (let n = 1; n < 120; n++) s += 2 * besselJn(n, 37.3) ** 2;
    // rounding of ~80 terms of size ≤ 0.13: ≲ 1e-15; tolerance 1e-14
    expect(Math.abs(s - 1)).toBeLessThan(1e-14);
  });
});

/** Bound states from the branches of M(E) = E − Ω − Σ(E) (scenes.md §2): bisection on each sorted eigenvalue. */
function boundStates(k: Coupling, omega: number[], lo: number, hi: number): Array<{ energy: number; alpha: number[] }> {
  const n = k.n;
  const mu = (E: number): { values: number[]; vectors: Matrix } => {
    const s = selfEnergyMatrix(k, E);
    const m = new Matrix(n, n);
    for (let j = 0; j < n; j++) for (let l = 0; l < n; l++) m.set(j, l, (j === l ? E - omega[j] : 0) - s[j * n + l]);
    const evd = new EigenvalueDecomposition(m, { assumeSymmetric: true });
    const order = evd.realEigenvalues.map((v, i) => [v, i]).sort((a, b) => a[0] - b[0]);
    const vectors = new Matrix(n, n);
    order.forEach(([, i], c) => { for (let r = 0; r < n; r++) vectors.set(r, c, evd.eigenvectorMatrix.get(r, i)); });
    return { values: order.map(([v]) => v), vectors };
  };
  const out: Array<{ energy: number; alpha: number[] }> = [];
  for (const [a0, b0] of [[lo - 200, lo - 1e-13], [hi + 1e-13, hi + 200]]) {
    for (let i = 0; i < n; i++) {
      let a = a0;
      let b = b0;
      if (!(mu(a).values[i] < 0 && mu(b).values[i] > 0)) continue;
      for (let it = 0; it < 200 && b - a > 1e-15 * Math.max(1, Math.abs(a)); it++) {
        const m = 0.5 * (a + b);
        if (mu(m).values[i] < 0) a = m; else b = m;
      }
      const E = 0.5 * (a + b);
      const v = mu(E).vectors.getColumn(i);
      const d = selfEnergyDerivativeMatrix(k, E);
      let q = 0;
      for (let j = 0; j < n; j++) for (let l = 0; l < n; l++) q += v[j] * ((j === l ? 1 : 0) + d[j * n + l]) * v[l];
      let alpha = v.map((x) => x / Math.sqrt(q));
      const big = alpha.reduce((p, x) => (Math.abs(x) > Math.abs(p) ? x : p), 0);
      if (big < 0) alpha = alpha.map((x) => -x);
      out.push({ energy: E, alpha });
    }
  }
  return out.sort((p, q) => p.energy - q.energy);
}

describe('cavity array vs exact diagonalisation of a finite array', () => {
  it('public values of scenes.md: E = −2.001249737184, 2.003381396547', () => {
    const s = fixture.scenes[0];
    const k = cavityCoupling(s.sites, s.g, s.omegaC, s.hopping);
    const b = boundStates(k, s.omega, s.omegaC - 2 * s.hopping, s.omegaC + 2 * s.hopping);
    // scenes.md quotes 12 digits (independent code); bisection to 1e-15.
    expect(b.map((x) => x.energy.toFixed(12))).toEqual(['-2.001249737184', '2.003381396547']);
    expect(Math.abs(b[0].alpha[0]) - 0.0221469314).toBeLessThan(1e-10);
    expect(Math.abs(b[1].alpha[0]) - 0.0466493300).toBeLessThan(1e-10);
  });

  it.each(fixture.scenes.map((s) => [s.name, s] as const))('bound states: %s', (_name, s) => {
    const k = cavityCoupling(s.sites, s.g, s.omegaC, s.hopping);
    const b = boundStates(k, s.omega, s.omegaC - 2 * s.hopping, s.omegaC + 2 * s.hopping);
    expect(b.length).toBe(s.boundStates.length);
    // ED: finite-size differences ≤ 3.1e-15 (fixture); measured agreement ≤ 5.3e-15 on energies and
    // ≤ 1.7e-14 on amplitudes; tolerance 1e-13.
    b.forEach((x, i) => {
      expect(Math.abs(x.energy - s.boundStates[i].energy)).toBeLessThan(1e-13);
      // α is defined up to an overall sign (both signs are tried: for (a, −a) "largest positive" is a tie)
      const ref = s.boundStates[i].alpha;
      const diff = Math.min(...[1, -1].map((sg) => Math.max(...x.alpha.map((a, j) => Math.abs(sg * a - ref[j])))));
      expect(diff).toBeLessThan(1e-13);
    });
  });

  it.each(fixture.scenes.map((s) => [s.name, s] as const))('dynamics before the first reflection: %s', (_name, s) => {
    // The kernels and weights of the coupling drive an independent Volterra integrator (trapezoid for
    // both the memory integral and the ODE, O(h²), Richardson-extrapolated from h and h/2 to O(h⁴)).
    // Solved in the frame rotating at ωc (c = e^{−iωc t}c̃, kernel e^{iωc t}F, Ω − ωc), so the step
    // resolves only the band's width. Measured ≤ 2.4e-9 (ωc = 10 scene; 8.5e-11 and 6.7e-10 on the others) at h = 0.01/J up to t = 20/J; the ED reference is
    // exact before reflections (finite-size difference ≤ 2.6e-14). Tolerance 2e-8.
    const k = cavityCoupling(s.sites, s.g, s.omegaC, s.hopping);
    const tEnd = 20 / s.hopping;
    const h = 0.01 / s.hopping;
    const coarse = volterra(k, s.omega, s.initial, h, Math.round(tEnd / h), s.omegaC);
    const fine = volterra(k, s.omega, s.initial, h / 2, Math.round(tEnd / (h / 2)), s.omegaC);
    let worst = 0;
    s.times.forEach((t, i) => {
      if (t > tEnd + 1e-9) return;
      const m = Math.round(t / h);
      const cr = Math.cos(s.omegaC * t);
      const ci = -Math.sin(s.omegaC * t);
      for (let j = 0; j < k.n; j++) {
        const xr = (4 * fine[2 * m][2 * j] - coarse[m][2 * j]) / 3;
        const xi = (4 * fine[2 * m][2 * j + 1] - coarse[m][2 * j + 1]) / 3;
        const re = xr * cr - xi * ci;
        const im = xr * ci + xi * cr;
        worst = Math.max(worst, Math.hypot(re - s.c[i][j][0], im - s.c[i][j][1]));
      }
    });
    expect(worst).toBeLessThan(2e-8);
  });
});

/**
 * ċ = −iΩc − ∫_0^t F(t − s)c(s) ds with the trapezoid rule for the integral and for the ODE
 * (Crank–Nicolson): c_{k+1} = c_k − (h/2)[iΩ(c_k + c_{k+1}) + I_k + I_{k+1}]. Solved for
 * c̃ = e^{iw0 t}c (kernel e^{iw0 t}F(t), frequencies Ω − w0); returns c̃ at each step.
 */
function volterra(k: Coupling, omegaIn: number[], c0: Array<[number, number]>, h: number, steps: number, w0: number): Float64Array[] {
  const n = k.n;
  const omega = omegaIn.map((w) => w - w0);
  const F: Float64Array[] = [];
  for (let m = 0; m <= steps; m++) {
    const f = kernelMatrix(k, m * h);
    const cr = Math.cos(w0 * m * h);
    const ci = Math.sin(w0 * m * h);
    for (let p = 0; p < n * n; p++) {
      const re = f[2 * p];
      const im = f[2 * p + 1];
      f[2 * p] = re * cr - im * ci;
      f[2 * p + 1] = re * ci + im * cr;
    }
    F.push(f);
  }
  // A = 1 + (h/2)iΩ + (h²/4)F0, inverted once (complex Gauss–Jordan).
  const A = new Float64Array(2 * n * n);
  for (let j = 0; j < n; j++) {
    for (let l = 0; l < n; l++) {
      const p = 2 * (j * n + l);
      A[p] = (j === l ? 1 : 0) + (h * h / 4) * F[0][p];
      A[p + 1] = (j === l ? (h / 2) * omega[j] : 0) + (h * h / 4) * F[0][p + 1];
    }
  }
  const Ainv = complexInverse(A, n);
  const c: Float64Array[] = [Float64Array.from(c0.flat())];
  const mul = (M: Float64Array, v: Float64Array, w: number, acc: Float64Array): void => {
    for (let j = 0; j < n; j++) {
      for (let l = 0; l < n; l++) {
        const p = 2 * (j * n + l);
        acc[2 * j] += w * (M[p] * v[2 * l] - M[p + 1] * v[2 * l + 1]);
        acc[2 * j + 1] += w * (M[p] * v[2 * l + 1] + M[p + 1] * v[2 * l]);
      }
    }
  };
  let Ik = new Float64Array(2 * n);
  for (let s = 0; s < steps; s++) {
    // I'_{s+1} = h[½F_{s+1}c_0 + Σ_{i=1}^{s} F_{s+1−i}c_i]
    const Ip = new Float64Array(2 * n);
    mul(F[s + 1], c[0], 0.5 * h, Ip);
    for (let i = 1; i <= s; i++) mul(F[s + 1 - i], c[i], h, Ip);
    const cs = c[s];
    const rhs = new Float64Array(2 * n);
    for (let j = 0; j < n; j++) {
      // −(h/2)(iω c) = (h/2)(ω c_im, −ω c_re)
      rhs[2 * j] = cs[2 * j] + (h / 2) * omega[j] * cs[2 * j + 1] - (h / 2) * (Ik[2 * j] + Ip[2 * j]);
      rhs[2 * j + 1] = cs[2 * j + 1] - (h / 2) * omega[j] * cs[2 * j] - (h / 2) * (Ik[2 * j + 1] + Ip[2 * j + 1]);
    }
    const next = new Float64Array(2 * n);
    mul(Ainv, rhs, 1, next);
    c.push(next);
    Ik = Ip;
    mul(F[0], next, 0.5 * h, Ik);
  }
  return c;
}

function complexInverse(A: Float64Array, n: number): Float64Array {
  // Real 2n×2n form [[Re, −Im], [Im, Re]], inverted with ml-matrix.
  const R = new Matrix(2 * n, 2 * n);
  for (let j = 0; j < n; j++) {
    for (let l = 0; l < n; l++) {
      const re = A[2 * (j * n + l)];
      const im = A[2 * (j * n + l) + 1];
      R.set(j, l, re); R.set(j, l + n, -im); R.set(j + n, l, im); R.set(j + n, l + n, re);
    }
  }
  const X = inverse(R);
  const out = new Float64Array(2 * n * n);
  for (let j = 0; j < n; j++) for (let l = 0; l < n; l++) { out[2 * (j * n + l)] = X.get(j, l); out[2 * (j * n + l) + 1] = X.get(j + n, l); }
  return out;
}

describe('cavity-array scene validation', () => {
  const scene = (reservoir: Record<string, unknown>, emitters: Array<Record<string, unknown>>) => ({ reservoir: { type: 'cavity-array', ...reservoir }, emitters });
  const ok = [{ site: 0, g: 0.3, omega0: 0.5, role: 'charger' }, { site: 1, g: 0.3, omega0: 0.5, role: 'battery' }];
  const fails = (s: unknown, path: string, value: unknown, allowed: RegExp): void => {
    try {
      prepareScene(s);
    } catch (e) {
      expect(e).toBeInstanceOf(ParameterError);
      const p = e as ParameterError;
      expect(p.path).toBe(path);
      expect(p.value).toEqual(value);
      expect(p.allowed).toMatch(allowed);
      return;
    }
    throw new Error(`no error for ${path}`);
  };
  it('accepts the public scene and builds one component per distinct |Δn|', () => {
    const p = prepareScene(scene({ omegaC: 0, hopping: 1 }, ok));
    expect(p.coupling.components.map((c) => c.label)).toEqual(['cavity self', 'cavity |Δn|=1']);
    expect(p.coupling.bands).toEqual([[-2, 2]]);
    expect(p.coupling.edges).toEqual([-2, 2]);
  });
  it('hopping ≤ 0, missing omegaC', () => {
    fails(scene({ omegaC: 0, hopping: 0 }, ok), 'scene.reservoir.hopping', 0, /hopping J > 0/);
    fails(scene({ omegaC: 0, hopping: -1 }, ok), 'scene.reservoir.hopping', -1, /\(0, 1000\]/);
    fails(scene({ hopping: 1 }, ok), 'scene.reservoir.omegaC', undefined, /finite number/);
    fails(scene({ omegaC: 0, hopping: 1, modes: ['TM11'] }, ok), 'scene.reservoir.modes', ['TM11'], /allowed: type, omegaC, hopping/);
  });
  it('non-integer site, g out of range, z/gamma instead of site/g, ω0 outside ωc ± 100J, sites too far apart', () => {
    fails(scene({ omegaC: 0, hopping: 1 }, [ok[0], { ...ok[1], site: 1.5 }]), 'scene.emitters[1].site', 1.5, /integer/);
    fails(scene({ omegaC: 0, hopping: 1 }, [{ ...ok[0], g: 0 }, ok[1]]), 'scene.emitters[0].g', 0, /g > 0/);
    fails(scene({ omegaC: 0, hopping: 2 }, [{ ...ok[0], g: 201 }, ok[1]]), 'scene.emitters[0].g', 201, /\(0, 200\]/);
    fails(scene({ omegaC: 0, hopping: 1 }, [{ ...ok[0], gamma: 0.1 }, ok[1]]), 'scene.emitters[0].gamma', 0.1, /allowed: omega0, loss, role, site, g/);
    fails(scene({ omegaC: 5, hopping: 1 }, [{ ...ok[0], omega0: 106 }, ok[1]]), 'scene.emitters[0].omega0', 106, /\[-95, 105\]/);
    fails(scene({ omegaC: 0, hopping: 1 }, [ok[0], { ...ok[1], site: 1001 }]), 'scene.emitters[1].site', 1001, /within 1000 sites/);
  });
});
