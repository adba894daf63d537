/**
 * What a reservoir supplies to the solvers (shared/scenes.md §1–2, §6; docs/reservoirs.md).
 *
 * N emitters coupled to one reservoir obey the matrix form of Eq. (3),
 *   ċ_j = −(iω_j + γ_j/2) c_j − Σ_l ∫_0^t F_jl(t − s) c_l(s) ds,   F_jl(t) = ∫ J_jl(ω) e^{−iωt} dω.
 * A reservoir, once told where the emitters sit (`Reservoir.couple`), is written as a short sum of
 * scalar *components* with real symmetric weight matrices:
 *   J_jl(ω) = Σ_c W^c_jl · j_c(ω),   F_jl(t) = Σ_c W^c_jl · φ_c(t),   Σ_jl(E) = Σ_c W^c_jl · σ_c(E), …
 * A component is one scalar function family: for the TM11 guide one per distinct emitter distance
 * (self term τ = 0 and each cross lag τ_jl = 2π|z_j − z_l|), for the multimode guide one per
 * (mode, distance), for a cavity array one per distinct site separation. Solvers only ever see
 * components and weights, so a new reservoir needs no solver change, and "one kernel per distinct
 * distance" holds by construction.
 *
 * Sign conventions (those of shared/scenes.md §2):
 *   σ_c(E) = ∫ j_c(ω)/(E − ω) dω for E in a gap (so M(E) = E − Ω − Σ(E); below a band σ < 0 for a self term),
 *   σ'_c(E) = ∫ j_c(ω)/(ω − E)² dω  (= −dσ_c/dE, positive for a self term),
 *   δ_c(ω) = PV ∫ j_c(ω')/(ω − ω') dω' inside a band, so G(ω ± i0) = [ω − Ω − Δ(ω) ± iπJ(ω)]^{−1}.
 * (The two-emitter code of physics.md writes Σ±(E) = ∫ J±/(ω − E) dω, the opposite sign.)
 * Units: ω11 = c = 1 (frequencies and rates in ω11, times in 1/ω11) for the guides; a cavity array uses
 * the same dimensionless frequency unit as its ωc and hopping.
 */

/** One scalar term of the reservoir: its density j(ω), kernel φ(t), self-energy σ(E) and level shift δ(ω). */
export interface Component {
  /** Human-readable name, e.g. "TM11 self" or "TM11 τ=0.6283"; unique within a Coupling. */
  readonly label: string;
  /**
   * The frequency intervals where j may be non-zero, ascending and disjoint; the upper end may be
   * Infinity. Outside them j ≡ 0 and σ, σ' are defined.
   */
  readonly bands: ReadonlyArray<readonly [number, number]>;
  /** Frequencies where j is non-smooth (band edges, cutoffs; square-root singularities), ascending. */
  readonly edges: readonly number[];
  /** j(ω), real (cross terms may be negative); 0 outside `bands`. Finite ω only. */
  density(omega: number): number;
  /**
   * φ(t) = ∫ j(ω) e^{−iωt} dω for t ≥ 0: writes re, im to out[o], out[o + 1]. At a singular time
   * (`singularTimes`, where φ has an integrable log singularity) +∞ may be written in the real part.
   */
  kernel(t: number, out: Float64Array, o: number): void;
  /** Times t ≥ 0 where φ is singular or not smooth (TM11: t = τ); empty for smooth kernels. */
  readonly singularTimes: readonly number[];
  /** σ(E) = ∫ j(ω)/(E − ω) dω for E outside every band (E not in a band's closure). */
  selfEnergy(E: number): number;
  /** σ'(E) = ∫ j(ω)/(ω − E)² dω for E outside every band. */
  selfEnergyDerivative(E: number): number;
  /**
   * δ(ω) = PV ∫ j(ω')/(ω − ω') dω' at every ω strictly inside the coupling's bands — also where ω is
   * outside this component's own band (a closed waveguide mode between two cutoffs), where it is the
   * regular integral, i.e. σ(ω).
   */
  levelShift(omega: number): number;
  /**
   * Large-ω behaviour, for unbounded bands: j(ω) ~ decay·ω^{−power} (in magnitude, ignoring
   * oscillating factors) as ω → ∞. Absent for bounded bands.
   */
  readonly tail?: { power: number; decay: number };
  /**
   * Declares that this component has the TM11 form scaled to a cutoff w: j(ω) = (1/2π)·cos(τ'q)/q with
   * q = √((ω/w)² − 1) above w (τ' = 0 for a self term). The exact solver then uses the closed forms it
   * has for that shape (the Born term of src/dynamics/bornTerm.ts, the tabulated ω·P of
   * src/spectrum/continuum.ts). Set by tm11.ts and the multimode guide; the solver checks it against
   * `density` before trusting it.
   */
  readonly tmForm?: { readonly cutoff: number; readonly tau: number };
  /**
   * Optional bound Ω(σ) on how fast φ(z)·e^{iEz} grows off the real axis near z = σ, in the frame E
   * (it lets the product-integration weights use cheaper far-cell rules; src/numerics/productIntegration.ts
   * cellMoments' `frequency`). Absent: the solvers derive one from bounded bands, or use safe rules.
   */
  kernelRate?(sigma: number, frame: number): number;
  /**
   * Error bound on density/kernel/σ/δ values when they are computed numerically (tabulated bands);
   * absent (or 0) for closed forms, which are accurate to a few ulps.
   */
  readonly absoluteError?: number;
}

