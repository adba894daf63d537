import type { Command } from 'commander';
import { solve } from '../../src/dynamics/solve.js';
import { METHODS, type Method } from '../../src/dynamics/types.js';
import { MAX_T } from '../../src/dynamics/validate.js';
import { batterySeries } from '../../src/battery/energy.js';
import { addModelOptions, readModelParams } from '../modelOptions.js';
import { parseChoiceFlag, parseNumberFlag } from '../args.js';
import { checkWritable, writeFileAtomicAsync } from '../output.js';
import { csvRows } from '../csvRows.js';
import { startProgress } from '../progress.js';

const FORMATS = ['csv', 'json'] as const;
export const DYNAMICS_COLUMNS = ['t', 'c1_re', 'c1_im', 'c2_re', 'c2_im', 'energy', 'ergotropy'] as const;

/** `qbwave dynamics`: c1(t), c2(t), E(t), W(t) on t = 0, dt, …, tMax. */
export function registerDynamics(program: Command): void {
  addModelOptions(program.command('dynamics').description('charger and battery amplitudes, energy (Eq. 4) and ergotropy (Eq. 5) over time'))
    .requiredOption('--t-max <T>', `last output time, in 1/ω11, in [0, ${MAX_T}]`)
    .requiredOption('--dt <H>', 'output time step, in 1/ω11, in (0, t-max] (sets only the output grid t = 0, H, 2H, … ≤ T; times are the exact decimal multiples, 3 × 0.3 = 0.9)')
    .option('--method <M>', `solver: ${METHODS.join('|')}`, 'exact')
    .option('--tol <TOL>', 'absolute accuracy on c1, c2, in [1e-14, 0.1]', '1e-8')
    .option('--format <F>', 'csv|json (default: from --out extension, else csv)')
    .option('--out <FILE>', 'write to FILE (atomically) instead of stdout')
    .option('--quiet', 'no progress bar')
    .addHelpText('after', `\nCSV columns: ${DYNAMICS_COLUMNS.join(',')}. Exit code 3 when the solver reports that --tol was not met (the data are still written, and the reason is printed on stderr).`)
    .action(async (opts: Record<string, unknown>) => {
      const params = readModelParams(opts);
      const tMax = parseNumberFlag('--t-max', opts.tMax, { min: 0, max: MAX_T, unit: '1/ω11' });
      // dt > tMax would leave the single point t = 0: refused (t-max 0 asks for that point alone, any dt).
      const dt = parseNumberFlag('--dt', opts.dt, { min: 0, minOpen: true, max: tMax > 0 ? tMax : MAX_T, unit: tMax > 0 ? '1/ω11, at most --t-max' : '1/ω11' });
      const tol = parseNumberFlag('--tol', opts.tol, { min: 1e-14, max: 0.1 });
      const method = parseChoiceFlag<Method>('--method', opts.method, METHODS);
      const out = opts.out === undefined ? undefined : String(opts.out);
      const fromExt = out?.toLowerCase().endsWith('.json') ? 'json' : 'csv';
      const format = parseChoiceFlag('--format', opts.format ?? fromExt, FORMATS);
      if (out !== undefined) checkWritable('--out', out);
      const progress = startProgress(!opts.quiet, `dynamics (${method})`);
      let sol;
      try {
        sol = solve({ params, tMax, dt, tol }, method, { onProgress: progress.update });
      } finally {
        progress.stop();
      }
      // CSV goes out in chunks of rows (no 10⁷-character string for a long series).
      const chunks = format === 'json' ? [toJson(sol)] : csvChunks(sol);
      if (out !== undefined) await writeFileAtomicAsync(out, chunks);
      else for (const chunk of chunks) process.stdout.write(chunk);
      if (sol.status !== 'success') {
        process.stderr.write(`qbwave: warning: ${method} status ${sol.status}: ${sol.message}\n`);
        process.exitCode = 3;
      }
    });
}

type Sol = ReturnType<typeof solve>;

function columns(sol: Sol): Record<(typeof DYNAMICS_COLUMNS)[number], ArrayLike<number>> {
  const n = sol.t.length;
  const pick = (arr: Float64Array, off: number) => {
    const col = new Float64Array(n);
    for (let i = 0; i < n; i++) col[i] = arr[2 * i + off]!;
    return col;
  };
  const b = batterySeries(sol);
  return { t: sol.t, c1_re: pick(sol.c1, 0), c1_im: pick(sol.c1, 1), c2_re: pick(sol.c2, 0), c2_im: pick(sol.c2, 1), energy: b.energy, ergotropy: b.ergotropy };
}

/** The CSV text in chunks: the header line, then blocks of rows (numbers as String(x) writes them). */
export function* csvChunks(sol: Sol): Generator<string> {
  const cols = columns(sol);
  yield `${DYNAMICS_COLUMNS.join(',')}\n`;
  yield* csvRows(DYNAMICS_COLUMNS.map((c) => cols[c]), sol.t.length);
}

export function toCsv(sol: Sol): string {
  return [...csvChunks(sol)].join('');
}

export function toJson(sol: Sol): string {
  const cols = columns(sol);
  const obj: Record<string, unknown> = {
    method: sol.method, params: sol.params, status: sol.status, message: sol.message,
    errorEstimate: Number.isFinite(sol.errorEstimate) ? sol.errorEstimate : null,
  };
  for (const c of DYNAMICS_COLUMNS) obj[c] = Array.from(cols[c]);
  return `${JSON.stringify(obj)}\n`;
}
