import { brentRoot } from '../numerics/brent.js';
import { symmetricEigen, symmetricEigenJacobi, type SymmetricEigen } from '../numerics/symmetricEigen.js';
import { checkNumber } from '../errors.js';
import { selfEnergyDerivativeMatrix, selfEnergyMatrix, type Coupling } from '../model/reservoirs/reservoir.js';
import type { PreparedScene } from '../model/scene.js';
import { TM11_GUIDE } from '../model/reservoirs/registry.js';
import { retardationGroups } from '../model/reservoirs/tm11.js';
import { reducedSelfEnergy, reducedSelfEnergyDerivative } from '../model/selfEnergy.js';
import { EFFECTIVE_DEFAULTS, EFFECTIVE_RANGES } from './classification.js';

/**
 * One bound state of an N-emitter scene (shared/scenes.md §2): a real root E_b of det M(E) in a gap of
 * the reservoir, M(E) = E − Ω − Σ(E), and its amplitudes α_b = v/√(vᵀM'(E_b)v) (v the null vector of
 * M(E_b)). It contributes α_b α_bᵀ c(0) e^{−iE_b t} to c(t).
 */
export interface SceneBoundState {
  /** E_b, in the reservoir's frequency unit (ω11 for the guides). */
  energy: number;
  /**
   * α_b (length N, scene emitter order), real. Sign convention: the component of largest magnitude
   * is positive (the first such one on a tie).
   */
  amplitudes: Float64Array;
  /** The gap (lo, hi) of the reservoir the energy lies in (±Infinity for unbounded ends). */
  gap: readonly [number, number];
  /** Which sorted eigenvalue branch μ_n(E) of M(E) (0 = lowest) has this root. */
  branch: number;
  /** αᵀα = Σ_j α_j²: the state's weight on the emitters (the rest is photonic), in (0, 1]. */
  emitterWeight: number;
  /** Σ_{j∈batteries} α_j². Two equal emitters: Z± of physics.md. */
  batteryWeight: number;
  /**
   * |α_bᵀc(0)|·(Σ_{j∈B} α_j²)^{1/2}: the size of this state's term in the batteries' steady
   * amplitudes c_B(∞) for the scene's initial state. Two equal emitters, charger excited: Z± (Eq. 8).
   */
  bankAmplitude: number;
  /**
   * Estimated relative error of α_b (first order): the eigensolver's rounding of M(E_b) over the
   * eigenvalue gap to the nearest branch outside this state's level, plus, for a level of several
   * merged roots, the relative change of vᵀM'v across it. Near-degenerate states (far-apart emitters,
   * splitting ∝ e^{−τκ}) are individually ill-conditioned; their sum over a level is not.
   */
  amplitudeError: number;
  /**
   * True when the root lies closer to a band edge than one unit in the last place of the energy: the
   * energy is then the last double inside the gap (within one ulp of the root).
   */
  atEdge: boolean;
}

/** Settings of sceneBoundStates (the effective classification as in battery/steadyState.ts). */
export interface SceneBoundStateOptions {
  /** A bound state counts as effective when bankAmplitude ≥ this (default EFFECTIVE_DEFAULTS, 0.014). */
  residueThreshold?: number;
  /**
   * Effective bound states whose energies differ by less than 2π/observationTime (1/ω11) beat slower
   * than the observation and are counted as one distinct level (default 2000).
   */
  observationTime?: number;
}

/** The discrete spectrum of a scene: every bound state in every gap of its reservoir. */
export interface SceneSpectrum {
  /** Bound states, ascending in energy. */
  boundStates: SceneBoundState[];
  /** Exact number of bound states (roots of det M in the gaps, with multiplicity). */
  count: number;
  /** Bound states with bankAmplitude ≥ residueThreshold. */
  effectiveCount: number;
  /** Effective states grouped into levels that beat slower than the observation time. */
  distinctEffective: number;
  /** True when two effective states are closer than 2π/observationTime ("2D" in the paper's Fig. 4a). */
  degenerate: boolean;
  /** `${effectiveCount}` with a "D" when degenerate: '0', '1', '2', '2D', '3', '3D', … (two emitters: the paper's labels). */
  regime: string;
  residueThreshold: number;
  observationTime: number;
  /** Gaps searched, ascending. */
  gaps: Array<readonly [number, number]>;
  /**
   * Decoupled emitter states that lie inside a band (bound states in the continuum, e.g. the
   * antisymmetric state of two co-located equal emitters with ω0 ≥ 1): energies and amplitudes.
   * They are not in `boundStates` or `count`; a dynamics solver must add them like bound states.
   */
  embedded: Array<{ energy: number; amplitudes: Float64Array }>;
  status: 'success' | 'tolerance-not-met';
  message: string;
  stats: { evaluations: number };
}

/** Neighbouring double toward +∞ (dir > 0) or −∞. */
function nextDouble(x: number, dir: number): number {
  if (x === 0) return dir > 0 ? Number.MIN_VALUE : -Number.MIN_VALUE;
  const f = new Float64Array([x]);
  const b = new BigInt64Array(f.buffer);
  b[0] += (x > 0) === (dir > 0) ? 1n : -1n;
  return f[0];
}

