/**
 * `qbwave merge` reads shards strictly (issue 10 item 3): a corrupted shard — a cell that is not a
 * number as the writer spells it, a wrong header, sidecar or .npy shape, rows missing, repeated or out
 * of order, coordinates off the grid, a directory — is refused in one line naming the file, the line
 * or data row and the column, exit 2, no output written. Runs in process (test/cli/inProcess.ts).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { computeAllPoints, inProcess } from './inProcess.js';
import { qbwave } from './run.js';
import { writeSweep } from '../../cli/commands/sweep.js';
import { dataChecksum, type Format, type Row } from '../../cli/sweep/formats.js';
import { parseSweep } from '../../cli/sweep/spec.js';
import { shardIndices } from '../../src/studies/grid.js';

const parsed = parseSweep({ omega0: '0.6,1.2,2.0', dz: '0.1,0.5', gamma11: '0.5', quantities: 'boundStates,ergotropyMax' });
const FILES = ['p1.csv', 'p2.json', 'p3.npy', 'p3.npy.json'];
let base: string;

beforeAll(() => {
  base = mkdtempSync(join(tmpdir(), 'qbw-merge-'));
  const rows: Row[] = computeAllPoints(parsed);
  // Two points carry a failure status, so the readers' warning lines are exercised.
  rows[0] = { ...rows[0]!, s: 'tolerance-not-met', m: 'energyAt 5: a test status' };
  rows[4] = { ...rows[4]!, s: 'max-steps', m: 'a test status' };
  const write = (name: string, format: Format, k: number | null) => {
    const shard = k === null ? null : { index: k, count: 3 };
    const idx = new Set(shardIndices(parsed.size, shard ?? undefined));
    writeSweep(join(base, name), format, { spec: parsed.spec, shard, size: parsed.size, rows: rows.filter((r) => idx.has(r.i)) });
  };
  write('p1.csv', 'csv', 1); // points 0, 3
  write('p2.json', 'json', 2); // points 1, 4
  write('p3.npy', 'npy', 3); // points 2, 5
  write('full.csv', 'csv', null);
});

/** Copies the shards into a fresh directory, applies `damage` there, merges into m.csv. */
async function mergeDamaged(damage: (dir: string) => void) {
  const dir = mkdtempSync(join(tmpdir(), 'qbw-merge-'));
  for (const f of FILES) copyFileSync(join(base, f), join(dir, f));
  damage(dir);
  const before = readdirSync(dir).sort();
  const r = await inProcess(['merge', join(dir, 'm.csv'), join(dir, 'p1.csv'), join(dir, 'p2.json'), join(dir, 'p3.npy')]);
  return { ...r, dir, before, after: readdirSync(dir).sort() };
}

const text = (dir: string, f: string) => readFileSync(join(dir, f), 'utf8');
const edit = (f: string, change: (s: string) => string) => (dir: string) => {
  const s = text(dir, f);
  const t = change(s);
  if (t === s) throw new Error(`test setup: the change to ${f} did nothing`);
  writeFileSync(join(dir, f), t);
};
/** Changes CSV data row of point i (its line starts with "i,"), cell j (0 = index). */
const csvCell = (i: number, j: number, value: string | null) =>
  edit('p1.csv', (s) => s.split('\n').map((l) => {
    if (!l.startsWith(`${i},`)) return l;
    const cells = l.split(',');
    if (value === null) cells.splice(j, 1);
    else cells[j] = value;
    return cells.join(',');
  }).join('\n'));
const npyBytes = (change: (b: Buffer) => Buffer) => (dir: string) => writeFileSync(join(dir, 'p3.npy'), change(readFileSync(join(dir, 'p3.npy'))));

