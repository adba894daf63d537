import { brentRoot } from '../numerics/brent.js';
import { symmetricEigen, type SymmetricEigen } from '../numerics/symmetricEigen.js';
import { checkNumber } from '../errors.js';
import { selfEnergyDerivativeMatrix, selfEnergyMatrix, type Coupling } from '../model/reservoirs/reservoir.js';
import type { PreparedScene } from '../model/scene.js';
import { EFFECTIVE_DEFAULTS, EFFECTIVE_RANGES } from '../battery/classification.js';

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

/** Rounding noise of an eigenvalue of M, in units of N·eps·max|M_jl|. */
const NOISE_ULPS = 4;

/** Roots of two sorted branches further apart than this (relative to max(1, |E|)) are never treated as one level. */
export const CLUSTER_RELATIVE = 1e-8;

interface Probe { E: number; values: Float64Array; noise: number }

/**
 * Bound states of an N-emitter scene in every gap of its reservoir (shared/scenes.md §2).
 *
 * Intrinsic loss is ignored here: Ω = diag(ω_j) is the lossless frequency matrix (with loss the poles
 * leave the real axis; equal loss γ only multiplies c(t) by e^{−γt/2}). Energies in the reservoir's
 * unit (ω11 for the guides).
 *
 * ## Method
 * In a gap, M(E) = E − Ω − Σ(E) is real symmetric with M'(E) = 1 + ∫J/(ω − E)² dω positive definite,
 * so (Weyl) every sorted eigenvalue μ_0(E) ≤ … ≤ μ_{N−1}(E) strictly increases and has at most one
 * root per gap; the roots of all sorted branches are the roots of det M with multiplicity (two
 * branches crossing zero at one E give two states there, found once each). Each branch is bracketed
 * on probe points: toward a finite gap end e the distance to e halves down to 10⁻³ and then shrinks
 * ×0.01 per step to the last double before e (Σ diverges there for a square-root edge, e.g. TM11 at
 * ω11 along g = (√Γ_j), so that branch always turns positive: at least one bound state); toward an
 * infinite end E steps by doubling distances until every branch has the far-end sign (below every
 * band Σ ≤ 0 → 0, so μ_n → −∞; above a bounded top band μ_n → +∞). Brent's method then polishes each
 * root to ≈ 2 ulp. Eigenvalues come from symmetricEigen (absolute error ≈ N·eps·‖M(E)‖, which near a
 * divergent edge is ≈ N·eps·|Σ(E)|).
 * Amplitudes: neighbouring roots whose eigenvectors are ill-determined separately (sameLevel: rounding
 * over the eigenvalue gap exceeds the change of M' between them) form one level; with V the
 * orthonormal eigenvectors of those branches at the mean energy E0, K = VᵀM(E0)V, G = VᵀM'(E0)V, the
 * pencil K x = −δ G x gives G-orthonormal x and α = Vx (for a single root simply v/√(vᵀM'v)). This
 * makes Σ_b α_bα_bᵀ over a degenerate level the exact residue of M⁻¹ whatever basis the
 * eigensolver picked.
 * A root closer to an edge than one ulp (tiny Γ against |ω − edge|) is reported at the last double
 * (atEdge), with its amplitudes evaluated there.
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
  const cache = new Map<number, SymmetricEigen>();
  let evaluations = 0;
  const noiseAt = new Map<number, number>();
  const eigAt = (E: number): SymmetricEigen => {
    let e = cache.get(E);
    if (!e) {
      const m = resolventMatrix(prepared, E);
      let big = 0;
      for (const x of m) big = Math.max(big, Math.abs(x));
      noiseAt.set(E, NOISE_ULPS * n * Number.EPSILON * big);
      e = symmetricEigen(m, n);
      evaluations++;
      cache.set(E, e);
    }
    return e;
  };
  const gaps = couplingGaps(prepared.coupling);
  const problems: string[] = [];
  const notes: string[] = [];
  const states: SceneBoundState[] = [];
  let omegaMin = Infinity;
  let omegaMax = -Infinity;
  for (const w of prepared.omega) { omegaMin = Math.min(omegaMin, w); omegaMax = Math.max(omegaMax, w); }

  for (const gap of gaps) {
    const [lo, hi] = gap;
    const probes: Probe[] = [];
    const probe = (E: number): Float64Array => {
      const v = eigAt(E).values;
      probes.push({ E, values: v, noise: noiseAt.get(E)! });
      return v;
    };
    // Starting point and first distance to each finite end.
    let start: number;
    if (Number.isFinite(lo) && Number.isFinite(hi)) start = 0.5 * (lo + hi);
    else if (Number.isFinite(hi)) start = Math.min(hi - 1e-3 * Math.max(1, Math.abs(hi)), Math.max(omegaMin, hi - Math.max(1, Math.abs(hi))));
    else if (Number.isFinite(lo)) start = Math.max(lo + 1e-3 * Math.max(1, Math.abs(lo)), Math.min(omegaMax, lo + Math.max(1, Math.abs(lo))));
    else start = 0.5 * (omegaMin + omegaMax);
    probe(start);
    // Upper end.
    if (Number.isFinite(hi)) approachEdge(hi, -1, start, probe, (v) => v[0] > 0);
    else farEnd(start, +1, Math.max(1, omegaMax - start), probe, (v) => v[0] > 0, problems);
    // Lower end.
    if (Number.isFinite(lo)) approachEdge(lo, +1, start, probe, (v) => v[n - 1] < 0);
    else farEnd(start, -1, Math.max(1, start - omegaMin), probe, (v) => v[n - 1] < 0, problems);
    probes.sort((a, b) => a.E - b.E);
    const roots: Array<{ E: number; branch: number; atEdge: boolean }> = [];
    const unresolved: number[] = [];
    for (let b = 0; b < n; b++) {
      let found = false;
      for (let i = 0; i < probes.length; i++) {
        const v = probes[i].values[b];
        if (v === 0) { roots.push({ E: probes[i].E, branch: b, atEdge: false }); found = true; break; }
        if (v > 0) {
          if (i === 0) break;
          // A sign change within the eigensolver's rounding (≈ N·eps·‖M‖, large where Σ diverges at an
          // edge) is not a root: e.g. the decoupled antisymmetric branch E − ω0 of co-located emitters
          // at ω0 = 1 would otherwise 'cross' at 1 − 1e-12.
          if (v <= probes[i].noise && i === probes.length - 1) { unresolved.push(b); break; } // positive at the lowest probe: no root (or one closer to the lower end than a double resolves)
          const r = brentRoot((E) => eigAt(E).values[b], probes[i - 1].E, probes[i].E, 0, 200);
          if (!r.converged) problems.push(`branch ${b} in gap (${lo}, ${hi}): Brent did not converge (residual ${r.residual})`);
          roots.push({ E: r.root, branch: b, atEdge: false });
          found = true;
          break;
        }
      }
      void found;
    }
    if (unresolved.length > 0) notes.push(`gap (${lo}, ${hi}): branch(es) ${unresolved.join(', ')} turn positive only within rounding of the edge (not counted)`);
    roots.sort((a, b) => a.E - b.E);
    // Group near-degenerate roots and compute amplitudes.
    let i = 0;
    while (i < roots.length) {
      let j = i + 1;
      while (j < roots.length && sameLevel(prepared, roots[j - 1], roots[j], eigAt, noiseAt)) j++;
      const group = roots.slice(i, j);
      states.push(...levelStates(prepared, group, gap, eigAt));
      i = j;
    }
  }
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
 * edge; stops early once `done(values)`.
 */
