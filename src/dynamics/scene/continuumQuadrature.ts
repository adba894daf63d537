import { heapPop, heapPush } from '../../numerics/errorHeap.js';
import { EigenvalueDecomposition, Matrix } from 'ml-matrix';
import { brentRoot } from '../../numerics/brent.js';
import { gaussLegendre } from '../../numerics/gaussLegendre.js';
import type { Coupling } from '../../model/reservoirs/reservoir.js';
import { ResolventMatrices } from './continuumMatrix.js';

/**
 * The continuum part of the N-emitter resolvent (shared/scenes.md §2) as quadrature nodes:
 *   ∫ e^{−iωt} ρ(ω) c(0) dω ≈ Σ_i e^{−iω_i t} w_i   (w_i ∈ ℂ^N),
 * over every band of the coupling, minus a Born part ρ_B(ω)c(0) = g(ω)·Σ_{c of TM form} j_c(ω) W^c c(0),
 * g = 1/((ω − ω̄)² + η²), that the caller adds back exactly in the time domain (src/dynamics/bornTerm.ts).
 *
 * ## Variables
 * Each band is split at every threshold of the coupling (coupling.edges). A finite piece [a, b] is
 * integrated in θ ∈ [0, π], ω = (a + b)/2 − (b − a)/2·cos θ, which removes the square-root behaviour of J
 * and Δ at both ends (a cavity array's θ is its Bloch wave number). An unbounded piece [a, ∞) is
 * integrated in k ∈ [0, K], ω = a√(1 + k²) (a > 0; a − 1 + √(1 + k²) otherwise): for the TM11 guide this
 * is the longitudinal wave number of src/dynamics/exact.ts.
 *
 * ## Method
 * 1. Resonances: on a grid in u (step ≤ 0.4/τ_max, τ_max the largest singular time of the kernels) the
 *    eigenvalue branches μ_n of A(ω) = ω − Ω − Δ(ω), followed by their eigenvectors from one grid point to
 *    the next, are scanned for sign changes, each polished by Brent's method; at a root ω_r with eigenvector v, ρ has the Lorentzian (w/π)γ/((ω − ω_r)² + γ²)·vvᵀ,
 *    w = 1/μ_n'(ω_r), γ = w·π vᵀJ(ω_r)v (first order in J). Near a bound state in the continuum
 *    (vᵀJv → 0) it is very narrow; breakpoints go at ω_r ± mγ, m = 0, 1, 10, 100, 1000.
 *    A peak too narrow to integrate through (nodes' rounding ε·|ω_r| not small against γ: its jitter
 *    error ≈ 0.1·w·ε|ω_r|/γ above tol/10) is replaced inside a window |ω − ω_r| < h by the discrete
 *    term (w/π)[atan(h/γ) − atan(−h/γ)]·v vᵀc(0) e^{−iω_r t}, with h as large as keeps the error bound
 *    (wγh/π)(span + 1/s)² below its budget (s the scale on which vᵀJv varies) and at most 10⁻³s; inside
 *    the window only the smooth background ρ − Lorentzian is integrated (as src/spectrum/narrowResonance.ts
 *    does for one channel). If neither works the peak is reported as unresolved.
 * 2. Tail: for an unbounded piece, the cut-off ω_K is doubled until the estimated neglected mass
 *    ∫_{ω_K}^∞ max_j |((ρ − ρ_B)c(0))_j| dω is below tol/10. At large ω, ρ − gJ ≈ g0³(XJ + JX) (g0 = 1/(ω − ω̄),
 *    X = Ω − ω̄ + Δ), so the residual falls like ω^{−p−3} with the Born subtraction and ω^{−p−2} for
 *    components without one (p the components' tail power); its envelope is sampled on [ω_K, 1.5ω_K]
 *    and extrapolated with that power (2× safety factor). An estimate, not a rigorous bound.
 * 3. Globally adaptive Gauss–Legendre (12 points, each panel's two halves against the whole; error the
 *    largest |difference| over the emitters) to tol/20 over all pieces at once.
 * 4. Final nodes: every adapted panel is split so that the phase ω·span changes by at most Φ over each
 *    part (Φ from the Gauss error bound and the panel's share of tol, 6–24 rad), 32-point rule.
 */

/** Width η of g(ω) = 1/((ω − ω̄)² + η²) in the Born subtraction (as BORN_ETA of src/dynamics/exact.ts). */
export const SCENE_BORN_ETA = 1;

/** Most continuum nodes (each holds N complex weights). */
export const SCENE_MAX_NODES = 2e6;

/** Most node weights N·nodes (memory: 8 bytes each for a real c(0), 16 for a complex one; 2e7 ≈ 160–320 MB). */
export const SCENE_MAX_WEIGHTS = 2e7;