describe('dataChecksum', () => {
  it('hashes what the files keep: −0 = 0, NaN payloads and ±Infinity are one value; a value, index, status or message change it', () => {
    const row = (i: number, v: number[], st = 'success', m = ''): Row => ({ i, v, s: st, m });
    const base = dataChecksum([row(0, [1, 0, Number.NaN]), row(1, [2, 3, 4], 'max-steps', 'a\nb')]);
    expect(base).toMatch(/^[0-9a-f]{8}$/);
    const payloadNaN = new DataView(new ArrayBuffer(8));
    payloadNaN.setBigUint64(0, 0x7ff8000000000001n);
    expect(dataChecksum([row(0, [1, -0, payloadNaN.getFloat64(0)]), row(1, [2, 3, 4], 'max-steps', 'a b')])).toBe(base);
    // JSON keeps ±Infinity as null (read back as NaN): a JSON shard with an infinite value still merges
    expect(dataChecksum([row(0, [1, 0, Number.NEGATIVE_INFINITY]), row(1, [2, 3, 4], 'max-steps', 'a b')])).toBe(base);
    for (const other of [
      [row(0, [1, 0, Number.NaN]), row(1, [2, 3, 4.000000000000001], 'max-steps', 'a b')],
      [row(0, [1, 0, 0]), row(1, [2, 3, 4], 'max-steps', 'a b')],
      [row(0, [1, 0, Number.NaN]), row(2, [2, 3, 4], 'max-steps', 'a b')],
      [row(0, [1, 0, Number.NaN]), row(1, [2, 3, 4], 'tolerance-not-met', 'a b')],
      [row(0, [1, 0, Number.NaN]), row(1, [2, 3, 4], 'max-steps', 'a c')],
      [row(0, [1, 0, Number.NaN])],
    ]) expect(dataChecksum(other)).not.toBe(base);
  });
});

