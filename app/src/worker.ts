/**
 * The compute worker: runs the qbwave core (src/) off the main thread. One instance serves one lane
 * (app/src/lanes.ts). Cancellation: each job gets a CancelToken whose `aborted` is true as soon as a
 * newer request or a `cancel` for it has arrived — read from a SharedArrayBuffer when the page is
 * cross-origin isolated (seen even inside a synchronous solve), else from the message queue (seen
 * between chunks); the page terminates a worker that does not stop in time.
 */
import type { CancelToken } from '../../src/dynamics/types.js';
import { ParameterError } from '../../src/errors.js';
import { densities, dynamics, mapRow, pointSpectrum, steady, sweepSpectrum } from './compute.js';
import type { DynamicsReply, DynamicsRequest, MapReply, MapRequest, SceneDynamicsRequest, SceneSpectrumRequest, SpectrumRequest, SweepReply, WorkerReply, WorkerRequest } from './protocol.js';
import { sceneDensities, sceneDynamics, sceneSpectrum } from './scene/sceneCompute.js';
import { OPTIONAL_CORE } from './scene/optionalCore.js';

interface WorkerScope {
  postMessage(message: unknown, transfer?: Transferable[]): void;
  onmessage: ((ev: MessageEvent) => void) | null;
}
const scope = self as unknown as WorkerScope;

/** Newest job id seen per this worker, and ids cancelled explicitly. */
let latestId = -1;
const cancelled = new Set<number>();
/** Shared generation counter (the page writes the newest id) when cross-origin isolated. */
let shared: Int32Array | null = null;

function token(id: number): CancelToken {
  return {
    get aborted() {
      if (shared && Atomics.load(shared, 0) > id) return true;
      return id < latestId || cancelled.has(id);
    },
  };
}

const pause = () => new Promise<void>((r) => setTimeout(r, 0));

function post(reply: WorkerReply, transfer: Transferable[] = []): void {
  scope.postMessage(reply, transfer);
}

/** Sweeps are cached: dragging ω0 leaves the ω0 sweep unchanged. */
const sweepCache = new Map<string, Omit<SweepReply, 'id' | 'ms' | 'cached'>>();

async function runSpectrum(req: SpectrumRequest): Promise<void> {
  const t0 = performance.now();
  const tk = token(req.id);
  const point = pointSpectrum(req.params);
  const st = steady(req.params, req.threshold, req.tMax);
  const d = densities(req.params, req.densities.omegaMax, req.densities.n);
  post({ kind: 'spectrum-point', id: req.id, ...point, steady: st, ...d, ms: performance.now() - t0 }, [d.omega.buffer, d.jPlus.buffer, d.jMinus.buffer]);

  const fixed = req.sweep.kind === 'omega0' ? { gamma11: req.params.gamma11, dz: req.params.dz } : { gamma11: req.params.gamma11, omega0: req.params.omega0 };
  const key = JSON.stringify([req.sweep, fixed]);
  const hit = sweepCache.get(key);
  if (hit) {
    post({ ...hit, kind: 'sweep', id: req.id, ms: performance.now() - t0, cached: true, x: hit.x.slice(), ePlus: hit.ePlus.slice(), eMinus: hit.eMinus.slice(), zPlus: hit.zPlus.slice(), zMinus: hit.zMinus.slice() });
    return;
  }
  await pause(); // let a newer request or a cancel arrive
  const s = await sweepSpectrum(req.sweep, req.params, tk, pause);
  if (!s) {
    post({ kind: 'error', id: req.id, request: 'spectrum', message: 'cancelled' });
    return;
  }
  const entry = { kind: 'sweep' as const, spec: req.sweep, ...s };
  if (sweepCache.size > 24) sweepCache.delete(sweepCache.keys().next().value!);
  sweepCache.set(key, { ...entry, x: s.x.slice(), ePlus: s.ePlus.slice(), eMinus: s.eMinus.slice(), zPlus: s.zPlus.slice(), zMinus: s.zMinus.slice() });
  post({ ...entry, id: req.id, ms: performance.now() - t0, cached: false }, [s.x.buffer, s.ePlus.buffer, s.eMinus.buffer, s.zPlus.buffer, s.zMinus.buffer]);
}

