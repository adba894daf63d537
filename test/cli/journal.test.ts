/**
 * The sweep journal (cli/sweep/journal.ts): verified before a resume uses it (issue 10 items 2 and 6).
 * A damaged journal is refused with its line number and what is wrong (exit 2), nothing is written and
 * the journal keeps its bytes; a torn last line (a kill mid-write) is recomputed; a journal without a
 * complete header (0 bytes after a full disk) is replaced; creating or appending on a full disk ends in
 * one line and leaves no empty journal. Runs in process (test/cli/inProcess.ts) to stay fast.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, openSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { computeAllPoints, inProcess } from './inProcess.js';
import { qbwave } from './run.js';
import { DEFAULT_QUANTITIES } from '../../cli/commands/sweep.js';
import { Journal, journalPath, readJournal, rowLine } from '../../cli/sweep/journal.js';
import { parseSweep } from '../../cli/sweep/spec.js';
import type { Row } from '../../cli/sweep/formats.js';
import { OutputError } from '../../cli/errors.js';

const AXES = { omega0: '0.5:3.5:12', dz: '0.1,0.5', gamma11: '0.5' };
const GRID = ['--omega0', AXES.omega0, '--dz', AXES.dz, '--gamma', AXES.gamma11, '--threads', '1', '--quiet'];
const parsed = parseSweep({ ...AXES, quantities: DEFAULT_QUANTITIES });
const tmp = () => mkdtempSync(join(tmpdir(), 'qbw-journal-'));

let rows: Row[];
let reference: Buffer;

/** A journal as an interrupted run leaves it: header plus the first `n` finished points, all fsync'd. */
function writeJournal(out: string, n: number): string[] {
  const j = new Journal(journalPath(out), 1e9, 1e9);
  j.create(parsed.spec, null, parsed.size);
  j.append(rows.slice(0, n));
  j.close();
  return readFileSync(journalPath(out), 'utf8').split('\n');
}

/** Re-serializes a row line with one change (the checksum is left as it was). */
function edit(line: string, f: (o: Record<string, unknown> & { v: unknown[] }) => void): string {
  const o = JSON.parse(line) as Record<string, unknown> & { v: unknown[] };
  f(o);
  return JSON.stringify(o);
}

beforeAll(async () => {
  rows = computeAllPoints(parsed);
  const dir = tmp();
  const r = await inProcess(['sweep', ...GRID, '--out', join(dir, 'ref.csv')]);
  expect(r.code, r.message).toBe(0);
  reference = readFileSync(join(dir, 'ref.csv'));
});

