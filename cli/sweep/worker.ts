/**
 * Worker-thread entry for sweeps and figures (run by tinypool). Tasks are plain data; the work is done
 * by the same pure functions the main thread would call.
 */
import { evaluatePoint, quantityColumns, type PointOptions, type QuantitySpec } from '../../src/studies/quantities.js';
import { runJob, type Job, type JobResult } from '../../src/studies/jobs.js';
import type { Row } from './formats.js';
import { prepareScene, type Scene } from '../../src/model/scene.js';
import { sceneSteadyState } from '../../src/battery/sceneSteady.js';
import { solveScene } from '../../src/dynamics/scene/solve.js';
import { bankSeries, bankState } from '../../src/battery/bank.js';
import { sceneQuantityColumns, scenePoint } from './spec.js';

/** A batch of sweep points: flat [i, ω0, Δz, Γ11, i, ω0, …]. */
export interface PointsTask {
  kind: 'points';
  points: number[];
  quantities: QuantitySpec[];
  options: PointOptions;
}

/** A batch of figure jobs. */
export interface JobsTask {
  kind: 'jobs';
  jobs: Job[];
}

export function runPoints(task: PointsTask): Row[] {
  const out: Row[] = [];
  for (let k = 0; k < task.points.length; k += 4) {
    const i = task.points[k]!;
    const params = { omega0: task.points[k + 1]!, dz: task.points[k + 2]!, gamma11: task.points[k + 3]! };
    try {
      const r = evaluatePoint(params, task.quantities, task.options);
      out.push({ i, v: r.values, s: r.status, m: r.message });
    } catch (err) {
      const n = quantityColumns(task.quantities).length;
      out.push({ i, v: new Array<number>(n).fill(Number.NaN), s: 'error', m: err instanceof Error ? err.message : String(err) });
    }
  }
  return out;
}

/** A batch of scene-sweep points: the scene, the varied paths and flat [i, v1, (v2), i, …]. */
export interface ScenePointsTask {
  kind: 'scenePoints';
  scene: Scene;
  paths: string[];
  points: number[];
  quantities: QuantitySpec[];
  options: Required<PointOptions>;
}

/**
 * The quantities of one scene (cli/sweep/spec.ts sceneQuantityColumns order): bound-state count,
 * effective count and the steady bank energy range and ergotropy maximum from sceneSteadyState, the bank's energy and collective ergotropy at times T from
 * solveScene on the grid {0, T} (the first non-success status is the point's, with its message).
 */
export function evaluateScenePoint(scene: Scene, specs: readonly QuantitySpec[], o: Required<PointOptions>): { values: number[]; status: string; message: string } {
  const prepared = prepareScene(scene, 'scene');
  const values: number[] = [];
  let status = 'success';
  let message = '';
  const note = (s: string, m: string) => {
    if (s !== 'success' && status === 'success') { status = s; message = m; }
  };
  const needsSteady = specs.some((q) => q.name !== 'energyAt');
  const steady = needsSteady ? sceneSteadyState(prepared, { residueThreshold: o.residueThreshold, observationTime: o.observationTime }) : null;
  const spec = steady?.spectrum;
  if (spec) note(spec.status, `bound states: ${spec.message}`);
  for (const q of specs) {
    if (q.name === 'boundStates') values.push(spec!.count);
    else if (q.name === 'energyMinMax') values.push(steady!.bankEnergy.min, steady!.bankEnergy.max);
    else if (q.name === 'ergotropyMax') values.push(steady!.bankErgotropy.max);
    else if (q.name === 'effectiveCount') values.push(spec!.effectiveCount, spec!.degenerate ? 1 : 0);
    else if (q.name === 'energyAt') {
      for (const t of q.times ?? []) {
        if (t === 0) {
          const b = bankState(prepared, prepared.initial);
          values.push(b.energy, b.ergotropy);
          continue;
        }
        const sol = solveScene({ scene: prepared.scene, tMax: t, dt: t, tol: o.tol }, o.method);
        const b = bankSeries(sol);
        const last = sol.t.length - 1;
        values.push(b.energy[last]!, b.ergotropy[last]!);
        note(sol.status, `energyAt ${t}: ${sol.message}`);
      }
    }
  }
  return { values, status, message };
}

export function runScenePoints(task: ScenePointsTask): Row[] {
  const out: Row[] = [];
  const k = task.paths.length;
  for (let p = 0; p < task.points.length; p += 1 + k) {
    const i = task.points[p]!;
    const coords = task.points.slice(p + 1, p + 1 + k);
    try {
      const r = evaluateScenePoint(scenePoint(task.scene, task.paths, coords), task.quantities, task.options);
      out.push({ i, v: r.values, s: r.status, m: r.message });
    } catch (err) {
      const n = sceneQuantityColumns(task.quantities).length;
      out.push({ i, v: new Array<number>(n).fill(Number.NaN), s: 'error', m: err instanceof Error ? err.message : String(err) });
    }
  }
  return out;
}

export function runJobsTask(task: JobsTask): JobResult[] {
  return task.jobs.map((j) => runJob(j));
}

export default function (task: PointsTask | ScenePointsTask | JobsTask): Row[] | JobResult[] {
  if (task.kind === 'points') return runPoints(task);
  if (task.kind === 'scenePoints') return runScenePoints(task);
  return runJobsTask(task);
}