/** Solves Eq. (3): a coarse preview first if asked (posted at once), then the full grid. */
async function runDynamics(req: DynamicsRequest): Promise<void> {
  const tk = token(req.id);
  if (req.previewPoints > 0 && req.previewPoints < req.points) {
    if (!solveAndPost(req, req.previewPoints, true, tk)) return;
    await pause(); // let a newer request or a cancel arrive before the long part
    if (tk.aborted) {
      post({ kind: 'error', id: req.id, request: 'dynamics', message: 'cancelled' });
      return;
    }
  }
  solveAndPost(req, req.points, false, tk);
}

/** Returns false if the solve was cancelled (a final 'cancelled' reply has been posted). */
function solveAndPost(req: DynamicsRequest, points: number, preview: boolean, tk: CancelToken): boolean {
  const t0 = performance.now();
  let lastProgress = 0;
  const sol = dynamics(req.params, req.method, req.tMax, points, req.tol, {
    signal: tk,
    onProgress: preview ? undefined : (f) => {
      const now = performance.now();
      if (now - lastProgress > 100) { lastProgress = now; post({ kind: 'progress', id: req.id, fraction: f }); }
    },
  });
  if (sol.status === 'cancelled') {
    post({ kind: 'error', id: req.id, request: 'dynamics', message: 'cancelled' });
    return false;
  }
  // The comparison method (exact vs Markov, the paper's argument) on the same grid, full grid only.
  let compare: DynamicsReply['compare'];
  let compareError: string | undefined;
  if (!preview && req.compare !== 'none' && req.compare !== req.method) {
    let other: ReturnType<typeof dynamics> | null = null;
    try {
      other = dynamics(req.params, req.compare, req.tMax, points, req.tol, { signal: tk });
    } catch (e) {
      compareError = `${req.compare}: ${(e as Error).message}`;
    }
    if (other?.status === 'cancelled') {
      post({ kind: 'error', id: req.id, request: 'dynamics', message: 'cancelled' });
      return false;
    }
    if (other) compare = { method: req.compare, t: other.t, c1: other.c1, c2: other.c2, status: other.status, message: other.message, errorEstimate: other.errorEstimate };
  }
  const longTime = 'route' in sol ? { route: sol.route, continuumTime: sol.continuumTime } : undefined;
  const transfer: Transferable[] = [sol.t.buffer, sol.c1.buffer, sol.c2.buffer];
  if (compare) transfer.push(compare.t.buffer, compare.c1.buffer, compare.c2.buffer);
  post({
    kind: 'dynamics', id: req.id, preview, method: req.method, t: sol.t, c1: sol.c1, c2: sol.c2,
    // status as the solver says: a NaN/∞ never comes back as 'success' (src/dynamics/finiteCheck.ts).
    status: sol.status, message: sol.message, errorEstimate: sol.errorEstimate, ms: performance.now() - t0, compare, compareError, longTime,
  }, transfer);
  return true;
}

/** Finished maps by (Γ11, threshold, grid): changing ω0 or Δz never recomputes the map. */
const mapCache = new Map<string, Omit<MapReply, 'id' | 'ms' | 'cached'>>();

/**
 * The phase-diagram map, row by row (one Δz at a time); the rows done so far are posted every
 * ~150 ms so the picture fills in, and a newer request or a cancel is seen between rows.
 */
async function runMap(req: MapRequest): Promise<void> {
  const t0 = performance.now();
  const tk = token(req.id);
  const key = JSON.stringify([req.gamma11, req.threshold, req.spec]);
  const copy = (m: Omit<MapReply, 'id' | 'ms' | 'cached'>) => ({ ...m, regime: m.regime.slice(), ergotropy: m.ergotropy.slice(), energy: m.energy.slice() });
  const hit = mapCache.get(key);
  if (hit) {
    post({ ...copy(hit), kind: 'map', id: req.id, ms: performance.now() - t0, cached: true });
    return;
  }
  const { nx, ny } = req.spec;
  const out = { regime: new Uint8Array(nx * ny), ergotropy: new Float64Array(nx * ny).fill(Number.NaN), energy: new Float64Array(nx * ny).fill(Number.NaN) };
  const base = { kind: 'map' as const, gamma11: req.gamma11, threshold: req.threshold, spec: req.spec };
  let lastPost = performance.now();
  for (let k = 0; k < ny; k++) {
    await pause();
    if (tk.aborted) {
      post({ kind: 'error', id: req.id, request: 'map', message: 'cancelled' });
      return;
    }
    mapRow(req.spec, req.gamma11, req.threshold, k, out);
    const now = performance.now();
    if (k + 1 < ny && now - lastPost > 150) {
      lastPost = now;
      post({ ...base, ...copy({ ...base, rows: k + 1, ...out }), id: req.id, ms: now - t0, cached: false });
    }
  }
  const entry = { ...base, rows: ny, ...out };
  if (mapCache.size > 8) mapCache.delete(mapCache.keys().next().value!);
  mapCache.set(key, copy(entry));
  post({ ...entry, id: req.id, ms: performance.now() - t0, cached: false }, [out.regime.buffer, out.ergotropy.buffer, out.energy.buffer]);
}

