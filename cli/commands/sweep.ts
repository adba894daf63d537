import { existsSync } from 'node:fs';
import type { Command } from 'commander';
import { parseSceneSweep, SCENE_DEFAULT_QUANTITIES, SCENE_QUANTITY_NAMES, scenePointCoordinates, type ParsedSceneSweep } from '../sweep/spec.js';
import { readSceneFile } from '../scene.js';
import { runScenePointsParallel } from '../sweep/runner.js';
import { gridPoint, shardIndices, type Shard } from '../../src/studies/grid.js';
import { parseNumberFlag, parseChoiceFlag } from '../args.js';
import { UsageError } from '../errors.js';
import { checkGridBound, MAX_SWEEP_POINTS, parseThreadsFlag } from '../limits.js';
import { checkWritable, writeFileAtomic } from '../output.js';
import { formatOf, gridOf, plainSidecarPath, sceneGrid, sidecarPath, toCsv, toJson, toNpy, toNpz, toPlainCsv, type Format, type Row, type SweepData, type SweepGrid } from '../sweep/formats.js';
import { inspectJournal, Journal, journalPath, readJournal } from '../sweep/journal.js';
import { createProgress } from '../sweep/progress.js';
import { Cancelled, defaultThreads, runPointsParallel, type RunOptions } from '../sweep/runner.js';
import { parseShardFlag, parseSweep, type AnyParsedSweep, type ParsedSweep } from '../sweep/spec.js';
import { METHODS } from '../../src/dynamics/types.js';
import { EFFECTIVE_DEFAULTS, EFFECTIVE_RANGES } from '../../src/spectrum/classification.js';

export const DEFAULT_QUANTITIES = 'boundStates,energyMinMax,ergotropyMax,effectiveCount';

/**
 * Writes a finished sweep (or shard, or merge) atomically in `format` (sidecars first, so a data file
 * never exists without its record). 'plain-csv' is the .csv of --no-comments (+ FILE.meta.json).
 */
export function writeSweep(out: string, format: Format, data: SweepData): void {
  if (format === 'csv') writeFileAtomic(out, toCsv(data));
  else if (format === 'plain-csv') {
    const { csv, sidecar } = toPlainCsv(data);
    writeFileAtomic(plainSidecarPath(out), sidecar);
    writeFileAtomic(out, csv);
  } else if (format === 'json') writeFileAtomic(out, toJson(data));
  else if (format === 'npz') writeFileAtomic(out, toNpz(data));
  else {
    const { npy, sidecar } = toNpy(data);
    writeFileAtomic(sidecarPath(out), sidecar);
    writeFileAtomic(out, npy);
  }
}

/** The sidecar a format writes beside its file, if any. */
export function sidecarOf(out: string, format: Format): string | null {
  return format === 'npy' ? sidecarPath(out) : format === 'plain-csv' ? plainSidecarPath(out) : null;
}

/**
 * The output format of `--out` (or merge's OUT) with `--no-comments`: a .csv becomes the plain CSV;
 * any other extension with --no-comments is refused (only a CSV has comment lines).
 */
export function outputFormat(flag: string, out: string, noComments: boolean): Format {
  const ext = formatOf(flag, out);
  if (!noComments) return ext;
  if (ext !== 'csv') throw new UsageError(`--no-comments goes with a .csv output (${flag} ${JSON.stringify(out)}): only the CSV has "# " comment lines; .json, .npy and .npz keep their metadata as they are`);
  return 'plain-csv';
}

/**
 * Test hook: QBWAVE_TEST_CRASH_AFTER=N makes the process SIGKILL itself right after a journal flush
 * once at least N points are journaled, to test --resume after a hard kill deterministically.
 */
function crashAfter(): number {
  const v = Number(process.env.QBWAVE_TEST_CRASH_AFTER ?? '');
  return Number.isInteger(v) && v > 0 ? v : Number.POSITIVE_INFINITY;
}

