import type { Command } from 'commander';
import { existsSync, statSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import { solve } from '../../src/dynamics/solve.js';
import { METHODS, type Method } from '../../src/dynamics/types.js';
import { MAX_T } from '../../src/dynamics/validate.js';
import { LONG_T_MAX, solveLongTime } from '../../src/dynamics/longTime.js';
import { UsageError } from '../errors.js';
import { batterySeries } from '../../src/battery/energy.js';
import { addModelOptions, readModelParams } from '../modelOptions.js';
import { parseChoiceFlag, parseNumberFlag } from '../args.js';
import { checkWritable, writeFileAtomicAsync } from '../output.js';
import { csvRows } from '../csvRows.js';
import { startProgress } from '../progress.js';
import { VERSION } from '../../src/version.js';
import { solveScene } from '../../src/dynamics/scene/solve.js';
import type { SceneSolution } from '../../src/dynamics/scene/types.js';
import type { PreparedScene } from '../../src/model/scene.js';
import { addSceneOption, readModelOrScene, withSceneErrors, type SceneFile } from '../scene.js';
import { bankSeries, type BankSeries } from '../../src/battery/bank.js';

const FORMATS = ['csv', 'json'] as const;
export const DYNAMICS_COLUMNS = ['t', 'c1_re', 'c1_im', 'c2_re', 'c2_im', 'energy', 'ergotropy'] as const;

/** `qbwave dynamics`: c1(t), c2(t), E(t), W(t) on t = 0, dt, …, tMax. */
export function registerDynamics(program: Command): void {
  const cmd = addModelOptions(program.command('dynamics').description('charger and battery amplitudes, energy (Eq. 4) and ergotropy (Eq. 5) over time'));
  addSceneOption(cmd, 'columns t, c1_re, c1_im, …, cN_re, cN_im, then the bank\'s energy and ergotropy')
    .requiredOption('--t-max <T>', `last output time, in 1/ω11, in [0, ${MAX_T}]; up to ${LONG_T_MAX} with the two-emitter exact method (long-time route: bound states plus the continuum while it has not decayed)`)
    .requiredOption('--dt <H>', 'output time step, in 1/ω11, in (0, t-max] (sets only the output grid t = 0, H, 2H, … ≤ T; times are the exact decimal multiples, 3 × 0.3 = 0.9)')
    .option('--method <M>', `solver: ${METHODS.join('|')}`, 'exact')
    .option('--tol <TOL>', 'absolute accuracy on c1, c2, in [1e-14, 0.1]', '1e-8')
    .option('--format <F>', 'csv|json (default: from --out extension, else csv)')
    .option('--out <FILE>', 'write to FILE (atomically) instead of stdout; a CSV gets its provenance in FILE.meta.json')
    .option('--quiet', 'no progress bar')
    .addHelpText('after', `\nCSV columns: ${DYNAMICS_COLUMNS.join(',')}; with --scene: t, c1_re, c1_im, …, cN_re, cN_im, ${SCENE_BANK_COLUMNS.join(', ')}. Exit code 3 when the solver reports that --tol was not met (the data are still written, and the reason is printed on stderr).`)
    .action(async (opts: Record<string, unknown>, self: Command) => {
      const model = readModelOrScene(opts, self);
      const tMax = parseNumberFlag('--t-max', opts.tMax, { min: 0, max: LONG_T_MAX, unit: `1/ω11; beyond ${MAX_T} only --method exact without --scene` });
      // dt > tMax would leave the single point t = 0: refused (t-max 0 asks for that point alone, any dt).
      const dt = parseNumberFlag('--dt', opts.dt, { min: 0, minOpen: true, max: tMax > 0 ? tMax : MAX_T, unit: tMax > 0 ? '1/ω11, at most --t-max' : '1/ω11' });
      const tol = parseNumberFlag('--tol', opts.tol, { min: 1e-14, max: 0.1 });
      const method = parseChoiceFlag<Method>('--method', opts.method, METHODS);
      // Beyond MAX_T the time-stepping and scene solvers do not go; the two-emitter exact method does,
      // by src/dynamics/longTime.ts (cost independent of t; its status says when its bound was not met).
      const longTime = tMax > MAX_T;
      if (longTime && (method !== 'exact' || model.kind !== 'params')) {
        throw new UsageError(`--t-max ${tMax}: beyond ${MAX_T}/ω11 only the two-emitter exact method's long-time route is available (--method exact, without --scene)`);
      }
      const out = opts.out === undefined ? undefined : String(opts.out);
      const fromExt = out?.toLowerCase().endsWith('.json') ? 'json' : 'csv';
      const format = parseChoiceFlag('--format', opts.format ?? fromExt, FORMATS);
      if (out !== undefined) checkWritable('--out', out);
      const meta = out !== undefined && format === 'csv' ? metaTarget(out) : null;
      if (meta?.path) checkWritable('--out', meta.path);
      const progress = startProgress(!opts.quiet, `dynamics (${method})`);
      let sol: Sol | SceneSolution;
      let chunks: Iterable<string>;
      let record: (file: string) => string;
      try {
        if (model.kind === 'params') {
          const problem = { params: model.params, tMax, dt, tol };
          const s = longTime ? solveLongTime(problem, { onProgress: progress.update }) : solve(problem, method, { onProgress: progress.update });
          sol = s;
          // CSV goes out in chunks of rows (no 10⁷-character string for a long series).
          chunks = format === 'json' ? [toJson(s)] : csvChunks(s);
          record = (file) => provenance(s, { tMax, dt, tol }, file);
        } else {
          const s = withSceneErrors(model.file, () => solveScene({ scene: model.file.prepared.scene, tMax, dt, tol }, method, { onProgress: progress.update }));
          sol = s;
          chunks = format === 'json' ? [sceneJson(s, model.file)] : sceneCsvChunks(s, model.file.prepared);
          record = (file) => sceneProvenance(s, model.file, { tMax, dt, tol }, file);
        }
      } finally {
        progress.stop();
      }
      // The CSV stays plain (numpy.genfromtxt(names=True) and pandas read it as is); its provenance goes
      // beside it, written first so a CSV never exists without the record of how it was made.
      if (meta?.path && out !== undefined) await writeFileAtomicAsync(meta.path, [record(out)]);
      else if (meta?.note) process.stderr.write(`qbwave: note: ${meta.note}\n`);
      if (out !== undefined) await writeFileAtomicAsync(out, chunks);
      else for (const chunk of chunks) process.stdout.write(chunk);
      if (sol.status !== 'success') {
        process.stderr.write(`qbwave: warning: ${method} status ${sol.status}: ${sol.message}\n`);
        process.exitCode = 3;
      } else if (!opts.quiet) {
        process.stderr.write(`qbwave: dynamics ${method}: success, error estimate ${sol.errorEstimate.toExponential(2)} (tol ${tol}), ${sol.t.length} points${out !== undefined ? ` → ${out}` : ''}\n`);
      }
    });
}

type Sol = ReturnType<typeof solve>;

/**
 * Where a CSV's provenance goes: FILE.meta.json beside a regular file. None beside a device or FIFO
 * (`--out /dev/null` must create nothing in /dev), and none, with a note, when the longer name would not
 * be a legal file name (any legal --out works; see cli/output.ts).
 */
export function metaTarget(out: string): { path?: string; note?: string } {
  const full = resolve(out);
  if (existsSync(full) && !statSync(full).isFile()) return {};
  const path = `${full}.meta.json`;
  if (Buffer.byteLength(basename(path)) > 255) return { note: `provenance not written: ${basename(out)}.meta.json would be longer than 255 bytes` };
  return { path: `${out}.meta.json` };
}

/** The provenance of a dynamics run: what a sweep file's # header records, as JSON. */
export function provenance(sol: Sol, grid: { tMax: number; dt: number; tol: number }, file: string): string {
  const meta = {
    file,
    qbwaveVersion: VERSION,
    command: 'dynamics',
    method: sol.method,
    params: sol.params,
    tMax: grid.tMax,
    dt: grid.dt,
    tol: grid.tol,
    status: sol.status,
    message: sol.message,
    errorEstimate: Number.isFinite(sol.errorEstimate) ? sol.errorEstimate : null,
    points: sol.t.length,
    columns: {
      t: '1/omega11', c1_re: 'charger amplitude, real part', c1_im: 'charger amplitude, imaginary part',
      c2_re: 'battery amplitude, real part', c2_im: 'battery amplitude, imaginary part',
      energy: 'omega11: E(t) = omega0 |c2|^2 (Eq. 4)', ergotropy: 'omega11: W(t) (Eq. 5)',
    },
    units: 'omega11 = c = 1; omega0, Gamma11 in omega11, dz in lambda11, t in 1/omega11',
  };
  return `${JSON.stringify(meta, null, 2)}\n`;
}

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
    qbwaveVersion: VERSION, method: sol.method, params: sol.params, status: sol.status, message: sol.message,
    errorEstimate: Number.isFinite(sol.errorEstimate) ? sol.errorEstimate : null,
  };
  for (const c of DYNAMICS_COLUMNS) obj[c] = Array.from(cols[c]);
  return `${JSON.stringify(obj)}\n`;
}

