/**
 * The baseline a physicist would otherwise write for Eq. (1)–(3): discretise the waveguide continuum
 * into M modes and diagonalise the (2 + M)-dimensional single-excitation Hamiltonian exactly.
 * Used by bench/baseline.bench.ts only (not part of the library).
 *
 * ## Model
 * Units ω11 = c = 1, τ = 2πΔz, emitters at z1 = −τ/2, z2 = +τ/2 (a common shift of both positions
 * only re-phases the modes). Modes k_m = ±(i − ½)Δk, i = 1 … M/2 (both propagation directions, a
 * uniform grid up to the cut-off K = (M/2)·Δk), ω_m = √(1 + k_m²), couplings g_{m,j} = g_m e^{i k_m z_j}
 * with g_m² = (Γ11/4π)·Δk/ω_m. This is Eq. (2) sampled: J0(ω)dω = (Γ11/2π)dk/ω for k > 0, shared equally
 * by ±k, and Σ_m g_m² e^{i k_m τ} samples J1 = J0 cos(τ√(ω² − 1)).
 *
 * H = ω0(|e1⟩⟨e1| + |e2⟩⟨e2|) + Σ_m ω_m |m⟩⟨m| + Σ_{m,j} (g_{m,j} |e_j⟩⟨m| + h.c.).
 *
 * ## Exact diagonalisation through the structure (the choice, and why)
 * A dense Hermitian eigensolver costs O(M³): ≈ 10¹² flops at M = 8000, tens of minutes in JavaScript.
 * Instead the structure is used, exactly: with standing waves |k, c⟩ = (|k⟩ + |−k⟩)/√2,
 * |k, s⟩ = (|k⟩ − |−k⟩)/(i√2) and the collective states |±⟩ = (|e1⟩ ± |e2⟩)/√2, H splits into two real
 * symmetric *arrow* matrices (one head, M/2 tail entries each):
 *   H+ = [[ω0, z⁺ᵀ], [z⁺, diag ω_i]],  z⁺_i = 2 g_i cos(k_i τ/2);   H− likewise with z⁻_i = 2 g_i sin(k_i τ/2)
 * (z±² = 2g²(1 ± cos kτ): J± = J0 ± J1 sampled). The eigenvalues of an arrow matrix are the roots of
 * the secular equation f(λ) = λ − ω0 − Σ_i z_i²/(λ − ω_i) = 0, exactly one in each interval between
 * consecutive ω_i plus one below ω_1 (the bound state) and one above ω_{M/2}; the head component of
 * the eigenvector satisfies |v_head|² = 1/f′(λ) = 1/(1 + Σ_i z_i²/(λ − ω_i)²). So
 *   c±(t) = ⟨±|e^{−iH±t}|±⟩ = Σ_λ e^{−iλt}/f′(λ),   c1 = (c+ + c−)/2,  c2 = (c+ − c−)/2,
 * for |e1, g2, 0⟩ — the discrete analogue of qbwave's resolvent formula, exact for the discretised
 * model. Cost O(M²) for the roots (each root: a few O(M) evaluations) + O(M × output times).
 * Each root is found in its bracket by safeguarded Newton on F(λ) = f(λ)(λ − ω_i)(ω_{i+1} − λ) (the
 * two adjacent poles multiplied out, so F is smooth on the closed interval, F(ω_i) < 0 < F(ω_{i+1})),
 * in a shifted variable δ = λ − ω_origin taken from the nearer end, so λ − ω_i is never formed by
 * cancellation. The sum rule Σ_λ 1/f′(λ) = 1 (normalisation of the head state) is checked.
 *
 * ## Discretisation error (what the baseline gets wrong)
 * - Recurrences: a uniform k-grid is a ring of length L = 2π/Δk; emitted light comes back after
 *   t ≈ L − τ. Δk is therefore chosen as 2π/(1.25·(tMax + τ)) (the largest spacing that is faithful
 *   up to tMax), and the cut-off follows from M: K = (M/2)·Δk.
 * - Cut-off: the modes above K are missing; their share of the self-energy, ≈ (Γ11/2π)/K, shifts the
 *   emitter frequencies, an error that grows linearly in t. This dominates; it falls only like 1/M.
 */
