import { describe, it, expect } from 'vitest';
import { availableParallelism } from 'node:os';
import { existsSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { UsageError } from '../../cli/errors.js';
import { checkGridBound, maxThreads, MAX_FIG4_POINTS, MAX_SWEEP_POINTS, parseThreadsFlag, THREADS_PER_CORE } from '../../cli/limits.js';
import { qbwave } from './run.js';

describe('work bounds (issue 10 item 5)', () => {
  it('--threads: an integer in [1, 4 × cores]; the error states the bound and where it comes from', () => {
    expect(THREADS_PER_CORE).toBe(4);
    expect(maxThreads(2)).toBe(8);
    expect(maxThreads(64)).toBe(256);
    expect(parseThreadsFlag('8', 2)).toBe(8);
    expect(parseThreadsFlag('1', 1)).toBe(1);
    for (const bad of ['9', '0', '1024', '2.5', 'two', '', 'Infinity']) {
      expect(() => parseThreadsFlag(bad, 2)).toThrow(UsageError);
    }
    expect(() => parseThreadsFlag('1024', 2)).toThrow('--threads "1024": must be a finite number in [1, 8] (4 × the 2 cores of this machine)');
    expect(() => parseThreadsFlag('2.5', 2)).toThrow('--threads "2.5": must be an integer in [1, 8] (4 × the 2 cores of this machine)');
    expect(parseThreadsFlag(String(maxThreads()))).toBe(THREADS_PER_CORE * availableParallelism());
  });
  it('checkGridBound passes at the bound and refuses one point more, naming the flags, the size, its factors and the bound', () => {
    expect(() => checkGridBound('--a/--b', MAX_FIG4_POINTS, [400, 500], MAX_FIG4_POINTS, 'why')).not.toThrow();
    expect(() => checkGridBound('--a/--b', MAX_FIG4_POINTS + 1, [200_001, 1], MAX_FIG4_POINTS, 'why')).toThrow('--a/--b: the grid has 200001 points (200001 × 1), more than the bound 200000 (why)');
    expect(() => checkGridBound('--s', 7, [], 6, 'n', 'this shard')).toThrow('--s: this shard has 7 points, more than the bound 6 (n)');
  });
  it('sweep: a grid (or a shard) over the bound and --threads over 4 × cores are refused before any file is made', () => {
    const d = mkdtempSync(join(tmpdir(), 'qbw-lim-'));
    const out = join(d, 'x.csv');
    const over = qbwave(['sweep', '--omega0', '0.5:3.5:3000', '--dz', '0.1:1:1000', '--out', out, '--quiet']);
    expect(over.code).toBe(2);
    expect(over.stderr).toBe(`qbwave: --omega0/--dz/--gamma: the grid has 3000000 points (3000 × 1000 × 1), more than the bound ${MAX_SWEEP_POINTS} (points held by one process, ≈ 0.5 kB each; split a larger grid with --shard i/n)\n`);
    const shard = qbwave(['sweep', '--omega0', '0.5:3.5:5000', '--dz', '0.1:1:1000', '--shard', '1/2', '--out', out, '--quiet']);
    expect(shard.code).toBe(2);
    expect(shard.stderr).toMatch(/^qbwave: --omega0\/--dz\/--gamma\/--shard: this shard has 2500000 points, more than the bound 2000000/);
    const threads = qbwave(['sweep', '--omega0', '1', '--dz', '0.1', '--threads', '1024', '--out', out, '--quiet']);
    expect(threads.code).toBe(2);
    expect(threads.stderr).toMatch(/^qbwave: --threads "1024": must be a finite number in \[1, \d+\] \(4 × the \d+ cores? of this machine\)\n$/);
    expect(readdirSync(d)).toEqual([]);
    expect(existsSync(out)).toBe(false);
  });
});
