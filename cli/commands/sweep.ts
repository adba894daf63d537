import { existsSync } from 'node:fs';
import type { Command } from 'commander';
import { parseSceneSweep, SCENE_DEFAULT_QUANTITIES, SCENE_QUANTITY_NAMES, sceneCoordinateColumns, scenePointCoordinates, sceneQuantityColumns, sceneSpecJson, type ParsedSceneSweep } from '../sweep/spec.js';
import { readSceneFile } from '../scene.js';
import { dataChecksum, numText } from '../sweep/formats.js';
import { runScenePointsParallel } from '../sweep/runner.js';
import { VERSION } from '../../src/version.js';
import { gridPoint, shardIndices, type Shard } from '../../src/studies/grid.js';
import { parseNumberFlag, parseChoiceFlag } from '../args.js';
import { UsageError } from '../errors.js';
import { checkGridBound, MAX_SWEEP_POINTS, parseThreadsFlag } from '../limits.js';
import { checkWritable, writeFileAtomic } from '../output.js';
import { formatOf, sidecarPath, toCsv, toJson, toNpy, type Format, type Row, type SweepData } from '../sweep/formats.js';
import { inspectJournal, Journal, journalPath, readJournal } from '../sweep/journal.js';
import { createProgress } from '../sweep/progress.js';
import { Cancelled, defaultThreads, runPointsParallel } from '../sweep/runner.js';
import { parseShardFlag, parseSweep, type ParsedSweep } from '../sweep/spec.js';
import { METHODS } from '../../src/dynamics/types.js';
import { quantityColumns, type Column } from '../../src/studies/quantities.js';
import { EFFECTIVE_DEFAULTS, EFFECTIVE_RANGES } from '../../src/battery/classification.js';

export const DEFAULT_QUANTITIES = 'boundStates,energyMinMax,ergotropyMax,effectiveCount';

/** Writes a finished sweep (or shard, or merge) atomically in the format of `out`. */
export function writeSweep(out: string, format: Format, data: SweepData): void {
  if (format === 'csv') writeFileAtomic(out, toCsv(data));
  else if (format === 'json') writeFileAtomic(out, toJson(data));
  else {
    const { npy, sidecar } = toNpy(data);
    writeFileAtomic(sidecarPath(out), sidecar);
    writeFileAtomic(out, npy);
  }
}

/**
 * Test hook: QBWAVE_TEST_CRASH_AFTER=N makes the process SIGKILL itself right after a journal flush
 * once at least N points are journaled, to test --resume after a hard kill deterministically.
 */
function crashAfter(): number {
  const v = Number(process.env.QBWAVE_TEST_CRASH_AFTER ?? '');
  return Number.isInteger(v) && v > 0 ? v : Number.POSITIVE_INFINITY;
}