/** Scene mode: bound states of the scene and J_jj(ω) of its reservoir. */
function runSceneSpectrum(req: SceneSpectrumRequest): void {
  const t0 = performance.now();
  const d = sceneDensities(req.scene, req.densities.omegaMin, req.densities.omegaMax, req.densities.n);
  let spec: ReturnType<typeof sceneSpectrum>;
  try {
    spec = sceneSpectrum(req.scene, OPTIONAL_CORE);
  } catch (e) {
    // The densities are still worth showing; the bound-state solver's message goes in the note.
    spec = { boundStates: null, embedded: [], status: 'error', regime: '', source: 'error', note: `bound states failed: ${(e as Error).message}` };
  }
  post({ kind: 'scene-spectrum', id: req.id, ...spec, edges: d.edges, omega: d.omega, density: d.density, ms: performance.now() - t0 }, [d.omega.buffer, ...d.density.map((a) => a.buffer)]);
}

/** Scene mode: solveScene with the chosen method, then the bank's curves. */
function runSceneDynamics(req: SceneDynamicsRequest): void {
  const t0 = performance.now();
  const tk = token(req.id);
  let lastProgress = 0;
  const out = sceneDynamics(req.scene, req.method, req.tMax, req.points, req.tol, {
    signal: tk,
    onProgress: (f) => {
      const now = performance.now();
      if (now - lastProgress > 100) { lastProgress = now; post({ kind: 'progress', id: req.id, fraction: f }); }
    },
  }, OPTIONAL_CORE);
  if (out.status === 'cancelled') {
    post({ kind: 'error', id: req.id, request: 'scene-dynamics', message: 'cancelled' });
    return;
  }
  const b = out.bank;
  post({
    kind: 'scene-dynamics', id: req.id, method: out.method, t: out.t, c: out.c, energy: b.energy, ergotropy: b.ergotropy, localErgotropy: b.localErgotropy,
    bankSource: b.source, maxPower: b.maxPower ?? null, status: out.status, message: out.message, errorEstimate: out.errorEstimate, path: out.path, ms: performance.now() - t0,
  }, [out.t.buffer, ...out.c.map((a) => a.buffer), b.energy.buffer, b.ergotropy.buffer, b.localErgotropy.buffer].filter((x, i, all) => all.indexOf(x) === i));
}

/** Jobs run one at a time in arrival order; a job superseded before it starts is skipped. */
const queue: (SpectrumRequest | DynamicsRequest | MapRequest | SceneSpectrumRequest | SceneDynamicsRequest)[] = [];
let running = false;

async function drain(): Promise<void> {
  if (running) return;
  running = true;
  while (queue.length) {
    const req = queue.shift()!;
    if (token(req.id).aborted) {
      post({ kind: 'error', id: req.id, request: req.kind, message: 'cancelled' });
      continue;
    }
    try {
      if (req.kind === 'spectrum') await runSpectrum(req);
      else if (req.kind === 'map') await runMap(req);
      else if (req.kind === 'scene-spectrum') runSceneSpectrum(req);
      else if (req.kind === 'scene-dynamics') runSceneDynamics(req);
      else await runDynamics(req);
    } catch (e) {
      const err = e as Error;
      post({ kind: 'error', id: req.id, request: req.kind, message: err.message ?? String(e), parameter: e instanceof ParameterError ? e.parameter : undefined, path: e instanceof ParameterError ? e.path : undefined });
    }
    cancelled.delete(req.id);
  }
  running = false;
}

scope.onmessage = (ev: MessageEvent) => {
  const msg = ev.data as WorkerRequest | { kind: 'init'; shared: SharedArrayBuffer | null };
  if (msg.kind === 'init') {
    shared = msg.shared ? new Int32Array(msg.shared) : null;
    return;
  }
  if (msg.kind === 'cancel') {
    cancelled.add(msg.id);
    return;
  }
  latestId = Math.max(latestId, msg.id);
  queue.push(msg);
  void drain();
};

// Ready signal: the page holds its messages until the worker has loaded (Lane.outbox).
post({ kind: 'progress', id: -1, fraction: 0 });
