/**
 * Messages between the page and the compute worker (app/src/worker.ts). Every request carries an
 * id; the page ignores any reply whose id is not the latest it sent on that lane, and may also send
 * `cancel` so the worker stops a superseded job at its next check.
 */
import type { ModelParams } from '../../src/model/params.js';
import type { Method, Solution, Status } from '../../src/dynamics/types.js';
import type { SweepKind } from './state.js';
import type { Scene } from '../../src/model/scene.js';
import type { SceneSpectrumOut } from './scene/sceneCompute.js';

export interface SweepSpec {
  kind: SweepKind;
  min: number;
  max: number;
  n: number;
}

export interface SpectrumRequest {
  kind: 'spectrum';
  id: number;
  params: ModelParams;
  /** Residue threshold of the effective bound-state count. */
  threshold: number;
  /** Observation time for the steady-state analysis (the time span), 1/ω11. */
  tMax: number;
  sweep: SweepSpec;
  densities: { omegaMax: number; n: number };
}

export interface DynamicsRequest {
  kind: 'dynamics';
  id: number;
  params: ModelParams;
  method: Method;
  tMax: number;
  points: number;
  /**
   * If > 0, first solve on this many points and post it as a preview (the curves a user sees
   * while dragging), then the full grid. 0: no preview.
   */
  previewPoints: number;
  tol: number;
  /** A second method solved on the full grid after the first (not for the preview), or 'none'. */
  compare: Method | 'none';
}

/** The (ω0, Δz) grid of the phase-diagram map: nx × ny equal cells, values at the cell centres. */
export interface MapSpec {
  omega0Min: number;
  omega0Max: number;
  dzMin: number;
  dzMax: number;
  nx: number;
  ny: number;
}

/** The phase diagram of Fig. 4 over (ω0, Δz) at one Γ11 and residue threshold. */
export interface MapRequest {
  kind: 'map';
  id: number;
  gamma11: number;
  threshold: number;
  spec: MapSpec;
}

export interface CancelRequest {
  kind: 'cancel';
  id: number;
}

/** Scene mode: the bound states of a scene (and J(ω) of its reservoir on a grid). */
export interface SceneSpectrumRequest {
  kind: 'scene-spectrum';
  id: number;
  scene: Scene;
  /** J_jj(ω) of every emitter on n points of ω ∈ [omegaMin, omegaMax]. */
  densities: { omegaMin: number; omegaMax: number; n: number };
}

/** Scene mode: the dynamics of a scene through solveScene (src/dynamics/scene/solve.ts). */
export interface SceneDynamicsRequest {
  kind: 'scene-dynamics';
  id: number;
  scene: Scene;
  method: Method;
  tMax: number;
  points: number;
  tol: number;
}

export type WorkerRequest = SpectrumRequest | DynamicsRequest | MapRequest | SceneSpectrumRequest | SceneDynamicsRequest | CancelRequest;

export interface BoundStateOut {
  channel: '+' | '-';
  energy: number;
  residue: number;
  inContinuum: boolean;
}

/** Steady state of Eq. (8), as far as the core reports it. */
export interface SteadyOut {
  energyMin: number;
  energyMax: number;
  ergotropyMax: number;
  /** Oscillation frequency |E− − E+| of E(∞), ω11 (0 or NaN with fewer than two bound states). */
  frequency: number;
  count: number;
  effectiveCount: number;
  /** The paper's regime label: '0', '1', '2' effective bound states, or '2D' (degenerate). */
  regime: '0' | '1' | '2' | '2D';
  /** Free-form notes from the core (slow resonances, bound states in the continuum). */
  notes: string[];
}

export interface SpectrumPointReply {
  kind: 'spectrum-point';
  id: number;
  boundStates: BoundStateOut[];
  count: number;
  steady: SteadyOut;
  /** J±(ω) on a grid of ω > 1 (ω11). */
  omega: Float64Array;
  jPlus: Float64Array;
  jMinus: Float64Array;
  ms: number;
}

/** Bound-state energies and residues along the sweep; NaN where that channel has no bound state. */
export interface SweepReply {
  kind: 'sweep';
  id: number;
  spec: SweepSpec;
  x: Float64Array;
  ePlus: Float64Array;
  eMinus: Float64Array;
  zPlus: Float64Array;
  zMinus: Float64Array;
  ms: number;
  cached: boolean;
}