/** `qbwave sweep`: quantities over a grid of (ω0, Δz, Γ11), resumable and shardable. */
export function registerSweep(program: Command): void {
  program
    .command('sweep')
    .description('compute quantities over a grid of ω0, Δz, Γ11 on all cores (resumable, shardable)')
    .option('--omega0 <R>', 'ω0 in ω11: START:STOP:COUNT, a comma list, or one number (required unless --scene)')
    .option('--dz <R>', 'Δz in λ11: START:STOP:COUNT, a comma list, or one number (required unless --scene)')
    .option('--gamma <R>', 'Γ11 in ω11: START:STOP:COUNT, a comma list, or one number', '0.5')
    .option('--quantities <LIST>', 'comma list of boundStates, energyMinMax, ergotropyMax, effectiveCount, resonance, energyAt=T1;T2 (T in 1/ω11)', DEFAULT_QUANTITIES)
    .requiredOption('--out <FILE>', 'output file: .csv, .json or .npy (+ FILE.npy.json); written atomically at the end')
    .option('--resume', 'continue from the journal FILE.partial.jsonl of an interrupted run')
    .option('--shard <i/n>', 'compute only shard i of n (every n-th point from i−1; 1-based); join with `qbwave merge`')
    .option('--threads <N>', 'worker threads (default: all cores)')
    .option('--residue-threshold <Z>', 'effective classification: residues below Z count as no bound state', String(EFFECTIVE_DEFAULTS.residueThreshold))
    .option('--observation-time <T>', 'effective classification: two bound states whose beat period 2π/|E− − E+| exceeds T (1/ω11) are "degenerate" (2D)', String(EFFECTIVE_DEFAULTS.observationTime))
    .option('--tol <TOL>', 'absolute tolerance of the dynamics solver for energyAt', '1e-8')
    .option('--method <M>', `dynamics method for energyAt: ${METHODS.join(', ')}`, 'exact')
    .option('--quiet', 'no progress bar')
    .option('--scene <FILE>', 'sweep a scene file (docs/scenes.md) instead of the two-emitter grid: vary its numeric fields with --vary (and --vary2)')
    .option('--vary <PATH=VALUES>', 'with --scene: a numeric field of the scene by its path and its values, e.g. emitters[2].z=0:2:101 (emitters counted from 0; VALUES as START:STOP:COUNT, a comma list or one number); slowest axis')
    .option('--vary2 <PATH=VALUES>', 'with --scene: a second varied field (fastest axis)')
    .addHelpText('after', `\nWith --scene the quantities are ${SCENE_QUANTITY_NAMES.join(', ')} (default ${SCENE_DEFAULT_QUANTITIES}): count; energyMin, energyMax (steady bank energy); ergotropyMax (steady collective ergotropy); effectiveCount, degenerate; energyAt_T, ergotropyAt_T of the bank. The columns are index, the varied paths, then the quantities.`)
    .action(async (opts: Record<string, unknown>, self: Command) => {
      const t0 = Date.now();
      if (opts.scene !== undefined) {
        await sceneSweep(opts, self, t0);
        return;
      }
      for (const flag of ['vary', 'vary2'] as const) if (opts[flag] !== undefined) throw new UsageError(`--${flag} goes with --scene FILE (the two-emitter sweep varies --omega0, --dz, --gamma)`);
      if (opts.omega0 === undefined) throw new UsageError("required option '--omega0 <R>' not specified (or --scene FILE with --vary)");
      if (opts.dz === undefined) throw new UsageError("required option '--dz <R>' not specified (or --scene FILE with --vary)");
      const out = String(opts.out);
      const format = formatOf('--out', out);
      const parsed = parseSweep({
        omega0: String(opts.omega0),
        dz: String(opts.dz),
        gamma11: String(opts.gamma),
        quantities: String(opts.quantities),
        residueThreshold: parseNumberFlag('--residue-threshold', opts.residueThreshold, EFFECTIVE_RANGES.residueThreshold),
        observationTime: parseNumberFlag('--observation-time', opts.observationTime, EFFECTIVE_RANGES.observationTime),
        tol: parseNumberFlag('--tol', opts.tol, { min: 1e-14, max: 0.1 }),
        method: parseChoiceFlag('--method', opts.method, METHODS),
      });
      const shard: Shard | null = opts.shard === undefined ? null : parseShardFlag(String(opts.shard));
      const threads = opts.threads === undefined ? defaultThreads() : parseThreadsFlag(opts.threads);
      const held = shard ? Math.ceil(Math.max(0, parsed.size - shard.index + 1) / shard.count) : parsed.size;
      checkGridBound(shard ? '--omega0/--dz/--gamma/--shard' : '--omega0/--dz/--gamma', held, shard ? [] : [parsed.axes.omega0.length, parsed.axes.dz.length, parsed.axes.gamma11.length], MAX_SWEEP_POINTS, 'points held by one process, ≈ 0.5 kB each; split a larger grid with --shard i/n', shard ? 'this shard' : 'the grid');
      checkWritable('--out', out);
      if (format === 'npy') checkWritable('--out', sidecarPath(out));
      const jpath = journalPath(out);
      checkWritable('--out', jpath);
      await runSweep({ parsed, shard, out, format, jpath, threads, resume: Boolean(opts.resume), quiet: Boolean(opts.quiet), t0 });
    });
}

interface SweepRun {
  parsed: ParsedSweep;
  shard: Shard | null;
  out: string;
  format: Format;
  jpath: string;
  threads: number;
  resume: boolean;
  quiet: boolean;
  t0: number;
}

