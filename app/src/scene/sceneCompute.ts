/**
 * What the worker computes for the scene editor, as plain functions (no worker or DOM API, so the
 * same code runs under Node in the tests). Physics comes from the core: prepareScene and the coupling
 * (src/model/scene.ts, reservoirs/), solveScene (src/dynamics/scene/solve.ts), bound states of the
 * ± pair (src/spectrum/boundStates.ts). Modules other helpers are still writing — the scene bound
 * states (src/spectrum/sceneBoundStates.ts) and the bank (src/battery/bank.ts) — come in through
 * `OptionalCore` (optionalCore.ts finds them at build time) and are used as soon as they exist.
 */
import { pairSymmetry, prepareScene, type PreparedScene, type Scene } from '../../../src/model/scene.js';
import { densityMatrix } from '../../../src/model/reservoirs/reservoir.js';
import { boundStates } from '../../../src/spectrum/boundStates.js';
import { solveScene } from '../../../src/dynamics/scene/solve.js';
import type { SceneSolution } from '../../../src/dynamics/scene/types.js';
import type { Method, SolveOptions } from '../../../src/dynamics/types.js';
import type { SceneBoundStateOut } from '../protocol.js';

/** Library functions that may not exist yet; each is used when present. */
export interface OptionalCore {
  /** src/battery/bank.ts: the bank's curves of a scene solution. */
  bankSeries?: (sol: SceneSolution) => unknown;
  /** src/spectrum/sceneBoundStates.ts: every bound state of a prepared scene. */
  sceneBoundStates?: (prepared: PreparedScene) => unknown;
}

export interface BankCurves {
  energy: Float64Array;
  ergotropy: Float64Array;
  localErgotropy: Float64Array;
  source: string;
  /** Largest average charging power E_B(t)/t (ω11²) and when (1/ω11), when the bank module gives it. */
  maxPower?: { max: number; time: number } | null;
}

/**
 * The battery bank of shared/scenes.md §3 at every output time, written out here while
 * src/battery/bank.ts is not there: p = Σ_B |c_b|², E_B = Σ_B ω_b|c_b|² (ω11),
 * W_bank = E_B − min(p, 1 − p)·ω_min (ω_min the lowest battery frequency), and the sum of the
 * batteries' local ergotropies Σ_B ω_b·max(0, 2|c_b|² − 1).
 */
export function bankCurvesOwn(c: readonly Float64Array[], omega: ArrayLike<number>, batteries: readonly number[]): BankCurves {
  const n = c.length ? c[0].length / 2 : 0;
  const energy = new Float64Array(n);
  const ergotropy = new Float64Array(n);
  const localErgotropy = new Float64Array(n);
  let wMin = Number.POSITIVE_INFINITY;
  for (const b of batteries) wMin = Math.min(wMin, omega[b]);
  for (let i = 0; i < n; i++) {
    let p = 0, e = 0, loc = 0;
    for (const b of batteries) {
      const re = c[b][2 * i], im = c[b][2 * i + 1];
      const pb = re * re + im * im;
      p += pb;
      e += omega[b] * pb;
      loc += omega[b] * Math.max(0, 2 * pb - 1);
    }
    energy[i] = e;
    ergotropy[i] = e - Math.min(p, 1 - p) * wMin;
    localErgotropy[i] = loc;
  }
  return { energy, ergotropy, localErgotropy, source: 'explorer (scenes.md §3)' };
}

/** Reads a numeric series from the bank module's result under any of the given names. */
function series(obj: Record<string, unknown>, names: string[], n: number): Float64Array | null {
  for (const k of names) {
    const v = obj[k];
    if ((v instanceof Float64Array || Array.isArray(v)) && v.length === n) return Float64Array.from(v as ArrayLike<number>);
  }
  return null;
}

