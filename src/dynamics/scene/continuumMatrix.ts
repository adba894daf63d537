import { complexLuSolve } from '../../numerics/complexLinear.js';
import type { Component, Coupling } from '../../model/reservoirs/reservoir.js';
import { levelShiftBracket } from '../../model/selfEnergy.js';
import { omegaP as omegaPTable } from '../../spectrum/continuum.js';

/**
 * The matrix resolvent on the real axis for N emitters in one reservoir (shared/scenes.md §2):
 *   G(ω ± i0) = [ω − Ω − Δ(ω) ± iπJ(ω)]^{−1},   ρ(ω) = [G(ω − i0) − G(ω + i0)]/(2πi),
 * with Δ, J the level-shift and spectral-density matrices assembled from the coupling's components
 * (src/model/reservoirs/reservoir.ts). With A = ω − Ω − Δ and B = πJ real symmetric (B ⪰ 0),
 * (A + iB)^{−1} is the complex conjugate of (A − iB)^{−1}, so ρ = (1/π)·Im[(A − iB)^{−1}] is a real symmetric
 * positive semidefinite matrix; only ρ(ω)c(0) is formed, by one complex LU factorisation (partial
 * pivoting) of A − iB per frequency and a solve for Re c(0) and Im c(0). Cost ≈ (8/3)N³ flops a frequency.
 * Frequencies in the reservoir's unit (ω11 for the guides); ρ in 1/ω11.
 */

/**
 * A component of the TM11 form, possibly scaled to a cutoff w (the TM_mn terms of the multimode guide,
 * src/model/reservoirs/multimode.ts): j(ω) = j_base(ω/w), j_base(x) = cos(τ'√(x² − 1))/(2π√(x² − 1))
 * (τ' = 0 for a self term). Declared by the component (Component.tmForm: tm11.ts and the multimode
 * guide) and checked against the formula at three frequencies (relative 1e-12), so a wrong tag is never trusted.
 * Used for two closed forms the Component interface does not carry: the Born term of
 * src/dynamics/bornTerm.ts and the tabulated ω·P(ω) of src/spectrum/continuum.ts, which makes the cross
 * level shift ≈ 40× cheaper than tm11.ts's direct quadrature.
 */
export interface TmForm {
  /** Cutoff w (1 for TM11). */
  w: number;
  /** Retardation τ' of the unscaled TM11 formulas (w·τ for a scaled cross term), 1/ω11. */
  tau: number;
}

export function tmForm(c: Component): TmForm | null {
  const tag = c.tmForm;
  if (!tag || c.bands.length !== 1 || c.bands[0][1] !== Number.POSITIVE_INFINITY || c.bands[0][0] !== tag.cutoff) return null;
  const { cutoff: w, tau } = tag;
  if (!(w >= 1) || !(tau >= 0)) return null;
  for (const x of [1.3, 2.7, 11.1]) {
    const k = Math.sqrt((x - 1) * (x + 1));
    const expect = Math.cos(tau * k) / (2 * Math.PI * k);
    const got = c.density(w * x);
    if (!(Math.abs(got - expect) <= 1e-12 * Math.max(Math.abs(expect), 1 / (2 * Math.PI * k)))) return null;
  }
  return { w, tau };
}

/** δ(ω) of a TM-form component above its cutoff, with the tabulated ω·P of src/spectrum/continuum.ts. */
export function tmLevelShift(form: TmForm, omega: number): number {
  const x = omega / form.w;
  const k = Math.sqrt((x - 1) * (x + 1));
  if (form.tau === 0) return levelShiftBracket('+', k, 0, 0) / (4 * Math.PI);
  const P = omegaPTable(x, form.tau);
  return (levelShiftBracket('+', k, form.tau, P) - levelShiftBracket('-', k, form.tau, P)) / (4 * Math.PI);
}

/** True when ω lies strictly inside one of the component's bands. */
function insideBand(c: Component, omega: number): boolean {
  for (const [lo, hi] of c.bands) if (omega > lo && omega < hi) return true;
  return false;
}

/**
 * The N×N matrices of a coupling on the real axis, with sparse weights (only the non-zero W^c_jl of
 * each component are stored: for the TM11 guide N² entries in all, whatever the number of components).
 */
export class ResolventMatrices {
  readonly n: number;
  readonly coupling: Coupling;
  readonly omega: Float64Array;
  /** Per component: flat indices j·N + l and weights W^c_jl of its non-zero entries. */
  readonly index: Int32Array[];
  readonly value: Float64Array[];
  /** Per component: its TM form when it has one (fast level shift, Born term), else null. */
  readonly tm: Array<TmForm | null>;
  /** Per component: max_j Σ_l |W^c_jl| (∞-norm; bounds the spectral norm of W^c). */
  readonly rowNorm: Float64Array;
  /** Scratch: component densities j_c(ω) and level shifts δ_c(ω) at the last assembled ω. */
  readonly j: Float64Array;
  readonly d: Float64Array;
  /** Scratch: A = ω − Ω − Δ(ω) and B = πJ(ω), row-major N×N. */
  readonly a: Float64Array;
  readonly b: Float64Array;
  /** Component evaluations so far (density + level shift pairs). */
  evaluations = 0;
  private readonly lu: Float64Array;
  private readonly rhs: Float64Array;
  private readonly perm: Int32Array;