async function runSweep(r: SweepRun): Promise<void> {
  const { parsed, shard } = r;
  const indices = shardIndices(parsed.size, shard ?? undefined);
  const done = new Map<number, Row>();
  const journal = new Journal(r.jpath);
  // A journal without a complete header (0 bytes, or cut short while created) holds no points: replaced.
  const content = existsSync(r.jpath) ? inspectJournal(r.jpath) : { empty: true };
  if (!content.empty) {
    if (!r.resume) throw new UsageError(`--out ${JSON.stringify(r.out)}: an interrupted run left ${r.jpath}; pass --resume to continue it, or delete it`);
    const j = readJournal(r.jpath, parsed, shard);
    for (const [i, row] of j.rows) done.set(i, row);
    journal.reopen(j.validBytes, j.rows.size);
  } else {
    journal.create(parsed.spec, shard, parsed.size);
  }
  const todo = indices.filter((i) => !done.has(i)).map((i) => ({ i, params: gridPoint(parsed.axes, i) }));
  if (r.resume && done.size > 0) process.stderr.write(`qbwave: resuming: ${done.size} of ${indices.length} points already in ${r.jpath}\n`);
  const progress = createProgress('sweep', indices.length, indices.length - todo.length, r.quiet);
  const controller = new AbortController();
  const onSignal = () => controller.abort();
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  const crashAt = crashAfter();
  let journaled = done.size;
  const tCompute = Date.now();
  try {
    await runPointsParallel(todo, parsed.quantities, parsed.spec.options, {
      threads: r.threads,
      signal: controller.signal,
      onRows: (rows) => {
        for (const row of rows) done.set(row.i, row);
        journaled += rows.length;
        if (journal.append(rows) && journaled >= crashAt) process.kill(process.pid, 'SIGKILL');
        progress.tick(rows.length);
      },
    });
  } catch (err) {
    progress.stop();
    journal.close();
    if (err instanceof Cancelled) {
      process.stderr.write(`qbwave: interrupted: ${done.size} of ${indices.length} points saved in ${r.jpath}; rerun with --resume to finish\n`);
      // 128 + SIGINT; main() would turn a normal return into 0. The journal is closed and fsync'd.
      process.exit(130);
    }
    throw err;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
  progress.stop();
  journal.flush();
  const rows = indices.map((i) => done.get(i)!);
  const nValues = quantityColumns(parsed.quantities).length;
  const wrong = rows.findIndex((x) => x === undefined || x.v.length !== nValues);
  if (wrong >= 0) throw new Error(`sweep: point ${indices[wrong]} has no complete result (a bug: nothing was written)`);
  writeSweep(r.out, r.format, { spec: parsed.spec, shard, size: parsed.size, rows });
  journal.remove();
  const secs = (Date.now() - tCompute) / 1000;
  const failed = rows.filter((x) => x.s !== 'success').length;
  if (!r.quiet) {
    process.stderr.write(
      `qbwave: wrote ${r.out}: ${rows.length} points${shard ? ` (shard ${shard.index}/${shard.count} of ${parsed.size})` : ''}, ` +
        `${todo.length} computed in ${secs.toFixed(2)} s (${(todo.length / Math.max(secs, 1e-9)).toFixed(0)} points/s, ${r.threads} thread${r.threads === 1 ? '' : 's'})` +
        `${failed ? `; ${failed} points not successful (see the warnings in the file header)` : ''}\n`,
    );
  }
  // A point that did not succeed has NaN values in the file: say so even with --quiet, and exit 3
  // (a numerical shortfall with data, as dynamics), never 0.
  if (failed) {
    const first = rows.find((x) => x.s !== 'success')!;
    process.stderr.write(`qbwave: warning: ${failed} of ${rows.length} points not successful, their values NaN (first: point ${first.i}: ${first.s}${first.m ? `: ${first.m}` : ''})\n`);
    process.exitCode = 3;
  }
}

// ---------------------------------------------------------------------------------------------
// sweep --scene FILE --vary PATH=VALUES [--vary2 PATH=VALUES] (issue 13 item 5; docs/scenes.md).

/** The two-emitter flags a scene sweep cannot take (the file sets them), and those it does not take yet. */
const NOT_WITH_SCENE = [['omega0', '--omega0'], ['dz', '--dz'], ['gamma', '--gamma']] as const;
const NOT_YET_WITH_SCENE = [['shard', '--shard'], ['resume', '--resume']] as const;

/**
 * A scene sweep: every point is the scene with the varied fields set (first --vary slowest), its
 * quantities computed on all cores by the same worker threads as the two-emitter sweep; the file is
 * written atomically at the end (.csv or .json), in the two-emitter sweep's layout: `# ` header
 * lines (version, spec, points, data checksum, units, method, columns, warnings), then index, the
 * varied paths and the quantities. Exit 3 when a point did not succeed (its values NaN).
 */
async function sceneSweep(opts: Record<string, unknown>, cmd: Command, t0: number): Promise<void> {
  const given = NOT_WITH_SCENE.filter(([name]) => cmd.getOptionValueSource(name) === 'cli').map(([, flag]) => flag);
  if (given.length > 0) throw new UsageError(`--scene and ${given.join(', ')} cannot be used together: a scene sweep varies fields of the scene file with --vary PATH=VALUES`);
  for (const [name, flag] of NOT_YET_WITH_SCENE) if (opts[name] !== undefined) throw new UsageError(`${flag} is not available with --scene yet (a scene sweep runs in one process and writes its file at the end)`);
  if (opts.vary === undefined) throw new UsageError("--scene: a scene sweep needs --vary PATH=VALUES, e.g. --vary 'emitters[1].z=0:2:101'");
  if (opts.vary2 !== undefined && opts.vary === undefined) throw new UsageError('--vary2 needs --vary');
  const out = String(opts.out);
  const format = formatOf('--out', out);
  if (format === 'npy') throw new UsageError(`--out ${JSON.stringify(out)}: a scene sweep writes .csv or .json (not .npy yet)`);
  const file = readSceneFile(String(opts.scene));
  const parsed = parseSceneSweep({
    scene: file.prepared.scene,
    vary: [String(opts.vary), ...(opts.vary2 === undefined ? [] : [String(opts.vary2)])],
    quantities: cmd.getOptionValueSource('quantities') === 'cli' ? String(opts.quantities) : SCENE_DEFAULT_QUANTITIES,
    residueThreshold: parseNumberFlag('--residue-threshold', opts.residueThreshold, EFFECTIVE_RANGES.residueThreshold),
    observationTime: parseNumberFlag('--observation-time', opts.observationTime, EFFECTIVE_RANGES.observationTime),
    tol: parseNumberFlag('--tol', opts.tol, { min: 1e-14, max: 0.1 }),
    method: parseChoiceFlag('--method', opts.method, METHODS),
  });
  const threads = opts.threads === undefined ? defaultThreads() : parseThreadsFlag(opts.threads);
  checkGridBound('--vary/--vary2', parsed.size, parsed.values.map((v) => v.length), MAX_SWEEP_POINTS, 'points held by one process, ≈ 0.5 kB each', 'the grid');
  checkWritable('--out', out);
  const points = Array.from({ length: parsed.size }, (_, i) => ({ i, coords: scenePointCoordinates(parsed, i) }));
  const progress = createProgress('sweep', parsed.size, 0, Boolean(opts.quiet));
  const controller = new AbortController();
  const onSignal = () => controller.abort();
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  const tCompute = Date.now();
  let rows: Row[];
  try {
    rows = await runScenePointsParallel(points, { scene: parsed.spec.scene, paths: parsed.paths, quantities: parsed.quantities, options: parsed.spec.options }, {
      threads, signal: controller.signal, onRows: (r) => progress.tick(r.length),
    });
  } catch (err) {
    progress.stop();
    if (err instanceof Cancelled) {
      process.stderr.write('qbwave: interrupted: nothing was written (a scene sweep keeps no journal yet)\n');
      process.exit(130);
    }
    throw err;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
  progress.stop();
  rows.sort((a, b) => a.i - b.i);
  const nValues = sceneQuantityColumns(parsed.quantities).length;
  if (rows.length !== parsed.size || rows.some((r, k) => r.i !== k || r.v.length !== nValues)) throw new Error('sweep --scene: a point has no complete result (a bug: nothing was written)');
  writeFileAtomic(out, format === 'json' ? sceneSweepJson(parsed, file.path, rows) : sceneSweepCsv(parsed, file.path, rows));
  const secs = (Date.now() - tCompute) / 1000;
  const failed = rows.filter((x) => x.s !== 'success');
  if (!opts.quiet) process.stderr.write(`qbwave: wrote ${out}: ${rows.length} points of the scene ${file.path} in ${secs.toFixed(2)} s (${threads} thread${threads === 1 ? '' : 's'}; ${((Date.now() - t0) / 1000).toFixed(2)} s in all)\n`);
  if (failed.length > 0) {
    const first = failed[0]!;
    process.stderr.write(`qbwave: warning: ${failed.length} of ${rows.length} points not successful, their values NaN (first: point ${first.i}: ${first.s}${first.m ? `: ${first.m}` : ''})\n`);
    process.exitCode = 3;
  }
}

const SCENE_UNITS = 'z in lambda11; omega0, gamma, loss and energies in omega11; times in 1/omega11';

function sceneMethodNote(parsed: ParsedSceneSweep): string {
  const o = parsed.spec.options;
  return `bound states: roots of the eigenvalue branches of M(E) (sceneBoundStates), effective if the bank amplitude >= ${o.residueThreshold}, degenerate if closer than 2*pi/${o.observationTime}; energyAt from solveScene(${o.method}), tol ${o.tol}; bank energy and collective ergotropy as docs/scenes.md`;
}

function sceneColumns(parsed: ParsedSceneSweep): Column[] {
  return [{ name: 'index', unit: '1', description: 'point index in the grid (first varied path slowest)' }, ...sceneCoordinateColumns(parsed), ...sceneQuantityColumns(parsed.quantities)];
}

function sceneFullRow(parsed: ParsedSceneSweep, row: Row): number[] {
  return [row.i, ...scenePointCoordinates(parsed, row.i), ...row.v];
}

/** The CSV of a scene sweep: `# ` header lines as the two-emitter sweep's, then the table. */
export function sceneSweepCsv(parsed: ParsedSceneSweep, sceneFile: string, rows: Row[]): string {
  const cols = sceneColumns(parsed);
  const lines = [
    '# qbwave sweep of a scene (docs/scenes.md)',
    `# qbwave-version: ${VERSION}`,
    `# scene-file: ${sceneFile}`,
    `# spec: ${sceneSpecJson(parsed.spec)}`,
    `# points: ${parsed.size}`,
    `# data-crc32: ${dataChecksum(rows)}`,
    `# units: ${SCENE_UNITS}`,
    `# method: ${sceneMethodNote(parsed)}`,
    ...cols.map((c) => `# column ${c.name} [${c.unit}]: ${c.description}`),
    ...rows.filter((r) => r.s !== 'success').map((r) => `# warning: point ${r.i}: ${r.s}: ${r.m.replace(/[\r\n]+/g, ' ')}`),
    cols.map((c) => c.name).join(','),
  ];
  for (const r of rows) lines.push(sceneFullRow(parsed, r).map(numText).join(','));
  return `${lines.join('\n')}\n`;
}

/** The JSON of a scene sweep: the record, then one data row a line (null for NaN). */
export function sceneSweepJson(parsed: ParsedSceneSweep, sceneFile: string, rows: Row[]): string {
  const head = JSON.stringify({
    qbwave: VERSION, kind: 'scene-sweep', sceneFile, spec: JSON.parse(sceneSpecJson(parsed.spec)) as unknown, points: parsed.size, rows: rows.length,
    dataCrc32: dataChecksum(rows), units: SCENE_UNITS, method: sceneMethodNote(parsed), columns: sceneColumns(parsed),
    warnings: rows.filter((r) => r.s !== 'success').map((r) => ({ index: r.i, status: r.s, message: r.m })),
  }, null, 1);
  const body = rows.map((r) => JSON.stringify(sceneFullRow(parsed, r).map((x) => (Number.isFinite(x) ? x : null)))).join(',\n');
  return `${head.slice(0, -2)},\n "data": [\n${body}\n ]\n}\n`;
}
