import { checkNumber } from '../errors.js';
import type { PreparedScene } from '../model/scene.js';
import { sceneBoundStates, type SceneBoundStateOptions, type SceneSpectrum } from '../spectrum/sceneBoundStates.js';
import { EFFECTIVE_DEFAULTS, EFFECTIVE_RANGES } from '../spectrum/classification.js';

/** A range [min, max] of a quantity over time. */
export interface Range { min: number; max: number }

/** One frequency of the steady state: c_∞(t) ∋ amplitude·e^{−iEt}. */
export interface SteadyTerm {
  energy: number;
  /** Σ over the states at this energy of α_b(α_bᵀc(0)), interleaved complex (length 2N). */
  amplitude: Float64Array;
}

/** Settings of sceneSteadyState. */
export interface SceneSteadyOptions extends SceneBoundStateOptions {
  /**
   * With three or more distinct frequencies the ranges are those over t ∈ [0, window] (1/ω11) of the
   * steady part (default: the observation time, 2000/ω11).
   */
  window?: number;
}

/** Long-time behaviour of every emitter and of the battery bank (scenes.md §2–3). */
export interface SceneSteadyState {
  spectrum: SceneSpectrum;
  /** The distinct frequencies of c_∞ (energies closer than MERGE_ENERGY merged), ascending. */
  terms: SteadyTerm[];
  /** |c_j(∞, t)|² range for each emitter j (scene order). */
  emitters: Range[];
  /** E_bank(∞, t) = Σ_B ω_b|c_b(∞, t)|² range (ω11). */
  bankEnergy: Range;
  /** W_bank(∞, t) range (ω11), the collective ergotropy of bank.ts. */
  bankErgotropy: Range;
  /**
   * 'constant' (≤ 1 frequency), 'two-frequency' (closed forms in the one phase (E2 − E1)t: exact, over
   * all t), or 'sampled' (three or more: over t ∈ [0, window], dense sampling plus refinement).
   */
  method: 'constant' | 'two-frequency' | 'sampled';
  /** The time window of 'sampled' (Infinity otherwise). */
  window: number;
  /** Absolute bound on the error of every reported extreme (beyond the bound states' own errors). */
  accuracy: number;
  /**
   * Outer bounds over all t of |c_j(∞)|², valid for any frequencies and attained in the limit t → ∞
   * when they are rationally independent (Kronecker): [max(0, 2·max_k|a_jk| − Σ_k|a_jk|)², (Σ_k|a_jk|)²].
   */
  emitterBounds: Range[];
  /** True when some emitter has intrinsic loss: then every term really decays (these are lossless values). */
  lossy: boolean;
}

/** Energies closer than this (ω11) are one frequency: their beat period exceeds 2π·10¹²/ω11, beyond the longest observation time allowed. */
export const MERGE_ENERGY = (2 * Math.PI) / EFFECTIVE_RANGES.observationTime.max;