/** The gaps of the real axis between the coupling's bands, ascending. */
export function couplingGaps(coupling: Coupling): Array<readonly [number, number]> {
  const out: Array<readonly [number, number]> = [];
  let lo = Number.NEGATIVE_INFINITY;
  for (const [a, b] of coupling.bands) {
    if (a > lo) out.push([lo, a]);
    lo = b;
  }
  if (lo < Number.POSITIVE_INFINITY) out.push([lo, Number.POSITIVE_INFINITY]);
  return out;
}

/** M(E) = E − Ω − Σ(E) (scenes.md §2), row-major. */
function resolventMatrix(prepared: PreparedScene, E: number): Float64Array {
  const n = prepared.n;
  const m = selfEnergyMatrix(prepared.coupling, E);
  for (let i = 0; i < n * n; i++) m[i] = -m[i];
  for (let j = 0; j < n; j++) m[j * n + j] += E - prepared.omega[j];
  return m;
}

/** M'(E) = 1 + Σ'(E), positive definite in a gap. */
function resolventDerivative(prepared: PreparedScene, E: number): Float64Array {
  const n = prepared.n;
  const m = selfEnergyDerivativeMatrix(prepared.coupling, E);
  for (let j = 0; j < n; j++) m[j * n + j] += 1;
  return m;
}

/** Roots of two sorted branches further apart than this (relative to max(1, |E|)) are never treated as one level. */
export const CLUSTER_RELATIVE = 1e-8;

/** Rounding noise of an eigenvalue of M, in units of N·eps·max|M_jl| (of the well-scaled part in the edge frame). */
const NOISE_ULPS = 4;

/** Below this distance u = 1 − E from the TM11 edge the edge frame (TM11Edge) replaces the component sums. */
export const TM11_EDGE_ZONE = 1e-2;

/** The zone boundary: E_B = 1 − TM11_EDGE_ZONE and U_B = 1 − E_B (exact). */
const EDGE_ZONE_E = 1 - TM11_EDGE_ZONE;
const EDGE_ZONE_U = 1 - EDGE_ZONE_E;

/** The largest double below 1. */
const LAST_BELOW_ONE = 1 - Number.EPSILON / 2;

/**
 * M(E) at one energy, in some orthonormal frame: M = P F Pᵀ with F the `matrix` below and P = lift.
 * The eigen-decomposition is of F; `noise` is its eigenvalues' rounding.
 */
interface Frame {
  kind: 'generic' | 'tm11-edge';
  E: number;
  /** Distance to the upper gap end when the gap has one (exact in the edge frame), else NaN. */
  u: number;
  matrix: Float64Array;
  eig: SymmetricEigen;
  noise: number;
  /** M'(E) in the frame's coordinates. */
  derivative(): Float64Array;
  /** Frame coordinates → emitter coordinates. */
  lift(y: ArrayLike<number>): Float64Array;
}

function genericFrame(prepared: PreparedScene, E: number, u: number): Frame {
  const n = prepared.n;
  const m = resolventMatrix(prepared, E);
  // Rounding scale: the terms M is formed from (|E|, ω_j, |Σ_jl|), not |M| itself, which can vanish
  // at a root (two decoupled emitters with one bound-state energy give M(E_b) = 0 exactly).
  let big = Math.abs(E);
  for (const w of prepared.omega) big = Math.max(big, Math.abs(w));
  for (let j = 0; j < n; j++) for (let l = 0; l < n; l++) big = Math.max(big, Math.abs(m[j * n + l] - (j === l ? E - prepared.omega[j] : 0)));
  let d: Float64Array | null = null;
  return {
    kind: 'generic', E, u, matrix: m, eig: symmetricEigen(m, n), noise: NOISE_ULPS * n * Number.EPSILON * big,
    derivative: () => (d ??= resolventDerivative(prepared, E)),
    lift: (y) => Float64Array.from(y),
  };
}

/**
 * M(E) of the TM11 guide near its edge ω11 = 1, written so that nothing large cancels (scenes.md §2,
 * src/model/selfEnergy.ts):
 *   Σ(E) = −a(E)·g gᵀ + R(E)/2π,  a = A(E)/2π,  R_jl = √(Γ_jΓ_l)·I−(E, τ_jl) (j ≠ l, 0 for τ = 0),
 *   M(E) = B(E) + a(E)·g gᵀ,  B = E − Ω − R/2π (finite at the edge),  M' = 1 − R'/2π + a'·g gᵀ,
 * with g = (√Γ_j), A = (π − asin κ)/κ, A' = (1 + E·A)/κ², κ = √(u(2 − u)), u = 1 − E kept exactly (so
 * roots closer to the edge than one ulp of E are still resolved), and I−, I−' of selfEnergy.ts, which
 * have no A − C cancellation. In the frame of the Householder reflection H (H e0 = −g/|g|) the divergent
 * part is the single entry a|g|² at (0, 0); the cyclic Jacobi method keeps the other eigenvalues to
 * ≈ eps·‖B‖ instead of eps·a|g|² (which made a decoupled branch of co-located emitters 'cross' zero at
 * 1 − 1e-12 and cost Z 1e-8 at 1 − E = 1e-6 through the component sums).
 * I−(E) is evaluated at E = 1 − u rounded (error O(ulp·|I−'|)); I−'(E) at min(E, 1 − 2⁻⁵³).
 */
