import { describe, it, expect } from 'vitest';
import { spawn, spawnSync, execFileSync } from 'node:child_process';
import { createServer } from 'node:net';
import { closeSync, existsSync, lstatSync, openSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, readlinkSync, statSync, symlinkSync, writeFileSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { csvRows } from '../../cli/csvRows.js';
import { OutputError, UsageError, EXIT } from '../../cli/errors.js';
import { checkWritable, removeTemporaryFiles, temporaryFiles, writeFileAtomic, writeFileAtomicAsync, type OutputIo } from '../../cli/output.js';
import { qbwave } from './run.js';

const tmp = () => mkdtempSync(join(tmpdir(), 'qbw-out-'));
const isRoot = process.getuid?.() === 0;
const BIN = fileURLToPath(new URL('../../bin/qbwave.js', import.meta.url));

/** The reference formatting: String(x) per number, "," between columns, "\n" after each row. */
function reference(cols: readonly ArrayLike<number>[], n: number): string {
  let s = '';
  for (let i = 0; i < n; i++) s += `${cols.map((c) => String(c[i])).join(',')}\n`;
  return s;
}

/** Deterministic doubles from random bit patterns: every exponent, subnormals, ±0, NaN, ±Infinity. */
function randomDoubles(n: number, seed: number): Float64Array {
  let s = seed >>> 0;
  const next = () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0);
  const out = new Float64Array(n);
  const view = new DataView(out.buffer);
  for (let i = 0; i < n; i++) {
    view.setUint32(8 * i, next(), true);
    view.setUint32(8 * i + 4, next(), true);
  }
  return out;
}

const EDGES = [0, -0, 1, -1, 0.1, 0.2 + 0.1, 1 / 3, 5e-324, -5e-324, 2.2250738585072014e-308, 2.225073858507201e-308, 1e-300, 1e-7, 1.0000000000000002e-7, 9.999999999999999e-8,
  1e-6, 123456789012345680000, 1e21, 999999999999999900000, 1.7976931348623157e308, 2 ** 53, 2 ** 53 + 2, 0.000001, 1e-323, Number.EPSILON, 100, 1e100, NaN, Infinity, -Infinity];

describe('csvRows: the fast CSV number formatting is byte-identical to String(x)', () => {
  it('on 40 000 random bit patterns (all exponents, subnormals, NaN, ±Infinity) and edge values, for several chunk sizes and column counts', () => {
    // No tolerance: the text must be identical, byte for byte (the output contract of the CSV files).
    const x = randomDoubles(40_000, 12345);
    const mags = Float64Array.from(x, (v, i) => (i % 3 === 0 ? v : Number.isFinite(v) ? v / 2 ** Math.round(Math.log2(Math.abs(v) || 1)) * 10 ** ((i % 40) - 20) : v));
    for (const m of [1, 3, 7]) {
      const n = Math.floor(mags.length / m);
      const cols = Array.from({ length: m }, (_, j) => mags.subarray(j * n, (j + 1) * n));
      for (const chunk of [1, 5, 4096]) expect([...csvRows(cols, n, chunk)].join('')).toBe(reference(cols, n));
    }
    const edges = Float64Array.from(EDGES);
    expect([...csvRows([edges], edges.length, 4)].join('')).toBe(reference([edges], edges.length));
    expect([...csvRows([edges, edges.slice().reverse()], edges.length)].join('')).toBe(reference([edges, edges.slice().reverse()], edges.length));
    // Every value of a chunk with no NaN/Infinity takes the fast route; check it on the finite edges alone.
    const finite = Float64Array.from(EDGES.filter(Number.isFinite));
    expect([...csvRows([finite], finite.length)].join('')).toBe(reference([finite], finite.length));
    // And the text reads back to the same doubles (−0 is written "0", as String(−0) does).
    const back = [...csvRows([finite], finite.length)].join('').trim().split('\n').map(Number);
    expect(back).toEqual(Array.from(finite, (v) => (Object.is(v, -0) ? 0 : v)));
  });
  it('no rows and no columns give no text', () => {
    expect([...csvRows([new Float64Array(0)], 0)]).toEqual([]);
    expect([...csvRows([], 5)]).toEqual([]);
  });
});

