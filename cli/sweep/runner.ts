import { availableParallelism } from 'node:os';
import { Tinypool } from 'tinypool';
import type { ModelParams } from '../../src/model/params.js';
import type { PointOptions, QuantitySpec } from '../../src/studies/quantities.js';
import type { Row } from './formats.js';
import { runJobsTask, runPoints, runScenePoints, type JobsTask, type PointsTask, type ScenePointsTask } from './worker.js';
import type { Scene } from '../../src/model/scene.js';
import { jobCost, type Job, type JobResult } from '../../src/studies/jobs.js';

/**
 * Evaluates many parameter points on all cores: batches of points go to a tinypool of worker threads
 * (one per core by default); with threads = 1 they run in this thread, between event-loop turns so
 * that Ctrl-C is still handled. Results arrive through `onRows` in completion order (callers sort
 * by index); the values do not depend on the thread count.
 */

export interface RunOptions {
  /** Worker threads (default: os.availableParallelism()). */
  threads?: number;
  /** Points per task (default: chosen from the total so that every thread gets ≥ 8 tasks, at most 64). */
  batch?: number;
  onRows?: (rows: Row[]) => void;
  signal?: AbortSignal;
}

export function defaultThreads(): number {
  return Math.max(1, availableParallelism());
}

/** The worker module next to this file: worker.js when compiled; under tsx/vitest a bootstrap that registers tsx. */
function workerUrl(): string {
  const here = import.meta.url;
  return new URL(here.endsWith('.ts') ? './worker.dev.mjs' : './worker.js', here).href;
}

export class Cancelled extends Error {
  constructor() {
    super('cancelled');
    this.name = 'Cancelled';
  }
}

/**
 * Computes `quantities` at the points (index, params) and returns all rows (unsorted). Throws
 * Cancelled if `signal` aborts; rows finished before that were already delivered to onRows.
 */
export async function runPointsParallel(
  points: Array<{ i: number; params: ModelParams }>,
  quantities: QuantitySpec[],
  options: PointOptions,
  run: RunOptions = {},
): Promise<Row[]> {
  const threads = Math.max(1, Math.floor(run.threads ?? defaultThreads()));
  const batch = run.batch ?? Math.max(1, Math.min(64, Math.ceil(points.length / (threads * 8))));
  const tasks: PointsTask[] = [];
  for (let k = 0; k < points.length; k += batch) {
    const flat: number[] = [];
    for (const p of points.slice(k, k + batch)) flat.push(p.i, p.params.omega0, p.params.dz, p.params.gamma11);
    tasks.push({ kind: 'points', points: flat, quantities, options });
  }
  const all: Row[] = [];
  const deliver = (rows: Row[]) => {
    for (const r of rows) all.push(r);
    run.onRows?.(rows);
  };
  await runTasks(tasks, threads, run.signal, (t) => runPoints(t), (_, rows: Row[]) => deliver(rows));
  return all;
}

/**
 * The scene-sweep form of runPointsParallel: computes `quantities` of `scene` with the varied `paths`
 * set to each point's coordinates (index i, coords in path order), in batches on worker threads.
 */
export async function runScenePointsParallel(
  points: Array<{ i: number; coords: number[] }>,
  sweep: { scene: Scene; paths: string[]; quantities: QuantitySpec[]; options: Required<PointOptions> },
  run: RunOptions = {},
): Promise<Row[]> {
  const threads = Math.max(1, Math.floor(run.threads ?? defaultThreads()));
  const batch = run.batch ?? Math.max(1, Math.min(64, Math.ceil(points.length / (threads * 8))));
  const tasks: ScenePointsTask[] = [];
  for (let k = 0; k < points.length; k += batch) {
    const flat: number[] = [];
    for (const p of points.slice(k, k + batch)) flat.push(p.i, ...p.coords);
    tasks.push({ kind: 'scenePoints', scene: sweep.scene, paths: sweep.paths, points: flat, quantities: sweep.quantities, options: sweep.options });
  }
  const all: Row[] = [];
  await runTasks(tasks, threads, run.signal, (t) => runScenePoints(t), (_, rows: Row[]) => {
    for (const r of rows) all.push(r);
    run.onRows?.(rows);
  });
  return all;
}

/**
 * Runs figure jobs on `threads` threads and returns their results in job order. Expensive jobs are
 * handed out first; cheap steady-state points travel in batches. `onProgress(done, total)` counts
 * in units of jobCost.
 */
export async function runJobsParallel(
  jobs: readonly Job[],
  run: { threads?: number; signal?: AbortSignal; onProgress?: (done: number, total: number) => void } = {},
): Promise<JobResult[]> {
  const threads = Math.max(1, Math.floor(run.threads ?? defaultThreads()));
  const costs = jobs.map(jobCost);
  const total = costs.reduce((a, b) => a + b, 0);
  const order = jobs.map((_, k) => k).sort((a, b) => costs[b]! - costs[a]! || a - b);
  // Batches of roughly equal cost, at least 8 per thread, never splitting an expensive job.
  const target = Math.max(1, total / (threads * 8));
  const batches: number[][] = [];
  let cur: number[] = [];
  let curCost = 0;
  for (const k of order) {
    cur.push(k);
    curCost += costs[k]!;
    if (curCost >= target) {
      batches.push(cur);
      cur = [];
      curCost = 0;
    }
  }
  if (cur.length) batches.push(cur);
  const results = new Array<JobResult>(jobs.length);
  let done = 0;
  const finish = (batch: number[], res: JobResult[]) => {
    batch.forEach((k, j) => { results[k] = res[j]!; done += costs[k]!; });
    run.onProgress?.(done, total);
  };
  const taskOf = (batch: number[]): JobsTask => ({ kind: 'jobs', jobs: batch.map((k) => jobs[k]!) });
  await runTasks(batches.map(taskOf), threads, run.signal, (t) => runJobsTask(t), (k, res: JobResult[]) => finish(batches[k]!, res));
  return results;
}

/**
 * Runs `tasks` on `threads` worker threads (in this thread, yielding between tasks, when there is one
 * thread or one task) and hands each result to `onResult(index, result)` as it arrives. Throws
 * Cancelled if `signal` aborts; results delivered before that stay delivered.
 */
async function runTasks<T, R>(
  tasks: readonly T[],
  threads: number,
  signal: AbortSignal | undefined,
  local: (task: T) => R,
  onResult: (index: number, result: R) => void,
): Promise<void> {
  if (threads === 1 || tasks.length <= 1) {
    for (let k = 0; k < tasks.length; k++) {
      if (signal?.aborted) throw new Cancelled();
      onResult(k, local(tasks[k]!));
      await new Promise<void>((r) => setImmediate(r));
    }
    if (signal?.aborted) throw new Cancelled();
    return;
  }
  const pool = new Tinypool({ filename: workerUrl(), minThreads: threads, maxThreads: threads, idleTimeout: 1000 });
  let cancelled = false;
  const onAbort = () => {
    cancelled = true;
    pool.cancelPendingTasks();
  };
  signal?.addEventListener('abort', onAbort);
  try {
    await Promise.all(
      tasks.map((t, k) =>
        (pool.run(t) as Promise<R>).then(
          (res) => { if (!cancelled) onResult(k, res); },
          (err: unknown) => { if (!cancelled) throw err; },
        ),
      ),
    );
  } finally {
    signal?.removeEventListener('abort', onAbort);
    await pool.destroy();
  }
  if (cancelled) throw new Cancelled();
}