/** `qbwave sweep`: quantities over a grid of (ω0, Δz, Γ11), or of fields of a scene file; resumable and shardable. */
export function registerSweep(program: Command): void {
  program
    .command('sweep')
    .description('compute quantities over a grid of ω0, Δz, Γ11 (or of fields of a scene file) on all cores (resumable, shardable)')
    .option('--omega0 <R>', 'ω0 in ω11: START:STOP:COUNT, a comma list, or one number (required unless --scene)')
    .option('--dz <R>', 'Δz in λ11: START:STOP:COUNT, a comma list, or one number (required unless --scene)')
    .option('--gamma <R>', 'Γ11 in ω11: START:STOP:COUNT, a comma list, or one number', '0.5')
    .option('--quantities <LIST>', 'comma list of boundStates, energyMinMax, ergotropyMax, effectiveCount, resonance, energyAt=T1;T2 (T in 1/ω11)', DEFAULT_QUANTITIES)
    .requiredOption('--out <FILE>', 'output file: .csv, .json, .npy (+ FILE.npy.json) or .npz (numpy archive: axes + one array of the grid\'s shape per quantity); written atomically at the end')
    .option('--no-comments', 'with a .csv --out: no "# " header lines (numpy.genfromtxt(f, delimiter=",", names=True) and pandas.read_csv(f) read it as is), a last column status, and the header in FILE.meta.json')
    .option('--resume', 'continue from the journal FILE.partial.jsonl of an interrupted run')
    .option('--shard <i/n>', 'compute only shard i of n (every n-th point from i−1; 1-based); join with `qbwave merge`')
    .option('--threads <N>', 'worker threads (default: all cores)')
    .option('--residue-threshold <Z>', 'effective classification: residues below Z count as no bound state', String(EFFECTIVE_DEFAULTS.residueThreshold))
    .option('--observation-time <T>', 'effective classification: two bound states whose beat period 2π/|E− − E+| exceeds T (1/ω11) are "degenerate" (2D)', String(EFFECTIVE_DEFAULTS.observationTime))
    .option('--tol <TOL>', 'absolute tolerance of the dynamics solver for energyAt', '1e-8')
    .option('--method <M>', `dynamics method for energyAt: ${METHODS.join(', ')}`, 'exact')
    .option('--quiet', 'no progress bar')
    .option('--scene <FILE>', 'sweep a scene file (docs/scenes.md) instead of the two-emitter grid: vary its numeric fields with --vary')
    .option('--vary <PATH=VALUES>', 'with --scene: a numeric field of the scene by its path and its values, e.g. emitters[2].z=0:2:101 (emitters counted from 0; VALUES as START:STOP:COUNT, a comma list or one number); give it twice for a second field (the first is the slowest axis)', (v: string, prev: string[] | undefined) => [...(prev ?? []), v])
    .option('--vary2 <PATH=VALUES>', 'with --scene: the same as a second --vary (fastest axis)')
    .addHelpText('after', `\nWith --scene the quantities are ${SCENE_QUANTITY_NAMES.join(', ')} (default ${SCENE_DEFAULT_QUANTITIES}): count; energyMin, energyMax (steady bank energy); ergotropyMax (steady collective ergotropy); effectiveCount, degenerate; energyAt_T, ergotropyAt_T of the bank. The columns are index, the varied paths, then the quantities. A scene sweep is sharded, resumed and merged like the two-emitter sweep.`)
    .action(async (opts: Record<string, unknown>, self: Command) => {
      const t0 = Date.now();
      const out = String(opts.out);
      const format = outputFormat('--out', out, opts.comments === false);
      const common = {
        residueThreshold: parseNumberFlag('--residue-threshold', opts.residueThreshold, EFFECTIVE_RANGES.residueThreshold),
        observationTime: parseNumberFlag('--observation-time', opts.observationTime, EFFECTIVE_RANGES.observationTime),
        tol: parseNumberFlag('--tol', opts.tol, { min: 1e-14, max: 0.1 }),
        method: parseChoiceFlag('--method', opts.method, METHODS),
      };
      let parsed: AnyParsedSweep;
      let grid: SweepGrid;
      let sceneFile: string | undefined;
      let axisFlags: string;
      if (opts.scene !== undefined) {
        const given = NOT_WITH_SCENE.filter(([name]) => self.getOptionValueSource(name) === 'cli').map(([, flag]) => flag);
        if (given.length > 0) throw new UsageError(`--scene and ${given.join(', ')} cannot be used together: a scene sweep varies fields of the scene file with --vary PATH=VALUES`);
        const vary = (opts.vary as string[] | undefined) ?? [];
        const flags = vary.map(() => '--vary');
        if (opts.vary2 !== undefined) {
          if (vary.length === 0) throw new UsageError(`--vary2 ${JSON.stringify(String(opts.vary2))}: needs --vary (the first, slowest field); --vary given twice does the same`);
          vary.push(String(opts.vary2));
          flags.push('--vary2');
        }
        if (vary.length === 0) throw new UsageError("--scene: a scene sweep needs --vary PATH=VALUES, e.g. --vary 'emitters[1].z=0:2:101'");
        const file = readSceneFile(String(opts.scene));
        const scene = parseSceneSweep({
          scene: file.prepared.scene,
          vary,
          varyFlags: flags,
          quantities: self.getOptionValueSource('quantities') === 'cli' ? String(opts.quantities) : SCENE_DEFAULT_QUANTITIES,
          ...common,
        });
        parsed = scene;
        grid = sceneGrid(scene);
        sceneFile = file.path;
        axisFlags = '--vary';
      } else {
        for (const flag of ['vary', 'vary2'] as const) if (opts[flag] !== undefined) throw new UsageError(`--${flag} goes with --scene FILE (the two-emitter sweep varies --omega0, --dz, --gamma)`);
        if (opts.omega0 === undefined) throw new UsageError("required option '--omega0 <R>' not specified (or --scene FILE with --vary)");
        if (opts.dz === undefined) throw new UsageError("required option '--dz <R>' not specified (or --scene FILE with --vary)");
        const two = parseSweep({ omega0: String(opts.omega0), dz: String(opts.dz), gamma11: String(opts.gamma), quantities: String(opts.quantities), ...common });
        parsed = two;
        grid = gridOf(two.spec);
        axisFlags = '--omega0/--dz/--gamma';
      }
      const shard: Shard | null = opts.shard === undefined ? null : parseShardFlag(String(opts.shard));
      if (shard && format === 'npz') throw new UsageError(`--out ${JSON.stringify(out)} with --shard: an .npz holds a complete grid; write the shards as .csv, .json or .npy and merge them into an .npz (qbwave merge OUT.npz SHARD…)`);
      const threads = opts.threads === undefined ? defaultThreads() : parseThreadsFlag(opts.threads);
      const held = shard ? Math.ceil(Math.max(0, grid.size - shard.index + 1) / shard.count) : grid.size;
      checkGridBound(shard ? `${axisFlags}/--shard` : axisFlags, held, shard ? [] : grid.axes.map((a) => a.values.length), MAX_SWEEP_POINTS, `points held by one process, ≈ 0.5 kB each${shard ? '' : '; split a larger grid with --shard i/n'}`, shard ? 'this shard' : 'the grid');
      checkWritable('--out', out);
      const side = sidecarOf(out, format);
      if (side) checkWritable('--out', side);
      const jpath = journalPath(out);
      checkWritable('--out', jpath);
      await runSweep({ parsed, grid, sceneFile, shard, out, format, jpath, threads, resume: Boolean(opts.resume), quiet: Boolean(opts.quiet), t0 });
    });
}

