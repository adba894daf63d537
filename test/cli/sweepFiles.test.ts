/**
 * Sweep output files that load in one line (issue 12 item 4) and scene sweeps through the same
 * formats, journal and merge as the two-emitter sweep:
 * - `.npz`: numpy's own np.load opens it (checked by spawning python3 + numpy, skipped with a message
 *   only if they are missing); the axes, one array of the grid's shape per quantity and `status`
 *   hold exactly the values of the CSV of the same sweep (index i ↔ element i in C order);
 * - `--no-comments`: a CSV that numpy.genfromtxt(f, delimiter=',', names=True) reads without options,
 *   a status column, the header in FILE.meta.json; merge reads and writes it;
 * - a scene sweep sharded (mixed formats) and merged gives the unsharded bytes; a scene sweep resumes
 *   from its journal to the uninterrupted bytes.
 * Runs in process (test/cli/inProcess.ts); the python checks spawn python3.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inProcess as inProcessRaw } from './inProcess.js';
import { qbwave, ROOT } from './run.js';
import { readSweepFile } from '../../cli/sweep/formats.js';
import { Journal, journalPath } from '../../cli/sweep/journal.js';

let root: string;
beforeAll(() => { root = mkdtempSync(join(tmpdir(), 'qbw-sweep-files-')); });
afterAll(() => { if (root) rmSync(root, { recursive: true, force: true }); });

/** inProcess with the exit code a process would have: 3 when the command set process.exitCode = 3. */
async function inProcess(args: string[]): Promise<{ code: number; message: string; stderr: string }> {
  process.exitCode = undefined;
  try {
    const r = await inProcessRaw(args);
    return r.code === 0 && process.exitCode !== undefined ? { ...r, code: Number(process.exitCode) } : r;
  } finally {
    process.exitCode = undefined;
  }
}

const NUMPY = spawnSync('python3', ['-c', 'import numpy'], { encoding: 'utf8' }).status === 0;
if (!NUMPY) console.warn('sweepFiles.test.ts: python3 with numpy is not available: the np.load / np.genfromtxt checks are SKIPPED (install python3 and numpy to run them)');

/** Runs python3 code with the file as sys.argv[1]; returns its stdout parsed as JSON. */
function python(code: string, file: string): unknown {
  const r = spawnSync('python3', ['-c', code, file], { encoding: 'utf8', timeout: 60_000 });
  if (r.status !== 0) throw new Error(`python3 failed: ${r.stderr}`);
  return JSON.parse(r.stdout);
}

/** The data of a default (commented) sweep CSV: header names and rows of numbers. */
function csvTable(path: string): { names: string[]; rows: number[][] } {
  const lines = readFileSync(path, 'utf8').trimEnd().split('\n').filter((l) => !l.startsWith('#'));
  return { names: lines[0]!.split(','), rows: lines.slice(1).map((l) => l.split(',').map(Number)) };
}

const GUIDE = { type: 'waveguide', modes: ['TM11'] };
let n = 0;
function sceneFile(omega0: number): string {
  const p = join(root, `scene${n++}.json`);
  writeFileSync(p, JSON.stringify({ reservoir: GUIDE, emitters: [{ z: 0, omega0, gamma: 0.5, role: 'charger' }, { z: 0.1, omega0, gamma: 0.5, role: 'battery' }] }));
  return p;
}

/** Python: np.load the .npz; every member as a list (NaN → None), its shape and dtype kind. */
const LOAD_NPZ = `
import sys, json, math, zipfile, numpy as np
# Every member's CRC-32 checked by Python's zipfile (testzip returns the first bad member, or None).
assert zipfile.ZipFile(sys.argv[1]).testzip() is None
d = np.load(sys.argv[1])
out = {}
for k in d.files:
    a = d[k]
    v = a.tolist()
    def clean(x):
        if isinstance(x, list): return [clean(y) for y in x]
        if isinstance(x, float) and math.isnan(x): return None
        return x
    out[k] = {'shape': list(a.shape), 'kind': a.dtype.kind, 'value': clean(v)}
print(json.dumps(out))
`;

type Npz = Record<string, { shape: number[]; kind: string; value: unknown }>;
const flat = (x: unknown): unknown[] => (Array.isArray(x) ? x.flatMap(flat) : [x]);
const nanToNull = (x: number) => (Number.isNaN(x) ? null : x);

