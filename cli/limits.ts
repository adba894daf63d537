import { availableParallelism } from 'node:os';
import { parseNumberFlag } from './args.js';
import { UsageError } from './errors.js';

/**
 * Bounds on the work and memory of one qbwave process, checked before anything is computed or
 * created, each stated in its error message. How they were chosen (measured 2026-11-30, Node 20,
 * whose default heap limit is ≈ 4 GB on a machine with ≥ 16 GB of memory and less on smaller ones):
 *
 * - Threads: each worker thread costs ≈ 19 MB (1024 threads ≈ 19 GB, issue 10) and more threads
 *   than cores only time-slice them; allowed up to THREADS_PER_CORE × the cores Node reports.
 * - Fig. 4 grid: ≈ 1.4 kB per point for the jobs, results, table and CSV, and ≈ 8 kB per point while
 *   Vega renders the SVG map (40 000 points: 425 MB peak resident, 110 MB of it loading Vega; the
 *   SVG text alone is ≈ 580 B per point). 200 000 points ≈ 1.7 GB, inside the default heap of a
 *   16 GB machine; the default grid is 111 × 75 = 8 325.
 * - Sweep: ≈ 0.5 kB per point held in one process (journal rows, the output text); the output is
 *   built as one string of ≈ 130–190 bytes per point (CSV, JSON), and V8 strings stop at 2²⁹ − 24
 *   characters ≈ 2.9 × 10⁶ JSON points. 2 × 10⁶ points per process ≈ 1 GB and a ≤ 380 MB string;
 *   larger grids are computed as shards (`--shard i/n`), each within the bound.
 */

/** Worker threads allowed per core (see the top of this file). */
export const THREADS_PER_CORE = 4;

/** Largest Fig. 4 grid (ω0 count × Δz count). */
export const MAX_FIG4_POINTS = 200_000;

/**
 * Most rows of the Fig. 3(a) long-time map (--fig3-dz). Each row is one exact solve over
 * t ∈ [300, 500]/ω11 (0.1–1 s), so 2000 rows is at most ≈ 30 min on one core: a publication map, not a
 * mistyped count.
 */
export const MAX_FIG3_ROWS = 2000;

/** Most sweep points one process holds (the whole grid, or one shard of it). */
export const MAX_SWEEP_POINTS = 2_000_000;

/** The largest --threads on a machine with `cores` cores. */
export function maxThreads(cores: number = availableParallelism()): number {
  return THREADS_PER_CORE * Math.max(1, Math.floor(cores));
}

/** Parses --threads: an integer in [1, THREADS_PER_CORE × cores]; the error states the bound and why. */
export function parseThreadsFlag(raw: unknown, cores: number = availableParallelism()): number {
  const max = maxThreads(cores);
  const range = { min: 1, max, unit: `${THREADS_PER_CORE} × the ${cores} core${cores === 1 ? '' : 's'} of this machine` };
  const n = parseNumberFlag('--threads', raw, range);
  if (!Number.isInteger(n)) throw new UsageError(`--threads ${JSON.stringify(String(raw))}: must be an integer in [1, ${max}] (${range.unit})`);
  return n;
}

/**
 * Refuses a grid of `points` points above `max`, before anything is computed: a UsageError naming
 * the flags, the grid's size (and its factors) and the bound.
 */
export function checkGridBound(flags: string, points: number, factors: readonly number[], max: number, note: string, subject = 'the grid'): void {
  if (points <= max) return;
  const shape = factors.length > 1 ? ` (${factors.join(' × ')})` : '';
  throw new UsageError(`${flags}: ${subject} has ${points} points${shape}, more than the bound ${max} (${note})`);
}