class TM11Edge {
  readonly n: number;
  readonly gamma: Float64Array;
  readonly g2: number;
  readonly w: Float64Array;
  readonly wn: number;
  readonly taus: number[];
  readonly group: Int32Array;
  readonly omega: Float64Array;

  constructor(prepared: PreparedScene) {
    const n = prepared.n;
    this.n = n;
    this.omega = prepared.omega;
    const z = prepared.scene.emitters.map((e) => e.z as number);
    this.gamma = Float64Array.from(prepared.scene.emitters, (e) => e.gamma as number);
    let g2 = 0;
    for (const x of this.gamma) g2 += x;
    this.g2 = g2;
    const gn = Math.sqrt(g2);
    this.w = new Float64Array(n);
    for (let j = 0; j < n; j++) this.w[j] = Math.sqrt(this.gamma[j]) / gn;
    this.w[0] += 1;
    let wn = 0;
    for (const x of this.w) wn += x * x;
    this.wn = wn;
    const { taus, group } = retardationGroups(z);
    this.taus = taus;
    this.group = group;
  }

  /** H X H for a symmetric X (H = I − 2wwᵀ/‖w‖²). */
  private reflect(X: Float64Array): Float64Array {
    const n = this.n;
    const w = this.w;
    const f = 2 / this.wn;
    const xw = new Float64Array(n);
    let wxw = 0;
    for (let i = 0; i < n; i++) { let s = 0; for (let j = 0; j < n; j++) s += X[i * n + j] * w[j]; xw[i] = s; wxw += w[i] * s; }
    const out = new Float64Array(n * n);
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++) out[i * n + j] = X[i * n + j] - f * (w[i] * xw[j] + xw[i] * w[j]) + f * f * wxw * w[i] * w[j];
    }
    return out;
  }

  lift(y: ArrayLike<number>): Float64Array {
    const n = this.n;
    let wy = 0;
    for (let i = 0; i < n; i++) wy += this.w[i] * y[i];
    const out = new Float64Array(n);
    for (let i = 0; i < n; i++) out[i] = y[i] - (2 / this.wn) * wy * this.w[i];
    return out;
  }

  frame(u: number): Frame {
    const n = this.n;
    const kappa = Math.sqrt(u * (2 - u));
    const E = 1 - u;
    const A = (Math.PI - Math.asin(kappa)) / kappa;
    const a = A / (2 * Math.PI);
    const iMinus = this.taus.map((tau) => reducedSelfEnergy('-', E, tau));
    const B = new Float64Array(n * n);
    for (let j = 0; j < n; j++) {
      B[j * n + j] = (1 - this.omega[j]) - u;
      for (let l = 0; l < n; l++) {
        const grp = this.group[j * n + l];
        if (l === j || grp < 0) continue;
        B[j * n + l] = -Math.sqrt(this.gamma[j] * this.gamma[l]) * iMinus[grp] / (2 * Math.PI);
      }
    }
    const F = this.reflect(B);
    // B's entries carry relative rounding only (u is exact, 1 − ω_j is formed once, I− has no
    // cancellation), so the noise scales with B's terms: an exactly decoupled branch (co-located
    // emitters) is −u exactly here and a root at u ≈ Γτ/4 ≈ 1e-20 (ω0 = 1, Δz = 1e-20) is resolved.
    let big = u;
    for (let j = 0; j < n * n; j++) big = Math.max(big, Math.abs(B[j]));
    for (const w of this.omega) big = Math.max(big, Math.abs(1 - w));
    F[0] += a * this.g2;
    let d: Float64Array | null = null;
    const derivative = (): Float64Array => {
      if (d) return d;
      const Ed = Math.min(E, LAST_BELOW_ONE);
      const dMinus = this.taus.map((tau) => reducedSelfEnergyDerivative('-', Ed, tau));
      const Bd = new Float64Array(n * n);
      for (let j = 0; j < n; j++) {
        Bd[j * n + j] = 1;
        for (let l = 0; l < n; l++) {
          const grp = this.group[j * n + l];
          if (l === j || grp < 0) continue;
          Bd[j * n + l] = -Math.sqrt(this.gamma[j] * this.gamma[l]) * dMinus[grp] / (2 * Math.PI);
        }
      }
      d = this.reflect(Bd);
      d[0] += ((1 + E * A) / (kappa * kappa) / (2 * Math.PI)) * this.g2;
      return d;
    };
    return {
      kind: 'tm11-edge', E: u < Number.EPSILON / 4 ? LAST_BELOW_ONE : E, u, matrix: F, eig: symmetricEigenJacobi(F, n),
      noise: NOISE_ULPS * n * Number.EPSILON * big, derivative, lift: (y) => this.lift(y),
    };
  }
}

