import { checkNumber } from '../errors.js';
import { linspace } from './grid.js';
import type { Column } from './quantities.js';
import type { Job, JobResult } from './jobs.js';

/**
 * Plain-data results of the figure studies: named tables (one per plotted series) with documented
 * columns, and the parameters/method/tolerances that made them. The CLI turns each table into a CSV
 * and each figure into SVG/PNG; nothing here knows about files or plotting.
 */

export type Cell = number | string;

export interface Table {
  /** File-name stem, e.g. "fig2a_spectrum". */
  name: string;
  title: string;
  columns: Column[];
  rows: Cell[][];
}

/** A vertical or horizontal reference line (a threshold) with a label. */
export interface Marker {
  panel: string;
  axis: 'x' | 'y';
  value: number;
  label: string;
}

export interface FigureData {
  id: 'fig2' | 'fig3' | 'fig4';
  title: string;
  /** What each panel shows and how it maps to the paper. */
  caption: string;
  /** Physical parameters and numerical settings (recorded in every CSV header). */
  parameters: Record<string, string | number>;
  method: string;
  tables: Table[];
  markers: Marker[];
  /** Non-success statuses met while computing (empty when all is well). */
  warnings: string[];
}

/**
 * A figure study as work plus assembly: `jobs` are plain data (run them with runJobs or in worker
 * threads), `assemble` turns their results, in job order, into FigureData.
 */
export interface FigurePlan {
  id: FigureData['id'];
  jobs: Job[];
  assemble(results: readonly JobResult[]): FigureData;
}

/** An evenly spaced axis, as in `qbwave sweep` (start:stop:count). */
export interface AxisRange {
  start: number;
  stop: number;
  count: number;
}

export function axisValues(name: string, r: AxisRange): number[] {
  checkNumber(`${name}.count`, r.count, { min: 1, max: 100_000 });
  return linspace(r.start, r.stop, r.count);
}

export function rangeText(r: AxisRange): string {
  return `${r.start}:${r.stop}:${r.count}`;
}

/** Column helper. */
export function col(name: string, unit: string, description: string): Column {
  return { name, unit, description };
}

/** Collects non-success statuses from job results into readable warnings. */
export function collectWarnings(jobs: readonly Job[], results: readonly JobResult[]): string[] {
  const out: string[] = [];
  results.forEach((r, k) => {
    if (r.status !== 'success') {
      const p = jobs[k]!.params;
      out.push(`${jobs[k]!.kind} at omega0=${p.omega0}, dz=${p.dz}, gamma11=${p.gamma11}: ${r.status}: ${r.message}`);
    }
  });
  return out;
}
