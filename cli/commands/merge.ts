import type { Command } from 'commander';
import { gridPoint } from '../../src/studies/grid.js';
import { quantityColumns } from '../../src/studies/quantities.js';
import { UsageError } from '../errors.js';
import { checkWritable } from '../output.js';
import { checkGridBound, MAX_SWEEP_POINTS } from '../limits.js';
import { formatOf, ioReason, readSweepFile, sidecarPath, type Row } from '../sweep/formats.js';
import { specJson, sweepFromSpec } from '../sweep/spec.js';
import { writeSweep } from './sweep.js';

/**
 * `qbwave merge OUT SHARD...`: joins the shards of one sweep (same spec) into the file the unsharded
 * sweep would have written, byte for byte. Fails, writing nothing, if the shards come from different
 * sweeps, a point is missing or a point appears twice.
 */
export function registerMerge(program: Command): void {
  program
    .command('merge')
    .description('join sweep shards (from --shard i/n) into one file; checks that no point is missing or duplicated')
    .argument('<out>', 'output file: .csv, .json or .npy')
    .argument('<shards...>', 'shard files written by `qbwave sweep --shard` (any of the three formats)')
    .action((out: string, shards: string[]) => {
      const format = formatOf('merge OUT', out);
      checkWritable('merge OUT', out);
      if (format === 'npy') checkWritable('merge OUT', sidecarPath(out));
      // The first shard's spec gives the merged size: refuse a merge that one process cannot hold before
      // reading the others (the merged file is built in memory, like an unsharded sweep).
      const first = { path: shards[0]!, data: readShard(shards[0]!) };
      const total = sweepFromSpec(first.data.spec).size;
      checkGridBound('merge', total, [], MAX_SWEEP_POINTS, 'the merged file is built in memory like an unsharded sweep; keep larger grids as shards and read them one by one', 'the merged sweep');
      const files = [first, ...shards.slice(1).map((p) => ({ path: p, data: readShard(p) }))];
      const spec = specJson(first.data.spec);
      for (const f of files) {
        if (specJson(f.data.spec) !== spec || f.data.size !== first.data.size) {
          throw new UsageError(`merge: ${JSON.stringify(f.path)} is from a different sweep than ${JSON.stringify(first.path)} (spec or size differ)`);
        }
      }
      const parsed = sweepFromSpec(first.data.spec);
      if (parsed.size !== first.data.size) throw new UsageError(`merge: ${JSON.stringify(first.path)}: point count ${first.data.size} does not match its spec (${parsed.size})`);
      const nValues = quantityColumns(parsed.quantities).length;
      const seen = new Map<number, { row: Row; path: string }>();
      for (const f of files) {
        for (const row of f.data.rows) {
          if (!Number.isInteger(row.i) || row.i < 0 || row.i >= parsed.size) throw new UsageError(`merge: ${JSON.stringify(f.path)}: point index ${row.i} outside 0…${parsed.size - 1}`);
          const g = gridPoint(parsed.axes, row.i);
          if (row.c && (row.c[0] !== g.omega0 || row.c[1] !== g.dz || row.c[2] !== g.gamma11)) {
            throw new UsageError(`merge: ${JSON.stringify(f.path)}: point ${row.i} has coordinates (${row.c.join(', ')}), expected (${g.omega0}, ${g.dz}, ${g.gamma11})`);
          }
          if (row.v.length !== nValues) throw new UsageError(`merge: ${JSON.stringify(f.path)}: point ${row.i} has ${row.v.length} values, expected ${nValues}`);
          const prev = seen.get(row.i);
          if (prev) throw new UsageError(`merge: point ${row.i} appears twice (in ${JSON.stringify(prev.path)} and ${JSON.stringify(f.path)})`);
          seen.set(row.i, { row, path: f.path });
        }
      }
      const missing: number[] = [];
      for (let i = 0; i < parsed.size && missing.length < 10; i++) if (!seen.has(i)) missing.push(i);
      if (missing.length > 0) {
        const total = parsed.size - seen.size;
        const p = gridPoint(parsed.axes, missing[0]!);
        throw new UsageError(`merge: ${total} of ${parsed.size} points missing (first: index ${missing.join(', ')}${total > missing.length ? ', …' : ''}; index ${missing[0]} is ω0 = ${p.omega0}, Δz = ${p.dz}, Γ11 = ${p.gamma11}); a shard is absent or incomplete`);
      }
      const rows = [...seen.values()].map((x) => ({ i: x.row.i, v: x.row.v, s: x.row.s, m: x.row.m })).sort((a, b) => a.i - b.i);
      writeSweep(out, format, { spec: first.data.spec, shard: null, size: parsed.size, rows });
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