interface Probe { frame: Frame; zone: number; x: number }
interface Root { frame: Frame; branch: number; atEdge: boolean }

/**
 * Bound states of an N-emitter scene in every gap of its reservoir (shared/scenes.md §2).
 *
 * Intrinsic loss is ignored here: Ω = diag(ω_j) is the lossless frequency matrix (with loss the poles
 * leave the real axis and every state decays; even equal loss does not simply factor out of the
 * memory dynamics, see dynamics/scene/solve.ts). Energies in the reservoir's unit (ω11 for the guides).
 *
 * ## Method
 * In a gap, M(E) = E − Ω − Σ(E) is real symmetric with M'(E) = 1 + ∫J/(ω − E)² dω positive definite,
 * so (Weyl) every sorted eigenvalue μ_0(E) ≤ … ≤ μ_{N−1}(E) strictly increases and has at most one
 * root per gap; the roots of all sorted branches are the roots of det M with multiplicity (two
 * branches crossing zero at one E give two states there, found once each). Each branch is bracketed
 * on probe points: toward a finite gap end e the distance to e halves down to 10⁻³ and then shrinks
 * ×0.01 per step to eps·(frequency scale) before e (the largest |ω_j| or finite band end; Σ diverges there for a square-root edge, e.g. TM11 at
 * ω11 along g = (√Γ_j), so that branch always turns positive: at least one bound state); toward an
 * infinite end E steps by doubling distances until every branch has the far-end sign (below every
 * band Σ ≤ 0 → 0, so μ_n → −∞; above a bounded top band μ_n → +∞). Brent's method then polishes each
 * root to ≈ 2 ulp. Eigenvalues come from symmetricEigen (absolute error ≈ N·eps·(|E| + max ω + ‖Σ‖)); a
 * sign change with both bracketing values within that rounding is not counted as a root (message says so).
 * TM11 guide within TM11_EDGE_ZONE of its edge: the edge frame (TM11Edge) in the exact distance
 * u = 1 − E, accurate to ≈ eps·‖B‖ for every branch and resolving roots closer to the edge than a
 * double (probes continue to u = 1e-300 while a branch may still turn positive there; such a root is
 * reported at E = 1 − 2⁻⁵³ with atEdge, its amplitudes from the exact u).
 * Amplitudes: neighbouring roots whose eigenvectors are ill-determined separately (sameLevel: rounding
 * over the eigenvalue gap exceeds the change of M' between them) form one level; with V the
 * orthonormal eigenvectors of those branches at the mean energy E0, K = VᵀM(E0)V, G = VᵀM'(E0)V, the
 * pencil K x = −δ G x gives G-orthonormal x and α = Vx (for a single root simply v/√(vᵀM'v)). This
 * makes Σ_b α_bα_bᵀ over a degenerate level the exact residue of M⁻¹ whatever basis the
 * eigensolver picked.
 * Decoupled emitter states (vectors supported on emitters of one frequency w, in the kernel of every
 * weight matrix W^c) with w inside a band are reported in `embedded`.
 *
 * Effective classification (generalising battery/steadyState.ts): a state is effective when its
 * bankAmplitude |α_bᵀc(0)|·‖α_b restricted to the batteries‖ ≥ residueThreshold (two equal emitters with
 * the charger excited: Z± ≥ threshold, today's rule); effective states whose energies differ by less
 * than 2π/observationTime are one level; `degenerate` when there are fewer levels than states.
 *
 * Example: TM11, Γ = 0.5, ω0 = 1, emitters at z = 0 and 0.1 λ11: E = 0.620272288437 and
 * 0.908066164810 ω11, α = (0.5460489275, 0.5460489275) and (0.6742537459, −0.6742537459) (scenes.md table).
 */