describe('qbwave merge: strict reading of shards', () => {
  it('the undamaged shards (csv, json, npy) merge to the unsharded bytes', async () => {
    const r = await mergeDamaged(() => {});
    expect(r.code, r.message).toBe(0);
    expect(readFileSync(join(r.dir, 'm.csv'))).toEqual(readFileSync(join(base, 'full.csv')));
  });

  const cases: Array<[string, string, (dir: string) => void, RegExp]> = [
    // CSV (p1.csv: points 0 and 3; line 20 is the header row, 21 point 0, 22 point 3)
    ['csv', 'a cell "abc"', csvCell(0, 9, 'abc'), /line 21, column ergotropyMax: "abc" is not a number as qbwave writes one/],
    ['csv', 'an empty cell', csvCell(0, 9, ''), /line 21, column ergotropyMax: "" is not a number/],
    ['csv', 'a hex cell 0x2', csvCell(3, 4, '0x2'), /line 22, column count: "0x2" is not a number/],
    ['csv', 'a cell " 2"', csvCell(3, 4, ' 2'), /line 22, column count: " 2" is not a number/],
    ['csv', 'a cell "2.0" (not the shortest spelling)', csvCell(3, 4, '2.0'), /line 22, column count: "2.0" is not a number/],
    ['csv', 'a cell "nan"', csvCell(3, 5, 'nan'), /line 22, column Eplus: "nan" is not a number/],
    ['csv', 'a cell too many', csvCell(0, 5, '1,2'), /line 21 has 11 cells, the header has 10/],
    ['csv', 'a cell missing', csvCell(0, 5, null), /line 21 has 9 cells, the header has 10/],
    ['csv', 'a coordinate off the grid', csvCell(0, 1, '0.7'), /line 21, column omega0: 0\.7 is not the grid value 0\.6 of point 0/],
    ['csv', 'an index of another shard', csvCell(3, 0, '4'), /line 22, column index: point 4 is not in shard 1\/3/],
    ['csv', 'an index outside the grid', csvCell(3, 0, '6'), /line 22, column index: 6 is not a point index 0…5/],
    ['csv', 'a number altered to another number', csvCell(0, 9, '0.317494659677556'), /its data checksum does not match its values/],
    ['csv', 'a number altered to NaN', csvCell(3, 5, 'NaN'), /its data checksum does not match its values/],
    ['csv', 'a warning message altered', edit('p1.csv', (s) => s.replace('a test status', 'a test statu')), /its data checksum does not match/],
    ['csv', 'the checksum line removed', edit('p1.csv', (s) => s.replace(/# data-crc32: .*\n/, '')), /its data checksum null is missing/],
    ['csv', 'the header row renamed', edit('p1.csv', (s) => s.replace('index,omega0', 'idx,omega0')), /line 20: the header row "idx,omega0/],
    ['csv', 'the spec not JSON', edit('p1.csv', (s) => s.replace('# spec: {', '# spec: {{')), /line 3: the "# spec:" header is not valid JSON/],
    ['csv', 'the spec with a bad option', edit('p1.csv', (s) => s.replace('"tol":1e-8', '"tol":"x"')), /its spec is invalid \(tol = "x" is not allowed/],
    ['csv', 'the point count', edit('p1.csv', (s) => s.replace('# points: 6', '# points: 7')), /its point count 7 is not its spec's grid size 6/],
    ['csv', 'the shard', edit('p1.csv', (s) => s.replace('# shard: 1/3', '# shard: 0/3')), /its shard "0\/3" is not i\/n/],
    ['csv', 'the version', edit('p1.csv', (s) => s.replace(/# qbwave-version: .*/, '# qbwave-version: 9.9.9')), /written by qbwave "9\.9\.9", this is /],
    ['csv', 'a second spec line', edit('p1.csv', (s) => s.replace(/(# spec: .*\n)/, '$1$1')), /line 4: a second "# spec:" line \(the first is line 3\)/],
    ['csv', 'a malformed warning', edit('p1.csv', (s) => s.replace('# warning: point 0:', '# warning: point zero:')), /line \d+: a malformed warning line/],
    ['csv', 'a warning for a point not in the file', edit('p1.csv', (s) => s.replace('# warning: point 0:', '# warning: point 2:')), /a warning for point 2, which has no row in this file/],
    ['csv', 'a comment line altered', edit('p1.csv', (s) => s.replace('# units: ', '# units:  ')), /line 7 is not what qbwave writes for its data/],
    ['csv', 'cut mid-row', edit('p1.csv', (s) => s.slice(0, -20)), /line 22 does not end with a newline/],
    ['csv', 'a row dropped', edit('p1.csv', (s) => s.replace(/\n3,[^\n]*/, '')), /has 1 data rows, shard 1\/3 has 2 points/],
    ['csv', 'a row repeated', edit('p1.csv', (s) => s.replace(/\n(0,[^\n]*)/, '\n$1\n$1')), /line 22, column index: point 0 repeats the previous row/],
    ['csv', 'rows out of order', edit('p1.csv', (s) => s.replace(/\n(0,[^\n]*)\n(3,[^\n]*)/, '\n$2\n$1')), /line 22, column index: point 0 comes after a larger index/],
    ['csv', 'an empty line among the rows', edit('p1.csv', (s) => s.replace(/\n(3,)/, '\n\n$1')), /line 22 is empty/],
    ['csv', 'CRLF line ends', edit('p1.csv', (s) => s.replace(/\n/g, '\r\n')), /line 19: a malformed warning line/],
    ['csv', 'empty', edit('p1.csv', () => ''), /not a qbwave sweep file/],
    ['csv', 'random bytes', (d) => writeFileSync(join(d, 'p1.csv'), Buffer.from([0x93, 0, 255, 10, 35, 10, 7])), /line 3 does not end with a newline/],
    // JSON (p2.json: points 1 and 4)
    ['json', 'a value as a string', edit('p2.json', (s) => s.replace(/\n\[1,0\.6,0\.5,0\.5,(\d),([-\d.e]+)/, '\n[1,0.6,0.5,0.5,$1,"$2"')), /data row 1, column Eplus: "[\d.]+" is not a number or null/],
    ['json', 'a number altered to another number', edit('p2.json', (s) => s.replace('\n[1,0.6,0.5,0.5,2,0.4', '\n[1,0.6,0.5,0.5,2,0.3')), /its data checksum does not match/],
    ['json', 'a number altered to null', edit('p2.json', (s) => s.replace(/\n\[1,0\.6,0\.5,0\.5,2,[-\d.e]+/, '\n[1,0.6,0.5,0.5,2,null')), /its data checksum does not match/],
    ['json', 'a row too short', edit('p2.json', (s) => s.replace(/\n\[4,([^\]]*),[^,\]]*\]/, '\n[4,$1]')), /data row 2 is not an array of 10 values/],
    ['json', 'a number respelled 5e-1', edit('p2.json', (s) => s.replace('\n[1,0.6,0.5,', '\n[1,0.6,5e-1,')), /line \d+ is not what qbwave writes for its data/],
    ['json', 'cut short', edit('p2.json', (s) => s.slice(0, -30)), /not valid JSON/],
    ['json', 'kind removed', edit('p2.json', (s) => s.replace('"kind": "sweep"', '"kind": "x"')), /not a qbwave sweep file \(no "kind": "sweep"\)/],
    ['json', 'data not an array', edit('p2.json', (s) => s.replace(/"data": \[[\s\S]*\]\s*\}\s*$/, '"data": 5\n}\n')), /"data" is not an array of rows/],
    ['json', 'warnings not an array', edit('p2.json', (s) => s.replace(/"warnings": \[[^\]]*\]/, '"warnings": {}')), /"warnings" is not an array/],
    ['json', 'the point count a string', edit('p2.json', (s) => s.replace('"points": 6', '"points": "6"')), /its point count "6" is not its spec's grid size 6/],
    ['json', 'the rows field', edit('p2.json', (s) => s.replace('"rows": 2', '"rows": 3')), /is not what qbwave writes/],
    ['json', 'the spec not an object', edit('p2.json', (s) => s.replace(/"spec": \{[\s\S]*?\n \},/, '"spec": 1,')), /its spec is not a sweep spec/],
    // NPY (p3.npy + p3.npy.json: points 2 and 5; the data start at byte 128, 10 float64 a row)
    ['npy', 'cut by 8 bytes', npyBytes((b) => b.subarray(0, b.length - 8)), /has 280 bytes, a \(2 × 10\) float64 array needs 288/],
    ['npy', '8 bytes appended', npyBytes((b) => Buffer.concat([b, Buffer.alloc(8)])), /has 296 bytes/],
    ['npy', 'the magic broken', npyBytes((b) => { const c = Buffer.from(b); c[1] = 0x6e; return c; }), /not a \.npy version 1\.0 file/],
    ['npy', 'the header shape altered', npyBytes((b) => Buffer.from(b.toString('latin1').replace("'shape': (2, 10)", "'shape': (3, 10)"), 'latin1')), /its \.npy header is not the one qbwave writes for shape \(2, 10\)/],
    ['npy', 'a value altered to another number', npyBytes((b) => { const c = Buffer.from(b); c.writeDoubleLE(0.25, 128 + 5 * 8); return c; }), /its data checksum does not match/],
    ['npy', 'a value altered to NaN', npyBytes((b) => { const c = Buffer.from(b); c.writeDoubleLE(Number.NaN, 128 + 5 * 8); return c; }), /its data checksum does not match/],
    ['npy', 'the sidecar checksum altered', edit('p3.npy.json', (s) => s.replace(/"dataCrc32": "(.)/, (_m, d: string) => `"dataCrc32": "${d === '0' ? '1' : '0'}`)), /its data checksum does not match/],
    ['npy', 'an index 1.5', npyBytes((b) => { const c = Buffer.from(b); c.writeDoubleLE(1.5, 128); return c; }), /data row 1, column index: 1\.5 is not a point index/],
    ['npy', 'a NaN index', npyBytes((b) => { const c = Buffer.from(b); c.writeDoubleLE(Number.NaN, 128); return c; }), /data row 1, column index: NaN is not a point index/],
    ['npy', 'the sidecar missing', (d) => rmSync(join(d, 'p3.npy.json')), /its sidecar .*p3\.npy\.json no such file/],
    ['npy', 'the sidecar not JSON', edit('p3.npy.json', (s) => s.slice(1)), /its sidecar .* is not valid JSON/],
    ['npy', 'the sidecar shape', edit('p3.npy.json', (s) => s.replace(/"shape": \[\n  2,/, '"shape": [\n  3,')), /its \.npy header is not the one qbwave writes for shape \(3, 10\)/],
    ['npy', 'the sidecar shape not a pair', edit('p3.npy.json', (s) => s.replace(/"shape": \[[^\]]*\]/, '"shape": "2x11"')), /its sidecar's shape "2x11" is not \[rows, 10\]/],
    ['npy', 'the sidecar is a directory', (d) => { rmSync(join(d, 'p3.npy.json')); mkdirSync(join(d, 'p3.npy.json')); }, /its sidecar .* is a directory/],
    ['csv', 'a directory instead of the file', (d) => { rmSync(join(d, 'p1.csv')); mkdirSync(join(d, 'p1.csv')); }, /p1\.csv": is a directory, not a sweep file/],
    ['csv', 'the file missing', (d) => rmSync(join(d, 'p1.csv')), /p1\.csv": no such file/],
  ];
  for (const [fmt, name, damage, message] of cases) {
    it(`${fmt}: ${name} is refused in one line naming the file, exit 2, nothing written`, async () => {
      const r = await mergeDamaged(damage);
      expect(r.code, r.message).toBe(2);
      const file = fmt === 'csv' ? 'p1.csv' : fmt === 'json' ? 'p2.json' : 'p3.npy';
      expect(r.message.startsWith(`merge: ${JSON.stringify(join(r.dir, file))}: `), r.message).toBe(true);
      expect(r.message).toMatch(message);
      expect(r.message.split('\n')).toHaveLength(1);
      expect(r.after).toEqual(r.before); // no m.csv, no temporary file
    });
  }

  it('through the binary: a directory as a shard is one stderr line without a stack trace, exit 2', () => {
    const dir = mkdtempSync(join(tmpdir(), 'qbw-merge-'));
    mkdirSync(join(dir, 'd.csv'));
    const r = qbwave(['merge', join(dir, 'm.csv'), join(base, 'p1.csv'), join(dir, 'd.csv')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`qbwave: merge: ${JSON.stringify(join(dir, 'd.csv'))}: is a directory, not a sweep file\n`);
    expect(existsSync(join(dir, 'm.csv'))).toBe(false);
  });
});

describe('merge: the merged sweep must fit one process', () => {
  it('a shard of a 3·10⁶-point sweep is refused before the other shards are read, naming the bound (exit 2, nothing written)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'qbw-merge-big-'));
    // 3000 × 1000 points; shard 1/3000 holds 1000 of them (cheap to compute).
    const shard = join(dir, 's1.csv');
    const r = qbwave(['sweep', '--omega0', '0.5:3.5:3000', '--dz', '0.1:3:1000', '--quantities', 'boundStates', '--shard', '1/3000', '--out', shard, '--threads', '1', '--quiet']);
    expect(r.code, r.stderr).toBe(0);
    const m = qbwave(['merge', join(dir, 'all.csv'), shard, join(dir, 'not-there.csv')]);
    expect(m.code).toBe(2);
    expect(m.stderr).toBe('qbwave: merge: the merged sweep has 3000000 points, more than the bound 2000000 (the merged file is built in memory like an unsharded sweep; keep larger grids as shards and read them one by one)\n');
    expect(existsSync(join(dir, 'all.csv'))).toBe(false);
    rmSync(dir, { recursive: true, force: true });
  });
});

describe('qbwave merge: the plain CSV of --no-comments (FILE.meta.json beside it)', () => {
  let dir0: string;
  beforeAll(() => {
    dir0 = mkdtempSync(join(tmpdir(), 'qbw-merge-plain-'));
    const rows: Row[] = computeAllPoints(parsed);
    rows[3] = { ...rows[3]!, s: 'max-steps', m: 'a test status' };
    for (const k of [1, 2, 3]) {
      const idx = new Set(shardIndices(parsed.size, { index: k, count: 3 }));
      writeSweep(join(dir0, `q${k}.csv`), 'plain-csv', { spec: parsed.spec, shard: { index: k, count: 3 }, size: parsed.size, rows: rows.filter((r) => idx.has(r.i)) });
    }
    writeSweep(join(dir0, 'full.csv'), 'csv', { spec: parsed.spec, shard: null, size: parsed.size, rows });
  });

  async function mergePlain(damage: (dir: string) => void) {
    const dir = mkdtempSync(join(tmpdir(), 'qbw-merge-plain-'));
    for (const f of ['q1.csv', 'q1.csv.meta.json', 'q2.csv', 'q2.csv.meta.json', 'q3.csv', 'q3.csv.meta.json']) copyFileSync(join(dir0, f), join(dir, f));
    damage(dir);
    const r = await inProcess(['merge', join(dir, 'm.csv'), join(dir, 'q1.csv'), join(dir, 'q2.csv'), join(dir, 'q3.csv')]);
    return { ...r, dir };
  }
  const editIn = (f: string, change: (s: string) => string) => (dir: string) => {
    const s = readFileSync(join(dir, f), 'utf8');
    const t = change(s);
    if (t === s) throw new Error(`test setup: the change to ${f} did nothing`);
    writeFileSync(join(dir, f), t);
  };

  it('undamaged plain shards merge to the default CSV\'s bytes; a plain shard starts with its header row and ends each row with the status', async () => {
    const text = readFileSync(join(dir0, 'q1.csv'), 'utf8');
    expect(text.split('\n')[0]).toBe('index,omega0,dz,gamma11,count,Eplus,Zplus,Eminus,Zminus,ergotropyMax,status');
    expect(text.split('\n')[2]).toMatch(/^3,1\.2,0\.5,0\.5,.*,max-steps$/);
    const r = await mergePlain(() => {});
    expect(r.code, r.message).toBe(0);
    expect(readFileSync(join(r.dir, 'm.csv'))).toEqual(readFileSync(join(dir0, 'full.csv')));
  });

  const cases: Array<[string, (dir: string) => void, RegExp]> = [
    ['the sidecar missing', (d) => rmSync(join(d, 'q1.csv.meta.json')), /its sidecar .*q1\.csv\.meta\.json \(a CSV without "# " header lines keeps its spec there\) no such file/],
    ['a status changed to success', editIn('q1.csv', (s) => s.replace(',max-steps\n', ',success\n')), /line 3, column status: "success" is not the status its sidecar records for point 3 \(max-steps\)/],
    ['a status changed to another status', editIn('q1.csv', (s) => s.replace(',max-steps\n', ',error\n')), /line 3, column status: "error" is not the status its sidecar records for point 3 \(max-steps\)/],
    ['a status changed with the sidecar\'s warning', (d) => { editIn('q1.csv', (s) => s.replace(',max-steps\n', ',error\n'))(d); editIn('q1.csv.meta.json', (s) => s.replace('"status": "max-steps"', '"status": "error"'))(d); }, /its data checksum does not match its values/],
    ['a status that is not one', editIn('q1.csv', (s) => s.replace(',max-steps\n', ',Max Steps\n')), /line 3, column status: "Max Steps" is not a status/],
    ['the status column dropped', editIn('q1.csv', (s) => s.replace(/,(success|max-steps)\n/g, '\n')), /line 1: the header row|has 10 cells, the header has 11/],
    ['a value altered', editIn('q1.csv', (s) => s.replace(/\n0,0\.6,0\.1,0\.5,(\d+),/, '\n0,0.6,0.1,0.5,7,')), /its data checksum does not match/],
    ['the sidecar spec altered', editIn('q1.csv.meta.json', (s) => s.replace('"dz": "0.1,0.5"', '"dz": "0.1,0.6"')), /line 1?\d?|column dz: 0\.5 is not the grid value 0\.6/],
  ];
  for (const [name, damage, message] of cases) {
    it(`${name}: refused in one line naming the CSV, exit 2, nothing written`, async () => {
      const r = await mergePlain(damage);
      expect(r.code, r.message).toBe(2);
      expect(r.message.startsWith(`merge: ${JSON.stringify(join(r.dir, 'q1.csv'))}: `), r.message).toBe(true);
      expect(r.message).toMatch(message);
      expect(r.message.split('\n')).toHaveLength(1);
      expect(existsSync(join(r.dir, 'm.csv'))).toBe(false);
    });
  }
});
