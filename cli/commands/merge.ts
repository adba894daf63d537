import type { Command } from 'commander';
import { UsageError } from '../errors.js';
import { checkWritable } from '../output.js';
import { checkGridBound, MAX_SWEEP_POINTS } from '../limits.js';
import { gridOf, ioReason, readSweepFile, type Row } from '../sweep/formats.js';
import { anySpecJson } from '../sweep/spec.js';
import { outputFormat, sidecarOf, writeSweep } from './sweep.js';

/**
 * `qbwave merge OUT SHARD...`: joins the shards of one sweep (same spec; a two-emitter sweep or a scene
 * sweep) into the file the unsharded sweep would have written, byte for byte. Fails, writing nothing,
 * if the shards come from different sweeps, a point is missing or a point appears twice. Shards may
 * mix formats (.csv with or without comment lines, .json, .npy); OUT may be any output format,
 * .npz included (`--no-comments` for a plain .csv).
 */
export function registerMerge(program: Command): void {
  program
    .command('merge')
    .description('join sweep shards (from --shard i/n) into one file; checks that no point is missing or duplicated')
    .argument('<out>', 'output file: .csv, .json, .npy or .npz')
    .argument('<shards...>', 'shard files written by `qbwave sweep --shard` (.csv with or without comments, .json, .npy)')
    .option('--no-comments', 'with a .csv OUT: write the plain CSV (header row first, a status column; the header in OUT.meta.json)')
    .action((out: string, shards: string[], opts: { comments?: boolean }) => {
      const format = outputFormat('merge OUT', out, opts.comments === false);
      checkWritable('merge OUT', out);
      const side = sidecarOf(out, format);
      if (side) checkWritable('merge OUT', side);
      // The first shard's spec gives the merged size: refuse a merge that one process cannot hold before
      // reading the others (the merged file is built in memory, like an unsharded sweep).
      const first = { path: shards[0]!, data: readShard(shards[0]!) };
      const grid = gridOf(first.data.spec);
      checkGridBound('merge', grid.size, [], MAX_SWEEP_POINTS, 'the merged file is built in memory like an unsharded sweep; keep larger grids as shards and read them one by one', 'the merged sweep');
      const files = [first, ...shards.slice(1).map((p) => ({ path: p, data: readShard(p) }))];
      const spec = anySpecJson(first.data.spec);
      for (const f of files) {
        if (anySpecJson(f.data.spec) !== spec || f.data.size !== first.data.size) {
          throw new UsageError(`merge: ${JSON.stringify(f.path)} is from a different sweep than ${JSON.stringify(first.path)} (spec or size differ)`);
        }
      }
      if (grid.size !== first.data.size) throw new UsageError(`merge: ${JSON.stringify(first.path)}: point count ${first.data.size} does not match its spec (${grid.size})`);
      const coordNames = grid.columns.slice(1, 1 + grid.nCoords).map((c) => c.name);
      const seen = new Map<number, { row: Row; path: string }>();
      for (const f of files) {
        for (const row of f.data.rows) {
          if (!Number.isInteger(row.i) || row.i < 0 || row.i >= grid.size) throw new UsageError(`merge: ${JSON.stringify(f.path)}: point index ${row.i} outside 0…${grid.size - 1}`);
          const g = grid.coordinates(row.i);
          if (row.c && (row.c.length !== g.length || row.c.some((x, k) => x !== g[k]))) {
            throw new UsageError(`merge: ${JSON.stringify(f.path)}: point ${row.i} has coordinates (${row.c.join(', ')}), expected (${g.join(', ')})`);
          }
          if (row.v.length !== grid.nValues) throw new UsageError(`merge: ${JSON.stringify(f.path)}: point ${row.i} has ${row.v.length} values, expected ${grid.nValues}`);
          const prev = seen.get(row.i);
          if (prev) throw new UsageError(`merge: point ${row.i} appears twice (in ${JSON.stringify(prev.path)} and ${JSON.stringify(f.path)})`);
          seen.set(row.i, { row, path: f.path });
        }
      }
      const missing: number[] = [];
      for (let i = 0; i < grid.size && missing.length < 10; i++) if (!seen.has(i)) missing.push(i);
      if (missing.length > 0) {
        const total = grid.size - seen.size;
        const p = grid.coordinates(missing[0]!);
        const where = grid.kind === 'sweep' ? `ω0 = ${p[0]}, Δz = ${p[1]}, Γ11 = ${p[2]}` : coordNames.map((n, k) => `${n} = ${p[k]}`).join(', ');
        throw new UsageError(`merge: ${total} of ${grid.size} points missing (first: index ${missing.join(', ')}${total > missing.length ? ', …' : ''}; index ${missing[0]} is ${where}); a shard is absent or incomplete`);
      }
      const rows = [...seen.values()].map((x) => ({ i: x.row.i, v: x.row.v, s: x.row.s, m: x.row.m })).sort((a, b) => a.i - b.i);
      const sceneFile = first.data.sceneFile;
      writeSweep(out, format, { spec: first.data.spec, shard: null, size: grid.size, rows, ...(sceneFile !== undefined ? { sceneFile } : {}) });
      process.stderr.write(`qbwave: merged ${files.length} files into ${out}: ${rows.length} points\n`);
    });
}

/**
 * readSweepFile with a last line of defence: it verifies everything it knows of, but any error it did
 * not foresee still ends in one line naming the file (exit 2) rather than a stack trace.
 */
function readShard(path: string) {
  try {
    return readSweepFile(path);
  } catch (err) {
    if (err instanceof UsageError) throw err;
    throw new UsageError(`merge: ${JSON.stringify(path)}: cannot be read as a qbwave sweep file (${ioReason(err)})`);
  }
}