function approachEdge(edge: number, dir: number, start: number, probe: (E: number) => Float64Array, done: (v: Float64Array) => boolean): void {
  const last = nextDouble(edge, dir);
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

/** Probes toward an infinite gap end (dir = ±1) at start + dir·step·2^k until `done(values)`. */
function farEnd(start: number, dir: number, step: number, probe: (E: number) => Float64Array, done: (v: Float64Array) => boolean, problems: string[]): void {
  let d = step;
  for (let k = 0; k < 200; k++) {
    const v = probe(start + dir * d);
    if (done(v)) return;
    d *= 2;
  }
  problems.push(`no far-end bracket ${dir > 0 ? 'above' : 'below'} E = ${start}`);
}

/**
 * Whether two neighbouring roots a < b are one (near-)degenerate level. Separately, the eigenvector of
 * branch a at E_a is off by ≈ ε/|μ_b(E_a)| (ε the eigensolver's rounding, the eigenvalue gap to the
 * other branch); as one level at the mean energy, α is off by the relative change of M' between the
 * roots, ‖M'(E_b) − M'(E_a)‖/‖M'‖. The smaller error wins. Roots further apart than CLUSTER_RELATIVE
 * are never merged.
 */
function sameLevel(
  prepared: PreparedScene,
  a: { E: number; branch: number },
  b: { E: number; branch: number },
  eigAt: (E: number) => SymmetricEigen,
  noiseAt: Map<number, number>,
): boolean {
  if (b.E - a.E > CLUSTER_RELATIVE * Math.max(1, Math.abs(b.E))) return false;
  if (b.E === a.E) return true;
  const gap = Math.min(Math.abs(eigAt(a.E).values[b.branch]), Math.abs(eigAt(b.E).values[a.branch]));
  const separate = Math.max(noiseAt.get(a.E)!, noiseAt.get(b.E)!) / gap;
  const da = resolventDerivative(prepared, a.E);
  const db = resolventDerivative(prepared, b.E);
  let diff = 0;
  let size = 0;
  for (let k = 0; k < da.length; k++) { diff = Math.max(diff, Math.abs(db[k] - da[k])); size = Math.max(size, Math.abs(da[k])); }
  return diff / size < separate;
}

/** Amplitudes of one (possibly degenerate) level: the G-orthonormal null vectors of M on the branches' span. */
function levelStates(
  prepared: PreparedScene,
  group: Array<{ E: number; branch: number; atEdge: boolean }>,
  gap: readonly [number, number],
  eigAt: (E: number) => SymmetricEigen,
): SceneBoundState[] {
  const n = prepared.n;
  const m = group.length;
  let E0 = 0;
  for (const g of group) E0 += g.E / m;
  if (m === 1) E0 = group[0].E;
  const eig = eigAt(E0);
  const V: Float64Array[] = group.map((g) => eig.vectors.subarray(g.branch * n, (g.branch + 1) * n));
  const Md = resolventDerivative(prepared, E0);
  const Mm = m > 1 ? resolventMatrix(prepared, E0) : null;
  const G = new Float64Array(m * m);
  const K = new Float64Array(m * m);
  for (let a = 0; a < m; a++) {
    for (let b = a; b < m; b++) {
      const g = quadForm(Md, V[a], V[b], n);
      G[a * m + b] = g; G[b * m + a] = g;
      if (Mm) { const k = quadForm(Mm, V[a], V[b], n); K[a * m + b] = k; K[b * m + a] = k; }
    }
  }
  // G^{−1/2} from its eigen-decomposition (G is positive definite: M' > 0).
  const ge = symmetricEigen(G, m);
  const gInvSqrt = new Float64Array(m * m);
  for (let k = 0; k < m; k++) {
    const s = 1 / Math.sqrt(ge.values[k]);
    for (let a = 0; a < m; a++) for (let b = 0; b < m; b++) gInvSqrt[a * m + b] += ge.vectors[k * m + a] * s * ge.vectors[k * m + b];
  }
  // C = G^{−1/2} K G^{−1/2}; its eigenvectors y give x = G^{−1/2}y (δ = −eigenvalue, ascending δ ↔ descending C).
  const C = new Float64Array(m * m);
  if (Mm) {
    const T = new Float64Array(m * m);
    for (let a = 0; a < m; a++) for (let b = 0; b < m; b++) { let s = 0; for (let c = 0; c < m; c++) s += gInvSqrt[a * m + c] * K[c * m + b]; T[a * m + b] = s; }
    for (let a = 0; a < m; a++) for (let b = 0; b < m; b++) { let s = 0; for (let c = 0; c < m; c++) s += T[a * m + c] * gInvSqrt[c * m + b]; C[a * m + b] = s; }
  }
  const ce = symmetricEigen(C, m);
  const energies = group.map((g) => g.E).sort((p, q) => p - q);
  const out: SceneBoundState[] = [];
  for (let r = 0; r < m; r++) {
    const k = m - 1 - r; // largest C eigenvalue ↔ smallest δ ↔ lowest energy
    const x = new Float64Array(m);
    for (let a = 0; a < m; a++) { let s = 0; for (let b = 0; b < m; b++) s += gInvSqrt[a * m + b] * ce.vectors[k * m + b]; x[a] = s; }
    const alpha = new Float64Array(n);
    for (let a = 0; a < m; a++) for (let i = 0; i < n; i++) alpha[i] += V[a][i] * x[a];
    fixSign(alpha);
    out.push(describe(prepared, energies[r], alpha, gap, group[m === 1 ? 0 : r].branch, group.some((g) => g.atEdge)));
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

function describe(prepared: PreparedScene, energy: number, alpha: Float64Array, gap: readonly [number, number], branch: number, atEdge: boolean): SceneBoundState {
  let emitterWeight = 0;
  for (const a of alpha) emitterWeight += a * a;
  let batteryWeight = 0;
  for (const b of prepared.batteries) batteryWeight += alpha[b] * alpha[b];
  let pr = 0;
  let pi = 0;
  for (let j = 0; j < prepared.n; j++) { pr += alpha[j] * prepared.initial[2 * j]; pi += alpha[j] * prepared.initial[2 * j + 1]; }
  return { energy, amplitudes: alpha, gap, branch, emitterWeight, batteryWeight, bankAmplitude: Math.hypot(pr, pi) * Math.sqrt(batteryWeight), atEdge };
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
