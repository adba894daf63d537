import { describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { qbwave } from './run.js';
import { VERSION } from '../../src/version.js';
import { solve } from '../../src/dynamics/solve.js';

describe('qbwave dynamics: provenance and status (issue 12 item 4)', () => {
  it('a CSV stays plain (header line first: loads with numpy.genfromtxt(names=True) and pandas as is) and gets FILE.meta.json with the run\'s provenance; success prints one status line on stderr', () => {
    const dir = mkdtempSync(join(tmpdir(), 'qbw-dyn-meta-'));
    const out = join(dir, 'run.csv');
    const r = qbwave(['dynamics', '--omega0', '1.5', '--dz', '0.1', '--t-max', '4', '--dt', '1', '--tol', '1e-6', '--out', out, '--quiet']);
    expect(r.code, r.stderr).toBe(0);
    expect(readFileSync(out, 'utf8').split('\n')[0]).toBe('t,c1_re,c1_im,c2_re,c2_im,energy,ergotropy');
    const meta = JSON.parse(readFileSync(`${out}.meta.json`, 'utf8'));
    // The record equals what the library reports for the same problem (same code, same numbers).
    const sol = solve({ params: { omega0: 1.5, dz: 0.1, gamma11: 0.5 }, tMax: 4, dt: 1, tol: 1e-6 }, 'exact');
    expect(meta).toMatchObject({ qbwaveVersion: VERSION, command: 'dynamics', method: 'exact', params: { omega0: 1.5, dz: 0.1, gamma11: 0.5 }, tMax: 4, dt: 1, tol: 1e-6, status: 'success', points: 5 });
    expect(meta.errorEstimate).toBe(sol.errorEstimate);
    expect(Object.keys(meta.columns)).toEqual(['t', 'c1_re', 'c1_im', 'c2_re', 'c2_im', 'energy', 'ergotropy']);
    // --quiet: no status line; without it, one line naming method, status, estimate and file.
    expect(r.stderr).toBe('');
    const loud = qbwave(['dynamics', '--omega0', '1.5', '--dz', '0.1', '--t-max', '4', '--dt', '1', '--tol', '1e-6', '--out', join(dir, 'b.csv')]);
    expect(loud.code).toBe(0);
    expect(loud.stderr.trim().split('\n').at(-1)).toMatch(/^qbwave: dynamics exact: success, error estimate [0-9.e+-]+ \(tol 0.000001\), 5 points → .*b\.csv$/);
  });
  it('JSON output carries the version with the status; --out /dev/null creates no sidecar in /dev', () => {
    const j = qbwave(['dynamics', '--omega0', '0.5', '--dz', '0.1', '--t-max', '1', '--dt', '0.5', '--method', 'markov', '--format', 'json', '--quiet']);
    expect(JSON.parse(j.stdout)).toMatchObject({ qbwaveVersion: VERSION, method: 'markov', status: 'success' });
    const n = qbwave(['dynamics', '--omega0', '0.5', '--dz', '0.1', '--t-max', '1', '--dt', '0.5', '--method', 'markov', '--out', '/dev/null', '--quiet']);
    expect(n.code).toBe(0);
    expect(existsSync('/dev/null.meta.json')).toBe(false);
  });
});