/** A reservoir seen by a given set of emitters: components and the N×N weights of each. */
export interface Coupling {
  /** Number of emitters N. */
  readonly n: number;
  /** Union of the components' bands (ascending, merged), the upper end possibly Infinity. */
  readonly bands: ReadonlyArray<readonly [number, number]>;
  /** Every threshold (band edges and cutoffs of every component), ascending, without repeats. */
  readonly edges: readonly number[];
  readonly components: readonly Component[];
  /** weights[c]: the real symmetric N×N matrix W^c, row-major (W^c_jl at [j·N + l]). */
  readonly weights: readonly Float64Array[];
}

/** An emitter as a reservoir sees it: its position fields (which ones a reservoir reads is its business). */
export interface EmitterPlacement {
  /** Position along the guide, in λ11 (waveguides and tabulated bands). */
  z?: number;
  /** Transverse position as a fraction of a (multimode guide; default 0.5, the centre). */
  x?: number;
  /** Transverse position as a fraction of b (multimode guide; default 0.5). */
  y?: number;
  /** Radiation rate Γ into TM11 at the guide's centre, ω11 (waveguides, tabulated bands as the coupling scale). */
  gamma?: number;
  /** Lattice site (cavity array; integer). */
  site?: number;
  /** Coupling constant g to the cavity at `site` (cavity array). */
  g?: number;
}

/** A reservoir: a named physical system that can be coupled to emitters. */
export interface Reservoir {
  /** The scene's `reservoir.type` value, e.g. "waveguide", "cavity-array", "table". */
  readonly type: string;
  /** One-line description for reports ("TM11 waveguide", "square guide, TM11+TM13+TM31"). */
  readonly description: string;
  /**
   * The emitter fields this reservoir reads (besides omega0, loss, role); the scene validator rejects
   * others and requires these (or applies the defaults the reservoir states).
   */
  readonly emitterFields: readonly string[];
  /** Allowed emitter frequencies ω_j (the scene validator checks `emitters[j].omega0` against it). */
  readonly frequencyRange: { min: number; max: number; minOpen?: boolean; unit: string };
  /**
   * Couples N emitters: validates their placement fields (throws ParameterError with the path
   * `${path}[j].field`) and returns the components and weights.
   */
  couple(emitters: readonly EmitterPlacement[], path?: string): Coupling;
}