describe('.npz: numpy loads it in one line', () => {
  it.skipIf(!NUMPY)('two-emitter sweep: axes omega0, dz, gamma11; one (n_ω0 × n_Δz × n_Γ11) float64 array per quantity with the CSV\'s values; status; meta; a Markov point at ω0 = 1 has status error and exit 3', async () => {
    const args = ['--omega0', '0.9,1,1.1', '--dz', '0.1,0.5', '--gamma', '0.5', '--quantities', 'boundStates,ergotropyMax,energyAt=10', '--method', 'markov', '--threads', '1', '--quiet'];
    const csv = join(root, 'm.csv');
    const npz = join(root, 'm.npz');
    const a = await inProcess(['sweep', ...args, '--out', csv]);
    const b = await inProcess(['sweep', ...args, '--out', npz]);
    expect(a.code).toBe(3);
    expect(b.code).toBe(3); // NaN points: exit 3 and one warning line, whatever the format
    expect(b.stderr).toMatch(/^qbwave: warning: 2 of 6 points not successful, their values NaN \(first: point 2: error: omega0 = 1 is not allowed/);
    const d = python(LOAD_NPZ, npz) as Npz;
    expect(Object.keys(d)).toEqual(['omega0', 'dz', 'gamma11', 'count', 'Eplus', 'Zplus', 'Eminus', 'Zminus', 'ergotropyMax', 'energyAt_10', 'status', 'meta']);
    expect(d.omega0).toEqual({ shape: [3], kind: 'f', value: [0.9, 1, 1.1] });
    expect(d.dz!.value).toEqual([0.1, 0.5]);
    expect(d.gamma11!.value).toEqual([0.5]);
    const t = csvTable(csv);
    for (const [j, name] of t.names.entries()) {
      if (j < 4) continue;
      expect(d[name]!.shape, name).toEqual([3, 2, 1]);
      expect(d[name]!.kind).toBe('f');
      // Element [iω, iΔz, iΓ] is point index iω·2 + iΔz: the CSV's rows in order, bit for bit.
      expect(flat(d[name]!.value), name).toEqual(t.rows.map((r) => nanToNull(r[j]!)));
    }
    expect(d.status!.shape).toEqual([3, 2, 1]);
    expect(d.status!.kind).toBe('U');
    expect(flat(d.status!.value)).toEqual(['success', 'success', 'error', 'error', 'success', 'success']);
    const meta = JSON.parse(d.meta!.value as string) as { spec: unknown; dataCrc32: string; warnings: Array<{ index: number; status: string }> };
    const text = readFileSync(csv, 'utf8');
    expect(JSON.stringify(meta.spec)).toBe(/# spec: (.*)/.exec(text)![1]);
    expect(meta.dataCrc32).toBe(/# data-crc32: (.*)/.exec(text)![1]);
    expect(meta.warnings.map((w) => [w.index, w.status])).toEqual([[2, 'error'], [3, 'error']]);
  });

  it.skipIf(!NUMPY)('scene sweep with two varied fields: arrays of shape (n1 × n2), the axes named by their paths', async () => {
    const f = sceneFile(0.9);
    const args = ['--scene', f, '--vary', 'emitters[1].z=0.1:0.3:3', '--vary', 'emitters[0].gamma=0.2,0.5', '--threads', '1', '--quiet'];
    const csv = join(root, 's2.csv');
    const npz = join(root, 's2.npz');
    expect((await inProcess(['sweep', ...args, '--out', csv])).code).toBe(0);
    expect((await inProcess(['sweep', ...args, '--out', npz])).code).toBe(0);
    const d = python(LOAD_NPZ, npz) as Npz;
    expect(d['emitters[1].z']!.value).toEqual([0.1, 0.2, 0.3]);
    expect(d['emitters[0].gamma']!.value).toEqual([0.2, 0.5]);
    const t = csvTable(csv);
    expect(t.names.slice(0, 3)).toEqual(['index', 'emitters[1].z', 'emitters[0].gamma']);
    for (const [j, name] of t.names.entries()) {
      if (j < 3) continue;
      expect(d[name]!.shape, name).toEqual([3, 2]);
      expect(flat(d[name]!.value), name).toEqual(t.rows.map((r) => nanToNull(r[j]!)));
    }
    expect(flat(d.status!.value)).toEqual(new Array(6).fill('success'));
  });
});

describe('--no-comments: a CSV numpy and pandas read without options', () => {
  it('the header row first, a status column last, the header lines as JSON in FILE.meta.json; the same numbers as the default CSV', async () => {
    const args = ['--omega0', '0.9,1,1.1', '--dz', '0.1', '--quantities', 'boundStates,energyAt=10', '--method', 'markov', '--threads', '1', '--quiet'];
    const csv = join(root, 'p-default.csv');
    const plain = join(root, 'p-plain.csv');
    expect((await inProcess(['sweep', ...args, '--out', csv])).code).toBe(3);
    const r = await inProcess(['sweep', ...args, '--no-comments', '--out', plain]);
    expect(r.code).toBe(3);
    const lines = readFileSync(plain, 'utf8').trimEnd().split('\n');
    const t = csvTable(csv);
    expect(lines[0]).toBe(`${t.names.join(',')},status`);
    // Every data line is the default CSV's line plus the status.
    const defaultLines = readFileSync(csv, 'utf8').trimEnd().split('\n').filter((l) => !l.startsWith('#')).slice(1);
    expect(lines.slice(1)).toEqual(defaultLines.map((l, k) => `${l},${k === 1 ? 'error' : 'success'}`));
    const meta = JSON.parse(readFileSync(`${plain}.meta.json`, 'utf8'));
    expect(meta.kind).toBe('sweep');
    expect(meta.dataCrc32).toBe(/# data-crc32: (.*)/.exec(readFileSync(csv, 'utf8'))![1]);
    expect(meta.warnings).toEqual([{ index: 1, status: 'error', message: expect.stringMatching(/^omega0 = 1 is not allowed/) }]);
    expect(meta.columns.at(-1).name).toBe('status');
  });

  it.skipIf(!NUMPY)('numpy.genfromtxt(f, delimiter=",", names=True) reads it as is: the named fields hold the values', async () => {
    const f = sceneFile(1.2);
    const plain = join(root, 'g.csv');
    const csv = join(root, 'g-default.csv');
    const args = ['--scene', f, '--vary', 'emitters[1].z=0.1:0.5:5', '--threads', '1', '--quiet'];
    expect((await inProcess(['sweep', ...args, '--no-comments', '--out', plain])).code).toBe(0);
    expect((await inProcess(['sweep', ...args, '--out', csv])).code).toBe(0);
    const got = python(`
import sys, json, numpy as np
d = np.genfromtxt(sys.argv[1], delimiter=',', names=True)
s = np.genfromtxt(sys.argv[1], delimiter=',', names=True, dtype=None, encoding='utf-8')
print(json.dumps({'names': list(d.dtype.names), 'rows': [[float(x) for x in list(r)[:-1]] for r in d], 'status': [str(x) for x in s['status']]}))
`, plain) as { names: string[]; rows: number[][]; status: string[] };
    const t = csvTable(csv);
    // genfromtxt drops the characters [ ] . from names (its deletechars): emitters[1].z → emitters1z.
    expect(got.names).toEqual([...t.names.map((x) => x.replace(/[[\].]/g, '')), 'status']);
    expect(got.rows).toEqual(t.rows);
    expect(got.status).toEqual(new Array(5).fill('success'));
    const pandas = spawnSync('python3', ['-c', 'import pandas'], { encoding: 'utf8' }).status === 0;
    if (!pandas) console.warn('sweepFiles.test.ts: pandas is not installed: pandas.read_csv check skipped (numpy.genfromtxt was checked)');
    else {
      const p = python("import sys, json, pandas as pd\nd = pd.read_csv(sys.argv[1])\nprint(json.dumps({'names': list(d.columns), 'n': len(d)}))", plain) as { names: string[]; n: number };
      expect(p).toEqual({ names: [...t.names, 'status'], n: 5 });
    }
  });
});

describe('scene sweeps: sharded, merged and resumed like the two-emitter sweep', () => {
  it('shards 1/3 (csv), 2/3 (json), 3/3 (plain csv) merged equal the unsharded .csv, .npy, plain .csv and .npz byte for byte', async () => {
    const f = sceneFile(0.9);
    const dir = mkdtempSync(join(root, 'shards-'));
    const args = ['--scene', f, '--vary', 'emitters[1].z=0.1:0.5:3', '--vary2', 'emitters[0].gamma=0.2,0.5', '--quantities', 'boundStates,effectiveCount,energyAt=2', '--method', 'volterra', '--tol', '1e-6', '--threads', '1', '--quiet'];
    for (const [out, extra] of [['full.csv', []], ['full.npy', []], ['full.npz', []], ['fullplain.csv', ['--no-comments']]] as const) {
      const r = await inProcess(['sweep', ...args, ...extra, '--out', join(dir, out)]);
      expect(r.code, r.message).toBe(0);
    }
    const parts: Array<[string, string[]]> = [['p1.csv', []], ['p2.json', []], ['p3.csv', ['--no-comments']]];
    for (const [k, [out, extra]] of parts.entries()) {
      const r = await inProcess(['sweep', ...args, ...extra, '--shard', `${k + 1}/3`, '--out', join(dir, out)]);
      expect(r.code, r.message).toBe(0);
    }
    expect(readFileSync(join(dir, 'p1.csv'), 'utf8')).toMatch(/^# qbwave sweep of a scene[^\n]*\n# qbwave-version: [^\n]*\n# scene-file: [^\n]*\n# spec: \{"scene":/);
    const shards = parts.map(([p]) => join(dir, p));
    for (const [out, extra, ref] of [['m.csv', [], 'full.csv'], ['m.npy', [], 'full.npy'], ['m.npz', [], 'full.npz'], ['mplain.csv', ['--no-comments'], 'fullplain.csv']] as const) {
      const m = await inProcess(['merge', ...extra, join(dir, out), ...shards]);
      expect(m.code, m.message).toBe(0);
      expect(readFileSync(join(dir, out)), out).toEqual(readFileSync(join(dir, ref)));
    }
    expect(readFileSync(join(dir, 'm.npy.json'))).toEqual(readFileSync(join(dir, 'full.npy.json')));
    expect(readFileSync(join(dir, 'mplain.csv.meta.json'))).toEqual(readFileSync(join(dir, 'fullplain.csv.meta.json')));
    // A shard computed from a copy of the scene file elsewhere (same content) merges: the spec, not the
    // file's name, identifies the sweep; the merged header names the first shard's file.
    const copy = join(mkdtempSync(join(root, 'copy-')), 'same.json');
    writeFileSync(copy, readFileSync(f));
    expect((await inProcess(['sweep', ...args.map((a) => (a === f ? copy : a)), '--shard', '2/3', '--out', join(dir, 'c2.csv')])).code).toBe(0);
    expect(readFileSync(join(dir, 'c2.csv'), 'utf8')).toContain(`# scene-file: ${copy}\n`);
    expect((await inProcess(['merge', join(dir, 'mc.csv'), shards[0]!, join(dir, 'c2.csv'), shards[2]!])).code).toBe(0);
    expect(readFileSync(join(dir, 'mc.csv'))).toEqual(readFileSync(join(dir, 'full.csv')));
    // A scene sweep's shard and a shard of another scene (one value of the file differs) do not merge.
    const other = sceneFile(0.95);
    const r = await inProcess(['sweep', ...args.map((a) => (a === f ? other : a)), '--shard', '2/3', '--out', join(dir, 'q2.csv')]);
    expect(r.code, r.message).toBe(0);
    const bad = await inProcess(['merge', join(dir, 'x.csv'), shards[0]!, join(dir, 'q2.csv'), shards[2]!]);
    expect(bad.code).toBe(2);
    expect(bad.message).toMatch(/q2\.csv" is from a different sweep/);
    const missing = await inProcess(['merge', join(dir, 'x.csv'), shards[0]!, shards[2]!]);
    expect(missing.message).toMatch(/^merge: 2 of 6 points missing \(first: index 1, 4; index 1 is emitters\[1\]\.z = 0\.1, emitters\[0\]\.gamma = 0\.5\)/);
    expect(existsSync(join(dir, 'x.csv'))).toBe(false);
    const npzIn = await inProcess(['merge', join(dir, 'x.csv'), join(dir, 'full.npz')]);
    expect(npzIn.message).toMatch(/an \.npz is written, not read/);
  });

  it('--vary given twice writes the same bytes as --vary … --vary2 …', async () => {
    const f = sceneFile(0.8);
    const a = join(root, 'twice.csv');
    const b = join(root, 'alias.csv');
    const common = ['--scene', f, '--threads', '1', '--quiet', '--quantities', 'boundStates'];
    expect((await inProcess(['sweep', ...common, '--vary', 'emitters[1].z=0.1,0.2', '--vary', 'emitters[1].omega0=0.7,0.8', '--out', a])).code).toBe(0);
    expect((await inProcess(['sweep', ...common, '--vary', 'emitters[1].z=0.1,0.2', '--vary2', 'emitters[1].omega0=0.7,0.8', '--out', b])).code).toBe(0);
    expect(readFileSync(a)).toEqual(readFileSync(b));
  });

  it('resumes from the journal an interrupted scene sweep left (first 4 of 9 points) to the uninterrupted bytes; a journal of another scene is refused', async () => {
    const f = sceneFile(1.2);
    const dir = mkdtempSync(join(root, 'resume-'));
    const args = ['--scene', f, '--vary', 'emitters[1].z=0.1:0.9:9', '--threads', '1', '--quiet'];
    const ref = join(dir, 'ref.csv');
    expect((await inProcess(['sweep', ...args, '--out', ref])).code).toBe(0);
    const data = readSweepFile(ref);
    const out = join(dir, 'r.csv');
    const j = new Journal(journalPath(out), 1e9, 1e9);
    j.create(data.spec, null, data.size);
    j.append(data.rows.slice(0, 4).map((r) => ({ i: r.i, v: r.v, s: r.s, m: r.m })));
    j.close();
    const refused = await inProcess(['sweep', ...args, '--out', out]);
    expect(refused.code).toBe(2);
    expect(refused.message).toMatch(/pass --resume/);
    const other = await inProcess(['sweep', ...args.map((a) => (a === f ? sceneFile(1.25) : a)), '--out', out, '--resume']);
    expect(other.code).toBe(2);
    expect(other.message).toMatch(/belongs to a different sweep/);
    const resumed = await inProcess(['sweep', ...args.slice(0, -1), '--out', out, '--resume']);
    expect(resumed.code, resumed.message).toBe(0);
    expect(resumed.stderr).toMatch(/resuming: 4 of 9 points already/);
    expect(readFileSync(out)).toEqual(readFileSync(ref));
    expect(existsSync(journalPath(out))).toBe(false);
  });
});

describe('--vary twice through the binary (cli/args.ts exempts --vary from the repeated-flag refusal)', () => {
  it('a repeated --vary is taken, a value with surrounding whitespace is still refused; other flags still refuse a repeat', () => {
    const f = sceneFile(0.8);
    const dir = mkdtempSync(join(root, 'bin-'));
    const ok = qbwave(['sweep', '--scene', f, '--vary', 'emitters[1].z=0.1,0.2', '--vary', 'emitters[1].omega0=0.7,0.8', '--quantities', 'boundStates', '--threads', '1', '--quiet', '--out', join(dir, 'a.csv')]);
    expect(ok.code, ok.stderr).toBe(0);
    expect(csvTable(join(dir, 'a.csv')).names.slice(0, 3)).toEqual(['index', 'emitters[1].z', 'emitters[1].omega0']);
    const ws = qbwave(['sweep', '--scene', f, '--vary', 'emitters[1].z=0.1,0.2', '--vary', ' emitters[1].omega0=0.7', '--out', join(dir, 'b.csv')]);
    expect(ws.code).toBe(2);
    expect(ws.stderr).toBe('qbwave: --vary " emitters[1].omega0=0.7": has surrounding whitespace; give the value without it\n');
    const rep = qbwave(['sweep', '--scene', f, '--vary', 'emitters[1].z=0.1,0.2', '--quiet', '--quiet', '--out', join(dir, 'c.csv')]);
    expect(rep.code).toBe(2);
    expect(rep.stderr).toMatch(/^qbwave: --quiet: given more than once/);
    expect(existsSync(join(dir, 'b.csv')) || existsSync(join(dir, 'c.csv'))).toBe(false);
  });
});

describe('a scene sweep killed by SIGKILL resumes through the binary', () => {
  it('after a hard kill at the first journal flush (64 of 120 points), --resume gives the uninterrupted bytes', async () => {
    const dir = mkdtempSync(join(root, 'kill-'));
    const BIN = join(ROOT, 'bin', 'qbwave.js');
    const args = ['sweep', '--scene', join(ROOT, 'examples', 'scenes', 'paper-pair.json'), '--vary', 'emitters[1].z=0.2:2:120', '--quantities', 'boundStates', '--threads', '1', '--quiet'];
    const run = (extra: string[], env: Record<string, string> = {}) => spawnSync(process.execPath, [BIN, ...args, ...extra], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1', ...env }, timeout: 120_000 });
    // The journal flushes when 64 rows are queued (or after 1 s): with 120 points a flush, and so the
    // kill, comes before the end whatever the machine's speed.
    const killed = run(['--out', join(dir, 'k.csv')], { QBWAVE_TEST_CRASH_AFTER: '1' });
    expect(killed.signal).toBe('SIGKILL');
    expect(existsSync(join(dir, 'k.csv'))).toBe(false);
    const saved = readFileSync(join(dir, 'k.csv.partial.jsonl'), 'utf8').trimEnd().split('\n').length - 1;
    expect(saved).toBeGreaterThan(0);
    expect(saved).toBeLessThan(120);
    const resumed = run(['--out', join(dir, 'k.csv'), '--resume']);
    expect(resumed.status, resumed.stderr).toBe(0);
    // The uninterrupted run, in process (the same code; saves a process start).
    const full = await inProcess([...args, '--out', join(dir, 'full.csv')]);
    expect(full.code, full.message).toBe(0);
    expect(readFileSync(join(dir, 'k.csv'))).toEqual(readFileSync(join(dir, 'full.csv')));
  });
});