describe('writeFileAtomic', () => {
  it('writes a new file and replaces an existing one (keeping its permission bits), leaving no temporary file', () => {
    const d = tmp();
    const p = join(d, 'a.csv');
    writeFileAtomic(p, ['x,', new Uint8Array([121, 10])]);
    expect(readFileSync(p, 'utf8')).toBe('x,y\n');
    chmodSync(p, 0o640);
    writeFileAtomic(p, 'new\n');
    expect(readFileSync(p, 'utf8')).toBe('new\n');
    expect(statSync(p).mode & 0o777).toBe(0o640);
    expect(readdirSync(d)).toEqual(['a.csv']);
    expect(temporaryFiles()).toEqual([]);
  });
  it('through a symlink: the file it points to is replaced and the symlink stays a symlink (also a dangling one)', () => {
    const d = tmp();
    mkdirSync(join(d, 'real'));
    writeFileSync(join(d, 'real', 'target.csv'), 'old\n');
    symlinkSync(join('real', 'target.csv'), join(d, 'link.csv'));
    writeFileAtomic(join(d, 'link.csv'), 'new\n');
    expect(lstatSync(join(d, 'link.csv')).isSymbolicLink()).toBe(true);
    expect(readlinkSync(join(d, 'link.csv'))).toBe(join('real', 'target.csv'));
    expect(readFileSync(join(d, 'real', 'target.csv'), 'utf8')).toBe('new\n');
    expect(readdirSync(join(d, 'real'))).toEqual(['target.csv']);
    symlinkSync(join('real', 'later.csv'), join(d, 'dangling.csv'));
    checkWritable('--out', join(d, 'dangling.csv'));
    writeFileAtomic(join(d, 'dangling.csv'), 'made\n');
    expect(lstatSync(join(d, 'dangling.csv')).isSymbolicLink()).toBe(true);
    expect(readFileSync(join(d, 'real', 'later.csv'), 'utf8')).toBe('made\n');
  });
  it('a legal 250-byte name works (the temporary name is short); a 256-byte name is refused by checkWritable, naming the flag', () => {
    const d = tmp();
    const long = join(d, `${'n'.repeat(246)}.csv`); // 250 bytes
    checkWritable('--out', long);
    writeFileAtomic(long, 'ok\n');
    expect(readFileSync(long, 'utf8')).toBe('ok\n');
    const tooLong = join(d, `${'n'.repeat(252)}.csv`);
    expect(() => checkWritable('--out', tooLong)).toThrow(UsageError);
    expect(() => checkWritable('--out', tooLong)).toThrow(/^--out ".*": file name too long \(ENAMETOOLONG\)$/);
  });
  it('/dev/null is written in place, never replaced; /dev/full gives an OutputError naming ENOSPC', () => {
    checkWritable('--out', '/dev/null');
    writeFileAtomic('/dev/null', 'discarded\n');
    expect(statSync('/dev/null').isCharacterDevice()).toBe(true);
    expect(() => writeFileAtomic('/dev/full', 'x'.repeat(10_000))).toThrow(OutputError);
    expect(() => writeFileAtomic('/dev/full', 'x')).toThrow(/^cannot write \/dev\/full: no space left on device \(ENOSPC\)$/);
    expect(statSync('/dev/full').isCharacterDevice()).toBe(true);
  });
  it('a FIFO is written in place (a reader gets the data; the FIFO stays a FIFO)', async () => {
    const d = tmp();
    const fifo = join(d, 'pipe');
    execFileSync('mkfifo', [fifo]);
    checkWritable('--out', fifo);
    const reader = spawn('cat', [fifo]);
    let got = '';
    reader.stdout.on('data', (b: Buffer) => { got += b.toString(); });
    const done = new Promise((r) => reader.on('close', r));
    await writeFileAtomicAsync(fifo, ['a,b\n', '1,2\n']);
    await done;
    expect(got).toBe('a,b\n1,2\n');
    expect(lstatSync(fifo).isFIFO()).toBe(true);
  });
  it('refuses a directory, a socket and other character devices before computing', async () => {
    const d = tmp();
    expect(() => checkWritable('--out', d)).toThrow(/is a directory/);
    const sock = join(d, 's.sock');
    const server = createServer();
    await new Promise<void>((r) => server.listen(sock, r));
    try {
      expect(() => checkWritable('--out', sock)).toThrow(/^--out ".*s\.sock": is a socket/);
    } finally {
      server.close();
    }
    if (existsSync('/dev/urandom')) expect(() => checkWritable('--out', '/dev/urandom')).toThrow(/character device \/dev\/urandom/);
  });
  it('a full disk (ENOSPC injected into write) leaves an existing file untouched and no temporary file', async () => {
    const d = tmp();
    const p = join(d, 'keep.csv');
    writeFileSync(p, 'precious\n');
    let calls = 0;
    const full: OutputIo = {
      writeSync: () => {
        if (++calls > 1) throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC', syscall: 'write' });
        return 3; // the first call writes a little, as a filling disk does
      },
    };
    expect(() => writeFileAtomic(p, ['abcdef', 'ghi'], full)).toThrow(`cannot write ${p}: no space left on device (ENOSPC); nothing was written (an existing file is left as it was)`);
    expect(readFileSync(p, 'utf8')).toBe('precious\n');
    expect(readdirSync(d)).toEqual(['keep.csv']);
    calls = 0;
    await expect(writeFileAtomicAsync(p, ['abcdef', 'ghi'], full)).rejects.toThrow(OutputError);
    expect(readFileSync(p, 'utf8')).toBe('precious\n');
    expect(readdirSync(d)).toEqual(['keep.csv']);
    expect(temporaryFiles()).toEqual([]);
  });
  it('removeTemporaryFiles removes a temporary file in progress (what the signal handlers call)', async () => {
    const d = tmp();
    let seen: string[] = [];
    const io: OutputIo = {
      writeSync: (_fd, _b, _o, len) => {
        seen = temporaryFiles();
        expect(seen).toHaveLength(1);
        expect(existsSync(seen[0]!)).toBe(true);
        expect(seen[0]!.startsWith(join(d, '.qbw.'))).toBe(true);
        removeTemporaryFiles();
        return len;
      },
    };
    // The temporary file vanished under the writer: the rename fails, reported as an OutputError.
    expect(() => writeFileAtomic(join(d, 'x.csv'), 'data', io)).toThrow(OutputError);
    expect(existsSync(seen[0]!)).toBe(false);
    expect(readdirSync(d)).toEqual([]);
  });
  it.skipIf(isRoot)('a read-only folder is refused by checkWritable (root ignores permission bits: tested with a read-only mount by hand)', () => {
    const d = tmp();
    chmodSync(d, 0o555);
    expect(() => checkWritable('--out', join(d, 'x.csv'))).toThrow(/not writable: cannot create a file in .*permission denied \(EACCES\)/);
    chmodSync(d, 0o755);
  });
});