import { tauOf, type ModelParams } from '../src/model/params.js';

export interface ArrowSpectrum {
  /** Eigenvalues, ascending. */
  energies: Float64Array;
  /** Head weights |⟨head|λ⟩|² = 1/f′(λ). */
  weights: Float64Array;
  /** Σ weights − 1. */
  sumRuleDefect: number;
  /** Total Newton/bisection iterations. */
  iterations: number;
}

/**
 * Spectrum of the arrow matrix [[a, zᵀ], [z, diag d]] (d strictly ascending), head weights included.
 * Tail entries with z_i² below 1e-300 are decoupled modes (head weight 0) and dropped.
 */
export function arrowSpectrum(a: number, dIn: Float64Array, zIn: Float64Array): ArrowSpectrum {
  const keep: number[] = [];
  for (let i = 0; i < dIn.length; i++) if (zIn[i] * zIn[i] > 1e-300) keep.push(i);
  const n = keep.length;
  const d = Float64Array.from(keep, (i) => dIn[i]);
  const z2 = Float64Array.from(keep, (i) => zIn[i] * zIn[i]);
  for (let i = 1; i < n; i++) if (!(d[i] > d[i - 1])) throw new RangeError('arrowSpectrum: d must be strictly ascending');
  let zNorm2 = 0;
  for (let i = 0; i < n; i++) zNorm2 += z2[i];
  const spread = Math.sqrt(zNorm2) + 1;
  const energies = new Float64Array(n + 1);
  const weights = new Float64Array(n + 1);
  const diff = new Float64Array(n); // d_m − origin
  let iterations = 0;
  // Root in (left, right) where left/right are pole indices (−1: none, n: none).
  for (let r = 0; r <= n; r++) {
    const iL = r - 1;
    const iR = r;
    const hasL = iL >= 0;
    const hasR = iR < n;
    // Interval ends in λ.
    const lamLo = hasL ? d[iL] : Math.min(a, d[0] ?? a) - spread;
    const lamHi = hasR ? d[iR] : Math.max(a, d[n - 1] ?? a) + spread;
    // Origin at the end nearer to the root: for interior intervals decide by the sign of f at the midpoint.
    let origin: number;
    if (hasL && hasR) {
      const mid = 0.5 * (lamLo + lamHi);
      let f = mid - a;
      for (let m = 0; m < n; m++) f -= z2[m] / (mid - d[m]);
      origin = f > 0 ? lamLo : lamHi;
    } else origin = hasL ? lamLo : lamHi;
    for (let m = 0; m < n; m++) diff[m] = d[m] - origin;
    const aRel = a - origin;
    let lo = lamLo - origin;
    let hi = lamHi - origin;
    if (hasL && hasR) {
      const mid = 0.5 * (lo + hi);
      if (origin === lamLo) hi = mid;
      else lo = mid;
    }
    // F(δ) and F′(δ): F = f·(λ − d_iL)·(d_iR − λ) with absent factors omitted.
    let x = 0.5 * (lo + hi);
    let F = 0;
    let dF = 0;
    const evalF = (del: number): void => {
      let R = del - aRel;
      let dR = 1;
      for (let m = 0; m < n; m++) {
        if (m === iL || m === iR) continue;
        const u = 1 / (del - diff[m]);
        const t = z2[m] * u;
        R -= t;
        dR += t * u;
      }
      const A = hasL ? del - diff[iL] : 1;
      const B = hasR ? diff[iR] - del : 1;
      const dA = hasL ? 1 : 0;
      const dB = hasR ? -1 : 0;
      F = R * A * B + (hasL ? -z2[iL] * B : 0) + (hasR ? z2[iR] * A : 0);
      dF = dR * A * B + R * (dA * B + A * dB) + (hasL ? -z2[iL] * dB : 0) + (hasR ? z2[iR] * dA : 0);
    };
    for (let it = 0; it < 200; it++) {
      iterations++;
      evalF(x);
      if (F === 0) break;
      if (F < 0) lo = x;
      else hi = x;
      let next = x - F / dF;
      if (!(next > lo && next < hi)) next = 0.5 * (lo + hi);
      const step = Math.abs(next - x);
      x = next;
      if (step <= 4 * Number.EPSILON * Math.max(Math.abs(x), 1e-300) || hi - lo <= 4 * Number.EPSILON * Math.max(Math.abs(lo), Math.abs(hi))) break;
    }
    // Head weight 1/f′(λ).
    let fp = 1;
    for (let m = 0; m < n; m++) {
      const u = 1 / (x - diff[m]);
      fp += z2[m] * u * u;
    }
    energies[r] = origin + x;
    weights[r] = 1 / fp;
  }
  let sum = 0;
  for (let r = 0; r <= n; r++) sum += weights[r];
  return { energies, weights, sumRuleDefect: sum - 1, iterations };
}