export function sceneBoundStates(prepared: PreparedScene, options: SceneBoundStateOptions = {}): SceneSpectrum {
  const residueThreshold = checkNumber('residueThreshold', options.residueThreshold ?? EFFECTIVE_DEFAULTS.residueThreshold, EFFECTIVE_RANGES.residueThreshold);
  const observationTime = checkNumber('observationTime', options.observationTime ?? EFFECTIVE_DEFAULTS.observationTime, EFFECTIVE_RANGES.observationTime);
  const n = prepared.n;
  let evaluations = 0;
  const gaps = couplingGaps(prepared.coupling);
  const problems: string[] = [];
  const notes: string[] = [];
  const states: SceneBoundState[] = [];
  const underflow: SceneBoundState[] = [];
  let omegaMin = Infinity;
  let omegaMax = -Infinity;
  for (const w of prepared.omega) { omegaMin = Math.min(omegaMin, w); omegaMax = Math.max(omegaMax, w); }
  const tm11 = prepared.reservoir === TM11_GUIDE ? new TM11Edge(prepared) : null;
  // Frequency scale of the problem: the largest |ω_j| or finite band end (distances to an edge below
  // eps times this are not resolved by E − ω or E − edge).
  let freqScale = Math.max(Math.abs(omegaMin), Math.abs(omegaMax));
  for (const [a, b] of prepared.coupling.bands) for (const x of [a, b]) if (Number.isFinite(x)) freqScale = Math.max(freqScale, Math.abs(x));

  for (const gap of gaps) {
    const [lo, hi] = gap;
    // In the TM11 gap (−∞, 1): zone 0 (E ≤ E_B = 1 − TM11_EDGE_ZONE, generic frames keyed by E) and
    // zone 1 (u = 1 − E ≤ U_B = 1 − E_B exactly, edge frames keyed by −u); E_B and U_B are one point,
    // probed in both. Elsewhere zone 0 only.
    const edge = tm11 !== null && hi === 1 && lo === Number.NEGATIVE_INFINITY ? tm11 : null;
    const caches = [new Map<number, Frame>(), new Map<number, Frame>()];
    const frameAt = (zone: number, x: number): Frame => {
      let f = caches[zone].get(x);
      if (!f) {
        evaluations++;
        f = zone === 1 ? edge!.frame(-x) : genericFrame(prepared, x, Number.isFinite(hi) ? hi - x : Number.NaN);
        caches[zone].set(x, f);
      }
      return f;
    };
    const probes: Probe[] = [];
    const probe = (zone: number, x: number): Float64Array => {
      const f = frameAt(zone, x);
      probes.push({ frame: f, zone, x });
      return f.eig.values;
    };
    const probeE = (E: number): Float64Array => probe(0, E);
    // Starting point.
    let start: number;
    if (Number.isFinite(lo) && Number.isFinite(hi)) start = 0.5 * (lo + hi);
    else if (Number.isFinite(hi)) start = Math.min(hi - 1e-3 * Math.max(1, Math.abs(hi)), Math.max(omegaMin, hi - Math.max(1, Math.abs(hi))));
    else if (Number.isFinite(lo)) start = Math.max(lo + 1e-3 * Math.max(1, Math.abs(lo)), Math.min(omegaMax, lo + Math.max(1, Math.abs(lo))));
    else start = 0.5 * (omegaMin + omegaMax);
    if (edge) start = Math.min(start, EDGE_ZONE_E);
    probeE(start);
    // Upper end.
    if (edge) approachTm11Edge(1 - start, probe, n);
    else if (Number.isFinite(hi)) approachEdge(hi, -1, start, probeE, (v) => v[0] > 0, freqScale);
    else farEnd(start, +1, Math.max(1, omegaMax - start), probeE, (v) => v[0] > 0, problems);
    // Lower end.
    if (Number.isFinite(lo)) approachEdge(lo, +1, start, probeE, (v) => v[n - 1] < 0, freqScale);
    else farEnd(start, -1, Math.max(1, start - omegaMin), probeE, (v) => v[n - 1] < 0, problems);
    probes.sort((p, q) => (p.zone - q.zone) || (p.x - q.x));
    const roots: Root[] = [];
    const unresolved: number[] = [];
    for (let b = 0; b < n; b++) {
      for (let i = 0; i < probes.length; i++) {
        const v = probes[i].frame.eig.values[b];
        if (v === 0) { roots.push({ frame: probes[i].frame, branch: b, atEdge: false }); break; }
        if (v > 0) {
          // Positive at the lowest probe: no root (or one closer to a lower band than a double resolves).
          if (i === 0) break;
          // A sign change within the eigensolver's rounding on both sides is not a root we can resolve
          // (near a divergent edge the rounding grows like |Σ|): noted in the message, not counted.
          if (v <= probes[i].frame.noise && probes[i - 1].frame.eig.values[b] >= -probes[i - 1].frame.noise) { unresolved.push(b); break; }
          const pl = probes[i - 1];
          const ph = probes[i];
          let f: Frame;
          if (pl.zone !== ph.zone) f = ph.frame; // the zone boundary itself (one point, two frames)
          else {
            // Tightest bracket among every frame evaluated so far in this zone (other branches' Brent
            // iterations land near this root too: fewer evaluations for long chains).
            let xl = pl.x;
            let xh = ph.x;
            for (const [x, fr] of caches[ph.zone]) {
              const y = fr.eig.values[b];
              if (x > xl && x < xh) { if (y < 0) xl = x; else if (y > 0) xh = x; }
            }
            const r = brentRoot((x) => frameAt(ph.zone, x).eig.values[b], xl, xh, 0, 200);
            if (!r.converged) problems.push(`branch ${b} in gap (${lo}, ${hi}): Brent did not converge (residual ${r.residual})`);
            f = frameAt(ph.zone, r.root);
          }
          roots.push({ frame: f, branch: b, atEdge: f.kind === 'tm11-edge' && f.u < Number.EPSILON / 4 });
          break;
        }
      }
    }
    // TM11: the divergent (top) branch always has a root; still ≤ 0 at u = 1e-300 means u itself
    // underflows (κ ≈ |g|²/(2(ω − 1)) below ~1e-154, e.g. Γ = 1e-300): the state sits at the last double
    // below the edge with amplitudes α ~ κ^{3/2} that are 0 in double precision.
    if (edge && !roots.some((r) => r.branch === n - 1)) {
      const last = probes[probes.length - 1];
      if (last.zone === 1 && last.frame.eig.values[n - 1] <= 0) {
        underflow.push(describe(prepared, LAST_BELOW_ONE, new Float64Array(n), gap, n - 1, true, 0));
        notes.push(`a bound state closer to the edge than 1e-300 (1 − E underflows): reported at E = 1 − 2⁻⁵³ with α = 0`);
      }
    }
    if (unresolved.length > 0) notes.push(`gap (${lo}, ${hi}): branch(es) ${unresolved.join(', ')} change sign only within rounding (near an edge; not counted)`);
    roots.sort((a, b) => (a.frame.E - b.frame.E) || (b.frame.u - a.frame.u));
    // Group near-degenerate roots and compute amplitudes.
    let i = 0;
    while (i < roots.length) {
      let j = i + 1;
      while (j < roots.length && sameLevel(roots[j - 1], roots[j])) j++;
      const group = roots.slice(i, j);
      states.push(...levelStates(prepared, group, gap, frameAt));
      i = j;
    }
  }
  states.push(...underflow);
  states.sort((a, b) => a.energy - b.energy);
  const embedded = embeddedStates(prepared);
  // Effective classification.
  const effective = states.filter((s) => s.bankAmplitude >= residueThreshold);
  let distinct = 0;
  for (let k = 0; k < effective.length; k++) {
    if (k === 0 || 2 * Math.PI <= observationTime * Math.abs(effective[k].energy - effective[k - 1].energy)) distinct++;
  }
  const degenerate = distinct < effective.length;
  return {
    boundStates: states, count: states.length, effectiveCount: effective.length, distinctEffective: distinct, degenerate,
    regime: `${effective.length}${degenerate ? 'D' : ''}`, residueThreshold, observationTime, gaps, embedded,
    status: problems.length === 0 ? 'success' : 'tolerance-not-met',
    message: problems.length === 0 ? [`${states.length} bound state(s) in ${gaps.length} gap(s)`, ...notes].join('; ') : problems.join('; '),
    stats: { evaluations },
  };
}