/** The bank's curves: from src/battery/bank.ts's bankSeries when it exists, else bankCurvesOwn. */
export function bankCurves(sol: SceneSolution, prepared: PreparedScene, core: OptionalCore = {}): BankCurves {
  if (core.bankSeries) {
    const r = core.bankSeries(sol) as Record<string, unknown> | null;
    if (r && typeof r === 'object') {
      const n = sol.t.length;
      const energy = series(r, ['energy', 'bankEnergy', 'E'], n);
      const ergotropy = series(r, ['ergotropy', 'bankErgotropy', 'collectiveErgotropy', 'W'], n);
      const localErgotropy = series(r, ['localErgotropySum', 'localErgotropy', 'sumLocalErgotropy', 'localSum'], n);
      const mp = r.maxPower as { max?: unknown; time?: unknown } | null | undefined;
      const maxPower = mp && typeof mp.max === 'number' && typeof mp.time === 'number' ? { max: mp.max, time: mp.time } : null;
      if (energy && ergotropy && localErgotropy) return { energy, ergotropy, localErgotropy, source: 'src/battery/bank.ts', maxPower };
    }
  }
  return bankCurvesOwn(sol.c, prepared.omega, prepared.batteries);
}

export interface SceneDynamicsOut {
  method: Method;
  t: Float64Array;
  c: Float64Array[];
  bank: BankCurves;
  status: SceneSolution['status'];
  message: string;
  errorEstimate: number;
  path: SceneSolution['path'];
}

/** Solves the scene on `points` output points over [0, tMax] (solveScene), then the bank's curves. */
export function sceneDynamics(scene: Scene, method: Method, tMax: number, points: number, tol: number, options: SolveOptions, core: OptionalCore = {}): SceneDynamicsOut {
  const prepared = prepareScene(scene);
  const sol = solveScene({ scene, tMax, dt: tMax / (points - 1), tol }, method, options);
  const bank = sol.status === 'cancelled' ? bankCurvesOwn([], [], []) : bankCurves(sol, prepared, core);
  return { method, t: sol.t, c: sol.c, bank, status: sol.status, message: sol.message, errorEstimate: sol.errorEstimate, path: sol.path };
}

export interface SceneSpectrumOut {
  boundStates: SceneBoundStateOut[] | null;
  source: string;
  note: string;
  /** The solver's status when it is not 'success' ('' otherwise), with its message in `note`. */
  status: string;
  /** Regime label of sceneBoundStates ('1', '2', '2D', …; '' when not known). */
  regime: string;
  /** Decoupled emitter states inside a band (bound states in the continuum). */
  embedded: SceneBoundStateOut[];
}

function readState(b: unknown): SceneBoundStateOut | null {
  const o = b as { energy?: unknown; amplitudes?: unknown; alpha?: unknown; bankAmplitude?: unknown; batteryWeight?: unknown };
  const amps = o.amplitudes ?? o.alpha;
  if (typeof o.energy !== 'number' || !(Array.isArray(amps) || amps instanceof Float64Array)) return null;
  const out: SceneBoundStateOut = { energy: o.energy, amplitudes: Array.from(amps as ArrayLike<number>) };
  if (typeof o.bankAmplitude === 'number') out.bankAmplitude = o.bankAmplitude;
  if (typeof o.batteryWeight === 'number') out.batteryWeight = o.batteryWeight;
  return out;
}

/** Reads src/spectrum/sceneBoundStates.ts's SceneSpectrum (bound states, status, regime, embedded states). */
function readSpectrum(r: unknown): (Omit<SceneSpectrumOut, 'source' | 'note'> & { message: string }) | null {
  const o = (r ?? {}) as { boundStates?: unknown; embedded?: unknown; status?: unknown; message?: unknown; regime?: unknown };
  if (!Array.isArray(o.boundStates)) return null;
  const list = o.boundStates.map(readState);
  if (list.some((b) => b === null)) return null;
  const embedded = (Array.isArray(o.embedded) ? o.embedded.map(readState) : []).filter((b): b is SceneBoundStateOut => b !== null);
  return {
    boundStates: list as SceneBoundStateOut[],
    embedded,
    status: typeof o.status === 'string' && o.status !== 'success' ? o.status : '',
    message: typeof o.message === 'string' ? o.message : '',
    regime: typeof o.regime === 'string' ? o.regime : '',
  };
}

