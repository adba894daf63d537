/**
 * Worker-thread entry for sweeps and figures (run by tinypool). Tasks are plain data; the work is done
 * by the same pure functions the main thread would call.
 */
import { evaluatePoint, quantityColumns, type PointOptions, type QuantitySpec } from '../../src/studies/quantities.js';
import { runJob, type Job, type JobResult } from '../../src/studies/jobs.js';
import type { Row } from './formats.js';

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

export function runJobsTask(task: JobsTask): JobResult[] {
  return task.jobs.map((j) => runJob(j));
}

export default function (task: PointsTask | JobsTask): Row[] | JobResult[] {
  return task.kind === 'points' ? runPoints(task) : runJobsTask(task);
}