/**
 * Probes toward a finite gap end `edge` from `start` (dir = −1: approaching an upper end from below),
 * halving the distance down to 10⁻³·max(1, |edge|), then ×0.01, ending at the last double before the
 * edge; stops early once `done(values)`. Probe keys are energies.
 */
function approachEdge(edge: number, dir: number, start: number, probe: (E: number) => Float64Array, done: (v: Float64Array) => boolean, freqScale: number): void {
  // The closest probe: one ulp of the problem's frequency scale from the edge (not the next double
  // after the edge, which for an edge at 0 would be 5e-324, where E − ωc rounds and Σ is noise).
  const minStep = Math.max(Number.EPSILON * freqScale, Math.abs(nextDouble(edge, dir) - edge));
  const last = edge + dir * minStep;
  const scale = Math.max(1, Math.abs(edge));
  let d = Math.abs(edge - start);
  for (let k = 0; k < 2000; k++) {
    d *= d > 1e-3 * scale ? 0.5 : 0.01;
    let E = edge + dir * d;
    if (dir < 0 ? !(E < last) : !(E > last)) E = last;
    const v = probe(E);
    if (done(v) || E === last) return;
  }
}

/**
 * Probes toward the TM11 edge in u = 1 − E: generic frames (zone 0, keyed by E) while u > U_B, the zone
 * boundary in both zones, then edge frames (zone 1, keyed by −u): halving down to 10⁻³, ×0.01 down to
 * 1e-16, then ×1e-8 down to 1e-300. Stops when every branch is positive, or below u = 1e-18 (κ < 1.5e-9)
 * once the top branch is positive and every other non-positive one is below −1e-6: a finite branch
 * changes by O(κ) from there to the edge, so it cannot turn positive; otherwise goes on (e.g. the nearly
 * decoupled branch of almost co-located emitters at ω0 = 1, whose root lies at 1 − E ≈ Γτ/4).
 */
function approachTm11Edge(u0: number, probe: (zone: number, x: number) => Float64Array, n: number): void {
  let u = u0;
  let zone = u0 > EDGE_ZONE_U ? 0 : 1;
  if (zone === 1) probe(1, -u0);
  while (u > 1e-300) {
    u *= u > 1e-3 ? 0.5 : u > 1e-16 ? 0.01 : 1e-8;
    let v: Float64Array;
    if (zone === 0 && u <= EDGE_ZONE_U) {
      zone = 1;
      u = EDGE_ZONE_U;
      if (probe(0, EDGE_ZONE_E)[0] > 0) return;
      v = probe(1, -EDGE_ZONE_U);
    } else v = zone === 0 ? probe(0, 1 - u) : probe(1, -u);
    if (v[0] > 0) return;
    if (u < 1e-18 && v[n - 1] > 0) {
      let settled = true;
      for (let b = 0; b < n - 1; b++) if (v[b] <= 0 && v[b] > -1e-6) settled = false;
      if (settled) return;
    }
  }
}

