/**
 * Messages between the page and the compute worker (app/src/worker.ts). Every request carries an
 * id; the page ignores any reply whose id is not the latest it sent on that lane, and may also send
 * `cancel` so the worker stops a superseded job at its next check.
 */
import type { ModelParams } from '../../src/model/params.js';
import type { Method, Solution, Status } from '../../src/dynamics/types.js';
import type { SweepKind } from './state.js';

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

export type WorkerRequest = SpectrumRequest | DynamicsRequest | MapRequest | CancelRequest;

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

export interface ErrorReply {
  kind: 'error';
  id: number;
  /** Which request kind failed. */
  request: 'spectrum' | 'dynamics' | 'map';
  message: string;
  /** The parameter the core complained about (ParameterError.parameter), if any. */
  parameter?: string;
}

export type WorkerReply = SpectrumPointReply | SweepReply | DynamicsReply | MapReply | ProgressReply | ErrorReply;