export interface BruteForceResult {
  /** c1, c2 at t_n = n·dt, interleaved complex. */
  c1: Float64Array;
  c2: Float64Array;
  modes: number;
  dk: number;
  kMax: number;
  sumRuleDefect: number;
  /** Seconds spent on the spectrum and on the time evaluation. */
  secondsSpectrum: number;
  secondsEvaluation: number;
}

/**
 * |e1, g2, 0⟩ evolved with the M-mode discretised Hamiltonian (module doc), on t_n = n·dt,
 * n = 0 … points − 1. `dk` defaults to 2π/(1.25·(tMax + τ)), tMax = (points − 1)·dt.
 */
export function bruteForce(params: ModelParams, modes: number, dt: number, points: number, dk?: number): BruteForceResult {
  if (!Number.isInteger(modes) || modes < 2 || modes % 2 !== 0) throw new RangeError(`modes = ${modes} must be an even integer ≥ 2`);
  const { omega0, gamma11, dz } = params;
  const tau = tauOf(dz);
  const tMax = (points - 1) * dt;
  const step = dk ?? (2 * Math.PI) / (1.25 * (tMax + tau));
  const half = modes / 2;
  const w = new Float64Array(half);
  const zp = new Float64Array(half);
  const zm = new Float64Array(half);
  for (let i = 0; i < half; i++) {
    const k = (i + 0.5) * step;
    w[i] = Math.sqrt(1 + k * k);
    const g = Math.sqrt(((gamma11 / (4 * Math.PI)) * step) / w[i]);
    zp[i] = 2 * g * Math.cos(0.5 * k * tau);
    zm[i] = 2 * g * Math.sin(0.5 * k * tau);
  }
  const t0 = performance.now();
  const spectra = [arrowSpectrum(omega0, w, zp), arrowSpectrum(omega0, w, zm)];
  const t1 = performance.now();
  // c±(t_n) = Σ_λ w_λ e^{−iλ t_n}, by phase rotation re-seeded every 64 steps.
  const cpm = spectra.map(({ energies, weights }) => {
    const out = new Float64Array(2 * points);
    for (let r = 0; r < energies.length; r++) {
      const lam = energies[r];
      const wt = weights[r];
      if (wt === 0) continue;
      const cr = Math.cos(lam * dt);
      const ci = -Math.sin(lam * dt);
      let pr = wt;
      let pi = 0;
      for (let n = 0; n < points; n++) {
        if ((n & 63) === 0) {
          pr = wt * Math.cos(lam * n * dt);
          pi = -wt * Math.sin(lam * n * dt);
        }
        out[2 * n] += pr;
        out[2 * n + 1] += pi;
        const a = pr;
        pr = a * cr - pi * ci;
        pi = a * ci + pi * cr;
      }
    }
    return out;
  });
  const t2 = performance.now();
  const c1 = new Float64Array(2 * points);
  const c2 = new Float64Array(2 * points);
  for (let i = 0; i < 2 * points; i++) {
    c1[i] = 0.5 * (cpm[0][i] + cpm[1][i]);
    c2[i] = 0.5 * (cpm[0][i] - cpm[1][i]);
  }
  return {
    c1, c2, modes, dk: step, kMax: half * step,
    sumRuleDefect: Math.max(Math.abs(spectra[0].sumRuleDefect), Math.abs(spectra[1].sumRuleDefect)),
    secondsSpectrum: (t1 - t0) / 1000, secondsEvaluation: (t2 - t1) / 1000,
  };
}