describe('the qbwave command: output files, I/O errors and signals', () => {
  const DYN = ['dynamics', '--omega0', '1.5', '--dz', '0.1', '--method', 'markov', '--quiet'];
  it('--out /dev/full: one line naming the path and ENOSPC, exit code 74, no stack trace', () => {
    const r = qbwave([...DYN, '--t-max', '100', '--dt', '0.01', '--out', '/dev/full']);
    expect(r.code).toBe(EXIT.io);
    expect(r.stderr).toBe('qbwave: cannot write /dev/full: no space left on device (ENOSPC)\n');
  });
  it('--out /dev/null: exit 0 and /dev/null is still the null device; a 250-byte file name works', () => {
    const r = qbwave([...DYN, '--t-max', '1', '--dt', '0.5', '--out', '/dev/null']);
    expect(r.code).toBe(0);
    expect(statSync('/dev/null').isCharacterDevice()).toBe(true);
    const d = tmp();
    const long = join(d, `${'d'.repeat(246)}.csv`);
    const r2 = qbwave([...DYN, '--t-max', '1', '--dt', '0.5', '--out', long]);
    expect(r2.code).toBe(0);
    expect(readFileSync(long, 'utf8').split('\n')[0]).toBe('t,c1_re,c1_im,c2_re,c2_im,energy,ergotropy');
    expect(readdirSync(d)).toHaveLength(1);
  });
  it('standard output: a reader that closes the pipe ends the command quietly with 141 (as SIGPIPE would); a full device gives 74', async () => {
    const child = spawn(process.execPath, [BIN, ...DYN, '--t-max', '100', '--dt', '0.01'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (b: Buffer) => { stderr += b.toString(); });
    child.stdout.once('data', () => child.stdout.destroy());
    const code = await new Promise<number | null>((r) => child.on('exit', (c) => r(c)));
    expect(code).toBe(EXIT.sigpipe);
    expect(stderr).toBe('');
    const full = openSync('/dev/full', 'w');
    try {
      const r = spawnSync(process.execPath, [BIN, ...DYN, '--t-max', '100', '--dt', '0.01'], { stdio: ['ignore', full, 'pipe'], encoding: 'utf8' });
      expect(r.status).toBe(EXIT.io);
      expect(r.stderr).toBe('qbwave: cannot write to standard output: no space left on device (ENOSPC)\n');
    } finally {
      closeSync(full);
    }
  });
  for (const [signal, code] of [['SIGINT', 130], ['SIGTERM', 143]] as const) {
    it(`${signal} during the final write removes the temporary file, exits ${code} and leaves an existing file as it was`, async () => {
      const d = tmp();
      const out = join(d, 'keep.csv');
      writeFileSync(out, 'precious\n');
      // 10⁴ rows = 3 chunks; the test hook pauses 400 ms after each, so the temporary file lives ≥ 1 s.
      const child = spawn(process.execPath, [BIN, ...DYN, '--t-max', '100', '--dt', '0.01', '--out', out], { env: { ...process.env, QBWAVE_TEST_WRITE_PAUSE_MS: '400' } });
      let stderr = '';
      child.stderr.on('data', (b: Buffer) => { stderr += b.toString(); });
      const exited = new Promise<number | null>((r) => child.on('exit', (c) => r(c)));
      const t0 = Date.now();
      let tmpSeen = false;
      while (Date.now() - t0 < 30_000 && !tmpSeen) {
        tmpSeen = readdirSync(d).some((f) => /^\.qbw\.\d+\.[0-9a-f]{8}\.tmp$/.test(f));
        if (!tmpSeen) await new Promise((r) => setTimeout(r, 20));
      }
      expect(tmpSeen).toBe(true);
      child.kill(signal);
      expect(await exited).toBe(code);
      expect(readdirSync(d)).toEqual(['keep.csv']);
      expect(readFileSync(out, 'utf8')).toBe('precious\n');
      expect(stderr).toMatch(new RegExp(`^qbwave: interrupted \\(${signal}\\); removed the unfinished .*\\.qbw\\.\\d+\\.[0-9a-f]{8}\\.tmp\\n$`));
    });
  }
  it('figures: a bad --threads, a too-large Fig. 4 grid and an unwritable --out are refused before any folder is made', () => {
    const d = tmp();
    const out = join(d, 'figs');
    const big = qbwave(['figures', '--only', '4', '--fig4-omega0', '0.2:3.5:100000', '--fig4-dz', '0.04:3:100000', '--out', out]);
    expect(big.code).toBe(2);
    expect(big.stderr).toBe('qbwave: --fig4-omega0/--fig4-dz: the grid has 10000000000 points (100000 × 100000), more than the bound 200000 (about 8 kB of memory per point while the map is rendered)\n');
    const threads = qbwave(['figures', '--threads', '100000', '--out', out]);
    expect(threads.code).toBe(2);
    expect(threads.stderr).toMatch(/^qbwave: --threads "100000": must be a finite number in \[1, \d+\] \(4 × the \d+ cores? of this machine\)\n$/);
    expect(existsSync(out)).toBe(false);
    const file = join(d, 'plain');
    writeFileSync(file, '');
    const under = qbwave(['figures', '--quick', '--out', join(file, 'figs')]);
    expect(under.code).toBe(2);
    expect(under.stderr).toMatch(/^qbwave: --out ".*plain\/figs": cannot create the folder .*: (a component of the path is not a directory \(ENOTDIR\)|.*\(EEXIST\))\n$/);
  });
});
