import type { ModelParams } from '../model/params.js';
import { solve } from '../dynamics/solve.js';
import { batteryEnergyOf as batteryEnergy } from '../battery/energy.js';
import type { CancelToken, Method } from '../dynamics/types.js';
import { evaluatePoint, type PointOptions, type QuantitySpec } from './quantities.js';

/**
 * Units of work for the figure studies, as plain data so that they can be run in this thread
 * (`runJobs`) or shipped to worker threads by the CLI. Both kinds call the same functions as the
 * single-point commands: steadyState (via evaluatePoint) and solve.
 */

/** Steady-state quantities at one parameter point. */
export interface PointJob {
  kind: 'point';
  params: ModelParams;
  quantities: QuantitySpec[];
  options: PointOptions;
}

/**
 * The battery energy E(t) = ω0|c2(t)|² (Eq. 4) on the grid t = 0, dt, …, tMax from solve(method);
 * only the samples with t ≥ tFrom are returned.
 */
export interface EnergySeriesJob {
  kind: 'energySeries';
  params: ModelParams;
  tMax: number;
  dt: number;
  tFrom: number;
  tol: number;
  method: Method;
}

export type Job = PointJob | EnergySeriesJob;

export interface PointJobResult {
  kind: 'point';
  values: number[];
  status: string;
  message: string;
}

export interface EnergySeriesResult {
  kind: 'energySeries';
  t: number[];
  energy: number[];
  status: string;
  message: string;
  errorEstimate: number;
}

export type JobResult = PointJobResult | EnergySeriesResult;

/** Runs one job. */
export function runJob(job: Job, signal?: CancelToken): JobResult {
  if (job.kind === 'point') {
    const r = evaluatePoint(job.params, job.quantities, job.options);
    return { kind: 'point', values: r.values, status: r.status, message: r.message };
  }
  const sol = solve({ params: job.params, tMax: job.tMax, dt: job.dt, tol: job.tol }, job.method, { signal });
  const t: number[] = [];
  const energy: number[] = [];
  for (let n = 0; n < sol.t.length; n++) {
    if (sol.t[n]! < job.tFrom - 1e-9) continue;
    t.push(sol.t[n]!);
    energy.push(batteryEnergy(sol.c2[2 * n]!, sol.c2[2 * n + 1]!, sol.params.omega0));
  }
  // A solver must never report success with non-finite output; if it does, say so rather than plot it.
  const bad = energy.findIndex((e) => !Number.isFinite(e));
  if (bad >= 0 && sol.status === 'success') {
    return { kind: 'energySeries', t, energy, status: 'non-finite', message: `solve(${job.method}) returned 'success' but E(t = ${t[bad]}) = ${energy[bad]} (${sol.message})`, errorEstimate: sol.errorEstimate };
  }
  return { kind: 'energySeries', t, energy, status: sol.status, message: sol.message, errorEstimate: sol.errorEstimate };
}

/**
 * A rough relative cost of a job (a steady-state point ≈ 1 ≈ 3 ms), for progress bars and for
 * handing out the expensive jobs first. An exact-resolvent series costs ∝ nodes × (output points +
 * build), with nodes ∝ √(Γ11/tol)·tMax (src/dynamics/exact.ts); the constants were fitted on the
 * figure defaults. The other methods are charged the same way (only the ordering matters).
 */
export function jobCost(job: Job): number {
  if (job.kind === 'point') return job.quantities.some((q) => q.name === 'energyAt') ? 200 : 1;
  const points = Math.floor(job.tMax / job.dt) + 1;
  const nodes = Math.sqrt((2 * job.params.gamma11) / (Math.PI * job.tol)) * (job.tMax + 10) * 3;
  return 5 + (nodes * (points + 200)) / 2e5;
}

/** Progress and cancellation for runJobs. */
export interface JobRunOptions {
  onProgress?: (fraction: number) => void;
  signal?: CancelToken;
}

/** Runs jobs one after another in this thread; returns results in job order (null after cancellation). */
export function runJobs(jobs: readonly Job[], options: JobRunOptions = {}): JobResult[] | null {
  const total = jobs.reduce((s, j) => s + jobCost(j), 0);
  let done = 0;
  const out: JobResult[] = [];
  for (const job of jobs) {
    if (options.signal?.aborted) return null;
    out.push(runJob(job, options.signal));
    done += jobCost(job);
    options.onProgress?.(done / total);
  }
  return out;
}