/** A solve's result as the worker posts it: the Solution's data fields plus the request bookkeeping. */
export interface DynamicsReply extends Pick<Solution, 'method' | 't' | 'c1' | 'c2' | 'status' | 'message' | 'errorEstimate'> {
  kind: 'dynamics';
  id: number;
  /** A coarse first answer; the full-grid one follows with the same id. */
  preview: boolean;
  ms: number;
  /** Long spans (solveLongTime): which representation, and T_c (1/ω11) beyond which only bound states are summed. */
  longTime?: { route: 'bound-states' | 'bound-states+band-edge' | 'exact+bound-states' | 'exact'; continuumTime: number };
  /** Why the comparison method could not run (e.g. Markov beyond its span), if it failed. */
  compareError?: string;
  /** The comparison method's solution on the same grid (full-grid replies only). */
  compare?: Pick<Solution, 'method' | 't' | 'c1' | 'c2' | 'status' | 'message' | 'errorEstimate'>;
}

/**
 * Rows 0 … rows − 1 (Δz index) of the map; posted as rows are done, the last one with rows = ny.
 * regime[k·nx + i] codes REGIME_CODES (mapGrid.ts) at (ω0_i, Δz_k); W(∞) and E(∞) maxima in ω11.
 */
export interface MapReply {
  kind: 'map';
  id: number;
  gamma11: number;
  threshold: number;
  spec: MapSpec;
  rows: number;
  regime: Uint8Array;
  ergotropy: Float64Array;
  energy: Float64Array;
  ms: number;
  cached: boolean;
}

export interface ProgressReply {
  kind: 'progress';
  id: number;
  fraction: number;
}

/** A bound state of a scene: energy (ω11) and emitter amplitudes α (it adds α αᵀ c(0) e^{−iEt} to c(t)). */
export interface SceneBoundStateOut {
  energy: number;
  amplitudes: number[];
  /** |αᵀc(0)|·‖α on the batteries‖ (two equal emitters, charger excited: the paper's Z), when known. */
  bankAmplitude?: number;
  /** Σ_batteries α_j², when known. */
  batteryWeight?: number;
}

/** The scene's bound states (SceneSpectrumOut of scene/sceneCompute.ts) with the band edges and J_jj(ω). */
export interface SceneSpectrumReply extends SceneSpectrumOut {
  kind: 'scene-spectrum';
  id: number;
  /** Band edges of the reservoir (ω11). */
  edges: number[];
  omega: Float64Array;
  /** J_jj(ω) of each emitter (its own spectral density), one array per emitter. */
  density: Float64Array[];
  ms: number;
}

/** A scene solve: amplitudes of every emitter and the bank's curves (scenes.md §3). */
export interface SceneDynamicsReply {
  kind: 'scene-dynamics';
  id: number;
  method: Method;
  t: Float64Array;
  /** c[j]: interleaved complex amplitudes of emitter j. */
  c: Float64Array[];
  /** E_B(t), collective W_bank(t) and the sum of local ergotropies, ω11. */
  energy: Float64Array;
  ergotropy: Float64Array;
  localErgotropy: Float64Array;
  /** Which code computed the bank curves: 'src/battery/bank.ts' or the explorer's own formula. */
  bankSource: string;
  /** max_t E_B(t)/t (ω11²) and its time (1/ω11), when known. */
  maxPower: { max: number; time: number } | null;
  status: Status;
  message: string;
  errorEstimate: number;
  /** 'pair' (the paper's ± fast path) or 'general'. */
  path: 'pair' | 'general';
  ms: number;
}

export interface ErrorReply {
  kind: 'error';
  id: number;
  /** Which request kind failed. */
  request: 'spectrum' | 'dynamics' | 'map' | 'scene-spectrum' | 'scene-dynamics';
  message: string;
  /** The parameter the core complained about (ParameterError.parameter), if any. */
  parameter?: string;
  /** Where it sits (ParameterError.path, e.g. `problem.scene.emitters[2].loss`), if any. */
  path?: string;
}

export type WorkerReply = SpectrumPointReply | SweepReply | DynamicsReply | MapReply | SceneSpectrumReply | SceneDynamicsReply | ProgressReply | ErrorReply;