/** Probes toward an infinite gap end (dir = ±1) at start + dir·step·2^k until `done(values)`. */
function farEnd(start: number, dir: number, step: number, probe: (key: number) => Float64Array, done: (v: Float64Array) => boolean, problems: string[]): void {
  let d = step;
  for (let k = 0; k < 200; k++) {
    const v = probe(start + dir * d);
    if (done(v)) return;
    d *= 2;
  }
  problems.push(`no far-end bracket ${dir > 0 ? 'above' : 'below'} ${start}`);
}

/**
 * Whether two neighbouring roots a < b are one (near-)degenerate level. Separately, the eigenvector of
 * branch a at E_a is off by ≈ ε/|μ_b(E_a)| (ε the eigensolver's rounding over the eigenvalue gap to the
 * other branch); as one level at the mean energy, α is off by the relative change of vᵀM'v between
 * the roots. The smaller error wins. Roots further apart than CLUSTER_RELATIVE are never merged.
 */
function sameLevel(a: Root, b: Root): boolean {
  const fa = a.frame;
  const fb = b.frame;
  if (fa === fb) return true;
  if (fa.kind !== fb.kind) return false;
  if (Math.abs(fb.E - fa.E) > CLUSTER_RELATIVE * Math.max(1, Math.abs(fb.E))) return false;
  const n = fa.eig.n;
  const gap = Math.min(Math.abs(fa.eig.values[b.branch]), Math.abs(fb.eig.values[a.branch]));
  const separate = Math.max(fa.noise, fb.noise) / gap;
  const y = fa.eig.vectors.subarray(a.branch * n, (a.branch + 1) * n);
  const ga = quadForm(fa.derivative(), y, y, n);
  const gb = quadForm(fb.derivative(), y, y, n);
  return Math.abs(gb - ga) / ga < separate;
}

/** Amplitudes of one (possibly degenerate) level: the G-orthonormal null vectors of M on the branches' span. */
function levelStates(
  prepared: PreparedScene,
  group: Root[],
  gap: readonly [number, number],
  frameAt: (zone: number, x: number) => Frame,
): SceneBoundState[] {
  const n = prepared.n;
  const m = group.length;
  let f = group[0].frame;
  if (m > 1) {
    // sameLevel only groups frames of one kind: mean of E (generic) or of u (edge).
    const edgeKind = f.kind === 'tm11-edge';
    let mean = 0;
    for (const g of group) mean += (edgeKind ? -g.frame.u : g.frame.E) / m;
    f = frameAt(edgeKind ? 1 : 0, mean);
  }
  const V: Float64Array[] = group.map((g) => f.eig.vectors.subarray(g.branch * n, (g.branch + 1) * n));
  const Md = f.derivative();
  const G = new Float64Array(m * m);
  const K = new Float64Array(m * m);
  for (let a = 0; a < m; a++) {
    for (let b = a; b < m; b++) {
      const g = quadForm(Md, V[a], V[b], n);
      G[a * m + b] = g; G[b * m + a] = g;
      if (m > 1) { const k = quadForm(f.matrix, V[a], V[b], n); K[a * m + b] = k; K[b * m + a] = k; }
    }
  }
  // G^{−1/2} from its eigen-decomposition (G is positive definite: M' > 0).
  const ge = symmetricEigen(G, m);
  const gInvSqrt = new Float64Array(m * m);
  for (let k = 0; k < m; k++) {
    const s = 1 / Math.sqrt(ge.values[k]);
    for (let a = 0; a < m; a++) for (let b = 0; b < m; b++) gInvSqrt[a * m + b] += ge.vectors[k * m + a] * s * ge.vectors[k * m + b];
  }
  // C = G^{−1/2} K G^{−1/2}; its eigenvectors y give x = G^{−1/2}y (δ = −eigenvalue: ascending δ ↔ descending C).
  const C = new Float64Array(m * m);
  if (m > 1) {
    const T = new Float64Array(m * m);
    for (let a = 0; a < m; a++) for (let b = 0; b < m; b++) { let s = 0; for (let c = 0; c < m; c++) s += gInvSqrt[a * m + c] * K[c * m + b]; T[a * m + b] = s; }
    for (let a = 0; a < m; a++) for (let b = 0; b < m; b++) { let s = 0; for (let c = 0; c < m; c++) s += T[a * m + c] * gInvSqrt[c * m + b]; C[a * m + b] = s; }
  }
  const ce = symmetricEigen(C, m);
  // Error estimate: rounding over the gap to the nearest branch outside the level, plus the spread of
  // vᵀM'v over the level's roots.
  const inLevel = new Set(group.map((g) => g.branch));
  let outside = Infinity;
  for (let k = 0; k < n; k++) if (!inLevel.has(k)) outside = Math.min(outside, Math.abs(f.eig.values[k]));
  let error = outside === Infinity ? 0 : f.noise / outside;
  if (m > 1) {
    for (const g of group) {
      const gi = quadForm(g.frame.derivative(), V[0], V[0], n);
      error = Math.max(error, Math.abs(gi - G[0]) / G[0]);
    }
  }
  error = Math.min(1, error + 4 * n * Number.EPSILON);
  const energies = group.map((g) => g.frame.E).sort((p, q) => p - q);
  const out: SceneBoundState[] = [];
  for (let r = 0; r < m; r++) {
    const k = m - 1 - r;
    const x = new Float64Array(m);
    for (let a = 0; a < m; a++) { let s = 0; for (let b = 0; b < m; b++) s += gInvSqrt[a * m + b] * ce.vectors[k * m + b]; x[a] = s; }
    const y = new Float64Array(n);
    for (let a = 0; a < m; a++) for (let i = 0; i < n; i++) y[i] += V[a][i] * x[a];
    const alpha = f.lift(y);
    fixSign(alpha);
    out.push(describe(prepared, energies[r], alpha, gap, group[m === 1 ? 0 : r].branch, group.some((g) => g.atEdge), error));
  }
  return out;
}