describe('sweep journal: verified on --resume', () => {
  // lines[0] is the header, lines[k] the k-th point (file line k + 1); 20 of the 24 points are saved.
  const cases: Array<[string, (lines: string[]) => void, RegExp]> = [
    ['a value missing', (l) => { l[3] = edit(l[3]!, (o) => o.v.pop()); }, /line 4: v has 9 values, the sweep has 10 value columns/],
    ['a value extra', (l) => { l[3] = edit(l[3]!, (o) => o.v.push(1)); }, /line 4: v has 11 values/],
    ['"abc" for a value', (l) => { l[5] = edit(l[5]!, (o) => { o.v[1] = 'abc'; }); }, /line 6: value 2 is "abc", not a number/],
    ['null for a value', (l) => { l[5] = edit(l[5]!, (o) => { o.v[1] = null; }); }, /line 6: value 2 is null, not a number/],
    ['[1] for a value', (l) => { l[5] = edit(l[5]!, (o) => { o.v[1] = [1]; }); }, /line 6: value 2 is \[1\], not a number/],
    ['"nan" (not the writer\'s spelling)', (l) => { l[5] = edit(l[5]!, (o) => { o.v[1] = 'nan'; }); }, /line 6: value 2 is "nan"/],
    ['a number as a string "0.5"', (l) => { l[5] = edit(l[5]!, (o) => { o.v[1] = '0.5'; }); }, /line 6: value 2 is "0.5", not a number/],
    ['1e999 (a JSON number that overflows)', (l) => { l[5] = l[5]!.replace(/"v":\[(\d+),/, '"v":[1e999,'); }, /line 6: value 1 overflows a double/],
    ['fields missing', (l) => { l[2] = '{"i":1}'; }, /line 3: fields must be i, v, s, m, c in this order \(found i\)/],
    ['not JSON', (l) => { l[7] = 'garbage'; }, /line 8: not valid JSON/],
    ['an empty line inside', (l) => { l.splice(4, 0, ''); }, /line 5: empty line/],
    ['index outside the grid', (l) => { l[2] = edit(l[2]!, (o) => { o.i = 24; }); }, /line 3: point index 24 is not an integer in 0…23/],
    ['index not an integer', (l) => { l[2] = edit(l[2]!, (o) => { o.i = 1.5; }); }, /line 3: point index 1.5 is not an integer/],
    ['a point twice', (l) => { l.splice(4, 0, l[2]!); }, /line 5: point 1 is already on line 3/],
    ['a status that is not one', (l) => { l[2] = edit(l[2]!, (o) => { o.s = 7; }); }, /line 3: status 7 is not a status/],
    ['a number altered (checksum)', (l) => { l[2] = edit(l[2]!, (o) => { o.v[1] = (o.v[1] as number) + 1e-9; }); }, /line 3: checksum mismatch/],
    ['the checksum removed', (l) => { l[2] = edit(l[2]!, (o) => { delete o.c; }); }, /line 3: fields must be i, v, s, m, c/],
    ['random bytes', (l) => { l[9] = '\u0000\u00ff\u0007{'; }, /line 10: not valid JSON/],
  ];
  for (const [name, damage, message] of cases) {
    it(`refuses ${name}: the line and what is wrong, exit 2, nothing written, journal untouched`, async () => {
      const dir = tmp();
      const out = join(dir, 's.csv');
      const lines = writeJournal(out, 20);
      damage(lines);
      const text = lines.join('\n');
      writeFileSync(journalPath(out), text);
      const r = await inProcess(['sweep', ...GRID, '--out', out, '--resume']);
      expect(r.code, r.message).toBe(2);
      expect(r.message).toMatch(message);
      expect(r.message).toContain('the journal is damaged: nothing was written');
      expect(r.message.split('\n')).toHaveLength(1);
      expect(readdirSync(dir)).toEqual(['s.csv.partial.jsonl']);
      expect(readFileSync(journalPath(out), 'utf8')).toBe(text);
    });
  }

  it('a torn last line (kill mid-write) is recomputed: the output equals an uninterrupted run byte for byte', async () => {
    for (const torn of [rowLine(rows[20]!).slice(0, 25), rowLine(rows[20]!), '{"i":2', '\u0000\u0000']) {
      const dir = tmp();
      const out = join(dir, 's.csv');
      const lines = writeJournal(out, 20);
      writeFileSync(journalPath(out), `${lines.join('\n')}${torn}`);
      const r = await inProcess(['sweep', ...GRID, '--out', out, '--resume']);
      expect(r.code, r.message).toBe(0);
      expect(r.stderr).toContain('resuming: 20 of 24 points');
      expect(readFileSync(out)).toEqual(reference);
      expect(existsSync(journalPath(out))).toBe(false);
    }
  });

  it('deleting whole lines only costs their recomputation', async () => {
    const dir = tmp();
    const out = join(dir, 's.csv');
    const lines = writeJournal(out, 20);
    lines.splice(3, 5);
    writeFileSync(journalPath(out), lines.join('\n'));
    const r = await inProcess(['sweep', ...GRID, '--out', out, '--resume']);
    expect(r.code, r.message).toBe(0);
    expect(r.stderr).toContain('resuming: 15 of 24 points');
    expect(readFileSync(out)).toEqual(reference);
  });

  it('a journal without a complete header (0 bytes, or cut short) holds no points: replaced, with or without --resume', async () => {
    const header = writeJournal(join(tmp(), 'h.csv'), 0)[0]!;
    for (const content of ['', header.slice(0, 10), header.slice(0, 60), header]) {
      for (const resume of [false, true]) {
        const dir = tmp();
        const out = join(dir, 's.csv');
        writeFileSync(journalPath(out), content);
        const r = await inProcess(['sweep', ...GRID, '--out', out, ...(resume ? ['--resume'] : [])]);
        expect(r.code, `${JSON.stringify(content.slice(0, 20))} ${resume}: ${r.message}`).toBe(0);
        expect(readFileSync(out)).toEqual(reference);
        expect(readdirSync(dir)).toEqual(['s.csv']);
      }
    }
  });

  it('refuses journals of another sweep, another version or the old unverified format, and files that are not journals', async () => {
    const other = parseSweep({ ...AXES, omega0: '0.5:3.5:13', quantities: DEFAULT_QUANTITIES });
    const cases: Array<[(lines: string[]) => void, RegExp]> = [
      [(l) => { l[0] = l[0]!.replace('"omega0":"0.5:3.5:12"', `"omega0":"${other.spec.axes.omega0}"`); }, /belongs to a different sweep/],
      [(l) => { l[0] = l[0]!.replace('"qbwave":"', '"qbwave":"9.'); }, /was written by qbwave "9\.[^"]*", this is /],
      [(l) => { l[0] = l[0]!.replace('"format":2,', ''); }, /older qbwave \(journal format 1, this one reads 2\)/],
      [(l) => { l[0] = 'hello'; }, /is not a qbwave sweep journal/],
    ];
    for (const [damage, message] of cases) {
      const dir = tmp();
      const out = join(dir, 's.csv');
      const lines = writeJournal(out, 5);
      damage(lines);
      writeFileSync(journalPath(out), lines.join('\n'));
      const r = await inProcess(['sweep', ...GRID, '--out', out, '--resume']);
      expect(r.code).toBe(2);
      expect(r.message).toMatch(message);
      expect(readdirSync(dir)).toEqual(['s.csv.partial.jsonl']);
      // without --resume, a journal with content is protected
      expect((await inProcess(['sweep', ...GRID, '--out', out])).message).toMatch(/pass --resume/);
    }
  });

  it('a FIFO in the journal\'s place is refused without reading it (reading would block)', async () => {
    const dir = tmp();
    const out = join(dir, 's.csv');
    execFileSync('mkfifo', [journalPath(out)]);
    const r = await inProcess(['sweep', ...GRID, '--out', out, '--resume']);
    expect(r.code).toBe(2);
    expect(r.message).toMatch(/^--out: the journal path .*s\.csv\.partial\.jsonl exists and is not a regular file/);
    expect(readdirSync(dir)).toEqual(['s.csv.partial.jsonl']);
  });

  it('a shard\'s journal refuses a point of another shard', async () => {
    const dir = tmp();
    const out = join(dir, 's.csv');
    const shard = { index: 2, count: 3 };
    const j = new Journal(journalPath(out), 1e9, 1e9);
    j.create(parsed.spec, shard, parsed.size);
    j.append([rows[1]!, rows[4]!, rows[6]!]);
    j.close();
    const r = await inProcess(['sweep', ...GRID, '--shard', '2/3', '--out', out, '--resume']);
    expect(r.code).toBe(2);
    expect(r.message).toMatch(/line 4: point 6 is not in shard 2\/3/);
  });

  it('through the binary: a damaged journal is one stderr line without a stack trace, exit 2', () => {
    const dir = tmp();
    const out = join(dir, 's.csv');
    const lines = writeJournal(out, 10);
    lines[4] = edit(lines[4]!, (o) => { o.v[0] = 'abc'; });
    writeFileSync(journalPath(out), lines.join('\n'));
    const r = qbwave(['sweep', ...GRID, '--out', out, '--resume']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^qbwave: --resume: .*s\.csv\.partial\.jsonl line 5: value 1 is "abc", not a number .*\n$/);
    expect(r.stderr.split('\n')).toHaveLength(2);
    expect(existsSync(out)).toBe(false);
  });
});

describe('sweep journal: read in 1 MB blocks', () => {
  it('a 6000-point journal (1.4 MB, lines across block boundaries) reads whole; damage beyond 1 MB is found on its line', () => {
    const big = parseSweep({ omega0: '0.5:3.5:3000', dz: '0.1,0.5', gamma11: '0.5', quantities: DEFAULT_QUANTITIES });
    const dir = tmp();
    const path = join(dir, 'b.csv.partial.jsonl');
    const j = new Journal(path, 1e9, 1e9);
    j.create(big.spec, null, big.size);
    // Synthetic values: the journal check is about structure and checksums, not physics.
    const synthetic: Row[] = [];
    for (let i = 0; i < big.size; i++) synthetic.push({ i, v: Array.from({ length: 10 }, (_, k) => (k === 3 ? Number.NaN : Math.sin(i * 10 + k) / 3)), s: 'success', m: '' });
    j.append(synthetic);
    j.close();
    const bytes = readFileSync(path);
    expect(bytes.length).toBeGreaterThan(1.3 * 2 ** 20);
    const full = readJournal(path, big, null);
    expect(full.rows.size).toBe(6000);
    expect(full.validBytes).toBe(bytes.length);
    expect(full.rows.get(4321)).toEqual(synthetic[4321]);
    // a torn last line is left out of the verified prefix
    writeFileSync(path, Buffer.concat([bytes, Buffer.from('{"i":60')]));
    expect(readJournal(path, big, null).validBytes).toBe(bytes.length);
    // line 5001 (point 4999) altered, far beyond the first block
    const lines = bytes.toString('utf8').split('\n');
    lines[5000] = lines[5000]!.replace(/"v":\[/, '"v":[7,');
    writeFileSync(path, lines.join('\n'));
    expect(() => readJournal(path, big, null)).toThrow(/line 5001: v has 11 values/);
  });
});

describe('sweep journal: values', () => {
  it('NaN, ±Infinity and −0 survive the journal exactly (JSON alone would turn −0 into 0 and change a resumed .npy)', () => {
    const big = parseSweep({ ...AXES, quantities: DEFAULT_QUANTITIES });
    const path = join(tmp(), 'v.csv.partial.jsonl');
    const j = new Journal(path, 1e9, 1e9);
    j.create(big.spec, null, big.size);
    const v = [Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, -0, 0, 5e-324, -1.7976931348623157e308, 0.1, 1e21, 2];
    j.append([{ i: 3, v, s: 'max-steps', m: 'line\nbreak "quoted"' }]);
    j.close();
    const back = readJournal(path, big, null).rows.get(3)!;
    expect(back.v.map((x) => (Object.is(x, -0) ? '-0' : String(x)))).toEqual(v.map((x) => (Object.is(x, -0) ? '-0' : String(x))));
    expect(back.m).toBe('line\nbreak "quoted"');
  });
});

describe('sweep journal: I/O failures', () => {
  it('creation that fails leaves no journal and no temporary file (one-line error)', () => {
    const dir = tmp();
    // The journal's path is taken by a directory: the header is written under a temporary name, and
    // the rename over the directory fails.
    const jpath = journalPath(join(dir, 's.csv'));
    mkdirSync(join(jpath, 'x'), { recursive: true });
    const j = new Journal(jpath);
    let err: unknown;
    try {
      j.create(parsed.spec, null, parsed.size);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(OutputError); // exit 74 (cli/errors.ts EXIT.io)
    expect((err as Error).message).toMatch(/^cannot create the sweep journal .*s\.csv\.partial\.jsonl: .*; nothing was computed and no journal was left$/);
    expect((err as Error).message.split('\n')).toHaveLength(1);
    expect(readdirSync(dir)).toEqual(['s.csv.partial.jsonl']);
    expect(readdirSync(jpath)).toEqual(['x']);
  });

  it.skipIf(!existsSync('/dev/full'))('a full disk while appending: one line with the points kept; close() does not throw again', () => {
    const dir = tmp();
    const j = new Journal(join(dir, 's.csv.partial.jsonl'), 1, 1e9);
    j.create(parsed.spec, null, parsed.size);
    j.append([rows[0]!]);
    // Every later write goes to /dev/full, which fails with ENOSPC as a full disk does.
    (j as unknown as { fd: number }).fd = openSync('/dev/full', 'a');
    let message = '';
    try {
      j.append([rows[1]!]);
    } catch (e) {
      expect(e).toBeInstanceOf(OutputError); // exit 74
      message = (e as Error).message;
    }
    expect(message).toMatch(/^cannot write the sweep journal .*s\.csv\.partial\.jsonl: no space left on device \(ENOSPC\); it keeps 1 finished points: free space and rerun with --resume$/);
    expect(readFileSync(join(dir, 's.csv.partial.jsonl'), 'utf8').split('\n')).toHaveLength(3); // header, 1 point, ''
    // after a failure nothing more is written and the error is not repeated
    expect(() => { j.append([rows[2]!]); j.flush(); }).not.toThrow();
    expect(() => j.close()).not.toThrow();
  });
});