/**
 * Bound states of the scene below the band edge (shared/scenes.md §2): from
 * src/spectrum/sceneBoundStates.ts when it exists; else, for a scene with the paper's ± symmetry, from
 * the two-emitter roots of Eq. (7) with α± = √Z±·(1, ±1) (scenes.md §2); else none, saying why.
 * Loss is not part of the bound-state problem (it makes them decay at the emitters' γ/2).
 */
export function sceneSpectrum(scene: Scene, core: OptionalCore = {}): SceneSpectrumOut {
  const prepared = prepareScene(scene);
  const lossNote = prepared.loss.some((g) => g > 0) ? 'bound states of the lossless scene (intrinsic loss makes them decay)' : '';
  if (core.sceneBoundStates) {
    const r = readSpectrum(core.sceneBoundStates(prepared));
    if (r) {
      const note = [r.status ? `${r.status}: ${r.message}` : '', lossNote].filter(Boolean).join('; ');
      return { boundStates: r.boundStates, embedded: r.embedded, status: r.status, regime: r.regime, source: 'src/spectrum/sceneBoundStates.ts', note };
    }
  }
  const pair = pairSymmetry(prepared);
  if (pair) {
    const s = boundStates(pair.params);
    const toOut = (b: (typeof s.boundStates)[number]): SceneBoundStateOut => {
      const a = Math.sqrt(b.residue);
      return { energy: b.energy, amplitudes: [a, b.channel === '+' ? a : -a] };
    };
    const list = s.boundStates.filter((b) => !b.inContinuum).map(toOut).sort((x, y) => x.energy - y.energy);
    const embedded = s.boundStates.filter((b) => b.inContinuum).map(toOut);
    return { boundStates: list, embedded, status: '', regime: '', source: 'two-emitter ± channels (Eq. 7–8)', note: lossNote };
  }
  return {
    boundStates: null, embedded: [], status: '', regime: '',
    source: 'none',
    note: 'not available yet for this scene: the N-emitter bound-state solver (src/spectrum/sceneBoundStates.ts) is not in this build; scenes with two equal emitters use the ± channels',
  };
}

/**
 * J_jj(ω) (ω11) of every emitter on a grid of [omegaMin, omegaMax] that crowds towards each band
 * edge (where a square-root edge makes J ~ (ω − edge)^−1/2), and the edges themselves.
 */
export function sceneDensities(scene: Scene, omegaMin: number, omegaMax: number, n: number): { omega: Float64Array; density: Float64Array[]; edges: number[] } {
  const prepared = prepareScene(scene);
  const cpl = prepared.coupling;
  const edges = cpl.edges.filter((e) => Number.isFinite(e));
  const pts = new Set<number>();
  const m = Math.max(2, Math.floor(n / (2 * Math.max(1, edges.length))));
  for (let i = 0; i < n - m * edges.length; i++) pts.add(omegaMin + ((omegaMax - omegaMin) * (i + 0.5)) / (n - m * edges.length));
  for (const e of edges) {
    const width = 0.25 * (omegaMax - omegaMin);
    for (let i = 1; i <= m; i++) {
      const d = width * (i / m) ** 3;
      if (e + d <= omegaMax) pts.add(e + d);
      if (e - d >= omegaMin) pts.add(e - d);
    }
  }
  const omega = Float64Array.from([...pts].sort((a, b) => a - b));
  const N = prepared.n;
  const density = Array.from({ length: N }, () => new Float64Array(omega.length));
  const J = new Float64Array(N * N);
  for (let i = 0; i < omega.length; i++) {
    densityMatrix(cpl, omega[i], J);
    for (let j = 0; j < N; j++) density[j][i] = J[j * N + j];
  }
  return { omega, density, edges };
}