/**
 * Steady state of an N-emitter scene from its bound states (shared/scenes.md §2):
 *   c_∞(t) = Σ_b α_b α_bᵀ c(0) e^{−iE_b t}
 * (bound states in the gaps and decoupled states embedded in a band; the continuum part decays), and
 * over time the range of |c_j(∞)|² for every emitter, of the bank energy E_B and of the collective
 * ergotropy W_bank (battery/bank.ts).
 *
 * ## Method
 * Terms with energies closer than MERGE_ENERGY are merged. One term: constants. Two terms: everything
 * depends on the single phase θ = (E2 − E1)t, which sweeps all of [0, 2π): a quadratic form
 * Σ_j w_j|c_j|² = q0 + Re(q1 e^{−iθ}) ranges over q0 ± |q1| exactly ([(|a1| − |a2|)², (|a1| + |a2|)²]
 * for one emitter, Eq. 8's ω0(Z+ ∓ Z−)² for the paper's battery), and W_bank = max(X, X + ω_min·Y)
 * (X = Σ_B(ω_b − ω_min)|c_b|², Y = p − (1 − p), both such sinusoids) has its maximum at the larger of
 * the two maxima and its minimum at a minimum of either or where Y = 0: exact to rounding, over all t.
 * Three or more terms (an almost-periodic function): samples on t ∈ [0, window] with step
 * h = π/(32·D), D = max|E_k − E_l|, every sample that is a local extreme within h²·F''/8 of the best one
 * (F'' ≤ 2(D2·A + D1²) bounds |f''| with A = Σ|a_k|, D1 = Σ|a_k||E_k − Ē|, D2 = Σ|a_k|(E_k − Ē)²; for
 * the minimum of W, whose corners can be minima, also (h/2)·|W'| with |f'| ≤ 2A·D1) is refined by
 * golden-section search to |Δt| ≤ 1e-9·h; the extremes over the window are then exact to the reported
 * `accuracy` (≈ |W'|·1e-9h + F''·(1e-9h)²/2 + rounding, typically 1e-10 or better). Over all t the
 * range can only be wider; `emitterBounds` gives the outer limits.
 * Intrinsic loss is ignored (lossless bound states, sceneBoundStates); `lossy` says when it is present.
 *
 * Example: the paper's pair (ω0 = 1, Γ11 = 0.5, Δz = 0.1, charger excited): E_bank(∞) between
 * ω0(Z+ − Z−)² = 0.0244762 and ω0(Z+ + Z−)² = 0.5666891 ω11, as steadyState gives.
 */
export function sceneSteadyState(prepared: PreparedScene, options: SceneSteadyOptions = {}): SceneSteadyState {
  const window = checkNumber('window', options.window ?? options.observationTime ?? EFFECTIVE_DEFAULTS.observationTime, EFFECTIVE_RANGES.observationTime, 'options.window');
  const spectrum = sceneBoundStates(prepared, options);
  const n = prepared.n;
  const c0 = prepared.initial;
  // Terms α_b(α_bᵀc(0)) by energy.
  const raw = [...spectrum.boundStates, ...spectrum.embedded].map((s) => {
    let pr = 0;
    let pi = 0;
    for (let j = 0; j < n; j++) { pr += s.amplitudes[j] * c0[2 * j]; pi += s.amplitudes[j] * c0[2 * j + 1]; }
    const amp = new Float64Array(2 * n);
    for (let j = 0; j < n; j++) { amp[2 * j] = s.amplitudes[j] * pr; amp[2 * j + 1] = s.amplitudes[j] * pi; }
    return { energy: s.energy, amplitude: amp };
  }).sort((a, b) => a.energy - b.energy);
  const terms: SteadyTerm[] = [];
  for (const t of raw) {
    const last = terms[terms.length - 1];
    if (last && t.energy - last.energy <= MERGE_ENERGY) {
      for (let k = 0; k < 2 * n; k++) last.amplitude[k] += t.amplitude[k];
    } else terms.push({ energy: t.energy, amplitude: Float64Array.from(t.amplitude) });
  }
  const lossy = prepared.loss.some((g) => g > 0);
  const emitterBounds = Array.from({ length: n }, (_, j) => {
    let sum = 0;
    let big = 0;
    for (const t of terms) { const m = Math.hypot(t.amplitude[2 * j], t.amplitude[2 * j + 1]); sum += m; big = Math.max(big, m); }
    return { min: Math.max(0, 2 * big - sum) ** 2, max: sum * sum };
  });
  const obs = observables(prepared);
  const base = { spectrum, terms, emitterBounds, lossy };
  if (terms.length <= 1) {
    const c = terms.length === 1 ? terms[0].amplitude : new Float64Array(2 * n);
    const v = obs(c);
    const point = (x: number): Range => ({ min: x, max: x });
    return {
      ...base, emitters: Array.from({ length: n }, (_, j) => point(v.pop[j])), bankEnergy: point(v.energy), bankErgotropy: point(v.ergotropy),
      method: 'constant', window: Infinity, accuracy: 0,
    };
  }
  if (terms.length === 2) return { ...base, ...twoFrequency(prepared, terms[0].amplitude, terms[1].amplitude), method: 'two-frequency', window: Infinity, accuracy: 0 };
  return { ...base, ...sampled(prepared, terms, window, obs), method: 'sampled', window };
}