  constructor(coupling: Coupling, omega: Float64Array) {
    const n = coupling.n;
    this.n = n;
    this.coupling = coupling;
    this.omega = omega;
    this.index = [];
    this.value = [];
    this.tm = coupling.components.map(tmForm);
    this.rowNorm = new Float64Array(coupling.components.length);
    coupling.weights.forEach((w, c) => {
      const idx: number[] = [];
      const val: number[] = [];
      for (let i = 0; i < n * n; i++) if (w[i] !== 0) { idx.push(i); val.push(w[i]); }
      this.index.push(Int32Array.from(idx));
      this.value.push(Float64Array.from(val));
      let best = 0;
      for (let r = 0; r < n; r++) {
        let s = 0;
        for (let l = 0; l < n; l++) s += Math.abs(w[r * n + l]);
        best = Math.max(best, s);
      }
      this.rowNorm[c] = best;
    });
    const m = coupling.components.length;
    this.j = new Float64Array(m);
    this.d = new Float64Array(m);
    this.a = new Float64Array(n * n);
    this.b = new Float64Array(n * n);
    this.lu = new Float64Array(2 * n * n);
    this.rhs = new Float64Array(4 * n);
    this.perm = new Int32Array(n);
  }

  /**
   * j_c(ω) and δ_c(ω) of every component into this.j, this.d: inside a component's band its density
   * and principal-value level shift, outside it 0 and its self-energy σ_c(ω) (the same integral, no
   * longer singular). ω must not be a component edge.
   */
  components(omega: number): void {
    const comps = this.coupling.components;
    for (let c = 0; c < comps.length; c++) {
      const comp = comps[c];
      if (insideBand(comp, omega)) {
        this.j[c] = comp.density(omega);
        const form = this.tm[c];
        this.d[c] = form ? tmLevelShift(form, omega) : comp.levelShift(omega);
      } else {
        this.j[c] = 0;
        this.d[c] = comp.selfEnergy(omega);
      }
    }
    this.evaluations++;
  }

  /** A = ω − Ω − Δ(ω), B = πJ(ω) into this.a, this.b from the component values of `components(ω)`. */
  assemble(omega: number): void {
    const { n, a, b } = this;
    a.fill(0);
    b.fill(0);
    for (let c = 0; c < this.index.length; c++) {
      const idx = this.index[c];
      const val = this.value[c];
      const dc = this.d[c];
      const jc = Math.PI * this.j[c];
      for (let i = 0; i < idx.length; i++) {
        a[idx[i]] -= val[i] * dc;
        if (jc !== 0) b[idx[i]] += val[i] * jc;
      }
    }
    for (let j = 0; j < n; j++) a[j * n + j] += omega - this.omega[j];
  }

  /**
   * ρ(ω)c(0) for c(0) = cr + i·ci (ci may be null for a real c(0)) into out[0 … N) (from cr) and
   * out[N … 2N) (from ci): ρ·cr and ρ·ci, so that ρc(0) = out[0..N) + i·out[N..2N).
   * Calls components(ω) and assemble(ω) first. Returns false if A − iB is exactly singular.
   * With `loss` (γ_j ≥ 0), B → B + diag(γ_j)/2: the intrinsic loss as a flat reservoir over the whole
   * real axis (shared/scenes.md §2), ρ then the density of the lossy problem.
   */
  rho(omega: number, cr: Float64Array, ci: Float64Array | null, out: Float64Array, loss?: Float64Array): boolean {
    this.components(omega);
    this.assemble(omega);
    const { n, a, b, lu, rhs, perm } = this;
    // M = A − iB, interleaved.
    for (let i = 0; i < n * n; i++) { lu[2 * i] = a[i]; lu[2 * i + 1] = -b[i]; }
    if (loss) for (let j = 0; j < n; j++) lu[2 * (j * n + j) + 1] -= 0.5 * loss[j];
    const cols = ci ? 2 : 1;
    for (let i = 0; i < n; i++) {
      rhs[2 * (i * cols)] = cr[i]; rhs[2 * (i * cols) + 1] = 0;
      if (ci) { rhs[2 * (i * cols + 1)] = ci[i]; rhs[2 * (i * cols + 1) + 1] = 0; }
    }
    if (!complexLuSolve(n, lu, rhs, cols, perm)) return false;
    for (let i = 0; i < n; i++) {
      out[i] = rhs[2 * (i * cols) + 1] / Math.PI;
      out[n + i] = ci ? rhs[2 * (i * cols + 1) + 1] / Math.PI : 0;
    }
    return true;
  }

  /**
   * Envelope bounds at ω (from the component values of `components(ω)`): ‖J‖ ≤ Σ_c ‖W^c‖_∞·e_c/π and
   * ‖Δ‖ ≤ Σ_c ‖W^c‖_∞·e_c, with e_c = √(δ_c² + (πj_c)²) = |σ_c(ω + i0)|, which does not oscillate
   * with the cos(kτ) factors of the cross terms (they cancel in the modulus).
   */
  norms(): { jNorm: number; dNorm: number } {
    let s = 0;
    for (let c = 0; c < this.rowNorm.length; c++) s += this.rowNorm[c] * Math.hypot(this.d[c], Math.PI * this.j[c]);
    return { jNorm: s / Math.PI, dNorm: s };
  }
}
