/**
 * A test reference for N-emitter scenes in the TM11 guide, independent of src/: the continuum replaced
 * by M discrete waveguide modes and the single-excitation Hamiltonian (size N + M) diagonalised exactly
 * (ml-matrix, symmetric). The N-emitter form of bench/bruteForce.ts (which uses the two-emitter ±
 * structure instead of a dense eigensolver).
 *
 * ## Model (units ω11 = c = 1, z in λ11, x_j = 2πz_j the position in c/ω11)
 * Standing waves on a uniform k grid: nodes k_i = (i + ½)Δk, i = 0 … M/2 − 1 (cut-off K = (M/2)Δk),
 * two modes per node, cos(k_i x) and sin(k_i x), both at ω_i = √(1 + k_i²). Emitter j couples to them
 * with g_{j,i}^{c,s} = √(Γ_j Δk/(2πω_i))·{cos, sin}(k_i x_j), so that
 *   Σ_{modes at k_i} g_j g_l = √(Γ_jΓ_l)·(Δk/2πω_i)·cos(k_i(x_j − x_l)),
 * the midpoint rule in k for J_jl(ω)dω = (√(Γ_jΓ_l)/2π)·cos(kτ_jl)/k·dω = (√(Γ_jΓ_l)/2π)·cos(kτ_jl)·dk/ω
 * (shared/scenes.md §1: dω = k dk/ω removes the 1/k edge singularity). H = diag(ω_j, ω_i) + couplings,
 * real symmetric; c(t) = V_E e^{−iΛt} Vᵀ c(0) restricted to the emitter rows.
 *
 * ## Discretisation error
 * - The integrand is even and smooth in k, so the midpoint rule is spectrally accurate in Δk until the
 *   recurrence: the k grid makes the guide periodic with period 2π/Δk·2 (half-integer nodes), and light
 *   emitted at x_j is back after t ≈ 2π/Δk − τ_max. Default Δk = 2π/(1.25(t_max + τ_max)).
 * - The cut-off: the modes above K are missing; their share of the self-energy, ≈ −(Γ_j/2π)/K, is a
 *   frequency error, so c(t) is off by ≈ t·Γ/(2πK) ∝ 1/M at fixed Δk (order 1 in M; the cross terms'
 *   tails, ∝ sin(Kτ)/(K²τ), are of higher order).
 */
import { EigenvalueDecomposition, Matrix } from 'ml-matrix';

export interface BaselineEmitter {
  /** Position, λ11. */
  z: number;
  /** Frequency, ω11. */
  omega0: number;
  /** TM11 rate Γ_j, ω11. */
  gamma: number;
}

export interface BaselineResult {
  /** c_j(t_n), interleaved complex, one array per emitter. */
  c: Float64Array[];
  /** Eigenvalues of H (ascending) and each one's weight Σ_j |V_jm|² on the emitters. */
  energies: Float64Array;
  emitterWeights: Float64Array;
  dk: number;
  kMax: number;
  seconds: number;
}

/**
 * c(t_n), t_n = n·dt (n = 0 … points − 1), from c(0) = `initial` (interleaved complex) with M = `modes`
 * (even) discrete modes; `dk` defaults to 2π/(1.25(t_max + τ_max)).
 */
export function discretisedModes(
  emitters: readonly BaselineEmitter[], initial: Float64Array, modes: number, dt: number, points: number, dk?: number,
): BaselineResult {
  if (!Number.isInteger(modes) || modes < 2 || modes % 2 !== 0) throw new RangeError(`modes = ${modes} must be an even integer ≥ 2`);
  const t0 = performance.now();
  const n = emitters.length;
  const x = emitters.map((e) => 2 * Math.PI * e.z);
  const tauMax = Math.max(...x) - Math.min(...x);
  const tMax = (points - 1) * dt;
  const step = dk ?? (2 * Math.PI) / (1.25 * (tMax + tauMax));
  const half = modes / 2;
  const size = n + modes;
  const h = new Matrix(size, size);
  emitters.forEach((e, j) => h.set(j, j, e.omega0));
  for (let i = 0; i < half; i++) {
    const k = (i + 0.5) * step;
    const w = Math.sqrt(1 + k * k);
    const c = n + 2 * i;
    const s = c + 1;
    h.set(c, c, w);
    h.set(s, s, w);
    emitters.forEach((e, j) => {
      const g = Math.sqrt((e.gamma * step) / (2 * Math.PI * w));
      h.set(j, c, g * Math.cos(k * x[j]));
      h.set(c, j, g * Math.cos(k * x[j]));
      h.set(j, s, g * Math.sin(k * x[j]));
      h.set(s, j, g * Math.sin(k * x[j]));
    });
  }
  const ev = new EigenvalueDecomposition(h, { assumeSymmetric: true });
  const lam = ev.realEigenvalues;
  const v = ev.eigenvectorMatrix;
  // w_m = Σ_l V_lm c_l(0); then c_j(t) = Σ_m V_jm w_m e^{−iλ_m t}.
  const vr = new Float64Array(n * size);
  for (let j = 0; j < n; j++) for (let m = 0; m < size; m++) vr[j * size + m] = v.get(j, m);
  const wr = new Float64Array(size);
  const wi = new Float64Array(size);
  const emitterWeights = new Float64Array(size);
  for (let m = 0; m < size; m++) {
    for (let l = 0; l < n; l++) {
      wr[m] += vr[l * size + m] * initial[2 * l];
      wi[m] += vr[l * size + m] * initial[2 * l + 1];
      emitterWeights[m] += vr[l * size + m] ** 2;
    }
  }
  const c = emitters.map(() => new Float64Array(2 * points));
  const cosT = new Float64Array(size);
  const sinT = new Float64Array(size);
  for (let p = 0; p < points; p++) {
    const t = p * dt;
    for (let m = 0; m < size; m++) {
      cosT[m] = Math.cos(lam[m] * t);
      sinT[m] = Math.sin(lam[m] * t);
    }
    for (let j = 0; j < n; j++) {
      let re = 0;
      let im = 0;
      for (let m = 0; m < size; m++) {
        const a = vr[j * size + m];
        if (a === 0) continue;
        // (wr + i wi)(cos − i sin)
        re += a * (wr[m] * cosT[m] + wi[m] * sinT[m]);
        im += a * (wi[m] * cosT[m] - wr[m] * sinT[m]);
      }
      c[j][2 * p] = re;
      c[j][2 * p + 1] = im;
    }
  }
  return { c, energies: Float64Array.from(lam), emitterWeights, dk: step, kMax: half * step, seconds: (performance.now() - t0) / 1000 };
}