/** c_∞(t) = Σ_terms amplitude·e^{−iEt} (interleaved complex, length 2N). */
export function steadyAmplitudes(steady: SceneSteadyState, t: number): Float64Array {
  const n = steady.emitters.length;
  const c = new Float64Array(2 * n);
  for (const term of steady.terms) {
    const co = Math.cos(term.energy * t);
    const si = -Math.sin(term.energy * t);
    for (let j = 0; j < n; j++) {
      const ar = term.amplitude[2 * j];
      const ai = term.amplitude[2 * j + 1];
      c[2 * j] += ar * co - ai * si;
      c[2 * j + 1] += ar * si + ai * co;
    }
  }
  return c;
}

interface Obs { pop: Float64Array; energy: number; ergotropy: number }

/** |c_j|², E_B and W_bank (bank.ts's form) of an amplitude vector. */
function observables(prepared: PreparedScene): (c: Float64Array) => Obs {
  const { n, omega, batteries } = prepared;
  let wMin = Infinity;
  for (const b of batteries) wMin = Math.min(wMin, omega[b]);
  return (c) => {
    const pop = new Float64Array(n);
    for (let j = 0; j < n; j++) pop[j] = c[2 * j] * c[2 * j] + c[2 * j + 1] * c[2 * j + 1];
    let energy = 0;
    let p = 0;
    let excess = 0;
    for (const b of batteries) { energy += omega[b] * pop[b]; p += pop[b]; excess += (omega[b] - wMin) * pop[b]; }
    return { pop, energy, ergotropy: excess + wMin * Math.max(0, p - (1 - p)) };
  };
}

/** q0 + Re(q1 e^{−iθ}) for the form Σ_j w_j|a_j + b_j e^{−iθ}|²: returns [q0, q1re, q1im]. */
function sinusoid(w: ArrayLike<number>, a: Float64Array, b: Float64Array): [number, number, number] {
  let q0 = 0;
  let qr = 0;
  let qi = 0;
  for (let j = 0; j < w.length; j++) {
    if (w[j] === 0) continue;
    const ar = a[2 * j], ai = a[2 * j + 1], br = b[2 * j], bi = b[2 * j + 1];
    q0 += w[j] * (ar * ar + ai * ai + br * br + bi * bi);
    // 2·conj(a)·b
    qr += 2 * w[j] * (ar * br + ai * bi);
    qi += 2 * w[j] * (ar * bi - ai * br);
  }
  return [q0, qr, qi];
}

