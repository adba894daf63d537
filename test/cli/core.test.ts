import { describe, it, expect } from 'vitest';
import { mkdtempSync, readFileSync, writeFileSync, existsSync, readdirSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { qbwave } from './run.js';
import { boundStates } from '../../src/spectrum/boundStates.js';

describe('qbwave spectrum', () => {
  it('--json prints {boundStates:[{channel,energy,residue}],count} equal to the API to the last bit', () => {
    const r = qbwave(['spectrum', '--omega0', '1', '--dz', '0.1', '--json']);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout);
    const api = boundStates({ omega0: 1, gamma11: 0.5, dz: 0.1 });
    expect(j.count).toBe(2);
    expect(j.boundStates.map((b: { channel: string; energy: number; residue: number }) => [b.channel, b.energy, b.residue]))
      .toEqual(api.boundStates.map((b) => [b.channel, b.energy, b.residue]));
  });
  it('prints a readable table by default', () => {
    const r = qbwave(['spectrum', '--omega0', '3', '--dz', '0.1', '--gamma', '0.5']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/M = 1/);
    expect(r.stdout).toMatch(/0\.975785132/);
  });
});

describe('qbwave dynamics', () => {
  it('writes CSV with the documented header on t = 0, dt, …, T', () => {
    const r = qbwave(['dynamics', '--omega0', '0.5', '--dz', '0.1', '--t-max', '2', '--dt', '0.5', '--method', 'markov']);
    expect(r.code).toBe(0);
    const lines = r.stdout.trim().split('\n');
    expect(lines[0]).toBe('t,c1_re,c1_im,c2_re,c2_im,energy,ergotropy');
    expect(lines.length).toBe(6);
    expect(lines.slice(1).map((l) => Number(l.split(',')[0]))).toEqual([0, 0.5, 1, 1.5, 2]);
    const row = lines[5].split(',').map(Number);
    // energy column = ω0|c2|²
    expect(row[5]).toBeCloseTo(0.5 * (row[3] ** 2 + row[4] ** 2), 15);
  });
  it('writes JSON columns with the same names to --out, atomically', () => {
    const dir = mkdtempSync(join(tmpdir(), 'qbw-'));
    const out = join(dir, 'd.json');
    const r = qbwave(['dynamics', '--omega0', '1.5', '--dz', '0.1', '--t-max', '3', '--dt', '1', '--tol', '1e-6', '--out', out]);
    expect(r.code).toBe(0);
    const j = JSON.parse(readFileSync(out, 'utf8'));
    expect(j.status).toBe('success');
    expect(j.t).toEqual([0, 1, 2, 3]);
    for (const c of ['c1_re', 'c1_im', 'c2_re', 'c2_im', 'energy', 'ergotropy']) expect(j[c]).toHaveLength(4);
    expect(readdirSync(dir)).toEqual(['d.json']); // no temporary left behind
  });
});

describe('dynamics output grid: t_n = n·dt as exact decimals, last point ≤ t-max (README)', () => {
  it('--t-max 1 --dt 0.3 gives t = 0, 0.3, 0.6, 0.9 written as such (3 × 0.3 was 0.8999999999999999)', () => {
    const r = qbwave(['dynamics', '--omega0', '0.5', '--dz', '0.1', '--t-max', '1', '--dt', '0.3', '--method', 'markov']);
    expect(r.code).toBe(0);
    expect(r.stdout.trim().split('\n').slice(1).map((l) => l.split(',')[0])).toEqual(['0', '0.3', '0.6', '0.9']);
  });
  it('--t-max 0.7 --dt 0.1 ends at 0.7 (8 rows); --t-max 0 gives the single row t = 0 whatever --dt', () => {
    const r = qbwave(['dynamics', '--omega0', '0.5', '--dz', '0.1', '--t-max', '0.7', '--dt', '0.1', '--method', 'markov', '--format', 'json']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).t).toEqual([0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7]);
    const z = qbwave(['dynamics', '--omega0', '0.5', '--dz', '0.1', '--t-max', '0', '--dt', '5', '--method', 'markov']);
    expect(z.code).toBe(0);
    expect(z.stdout.trim().split('\n')).toHaveLength(2);
  });
});