/** The default node limit for N emitters: min(SCENE_MAX_NODES, SCENE_MAX_WEIGHTS/N). */
export function defaultMaxNodes(n: number): number {
  return Math.floor(Math.min(SCENE_MAX_NODES, SCENE_MAX_WEIGHTS / n));
}

/** Most adaptive panels. */
export const SCENE_MAX_PANELS = 40000;

export interface ContinuumPiece {
  /** The piece is (a, b) (a = −∞ or b = ∞ for a semi-infinite one). */
  a: number;
  b: number;
  /** Semi-infinite: ω = edge + dir·scale·(√(1 + u²) − 1), u ∈ [0, uMax]. */
  tail: boolean;
  edge: number;
  dir: 1 | -1;
  scale: number;
  /** A gap of the reservoir (integrated only with loss, where ρ there is a sum of Lorentzians). */
  gap: boolean;
  /** Upper end of the integration variable (π for a finite piece, K for the tail). */
  uMax: number;
}

/** A located resonance of the matrix continuum. */
export interface SceneResonance {
  /** ω_r, the zero of an eigenvalue branch of A(ω). */
  energy: number;
  /** Half-width γ of the Lorentzian (decay rate of its amplitude), reservoir frequency unit. */
  width: number;
  /** w = 1/μ'(ω_r): weight of v vᵀ in the Lorentzian. */
  weight: number;
  /** Unit eigenvector v. */
  vector: Float64Array;
  piece: number;
  /** How it was integrated: through (breakpoints), window (core replaced by a discrete term), unresolved. */
  treatment: 'through' | 'window' | 'unresolved';
}

export interface ContinuumNodes {
  n: number;
  /** Node frequencies ω_i. */
  omega: Float64Array;
  /** Weights: emitter j's complex weight of node i at re[j·nodes + i], im[j·nodes + i] (im null for a real c(0): ρ is real). */
  re: Float64Array;
  im: Float64Array | null;
  /** Σ_i w_i (complex, length 2N interleaved): ∫(ρ − ρ_B)c(0) dω. */
  mass: Float64Array;
  /** Discrete terms replacing narrow resonance cores: energy and complex amplitude vector (interleaved). */
  poles: Array<{ energy: number; amplitude: Float64Array }>;
  resonances: SceneResonance[];
  /** Estimated bound on the neglected tail mass. */
  tailBound: number;
  /** Quadrature error estimate (+ window error bounds). */
  quadratureError: number;
  converged: boolean;
  /** The cut-off was held below what tol needs by the node budget. */
  truncated: boolean;
  /** Born subtraction: mean frequency ω̄ and whether any component carries it. */
  bornCenter: number;
  bornActive: boolean;
  /** Largest ω integrated (the tail cut-off), and whether a tail without a Born term was truncated. */
  cutoff: number;
  untreatedTail: boolean;
  evaluations: number;
  panels: number;
  /** Scan points skipped because a component was not finite there (a NaN in the integrand itself shows in the sum rule). */
  nonFinite: number;
  messages: string[];
}

function piece(a: number, b: number, gap: boolean): ContinuumPiece {
  if (b === Number.POSITIVE_INFINITY) return { a, b, tail: true, edge: a, dir: 1, scale: !gap && a > 0 ? a : 1, gap, uMax: 40 };
  if (a === Number.NEGATIVE_INFINITY) return { a, b, tail: true, edge: b, dir: -1, scale: 1, gap, uMax: 40 };
  return { a, b, tail: false, edge: a, dir: 1, scale: 1, gap, uMax: Math.PI };
}

/**
 * Splits the coupling's bands at its thresholds; with `gaps`, the gaps between and around the bands
 * are added as pieces too (ascending order).
 */
export function continuumPieces(coupling: Coupling, gaps = false): ContinuumPiece[] {
  const out: ContinuumPiece[] = [];
  let last = Number.NEGATIVE_INFINITY;
  for (const [lo, hi] of coupling.bands) {
    if (gaps && lo > last) out.push(piece(last, lo, true));
    const pts = [lo, ...coupling.edges.filter((e) => e > lo && e < hi), hi];
    for (let i = 0; i + 1 < pts.length; i++) out.push(piece(pts[i], pts[i + 1], false));
    last = hi;
  }
  if (gaps && last < Number.POSITIVE_INFINITY) out.push(piece(last, Number.POSITIVE_INFINITY, true));
  return out;
}