/** Exact ranges for two frequencies (see sceneSteadyState). */
function twoFrequency(prepared: PreparedScene, a: Float64Array, b: Float64Array): { emitters: Range[]; bankEnergy: Range; bankErgotropy: Range } {
  const { n, omega, batteries } = prepared;
  const range = ([q0, qr, qi]: [number, number, number]): Range => {
    const m = Math.hypot(qr, qi);
    return { min: Math.max(0, q0 - m), max: q0 + m };
  };
  const emitters: Range[] = [];
  for (let j = 0; j < n; j++) {
    // |a_j| ± |b_j| squared: no cancellation in q0 − |q1| for the minimum.
    const ma = Math.hypot(a[2 * j], a[2 * j + 1]);
    const mb = Math.hypot(b[2 * j], b[2 * j + 1]);
    emitters.push({ min: (ma - mb) ** 2, max: (ma + mb) ** 2 });
  }
  const wE = new Float64Array(n);
  const wX = new Float64Array(n);
  const wY = new Float64Array(n);
  let wMin = Infinity;
  for (const bt of batteries) wMin = Math.min(wMin, omega[bt]);
  for (const bt of batteries) { wE[bt] = omega[bt]; wX[bt] = omega[bt] - wMin; wY[bt] = 2; }
  const bankEnergy = range(sinusoid(wE, a, b));
  // W(θ) = max(X, X + ω_min·Y), Y = 2p − 1 = (sinusoid of 2|c_b|²) − 1.
  const X = sinusoid(wX, a, b);
  const Y2 = sinusoid(wY, a, b);
  const Y: [number, number, number] = [Y2[0] - 1, Y2[1], Y2[2]];
  const Z: [number, number, number] = [X[0] + wMin * Y[0], X[1] + wMin * Y[1], X[2] + wMin * Y[2]];
  const at = (q: [number, number, number], th: number) => q[0] + q[1] * Math.cos(th) + q[2] * Math.sin(th);
  const W = (th: number) => Math.max(at(X, th), at(Z, th));
  const maxW = Math.max(range(X).max, range(Z).max);
  // Minimum: at the minimum of X or of Z, or where Y = 0 (the two branches cross).
  const cand: number[] = [];
  const argMin = (q: [number, number, number]) => Math.atan2(q[2], q[1]) + Math.PI; // q0 + |q1|cos(θ − φ) is least at θ = φ + π
  cand.push(argMin(X), argMin(Z));
  const my = Math.hypot(Y[1], Y[2]);
  if (my > 0 && Math.abs(Y[0]) <= my) {
    const phi = Math.atan2(Y[2], Y[1]);
    const d = Math.acos(-Y[0] / my);
    cand.push(phi + d, phi - d);
  }
  let minW = Infinity;
  for (const th of cand) minW = Math.min(minW, W(th));
  // W ≥ 0 by construction; the exact minimum of max(X, Z) is one of the candidates.
  return { emitters, bankEnergy, bankErgotropy: { min: Math.max(0, minW), max: Math.max(0, maxW) } };
}