describe('bad input: one stderr line naming the flag, value and range; exit 2; no file', () => {
  const cases: Array<[string[], RegExp]> = [
    [['spectrum', '--omega0', 'abc', '--dz', '0.1'], /--omega0 "abc": must be a finite number in \(0, 10\]/],
    [['spectrum', '--omega0', 'NaN', '--dz', '0.1'], /--omega0 "NaN"/],
    [['spectrum', '--omega0', 'Infinity', '--dz', '0.1'], /--omega0 "Infinity"/],
    [['spectrum', '--omega0', '0', '--dz', '0.1'], /--omega0 "0"/],
    [['spectrum', '--omega0', '1', '--dz', '-0.1'], /--dz "-0.1": must be a finite number in \[0, 20\]/],
    [['spectrum', '--omega0', '1', '--dz', '0.1', '--gamma', '0'], /--gamma "0": must be a finite number in \(0, 5\]/],
    [['dynamics', '--omega0', '1', '--dz', '0.1', '--t-max', '-1', '--dt', '1'], /--t-max "-1"/],
    [['dynamics', '--omega0', '1', '--dz', '0.1', '--t-max', '1', '--dt', '0'], /--dt "0"/],
    [['dynamics', '--omega0', '1', '--dz', '0.1', '--t-max', '1000', '--dt', '1e-6'], /--dt .*memory bound/],
    [['dynamics', '--omega0', '1', '--dz', '0.1', '--t-max', '1', '--dt', '1', '--method', 'rk4'], /--method "rk4": must be one of exact, volterra, markov/],
    [['dynamics', '--omega0', '1', '--dz', '0.1', '--t-max', '1', '--dt', '1', '--format', 'xml'], /--format "xml": must be one of csv, json/],
    [['steady', '--omega0', '1', '--dz', '0.1', '--residue-threshold', '2'], /--residue-threshold "2"/],
    // issue 10 item 8: dt > tMax left the single row t = 0 with exit 0
    [['dynamics', '--omega0', '1', '--dz', '0.1', '--t-max', '1', '--dt', '5', '--method', 'markov'], /^qbwave: --dt "5": must be a finite number in \(0, 1\] \(1\/ω11, at most --t-max\)\n$/],
    // surrounding whitespace was trimmed; now refused, naming the flag
    [['spectrum', '--omega0', ' 1', '--dz', '0.1'], /^qbwave: --omega0 " 1": has surrounding whitespace/],
    [['steady', '--omega0', '1', '--dz', '0.1\t'], /^qbwave: --dz "0\.1\\t": has surrounding whitespace/],
    // … in every command, in one place (sweep's ranges and figures' lists were trimmed too)
    [['figures', '--only', ' 2', '--quick'], /^qbwave: --only " 2": has surrounding whitespace; give the value without it\n$/],
    [['sweep', '--omega0', '1 ', '--dz', '0.1', '--out', 'never.csv'], /^qbwave: --omega0 "1 ": has surrounding whitespace/],
    // a repeated flag silently kept the last value; now refused, naming the flag and both values
    [['spectrum', '--omega0', '1', '--omega0', '2', '--dz', '0.1'], /^qbwave: --omega0 "2": given more than once \(first "1"\); give it once\n$/],
    [['dynamics', '--omega0', '1', '--dz', '0.1', '--t-max', '1', '--dt', '1', '--method', 'markov', '--method=exact'], /^qbwave: --method "exact": given more than once \(first "markov"\)/],
    // commander's "(Did you mean --dz?)" used to be a second line
    [['spectrum', '--omega0', '1', '--dz', '0.1', '--Dz', '0.1'], /^error: unknown option '--Dz' \(Did you mean --dz\?\)\n$/],
  ];
  for (const [args, msg] of cases) {
    it(args.join(' '), () => {
      const r = qbwave(args);
      expect(r.code).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).toMatch(msg);
    });
  }
  it('an unwritable --out fails before computing and leaves an existing file untouched', () => {
    const dir = mkdtempSync(join(tmpdir(), 'qbw-'));
    const r1 = qbwave(['dynamics', '--omega0', '1', '--dz', '0.1', '--t-max', '1', '--dt', '1', '--out', join(dir, 'missing', 'x.csv')]);
    expect(r1.code).toBe(2);
    expect(r1.stderr).toMatch(/--out .*does not exist/);
    const existing = join(dir, 'keep.csv');
    writeFileSync(existing, 'precious\n');
    const r2 = qbwave(['dynamics', '--omega0', '1', '--dz', '0.1', '--t-max', '1', '--dt', '0', '--out', existing]);
    expect(r2.code).toBe(2);
    expect(readFileSync(existing, 'utf8')).toBe('precious\n');
    if (process.getuid?.() !== 0) {
      chmodSync(existing, 0o444);
      const r3 = qbwave(['dynamics', '--omega0', '1', '--dz', '0.1', '--t-max', '1', '--dt', '1', '--out', existing]);
      expect(r3.code).toBe(2);
    }
    expect(existsSync(join(dir, 'missing'))).toBe(false);
  });
  it('--help works on every command', () => {
    for (const c of ['spectrum', 'dynamics', 'steady', 'demo']) {
      const r = qbwave([c, '--help']);
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(/Usage: qbwave/);
    }
  });
});