function quadForm(A: Float64Array, x: ArrayLike<number>, y: ArrayLike<number>, n: number): number {
  let s = 0;
  for (let i = 0; i < n; i++) {
    let r = 0;
    for (let j = 0; j < n; j++) r += A[i * n + j] * y[j];
    s += x[i] * r;
  }
  return s;
}

/** Sign convention: the largest-magnitude component positive (first on a tie). */
function fixSign(alpha: Float64Array): void {
  let k = 0;
  for (let i = 1; i < alpha.length; i++) if (Math.abs(alpha[i]) > Math.abs(alpha[k])) k = i;
  if (alpha[k] < 0) for (let i = 0; i < alpha.length; i++) alpha[i] = -alpha[i];
}

function describe(prepared: PreparedScene, energy: number, alpha: Float64Array, gap: readonly [number, number], branch: number, atEdge: boolean, amplitudeError: number): SceneBoundState {
  let emitterWeight = 0;
  for (const a of alpha) emitterWeight += a * a;
  let batteryWeight = 0;
  for (const b of prepared.batteries) batteryWeight += alpha[b] * alpha[b];
  let pr = 0;
  let pi = 0;
  for (let j = 0; j < prepared.n; j++) { pr += alpha[j] * prepared.initial[2 * j]; pi += alpha[j] * prepared.initial[2 * j + 1]; }
  return { energy, amplitudes: alpha, gap, branch, emitterWeight, batteryWeight, bankAmplitude: Math.hypot(pr, pi) * Math.sqrt(batteryWeight), amplitudeError, atEdge };
}

/**
 * Emitter states decoupled from the reservoir: for each distinct frequency w, unit vectors supported
 * on the emitters with ω_j = w and annihilated by every weight matrix W^c (so Σ(E)x = 0 and
 * M(w)x = 0 for every E). Only those with w inside a band are returned (in a gap the branch search
 * finds them). Null space: eigenvalues of Σ_c (W^c_{:,S})ᵀW^c_{:,S} below 1e-12 of its norm (the
 * eigensolver resolves ≈ eps of it; an exactly decoupled vector — co-located emitters share one
 * weight matrix g gᵀ — sits at that rounding level, a coupled one at O(1)).
 */
function embeddedStates(prepared: PreparedScene): Array<{ energy: number; amplitudes: Float64Array }> {
  const { n, coupling } = prepared;
  const out: Array<{ energy: number; amplitudes: Float64Array }> = [];
  const freqs = [...new Set(prepared.omega)];
  for (const w of freqs) {
    if (!coupling.bands.some(([a, b]) => w >= a && w <= b)) continue;
    const idx: number[] = [];
    prepared.omega.forEach((x, j) => { if (x === w) idx.push(j); });
    if (idx.length < 2) continue; // a single emitter with Γ > 0 is never decoupled
    const m = idx.length;
    const S = new Float64Array(m * m);
    for (const W of coupling.weights) {
      for (let a = 0; a < m; a++) {
        for (let b = 0; b < m; b++) {
          let s = 0;
          for (let r = 0; r < n; r++) s += W[r * n + idx[a]] * W[r * n + idx[b]];
          S[a * m + b] += s;
        }
      }
    }
    const e = symmetricEigen(S, m);
    const norm = Math.max(Math.abs(e.values[0]), Math.abs(e.values[m - 1]));
    const tol = 1e-12 * norm;
    for (let k = 0; k < m; k++) {
      if (e.values[k] > tol) continue;
      const alpha = new Float64Array(n);
      for (let a = 0; a < m; a++) alpha[idx[a]] = e.vectors[k * m + a];
      fixSign(alpha);
      out.push({ energy: w, amplitudes: alpha });
    }
  }
  return out;
}