/** Adds W^c·(component value) over components into `out` (N×N row-major): out = Σ_c W^c v_c. */
function assemble(coupling: Coupling, values: ArrayLike<number>, out: Float64Array): Float64Array {
  const nn = coupling.n * coupling.n;
  out.fill(0, 0, nn);
  for (let c = 0; c < coupling.components.length; c++) {
    const v = values[c];
    if (v === 0) continue;
    const w = coupling.weights[c];
    for (let i = 0; i < nn; i++) out[i] += w[i] * v;
  }
  return out;
}

/** J(ω) = Σ_c W^c j_c(ω), the N×N spectral-density matrix (scenes.md §1). */
export function densityMatrix(coupling: Coupling, omega: number, out = new Float64Array(coupling.n * coupling.n)): Float64Array {
  return assemble(coupling, coupling.components.map((c) => c.density(omega)), out);
}

/** Σ(E) = Σ_c W^c σ_c(E) for E in a gap (scenes.md §2, M(E) = E − Ω − Σ(E)). */
export function selfEnergyMatrix(coupling: Coupling, E: number, out = new Float64Array(coupling.n * coupling.n)): Float64Array {
  return assemble(coupling, coupling.components.map((c) => c.selfEnergy(E)), out);
}

/** Σ'(E) = ∫ J(ω)/(ω − E)² dω for E in a gap, so M'(E) = 1 + Σ'(E). */
export function selfEnergyDerivativeMatrix(coupling: Coupling, E: number, out = new Float64Array(coupling.n * coupling.n)): Float64Array {
  return assemble(coupling, coupling.components.map((c) => c.selfEnergyDerivative(E)), out);
}

/** Δ(ω) = PV ∫ J(ω')/(ω − ω') dω' inside a band. */
export function levelShiftMatrix(coupling: Coupling, omega: number, out = new Float64Array(coupling.n * coupling.n)): Float64Array {
  return assemble(coupling, coupling.components.map((c) => c.levelShift(omega)), out);
}

/** F(t) = Σ_c W^c φ_c(t) as an interleaved complex N×N matrix (re, im at [2(j·N + l)], [2(j·N + l) + 1]). */
export function kernelMatrix(coupling: Coupling, t: number, out = new Float64Array(2 * coupling.n * coupling.n)): Float64Array {
  const nn = coupling.n * coupling.n;
  const phi = new Float64Array(2);
  out.fill(0, 0, 2 * nn);
  for (let c = 0; c < coupling.components.length; c++) {
    coupling.components[c].kernel(t, phi, 0);
    const w = coupling.weights[c];
    for (let i = 0; i < nn; i++) {
      if (w[i] === 0) continue;
      out[2 * i] += w[i] * phi[0];
      out[2 * i + 1] += w[i] * phi[1];
    }
  }
  return out;
}

/** True when E lies outside every band of the coupling (where σ, σ' are defined and real). */
export function inGap(coupling: Coupling, E: number): boolean {
  for (const [lo, hi] of coupling.bands) if (E >= lo && E <= hi) return false;
  return true;
}

/** Merges intervals (ascending, overlapping or touching ones joined). */
export function mergeBands(bands: Iterable<readonly [number, number]>): Array<readonly [number, number]> {
  const sorted = [...bands].sort((a, b) => a[0] - b[0]);
  const out: Array<[number, number]> = [];
  for (const [lo, hi] of sorted) {
    const last = out[out.length - 1];
    if (last && lo <= last[1]) last[1] = Math.max(last[1], hi);
    else out.push([lo, hi]);
  }
  return out;
}

/** Builds a Coupling from components and weights, deriving the merged bands and the edges. */
export function makeCoupling(n: number, components: Component[], weights: Float64Array[]): Coupling {
  const edges = [...new Set(components.flatMap((c) => c.edges))].sort((a, b) => a - b);
  return { n, components, weights, bands: mergeBands(components.flatMap((c) => c.bands)), edges };
}