// ---------------------------------------------------------------------------------------------
// --scene: N emitters and a battery bank (issue 13 item 5; docs/scenes.md).

/** The bank's columns after the amplitudes of a scene's dynamics (shared/scenes.md §3, src/battery/bank.ts). */
export const SCENE_BANK_COLUMNS = ['energy', 'ergotropy', 'ergotropy_local', 'charger_energy', 'lost_energy', 'field_energy'] as const;

/** The bank's series of a scene solution in SCENE_BANK_COLUMNS order. */
function bankColumns(b: BankSeries): ArrayLike<number>[] {
  return [b.energy, b.ergotropy, b.localErgotropy, b.chargerEnergy, b.lostEnergy, b.fieldEnergy];
}

/** The column names of a scene's dynamics with N emitters: t, c1_re, c1_im, …, cN_re, cN_im, then the bank's. */
export function sceneColumnNames(n: number): string[] {
  const names = ['t'];
  for (let j = 1; j <= n; j++) names.push(`c${j}_re`, `c${j}_im`);
  return [...names, ...SCENE_BANK_COLUMNS];
}

/** Every column of a scene's dynamics, in sceneColumnNames order, and the bank's series. */
function sceneColumnValues(sol: SceneSolution): { cols: ArrayLike<number>[]; bank: BankSeries } {
  const m = sol.t.length;
  const cols: ArrayLike<number>[] = [sol.t];
  for (const c of sol.c) {
    const re = new Float64Array(m);
    const im = new Float64Array(m);
    for (let i = 0; i < m; i++) {
      re[i] = c[2 * i]!;
      im[i] = c[2 * i + 1]!;
    }
    cols.push(re, im);
  }
  const bank = bankSeries(sol);
  cols.push(...bankColumns(bank));
  return { cols, bank };
}

