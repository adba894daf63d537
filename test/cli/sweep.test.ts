import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { appendFileSync, existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { qbwave, ROOT } from './run.js';
import { evaluatePoint, namedValues, parseQuantities } from '../../src/studies/quantities.js';
import { assertClose } from '../helpers.js';
import { Command } from 'commander';
import { registerSweep } from '../../cli/commands/sweep.js';
import { UsageError } from '../../cli/errors.js';
import { parseAxisFlag } from '../../cli/sweep/spec.js';

const BIN = fileURLToPath(new URL('../../bin/qbwave.js', import.meta.url));

function run(args: string[], env: Record<string, string> = {}) {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1', ...env }, timeout: 120_000 });
  return { code: r.status, signal: r.signal, stdout: r.stdout, stderr: r.stderr };
}

const tmp = () => mkdtempSync(join(tmpdir(), 'qbw-sweep-'));
const GRID = ['--omega0', '0.5:3.5:40', '--dz', '0.1,0.5,1.7', '--gamma', '0.5', '--quiet'];

function dataRows(text: string): string[][] {
  return text.split('\n').filter((l) => l && !l.startsWith('#')).map((l) => l.split(','));
}

/** The UsageError message of an in-process `sweep` with these flags (none if it starts computing). */
async function sweepError(args: string[]): Promise<string> {
  const program = new Command().exitOverride();
  registerSweep(program);
  try {
    await program.parseAsync(['sweep', ...args, '--out', join(tmp(), 'x.csv'), '--quiet', '--threads', '1'], { from: 'user' });
  } catch (e) {
    if (e instanceof UsageError) return e.message;
    throw e;
  }
  return '';
}

describe('qbwave sweep', () => {
  it('writes a CSV with a # header and one row per point; values equal the library to the last bit', () => {
    const dir = tmp();
    const out = join(dir, 's.csv');
    const r = run(['sweep', ...GRID, '--out', out, '--threads', '2']);
    expect(r.code, r.stderr).toBe(0);
    const text = readFileSync(out, 'utf8');
    expect(text).toMatch(/^# qbwave sweep/);
    expect(text).toContain('# qbwave-version: ');
    expect(text).toContain('# spec: {"axes":{"omega0":"0.5:3.5:40","dz":"0.1,0.5,1.7","gamma11":"0.5"}');
    const rows = dataRows(text);
    expect(rows[0]).toEqual(['index', 'omega0', 'dz', 'gamma11', 'count', 'Eplus', 'Zplus', 'Eminus', 'Zminus', 'energyMin', 'energyMax', 'ergotropyMax', 'effectiveCount', 'degenerate']);
    expect(rows.length).toBe(1 + 120);
    const q = parseQuantities('boundStates,energyMinMax,ergotropyMax,effectiveCount');
    for (const row of [rows[1]!, rows[61]!, rows[120]!]) {
      const [i, w, dz, g] = row.slice(0, 4).map(Number);
      const v = evaluatePoint({ omega0: w!, dz: dz!, gamma11: g! }, q).values;
      expect(row.slice(4).map(Number), `point ${i}`).toEqual(v.map((x) => (Number.isNaN(x) ? Number.NaN : x)));
    }
    // index 0 is ω0 = 0.5, Δz = 0.1: physics.md reference E+ = 0.261216271976 (1e-11)
    assertClose(Number(rows[1]![5]), 0.261216271976, 1e-11, 'E+');
    expect(existsSync(`${out}.partial.jsonl`)).toBe(false);
  });

  it('is deterministic: 1 thread and 2 threads give the same bytes', () => {
    const dir = tmp();
    const a = run(['sweep', ...GRID, '--out', join(dir, 'a.csv'), '--threads', '1']);
    const b = run(['sweep', ...GRID, '--out', join(dir, 'b.csv'), '--threads', '2']);
    expect(a.code).toBe(0);
    expect(b.code).toBe(0);
    expect(readFileSync(join(dir, 'a.csv'))).toEqual(readFileSync(join(dir, 'b.csv')));
  });

  it('resumes after a SIGKILL mid-sweep (and a torn last journal line) to the same bytes as an uninterrupted run', () => {
    const dir = tmp();
    const out = join(dir, 'r.csv');
    const args = ['sweep', ...GRID, '--out', out, '--threads', '1'];
    // Killed by SIGKILL right after the first fsync'd batch that brings the journal to ≥ 40 points.
    const killed = run(args, { QBWAVE_TEST_CRASH_AFTER: '40' });
    expect(killed.signal).toBe('SIGKILL');
    expect(existsSync(out)).toBe(false);
    const journal = readFileSync(`${out}.partial.jsonl`, 'utf8').split('\n').filter(Boolean);
    expect(journal.length - 1).toBeGreaterThanOrEqual(40);
    expect(journal.length - 1).toBeLessThan(120);
    // a crash in the middle of a write leaves half a line: it must be dropped, not trusted
    appendFileSync(`${out}.partial.jsonl`, '{"i":119,"v":[2,0.9');
    // without --resume the journal is protected
    const refused = run(args);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('--resume');
    const resumed = run([...args.slice(0, -2), '--threads', '2', '--resume']);
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(resumed.stderr).toMatch(/resuming: \d+ of 120 points/);
    const full = run(['sweep', ...GRID, '--out', join(dir, 'full.csv'), '--threads', '1']);
    expect(full.code).toBe(0);
    expect(readFileSync(out)).toEqual(readFileSync(join(dir, 'full.csv')));
    expect(existsSync(`${out}.partial.jsonl`)).toBe(false);
  });

  it('--resume refuses a journal from a different sweep', () => {
    const dir = tmp();
    const out = join(dir, 'x.csv');
    expect(run(['sweep', ...GRID, '--out', out, '--threads', '1'], { QBWAVE_TEST_CRASH_AFTER: '20' }).signal).toBe('SIGKILL');
    const r = run(['sweep', '--omega0', '0.5:3.5:41', '--dz', '0.1,0.5,1.7', '--out', out, '--resume', '--quiet']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/different sweep/);
  });

  it('shards 1/3, 2/3, 3/3 (csv and json) merged equal the unsharded sweep byte for byte (csv, npy, json), energyAt included', () => {
    const dir = tmp();
    const grid = ['--omega0', '0.6,1.2,2.0', '--dz', '0.1,0.5', '--quantities', 'boundStates,ergotropyMax,energyAt=5', '--tol', '1e-3', '--quiet', '--threads', '1'];
    for (const ext of ['csv', 'npy']) {
      expect(run(['sweep', ...grid, '--out', join(dir, `full.${ext}`)]).code).toBe(0);
    }
    for (const k of [1, 3]) expect(run(['sweep', ...grid, '--shard', `${k}/3`, '--out', join(dir, `part${k}.csv`)]).code).toBe(0);
    expect(run(['sweep', ...grid, '--shard', '2/3', '--out', join(dir, 'part2.json')]).code).toBe(0); // shards may mix formats
    const parts = [join(dir, 'part1.csv'), join(dir, 'part2.json'), join(dir, 'part3.csv')];
    expect(dataRows(readFileSync(parts[0]!, 'utf8')).length - 1).toBe(2); // points 0, 3
    for (const ext of ['csv', 'npy']) {
      const m = qbwave(['merge', join(dir, `merged.${ext}`), ...parts]);
      expect(m.code, m.stderr).toBe(0);
      expect(readFileSync(join(dir, `merged.${ext}`)), ext).toEqual(readFileSync(join(dir, `full.${ext}`)));
    }
    // JSON: merging the shards equals converting the unsharded file (merge of one complete file)
    expect(qbwave(['merge', join(dir, 'merged.json'), ...parts]).code).toBe(0);
    expect(qbwave(['merge', join(dir, 'full.json'), join(dir, 'full.npy')]).code).toBe(0);
    expect(readFileSync(join(dir, 'merged.json'))).toEqual(readFileSync(join(dir, 'full.json')));
    expect(readFileSync(join(dir, 'merged.npy.json'))).toEqual(readFileSync(join(dir, 'full.npy.json')));
    // the .npy is a float64 (6 × 11) array numpy can load; energyAt_5 at ω0 = 0.6, Δz = 0.1 is E(5)
    const npy = readFileSync(join(dir, 'full.npy'));
    const hlen = npy.readUInt16LE(8);
    expect(npy.toString('latin1', 10, 10 + hlen)).toContain("'shape': (6, 11)");
    expect((10 + hlen) % 64).toBe(0);
    const json = JSON.parse(readFileSync(join(dir, 'full.json'), 'utf8'));
    expect(json.columns.map((c: { name: string }) => c.name).at(-1)).toBe('energyAt_5');
    const e5 = namedValues(parseQuantities('energyAt=5'), evaluatePoint({ omega0: 0.6, dz: 0.1, gamma11: 0.5 }, parseQuantities('energyAt=5'), { tol: 1e-3 }).values).energyAt_5!;
    expect(npy.readDoubleLE(10 + hlen + 10 * 8)).toBe(e5);
    expect(json.data[0][10]).toBe(e5);
  });

  it('merge refuses a missing or a duplicated shard, writing nothing', () => {
    const dir = tmp();
    const grid = ['--omega0', '0.6,1.2,2.0,2.5', '--dz', '0.1', '--quiet', '--threads', '1'];
    for (const k of [1, 2]) expect(run(['sweep', ...grid, '--shard', `${k}/2`, '--out', join(dir, `p${k}.csv`)]).code).toBe(0);
    const missing = qbwave(['merge', join(dir, 'm.csv'), join(dir, 'p1.csv')]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/2 of 4 points missing \(first: index 1, 3;/);
    const dup = qbwave(['merge', join(dir, 'm.csv'), join(dir, 'p1.csv'), join(dir, 'p2.csv'), join(dir, 'p1.csv')]);
    expect(dup.code).toBe(2);
    expect(dup.stderr).toMatch(/point 0 appears twice/);
    expect(existsSync(join(dir, 'm.csv'))).toBe(false);
  });

  it('bad ranges, quantities and shards: one line naming the flag, exit 2, no file created', async () => {
    const dir = tmp();
    const out = join(dir, 'bad.csv');
    const cases: Array<[string[], string]> = [
      [['--omega0', '0.5:3.5:0', '--dz', '0.1'], '--omega0'],
      [['--omega0', '3.5:0.5:10', '--dz', '0.1'], '--omega0'],
      [['--omega0', '1', '--dz', '0.1:0.5'], '--dz'],
      [['--omega0', '1', '--dz', 'a,b'], '--dz'],
      [['--omega0', '1', '--dz', '0.1', '--gamma', '0:0.5:3'], '--gamma'],
      [['--omega0', '0.5,11', '--dz', '0.1'], '--omega0'],
      [['--omega0', '1', '--dz', '0.1', '--quantities', 'boundStates,foo'], '--quantities'],
      [['--omega0', '1', '--dz', '0.1', '--quantities', 'energyAt=x'], '--quantities'],
      [['--omega0', '1', '--dz', '0.1', '--shard', '0/3'], '--shard'],
      [['--omega0', '1', '--dz', '0.1', '--shard', '4/3'], '--shard'],
      [['--omega0', '1', '--dz', '0.1', '--shard', 'x'], '--shard'],
      [['--omega0', '1', '--dz', '0.1', '--threads', '0'], '--threads'],
      // duplicate points or columns (issue 10 item 8): 1:1.0000000000000002:3 gives 1, 1, 1.0000000000000002
      [['--omega0', '1:1.0000000000000002:3', '--dz', '0.1'], '--omega0'],
      [['--omega0', '1', '--dz', '0.1:0.10000000000000003:4'], '--dz'],
      [['--omega0', '1', '--dz', '0.1,0.10'], '--dz'],
      [['--omega0', '1', '--dz', '0.1', '--quantities', 'energyAt=1;1.0'], '--quantities'],
      [['--omega0', '1', '--dz', '0.1', '--quantities', 'energyAt=0;-0'], '--quantities'],
      [['--omega0', '1', '--dz', '0.1', '--quantities', 'energyAt=10;1e1'], '--quantities'],
      [['--omega0', '1', '--dz', '0.1', '--quantities', 'boundStates,energyAt=1,boundStates'], '--quantities'],
    ];
    // In-process: the command's validation throws a UsageError naming the flag before touching the disk.
    for (const [args, flag] of cases) {
      const program = new Command().exitOverride();
      registerSweep(program);
      let err: unknown;
      try {
        await program.parseAsync(['sweep', ...args, '--out', out, '--quiet'], { from: 'user' });
      } catch (e) {
        err = e;
      }
      expect(err, args.join(' ')).toBeInstanceOf(UsageError);
      expect((err as Error).message.split('\n').length).toBe(1);
      expect((err as Error).message, args.join(' ')).toMatch(new RegExp(`^${flag}\\b`));
    }
    // The messages say what is duplicated; a range just above the limit (4 ulps a step) is accepted.
    const dup = await sweepError(['--omega0', '1:1.0000000000000002:3', '--dz', '0.1']);
    expect(dup).toMatch(/the 3 points are not distinct numbers \(step 1\.11e-16 is below 4 units in the last place, 8\.88e-16\)/);
    expect(await sweepError(['--omega0', '1', '--dz', '0.1', '--quantities', 'energyAt=1;1.0'])).toBe('--quantities "energyAt=1;1.0": energyAt lists the time 1 twice; each time may appear once');
    expect(parseAxisFlag('omega0', '1:1.000000000000001:2')).toEqual([1, 1.000000000000001]);
    // Through the binary: one stderr line, exit code 2.
    const r = qbwave(['sweep', '--omega0', '0.5:3.5:0', '--dz', '0.1', '--out', out]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('qbwave: --omega0 "0.5:3.5:0": COUNT must be an integer ≥ 1\n');
    const ext = qbwave(['sweep', '--omega0', '1', '--dz', '0.1', '--out', join(dir, 'bad.txt')]);
    expect(ext.code).toBe(2);
    expect(ext.stderr).toContain('--out');
    expect(readdirSync(dir)).toEqual([]);
  });
});

describe('qbwave sweep: points that did not succeed', () => {
  it('a Markov sweep across ω0 = 1 (where Eq. 6 is singular) writes the file with NaN there, warns in one line even with --quiet, and exits 3, not 0', () => {
    const dir = mkdtempSync(join(tmpdir(), 'qbw-sweep-nan-'));
    const out = join(dir, 'm.csv');
    const r = qbwave(['sweep', '--omega0', '0.9,1,1.1', '--dz', '0.1', '--quantities', 'energyAt=10', '--method', 'markov', '--out', out, '--quiet']);
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/^qbwave: warning: 1 of 3 points not successful, their values NaN \(first: point 1: error: omega0 = 1 is not allowed/);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    const rows = readFileSync(out, 'utf8').split('\n').filter((l) => l && !l.startsWith('#')).slice(1).map((l) => l.split(','));
    expect(rows.map((x) => x[4])).toEqual([expect.stringMatching(/^0\.5/), 'NaN', expect.stringMatching(/^0\.1/)]);
  });
});