/** The two-emitter flags a scene sweep cannot take (the file sets them). */
const NOT_WITH_SCENE = [['omega0', '--omega0'], ['dz', '--dz'], ['gamma', '--gamma']] as const;

interface SweepRun {
  parsed: AnyParsedSweep;
  grid: SweepGrid;
  sceneFile: string | undefined;
  shard: Shard | null;
  out: string;
  format: Format;
  jpath: string;
  threads: number;
  resume: boolean;
  quiet: boolean;
  t0: number;
}

/** Computes the points `indices` of either kind of sweep on worker threads (rows to run.onRows). */
function computePoints(parsed: AnyParsedSweep, indices: number[], run: RunOptions): Promise<Row[]> {
  if ('paths' in parsed) {
    const scene = parsed as ParsedSceneSweep;
    return runScenePointsParallel(indices.map((i) => ({ i, coords: scenePointCoordinates(scene, i) })), { scene: scene.spec.scene, paths: scene.paths, quantities: scene.quantities, options: scene.spec.options }, run);
  }
  const two = parsed as ParsedSweep;
  return runPointsParallel(indices.map((i) => ({ i, params: gridPoint(two.axes, i) })), two.quantities, two.spec.options, run);
}

/**
 * One sweep of either kind: the journal (created, or verified and continued with --resume), the
 * points not yet journaled computed on all cores and journaled in batches, then the file written
 * atomically in its format and the journal removed. Exit 3 (one warning line, even with --quiet) when
 * a point did not succeed (its values NaN, its status in the file).
 */
async function runSweep(r: SweepRun): Promise<void> {
  const { parsed, grid, shard } = r;
  const indices = shardIndices(grid.size, shard ?? undefined);
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
    journal.create(parsed.spec, shard, grid.size);
  }
  const todo = indices.filter((i) => !done.has(i));
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
    await computePoints(parsed, todo, {
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
  const wrong = rows.findIndex((x) => x === undefined || x.v.length !== grid.nValues);
  if (wrong >= 0) throw new Error(`sweep: point ${indices[wrong]} has no complete result (a bug: nothing was written)`);
  writeSweep(r.out, r.format, { spec: parsed.spec, shard, size: grid.size, rows, ...(r.sceneFile !== undefined ? { sceneFile: r.sceneFile } : {}) });
  journal.remove();
  const secs = (Date.now() - tCompute) / 1000;
  const failed = rows.filter((x) => x.s !== 'success').length;
  if (!r.quiet) {
    process.stderr.write(
      `qbwave: wrote ${r.out}: ${rows.length} points${r.sceneFile !== undefined ? ` of the scene ${r.sceneFile}` : ''}${shard ? ` (shard ${shard.index}/${shard.count} of ${grid.size})` : ''}, ` +
        `${todo.length} computed in ${secs.toFixed(2)} s (${(todo.length / Math.max(secs, 1e-9)).toFixed(0)} points/s, ${r.threads} thread${r.threads === 1 ? '' : 's'})` +
        `${failed ? `; ${failed} points not successful (see ${r.format === 'csv' ? 'the warnings in the file header' : r.format === 'plain-csv' ? 'the status column and the warnings in the .meta.json' : r.format === 'npz' ? "the array status and meta's warnings" : 'the warnings'})` : ''}\n`,
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