/** A scene's dynamics as CSV text in chunks: the header line, then blocks of rows. */
export function* sceneCsvChunks(sol: SceneSolution, prepared: PreparedScene): Generator<string> {
  yield `${sceneColumnNames(prepared.n).join(',')}\n`;
  yield* csvRows(sceneColumnValues(sol).cols, sol.t.length);
}

/** A finite number, or null (JSON has no NaN). */
const finiteOrNull = (x: number) => (Number.isFinite(x) ? x : null);

/** A scene's dynamics as one JSON object: the run's record, then one array per column (same names as the CSV). */
export function sceneJson(sol: SceneSolution, file: SceneFile): string {
  const prepared = file.prepared;
  const { cols, bank } = sceneColumnValues(sol);
  const power = bank.maxPower;
  const obj: Record<string, unknown> = {
    qbwaveVersion: VERSION, method: sol.method, scene: sol.scene, path: sol.path, status: sol.status, message: sol.message,
    errorEstimate: finiteOrNull(sol.errorEstimate),
    batteries: prepared.batteries.map((b) => b + 1),
    chargingPower: power && { max: finiteOrNull(power.max), time: power.time },
  };
  sceneColumnNames(prepared.n).forEach((name, k) => { obj[name] = Array.from(cols[k]!, (x) => finiteOrNull(x)); });
  return `${JSON.stringify(obj)}\n`;
}

/** The provenance of a scene's dynamics CSV (FILE.meta.json): as for the two-emitter run, with the scene in place of the parameters. */
export function sceneProvenance(sol: SceneSolution, file: SceneFile, grid: { tMax: number; dt: number; tol: number }, out: string): string {
  const prepared = file.prepared;
  const columns: Record<string, string> = { t: '1/omega11' };
  prepared.scene.emitters.forEach((e, j) => {
    const who = `emitter ${j + 1} (emitters[${j}], ${e.role})`;
    columns[`c${j + 1}_re`] = `${who} amplitude, real part`;
    columns[`c${j + 1}_im`] = `${who} amplitude, imaginary part`;
  });
  columns.energy = 'omega11: bank energy E_B = sum over batteries of omega_b |c_b|^2';
  columns.ergotropy = 'omega11: collective ergotropy of the bank, E_B - min(p, 1 - p) min omega_b, p = sum over batteries of |c_b|^2';
  columns.ergotropy_local = 'omega11: sum over batteries of the ergotropy of each alone, omega_b max(0, 2|c_b|^2 - 1)';
  columns.charger_energy = 'omega11: sum over chargers of omega_j |c_j|^2';
  columns.lost_energy = 'omega11: energy lost to intrinsic decay so far, integral of sum_j loss_j omega_j |c_j|^2 dt (trapezoid rule on the output grid)';
  columns.field_energy = 'omega11: energy left in the field, initial energy - sum_j omega_j |c_j|^2 - lost_energy';
  const bank = bankSeries(sol);
  const power = bank.maxPower;
  const meta = {
    file: out,
    qbwaveVersion: VERSION,
    command: 'dynamics',
    method: sol.method,
    sceneFile: file.path,
    scene: sol.scene,
    solverPath: sol.path,
    tMax: grid.tMax,
    dt: grid.dt,
    tol: grid.tol,
    status: sol.status,
    message: sol.message,
    errorEstimate: finiteOrNull(sol.errorEstimate),
    points: sol.t.length,
    batteries: prepared.batteries.map((b) => b + 1),
    chargingPower: power && { max: finiteOrNull(power.max), time: power.time, unit: 'omega11^2: max over t > 0 of E_B(t)/t, at time (1/omega11)' },
    lostEnergyError: finiteOrNull(bank.lostError.energy),
    columns,
    units: 'omega11 = c = 1; omega0, gamma, loss in omega11, z in lambda11, t in 1/omega11',
  };
  return `${JSON.stringify(meta, null, 2)}\n`;
}