/** ω(u) on a piece. */
export function omegaOf(p: ContinuumPiece, u: number): number {
  if (p.tail) {
    if (p.dir > 0 && !p.gap && p.edge > 0) return p.edge * (u < 1e150 ? Math.sqrt(1 + u * u) : u);
    const x = u < 1e150 ? (u * u) / (Math.sqrt(1 + u * u) + 1) : u;
    return p.edge + p.dir * p.scale * x;
  }
  const h = 0.5 * (p.b - p.a);
  if (u < 0.5 * Math.PI) { const s = Math.sin(0.5 * u); return p.a + 2 * h * s * s; }
  const c = Math.cos(0.5 * u);
  return p.b - 2 * h * c * c;
}

/** |dω/du| on a piece. */
export function dOmegaOf(p: ContinuumPiece, u: number): number {
  if (p.tail) return (p.scale * u) / Math.sqrt(1 + u * u);
  return 0.5 * (p.b - p.a) * Math.sin(u);
}

/** u(ω) on a piece (clamped to [0, uMax]). */
export function uOf(p: ContinuumPiece, omega: number): number {
  if (p.tail) {
    const x = 1 + (p.dir * (omega - p.edge)) / p.scale;
    return x <= 1 ? 0 : Math.sqrt((x - 1) * (x + 1));
  }
  const y = (2 * omega - p.a - p.b) / (p.b - p.a);
  return Math.acos(Math.max(-1, Math.min(1, -y)));
}

interface Panel { piece: number; lo: number; hi: number; left: Float64Array; right: Float64Array; error: number }

export interface ContinuumSettings {
  /** Largest output time (1/ω11). */
  tMax: number;
  /** Absolute tolerance on every c_j. */
  tol: number;
  /** c(0), interleaved complex. */
  initial: Float64Array;
  /** Emitter frequencies ω_j. */
  omega: Float64Array;
  maxNodes?: number;
  maxPanels?: number;
  /** Frequencies of embedded (decoupled) states, whose zero branch is not a resonance. */
  embedded?: Array<{ energy: number; amplitudes: Float64Array }>;
  /**
   * Intrinsic loss γ_j ≥ 0 (some > 0): the lossy density over the whole real axis (gaps included, the
   * bound states `boundStates` becoming Lorentzians of half-width α_bᵀ diag(γ) α_b/2), with the bare
   * lossy Lorentzians ρ_0 = diag((γ_j/2π)/((ω − ω_j)² + γ_j²/4)) subtracted (the caller adds their
   * exact transform c_j(0)e^{−iω_j t − γ_j t/2}).
   */
  loss?: Float64Array;
  boundStates?: Array<{ energy: number; amplitudes: Float64Array }>;
  signal?: { aborted: boolean };
  /** Fraction of this phase done, in [0, 1]: resonance scan to 0.3, adaptive quadrature to 0.5, final nodes to 1. */
  onProgress?: (fraction: number) => void;
}

const LOG_FACT_64 = (() => { let s = 0; for (let i = 2; i <= 64; i++) s += Math.log(i); return s; })();