/** Ranges over t ∈ [0, T] for three or more frequencies by sampling and golden-section refinement. */
function sampled(
  prepared: PreparedScene,
  terms: SteadyTerm[],
  T: number,
  obs: (c: Float64Array) => Obs,
): { emitters: Range[]; bankEnergy: Range; bankErgotropy: Range; accuracy: number } {
  const n = prepared.n;
  const K = terms.length;
  const D = terms[K - 1].energy - terms[0].energy;
  let Ebar = 0;
  for (const t of terms) Ebar += t.energy / K;
  // Shifted energies (|c|² is unchanged by a common phase): better conditioned phases at large t.
  const e = terms.map((t) => t.energy - Ebar);
  const h = Math.min(T, Math.PI / (32 * D));
  const steps = Math.ceil(T / h);
  const hh = T / steps;
  // Second-derivative bound of any |c_j|² (and, with weights, of E_B and of the two pieces of W).
  let F2 = 0;
  let F1 = 0;
  let wMax = 0;
  for (const b of prepared.batteries) wMax = Math.max(wMax, prepared.omega[b]);
  for (let j = 0; j < n; j++) {
    let A = 0, D1 = 0, D2 = 0;
    terms.forEach((t, k) => { const m = Math.hypot(t.amplitude[2 * j], t.amplitude[2 * j + 1]); A += m; D1 += m * Math.abs(e[k]); D2 += m * e[k] * e[k]; });
    F2 = Math.max(F2, 2 * (D2 * A + D1 * D1));
    F1 = Math.max(F1, 2 * A * D1);
  }
  const nb = prepared.batteries.length;
  // E_B and both pieces of W = max(X, X + ω_min·Y) are sums of ≤ nb such terms with weights ≤ 3·ω_max.
  const F2bank = F2 * Math.max(1, 3 * nb * wMax);
  // W's corners (where the pieces cross) can be minima: there the sampling error is first order,
  // ≤ (h/2)·|W'| with |d|c_j|²/dt| ≤ 2·A·D1.
  const F1bank = F1 * Math.max(1, 3 * nb * wMax);
  const c = new Float64Array(2 * n);
  const at = (t: number): Obs => {
    c.fill(0);
    for (let k = 0; k < K; k++) {
      const co = Math.cos(e[k] * t);
      const si = -Math.sin(e[k] * t);
      const amp = terms[k].amplitude;
      for (let j = 0; j < n; j++) {
        c[2 * j] += amp[2 * j] * co - amp[2 * j + 1] * si;
        c[2 * j + 1] += amp[2 * j] * si + amp[2 * j + 1] * co;
      }
    }
    return obs(c);
  };
  // Quantities: pop_0 … pop_{n−1}, E_B, W.
  const Q = n + 2;
  const values = Array.from({ length: Q }, () => new Float64Array(steps + 1));
  for (let i = 0; i <= steps; i++) {
    const o = at(i * hh);
    for (let j = 0; j < n; j++) values[j][i] = o.pop[j];
    values[n][i] = o.energy;
    values[n + 1][i] = o.ergotropy;
  }
  const pick = (o: Obs, q: number) => (q < n ? o.pop[q] : q === n ? o.energy : o.ergotropy);
  const margin = (q: number, forMin: boolean) => (hh * hh * (q < n ? F2 : F2bank)) / 8 + (forMin && q === n + 1 ? (hh * F1bank) / 2 : 0);
  const tTol = 1e-9 * hh;
  const ranges: Range[] = [];
  for (let q = 0; q < Q; q++) {
    const v = values[q];
    let lo = Infinity;
    let hi = -Infinity;
    for (const x of v) { lo = Math.min(lo, x); hi = Math.max(hi, x); }
    const mMin = margin(q, true);
    const mMax = margin(q, false);
    let rMin = lo;
    let rMax = hi;
    for (let i = 0; i <= steps; i++) {
      const left = i > 0 ? v[i - 1] : Infinity;
      const right = i < steps ? v[i + 1] : Infinity;
      if (v[i] <= lo + mMin && v[i] <= left && v[i] <= right) {
        rMin = Math.min(rMin, golden((t) => pick(at(t), q), Math.max(0, (i - 1) * hh), Math.min(T, (i + 1) * hh), tTol));
      }
      const leftH = i > 0 ? v[i - 1] : -Infinity;
      const rightH = i < steps ? v[i + 1] : -Infinity;
      if (v[i] >= hi - mMax && v[i] >= leftH && v[i] >= rightH) {
        rMax = Math.max(rMax, -golden((t) => -pick(at(t), q), Math.max(0, (i - 1) * hh), Math.min(T, (i + 1) * hh), tTol));
      }
    }
    ranges.push({ min: rMin, max: rMax });
  }
  // After refinement: the golden bracket's width tTol costs ≤ F''·tTol²/2 at a smooth extreme and
  // ≤ |W'|·tTol at a corner of W; plus rounding of the sums.
  const accuracy = (F2bank * tTol * tTol) / 2 + F1bank * tTol + 64 * Number.EPSILON * Math.max(1, wMax);
  return { emitters: ranges.slice(0, n), bankEnergy: ranges[n], bankErgotropy: { min: Math.max(0, ranges[n + 1].min), max: ranges[n + 1].max }, accuracy };
}

/** Minimum of f on [a, b] by golden-section search to |Δt| ≤ tol (f unimodal near a sampled extreme); returns the least value seen. */
function golden(f: (t: number) => number, a: number, b: number, tol: number): number {
  const r = (Math.sqrt(5) - 1) / 2;
  let x1 = b - r * (b - a);
  let x2 = a + r * (b - a);
  let f1 = f(x1);
  let f2 = f(x2);
  let best = Math.min(f(a), f(b), f1, f2);
  for (let k = 0; k < 200 && b - a > tol; k++) {
    if (f1 < f2) { b = x2; x2 = x1; f2 = f1; x1 = b - r * (b - a); f1 = f(x1); best = Math.min(best, f1); }
    else { a = x1; x1 = x2; f1 = f2; x2 = a + r * (b - a); f2 = f(x2); best = Math.min(best, f2); }
  }
  return best;
}