/** Builds the continuum nodes of a coupling for c(0) (see the file comment). Returns null if cancelled. */
export function continuumNodes(coupling: Coupling, settings: ContinuumSettings): ContinuumNodes | null {
  const n = coupling.n;
  const { tol, tMax } = settings;
  const maxNodes = settings.maxNodes ?? defaultMaxNodes(n);
  const maxPanels = settings.maxPanels ?? SCENE_MAX_PANELS;
  const ops = new ResolventMatrices(coupling, settings.omega);
  const cr = new Float64Array(n);
  const ciRaw = new Float64Array(n);
  let complexInitial = false;
  for (let j = 0; j < n; j++) {
    cr[j] = settings.initial[2 * j];
    ciRaw[j] = settings.initial[2 * j + 1];
    if (ciRaw[j] !== 0) complexInitial = true;
  }
  const ci = complexInitial ? ciRaw : null;
  const messages: string[] = [];
  const loss = settings.loss;
  const lossy = loss !== undefined && loss.some((g) => g > 0);
  const pieces = continuumPieces(coupling, lossy);
  const tauMax = Math.max(0, ...coupling.components.flatMap((c) => c.singularTimes));
  const span = tMax + tauMax + 1;
  let omegaMax = -Infinity;
  let omegaMin = Infinity;
  let omegaMean = 0;
  for (let j = 0; j < n; j++) { omegaMax = Math.max(omegaMax, settings.omega[j]); omegaMin = Math.min(omegaMin, settings.omega[j]); omegaMean += settings.omega[j] / n; }
  // Born subtraction over the TM11 components.
  const bornComps: number[] = [];
  ops.tm.forEach((t, c) => { if (t !== null) bornComps.push(c); });
  const bornActive = bornComps.length > 0;
  const eta = SCENE_BORN_ETA;
  const wc0 = bornComps.map((c) => {
    const v = new Float64Array(2 * n);
    const idx = ops.index[c];
    const val = ops.value[c];
    for (let i = 0; i < idx.length; i++) {
      const j = Math.floor(idx[i] / n);
      const l = idx[i] - j * n;
      v[j] += val[i] * cr[l];
      v[n + j] += val[i] * (ci ? ci[l] : 0);
    }
    return v;
  });
  const untreatedTail = coupling.components.some((c, i) => c.tail !== undefined && ops.tm[i] === null);
  // --- resonances ---------------------------------------------------------------------------------
  let selfScale = 0;
  for (let c = 0; c < ops.value.length; c++) {
    const idx = ops.index[c];
    for (let i = 0; i < idx.length; i++) if (idx[i] % (n + 1) === 0) selfScale = Math.max(selfScale, Math.abs(ops.value[c][i]));
  }
  const scanTop = omegaMax + 2 + 4 * selfScale;
  const resonances: SceneResonance[] = [];
  const windows: Array<{ piece: number; lo: number; hi: number; res: SceneResonance }> = [];
  const poles: Array<{ energy: number; amplitude: Float64Array }> = [];
  let windowError = 0;
  let nonFinite = 0;
  let jitterError = 0;
  /** Eigenvalues of A(ω), ascending, and unit eigenvectors (vector k at vectors[k·n … k·n + n)). */
  const eigAt = (omega: number): { values: Float64Array; vectors: Float64Array } => {
    ops.components(omega);
    ops.assemble(omega);
    const rows: number[][] = [];
    for (let i = 0; i < n; i++) {
      const r = new Array<number>(n);
      for (let l = 0; l < n; l++) r[l] = 0.5 * (ops.a[i * n + l] + ops.a[l * n + i]);
      rows.push(r);
    }
    // A component that cannot be evaluated here (NaN, e.g. a tabulated band within rounding of its edge):
    // no eigen-branches at this point (NaN values compare as no sign change).
    if (!rows.every((r) => r.every(Number.isFinite))) {
      nonFinite++;
      return { values: new Float64Array(n).fill(Number.NaN), vectors: new Float64Array(n * n) };
    }
    const e = new EigenvalueDecomposition(new Matrix(rows), { assumeSymmetric: true });
    const raw = e.realEigenvalues;
    const order = raw.map((_, k) => k).sort((p, q) => raw[p] - raw[q]);
    const values = Float64Array.from(order, (k) => raw[k]);
    const vec = e.eigenvectorMatrix;
    const vectors = new Float64Array(n * n);
    order.forEach((k, col) => { for (let i = 0; i < n; i++) vectors[col * n + i] = vec.get(i, k); });
    return { values, vectors };
  };
  const vJv = (v: Float64Array): number => {
    let s = 0;
    for (let i = 0; i < n; i++) { let r = 0; for (let l = 0; l < n; l++) r += ops.b[i * n + l] * v[l]; s += v[i] * r; }
    return s / Math.PI;
  };
  pieces.forEach((p, pi) => {
    if (p.gap) return;
    let top = p.tail ? uOf(p, Math.max(scanTop, p.a + 1)) : Math.PI;
    // Stay strictly inside the piece (components are not defined on their edges).
    if (!p.tail) { let d = 1e-7; while (!(omegaOf(p, top - d) < p.b)) d *= 2; top -= d; }
    if (!(top > 0) || (!p.tail && p.a > scanTop + 10)) return;
    const step = Math.min(p.tail ? 0.01 : Math.PI / 400, tauMax > 0 ? 0.4 / tauMax / Math.max(1e-300, p.tail ? p.scale : 0.5 * (p.b - p.a)) : Infinity);
    const count = Math.max(8, Math.ceil(top / step));
    let prevU = 1e-6 * top;
    while (!(omegaOf(p, prevU) > p.a)) prevU *= 2;
    // Branches are followed by their eigenvectors, not by sorted position: inside a band the
    // eigenvalues of A need not increase, and two branches crossing zero in opposite directions while
    // crossing each other leave every sorted eigenvalue's sign unchanged (a near-BIC peak was missed so).
    let prev = eigAt(omegaOf(p, prevU));
    const column = (e: { vectors: Float64Array }, k: number) => e.vectors.subarray(k * n, (k + 1) * n);
    // The eigenpair at ω whose vector overlaps `ref` most.
    const follow = (omega: number | { values: Float64Array; vectors: Float64Array }, ref: Float64Array): { value: number; vector: Float64Array } => {
      const e = typeof omega === 'number' ? eigAt(omega) : omega;
      let best = 0;
      let bestOverlap = -1;
      for (let k = 0; k < n; k++) {
        const o = Math.abs(dot(column(e, k), ref));
        if (o > bestOverlap) { bestOverlap = o; best = k; }
      }
      return { value: e.values[best], vector: Float64Array.from(column(e, best)) };
    };
    for (let s = 1; s <= count; s++) {
      if (settings.signal?.aborted) return;
      if ((s & 15) === 0) settings.onProgress?.((0.3 * (pi + s / count)) / pieces.length);
      const u = (top * s) / count;
      const cur = eigAt(omegaOf(p, u));
      for (let m = 0; m < n; m++) {
        const ref = Float64Array.from(column(prev, m));
        const a0 = prev.values[m];
        const a1 = follow(cur, ref).value;
        if (!(a0 * a1 < 0 || (a1 === 0 && a0 !== 0))) continue; // NaN (unevaluable point) counts as no change
        const root = brentRoot((x) => follow(omegaOf(p, x), ref).value, prevU, u, 0, 100).root;
        const wr = omegaOf(p, root);
        const v = follow(wr, ref).vector;
        if (resonances.some((r) => r.piece === pi && Math.abs(r.energy - wr) <= 1e-10 * Math.max(1, Math.abs(wr)) && Math.abs(dot(r.vector, v)) > 0.99)) continue;
        if ((settings.embedded ?? []).some((e) => Math.abs(e.energy - wr) <= 1e-8 * Math.max(1, Math.abs(wr)) && Math.abs(dot(e.amplitudes, v)) > 1 - 1e-6)) continue;
        const jv = vJv(v);
        const h = 1e-6 * Math.max(1, Math.min(Math.abs(wr - p.a), Math.abs(p.b - wr)));
        const slope = (follow(wr + h, v).value - follow(wr - h, v).value) / (2 * h);
        if (!(slope > 0)) continue;
        const weight = 1 / slope;
        let lv = 0;
        if (lossy) for (let i = 0; i < n; i++) lv += 0.5 * loss![i] * v[i] * v[i];
        const width = Math.max(0, weight * (Math.PI * jv + lv));
        resonances.push({ energy: wr, width, weight, vector: v, piece: pi, treatment: 'through' });
      }
      prev = cur;
      prevU = u;
    }
  });
  // With loss, each bound state is a Lorentzian in its gap: weight |α|², direction α/|α|, half-width
  // α_bᵀ diag(γ) α_b/2 (first order in the loss).
  if (lossy) {
    for (const b of settings.boundStates ?? []) {
      const pi = pieces.findIndex((p) => p.gap && b.energy > p.a && b.energy < p.b);
      if (pi < 0) continue;
      const w = dot(b.amplitudes, b.amplitudes);
      const v = Float64Array.from(b.amplitudes, (x) => x / Math.sqrt(w));
      let width = 0;
      for (let j = 0; j < n; j++) width += 0.5 * loss![j] * b.amplitudes[j] * b.amplitudes[j];
      resonances.push({ energy: b.energy, width, weight: w, vector: v, piece: pi, treatment: 'through' });
    }
  }
  // Treatment of each resonance: breakpoints, a window, or unresolved.
  const pieceBreaks: number[][] = pieces.map(() => []);
  for (const r of resonances) {
    const p = pieces[r.piece];
    const { energy: wr, width: g, weight: w, vector: v } = r;
    const dist = Math.min(wr - p.a, p.b - wr);
    // Scale s on which vᵀJv varies (1/s = max(2/dist, |a'/a|, √|a''/a|)), from differences.
    const hs = 1e-4 * Math.min(dist, 1);
    const aAt = (x: number) => { ops.components(x); ops.assemble(x); return vJv(v); };
    const a0 = aAt(wr);
    const ap = aAt(wr + hs);
    const am = aAt(wr - hs);
    let inv = 2 / dist;
    if (a0 > 0 && !p.gap) inv = Math.max(inv, Math.abs((ap - am) / (2 * hs * a0)), Math.sqrt(Math.abs((ap - 2 * a0 + am) / (hs * hs * a0))));
    const sScale = 1 / inv;
    // Rounding of ω − ω_j (≈ ε|ω_r|) jitters the peak from node to node; summed over the ≈10 nodes a
    // width with random signs it leaves ≈ 0.1·w·ε|ω_r|/γ (measured: 2.5e-12 for γ = 1.4e-7, w = 0.33, where
    // this gives 7e-11). Integrated through while that is below tol/10; counted in the error estimate.
    const jitter = (0.1 * w * Number.EPSILON * Math.max(1, Math.abs(wr))) / Math.max(g, 1e-300);
    if (jitter <= tol / 10) {
      jitterError += jitter;
      for (const m of [0, 1, 10, 100, 1000]) for (const x of [wr - m * g, wr + m * g]) if (x > p.a && x < p.b) pieceBreaks[r.piece].push(uOf(p, x));
      continue;
    }
    const budget = tol / (20 * Math.max(1, resonances.length));
    const shape = (span + 1 / sScale) ** 2;
    const hW = g > 0 ? Math.min((budget * Math.PI) / (w * g * shape), 1e-3 * sScale) : 8 * Number.EPSILON * Math.max(1, Math.abs(wr));
    if (g > 0 && hW < 10 * g) {
      r.treatment = 'unresolved';
      messages.push(`a resonance at ω = ${wr.toPrecision(10)} of width ${g.toExponential(2)} is too narrow to integrate through (rounding of ω) and too wide to count as static over the time span (a bound state in the continuum nearby)`);
      for (const m of [0, 1, 10, 100, 1000]) for (const x of [wr - m * g, wr + m * g]) if (x > p.a && x < p.b) pieceBreaks[r.piece].push(uOf(p, x));
      continue;
    }
    r.treatment = 'window';
    const mass = g > 0 ? (w / Math.PI) * 2 * Math.atan(hW / g) : w;
    const ov = new Float64Array(2);
    for (let j = 0; j < n; j++) { ov[0] += v[j] * cr[j]; ov[1] += v[j] * (ci ? ci[j] : 0); }
    const amp = new Float64Array(2 * n);
    for (let j = 0; j < n; j++) { amp[2 * j] = mass * v[j] * ov[0]; amp[2 * j + 1] = mass * v[j] * ov[1]; }
    poles.push({ energy: wr, amplitude: amp });
    windows.push({ piece: r.piece, lo: wr - hW, hi: wr + hW, res: r });
    windowError += g > 0 ? (w * g * hW * shape) / Math.PI : 0;
    for (const x of [wr - hW, wr + hW]) if (x > p.a && x < p.b) pieceBreaks[r.piece].push(uOf(p, x));
    for (const m of [0, 1, 10, 100, 1000]) for (const x of [wr - m * g, wr + m * g]) if (x > p.a && x < p.b && Math.abs(x - wr) < hW) pieceBreaks[r.piece].push(uOf(p, x));
  }
  if (settings.signal?.aborted) return null;
  // --- integrand -----------------------------------------------------------------------------------
  const tmp = new Float64Array(2 * n);
  const f = (pi: number, u: number, out: Float64Array): void => {
    const p = pieces[pi];
    const omega = omegaOf(p, u);
    const dw = dOmegaOf(p, u);
    if (!(omega > p.a && omega < p.b)) { out.fill(0); return; } // a node within rounding of a band edge (weight ≈ 0)
    let inWindow: SceneResonance | null = null;
    for (const w of windows) if (w.piece === pi && omega > w.lo && omega < w.hi) inWindow = w.res;
    if (!ops.rho(omega, cr, ci, tmp, lossy ? loss : undefined)) {
      // A − iB exactly singular (a node on an exact bound state in the continuum): count the point as 0.
      tmp.fill(0);
    }
    if (inWindow) {
      // Background only: ρ minus the Lorentzian core, which the discrete term carries.
      const { energy: wr, width: g, weight: w, vector: v } = inWindow;
      const x = omega - wr;
      const lor = g > 0 ? (w / Math.PI) * g / (x * x + g * g) : 0;
      let o0 = 0; let o1 = 0;
      for (let j = 0; j < n; j++) { o0 += v[j] * cr[j]; o1 += v[j] * (ci ? ci[j] : 0); }
      for (let j = 0; j < n; j++) { tmp[j] -= lor * v[j] * o0; tmp[n + j] -= lor * v[j] * o1; }
    }
    if (lossy) {
      for (let j = 0; j < n; j++) {
        const gj = loss![j];
        if (!(gj > 0)) continue;
        const x = omega - settings.omega[j];
        const l0 = (gj / (2 * Math.PI)) / (x * x + 0.25 * gj * gj);
        tmp[j] -= l0 * cr[j];
        if (ci) tmp[n + j] -= l0 * ci[j];
      }
    }
    if (bornActive) {
      const d = omega - omegaMean;
      const g = 1 / (d * d + eta * eta);
      for (let b = 0; b < bornComps.length; b++) {
        const jc = ops.j[bornComps[b]];
        if (jc === 0) continue;
        const v = wc0[b];
        const s = jc * g;
        for (let i = 0; i < 2 * n; i++) tmp[i] -= s * v[i];
      }
    }
    for (let i = 0; i < 2 * n; i++) out[i] = tmp[i] * dw;
  };
  // --- tail cut-off --------------------------------------------------------------------------------
  // The residual r(ω) = max_j |((ρ − ρ_B)c(0))_j| decays like ω^{−q} (q = p + 3 with the Born
  // subtraction, p + 2 without; p the smallest tail power): its envelope is sampled at 24 points of
  // [ω_K, 1.5ω_K] (several periods of the cos(kτ) factors) and the mass beyond ω_K bounded by
  // r_max·(0.5ω_K + 1.5ω_K/(q − 1)), times 2 for a sampled maximum below the envelope.
  let tailBound = 0;
  let truncated = false;
  const tailPower = Math.min(...coupling.components.map((c) => c.tail?.power ?? Infinity));
  const qBand = (bornActive && !untreatedTail ? 3 : 2) + (Number.isFinite(tailPower) ? tailPower : 1);
  // In a gap with loss: ρ − ρ_0 ≈ (1/π)Im[G_0 Σ G_0] ∝ γΣ(ω)/ω³, Σ ∝ 1/ω (up to logs).
  const qGap = 4;
  const probe = new Float64Array(2 * n);
  const tailMass = (pi: number, D: number, q: number): number => {
    const p = pieces[pi];
    let rMax = 0;
    for (let i = 0; i < 24; i++) {
      const omega = p.edge + p.dir * D * (1 + (0.5 * (i + 0.5)) / 24);
      const u = uOf(p, omega);
      f(pi, u, probe);
      const dw = dOmegaOf(p, u);
      for (let j = 0; j < n; j++) rMax = Math.max(rMax, Math.hypot(probe[j], probe[n + j]) / dw);
    }
    return 2 * rMax * (0.5 * D + (1.5 * D) / Math.max(0.5, q - 1));
  };
  let cutoff = Infinity;
  let lowest = omegaMin;
  let highest = omegaMax;
  for (const r of resonances) { lowest = Math.min(lowest, r.energy); highest = Math.max(highest, r.energy); }
  pieces.forEach((p, pi) => {
    if (!p.tail) return;
    const q = p.gap ? qGap : qBand;
    const DCap = Math.max(2 * Math.max(1, Math.abs(p.edge)), maxNodes / (3 * span));
    const far = p.dir > 0 ? highest - p.edge : p.edge - lowest;
    let D = p.gap
      ? Math.max(40 * Math.max(1, Math.abs(p.edge)), far + 20 + 8 * selfScale)
      : Math.max(40 * Math.max(1, p.edge), omegaMax + 20 + 8 * selfScale) - p.edge;
    let bound = Infinity;
    for (;;) {
      bound = tailMass(pi, D, q);
      if (bound <= tol / 10 || D >= DCap) break;
      D = Math.min(2 * D, DCap);
    }
    if (!(bound <= tol / 10)) truncated = true;
    tailBound += bound;
    p.uMax = uOf(p, p.edge + p.dir * D);
    if (!p.gap) cutoff = p.edge + D;
  });
  // --- adaptive quadrature -------------------------------------------------------------------------
  const order = 12;
  const gl = gaussLegendre(order);
  const val = new Float64Array(2 * n);
  let evaluations = 0;
  const rule = (pi: number, lo: number, hi: number): Float64Array => {
    const out = new Float64Array(2 * n);
    const c = 0.5 * (lo + hi);
    const h = 0.5 * (hi - lo);
    for (let i = 0; i < order; i++) {
      f(pi, c + h * gl.x[i], val);
      for (let k = 0; k < 2 * n; k++) out[k] += gl.w[i] * h * val[k];
    }
    evaluations += order;
    return out;
  };
  const errOf = (l: Float64Array, r: Float64Array, whole: Float64Array): number => {
    let e = 0;
    for (let j = 0; j < n; j++) e = Math.max(e, Math.hypot(l[j] + r[j] - whole[j], l[n + j] + r[n + j] - whole[n + j]));
    return e;
  };
  const make = (pi: number, lo: number, hi: number, whole: Float64Array): Panel => {
    const mid = 0.5 * (lo + hi);
    const left = rule(pi, lo, mid);
    const right = rule(pi, mid, hi);
    return { piece: pi, lo, hi, left, right, error: errOf(left, right, whole) };
  };
  const heap: Panel[] = [];
  pieces.forEach((p, pi) => {
    const br = [...pieceBreaks[pi]];
    if (p.tail) {
      for (let x = 0.25; x < p.uMax; x *= 2) br.push(x);
      // Two periods of the fastest cos(kτ) per initial panel, over the resonance range (beyond it the
      // integrand is small and smooth on that scale, and adaptivity places what is needed).
      const step = tauMax > 0 && !p.gap ? (2 * Math.PI) / (tauMax * p.scale) : Infinity;
      for (let x = step; x < Math.min(p.uMax, 2 * uOf(p, Math.max(scanTop, p.a + 1))); x += step) br.push(x);
    } else {
      for (let m = 1; m < 8; m++) br.push((m * Math.PI) / 8);
      if (tauMax > 0 && !p.gap) { const step = Math.PI / (tauMax * 0.5 * (p.b - p.a)); for (let x = step; x < Math.PI; x += step) br.push(x); }
    }
    const pts = [0, ...br.filter((x) => x > 0 && x < p.uMax).sort((x, y) => x - y), p.uMax];
    for (let i = 0; i + 1 < pts.length; i++) {
      if (!(pts[i + 1] > pts[i])) continue;
      heapPush(heap, make(pi, pts[i], pts[i + 1], rule(pi, pts[i], pts[i + 1])));
    }
  });
  const target = tol / 20;
  let error = heap.reduce((s, p) => s + p.error, 0);
  let converged = true;
  settings.onProgress?.(0.3);
  while (error > target) {
    if (settings.signal?.aborted) return null;
    if (heap.length >= maxPanels) { converged = false; break; }
    const p = heapPop(heap)!;
    const mid = 0.5 * (p.lo + p.hi);
    if (!(mid > p.lo && mid < p.hi)) { heapPush(heap, { ...p, error: 0 }); error -= p.error; continue; }
    const a = make(p.piece, p.lo, mid, p.left);
    const b = make(p.piece, mid, p.hi, p.right);
    error += a.error + b.error - p.error;
    heapPush(heap, a);
    heapPush(heap, b);
  }
  error = heap.reduce((s, p) => s + p.error, 0);
  if (!converged) messages.push(`the continuum quadrature stopped at its panel limit (${maxPanels}) with error estimate ${error.toExponential(2)} (an unresolved narrow peak?)`);
  const panels = heap.sort((p, q) => p.piece - q.piece || p.lo - q.lo);
  // --- final nodes ---------------------------------------------------------------------------------
  const NG = 32;
  const g32 = gaussLegendre(NG);
  const budget = tol / (10 * Math.max(1, panels.length));
  const subdivisions = panels.map((p) => {
    let m = 0;
    for (let j = 0; j < n; j++) m = Math.max(m, Math.hypot(p.left[j] + p.right[j], p.left[n + j] + p.right[n + j]));
    const massBound = 2 * m + 1e-300;
    const rel = Math.min(1e-3, budget / massBound);
    const phiMax = Math.min(24, Math.max(6, 2 * Math.exp((Math.log(rel) + LOG_FACT_64) / 64)));
    const pc = pieces[p.piece];
    const dPhase = Math.abs(omegaOf(pc, p.hi) - omegaOf(pc, p.lo)) * span;
    return Math.max(1, Math.ceil(dPhase / phiMax));
  });
  const total = subdivisions.reduce((s, m) => s + m, 0) * NG;
  if (total > maxNodes) {
    messages.push(`the continuum needs ${total} nodes, more than the limit ${maxNodes}`);
    return {
      n, omega: new Float64Array(0), re: new Float64Array(0), im: null, mass: new Float64Array(2 * n), poles, resonances,
      tailBound, quadratureError: error + windowError + jitterError, converged: false, truncated: true, bornCenter: omegaMean, bornActive, cutoff, untreatedTail,
      evaluations, panels: panels.length, nonFinite, messages,
    };
  }
  const omega = new Float64Array(total);
  const re = new Float64Array(n * total);
  const im = ci ? new Float64Array(n * total) : null;
  const mass = new Float64Array(2 * n);
  let idx = 0;
  settings.onProgress?.(0.5);
  for (let q = 0; q < panels.length; q++) {
    if (settings.signal?.aborted) return null;
    if ((q & 15) === 0) settings.onProgress?.(0.5 + (0.5 * q) / panels.length);
    const p = panels[q];
    const pc = pieces[p.piece];
    const m = subdivisions[q];
    const h = (p.hi - p.lo) / m;
    for (let s = 0; s < m; s++) {
      const a = p.lo + s * h;
      for (let i = 0; i < NG; i++) {
        const u = a + 0.5 * h * (g32.x[i] + 1);
        f(p.piece, u, val);
        const w = 0.5 * h * g32.w[i];
        omega[idx] = omegaOf(pc, u);
        for (let j = 0; j < n; j++) {
          re[j * total + idx] = w * val[j];
          if (im) im[j * total + idx] = w * val[n + j];
          mass[2 * j] += w * val[j];
          mass[2 * j + 1] += w * val[n + j];
        }
        idx++;
      }
    }
  }
  evaluations += total;
  return {
    n, omega, re, im, mass, poles, resonances, tailBound, quadratureError: error + windowError + jitterError, converged, truncated,
    bornCenter: omegaMean, bornActive, cutoff, untreatedTail, evaluations, panels: panels.length, nonFinite, messages,
  };
}

function dot(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}

