import { readFileSync, existsSync } from 'node:fs';
import { VERSION } from '../../src/version.js';
import { gridPoint, type Shard } from '../../src/studies/grid.js';
import { quantityColumns, type Column } from '../../src/studies/quantities.js';
import { UsageError } from '../errors.js';
import { specJson, sweepFromSpec, type ParsedSweep, type SweepSpec } from './spec.js';

/**
 * Sweep output files. Three formats, chosen by the extension of --out:
 * - .csv: `# ` comment lines (version, spec, units, column meanings, warnings), a header row, one row a
 *   point; numbers in JavaScript's shortest round-trip form, NaN for "not defined".
 * - .json: one object {qbwave, kind, spec, shard, points, units, columns, warnings, data: [[…], …]}
 *   with null for NaN.
 * - .npy: a float64 (N × C) array, C order, plus a sidecar FILE.npy.json holding everything but the
 *   data (numpy's .npy header cannot carry metadata).
 * Every format starts with the columns index, omega0, dz, gamma11; index is the point's position in
 * the full grid (ω0 slowest, Γ11 fastest), so shards can be merged and checked.
 * The bytes depend only on the spec and the values: no timestamps, host names or timings.
 */

export type Format = 'csv' | 'json' | 'npy';

/** One computed point: index in the grid, values in column order, status and message. */
export interface Row {
  i: number;
  v: number[];
  s: string;
  m: string;
  /** Coordinates [ω0, Δz, Γ11] as read back from a file (readSweepFile only). */
  c?: number[];
}

/** The complete content of a sweep file (or shard). */
export interface SweepData {
  spec: SweepSpec;
  shard: Shard | null;
  size: number;
  rows: Row[];
}

export function formatOf(flag: string, path: string): Format {
  const m = /\.(csv|json|npy)$/i.exec(path);
  if (!m) throw new UsageError(`${flag} ${JSON.stringify(path)}: the file name must end in .csv, .json or .npy`);
  return m[1]!.toLowerCase() as Format;
}

export const COORD_COLUMNS: Column[] = [
  { name: 'index', unit: '1', description: 'point index in the full grid (omega0 slowest, gamma11 fastest)' },
  { name: 'omega0', unit: 'omega11', description: 'transition frequency of charger and battery' },
  { name: 'dz', unit: 'lambda11', description: 'charger-battery distance' },
  { name: 'gamma11', unit: 'omega11', description: 'radiation rate into TM11' },
];

export function allColumns(parsed: ParsedSweep): Column[] {
  return [...COORD_COLUMNS, ...quantityColumns(parsed.quantities)];
}

const UNITS = 'omega0, gamma11 and energies in omega11; dz in lambda11; times in 1/omega11';

/** A number as text: shortest round-trip decimal, NaN/Infinity spelled out. */
export function numText(x: number): string {
  return Number.isFinite(x) ? String(x) : Number.isNaN(x) ? 'NaN' : x > 0 ? 'Infinity' : '-Infinity';
}

function fullRow(parsed: ParsedSweep, row: Row): number[] {
  const p = gridPoint(parsed.axes, row.i);
  return [row.i, p.omega0, p.dz, p.gamma11, ...row.v];
}

function methodNote(spec: SweepSpec): string {
  const o = spec.options;
  return `steady state from Eq. (7)-(8) (bound states, residues); effective classification: residue threshold ${o.residueThreshold}, degenerate if 2*pi/|E- - E+| > ${o.observationTime}/omega11; energyAt from solve(${o.method}), tol ${o.tol}`;
}

function sortRows(rows: Row[]): Row[] {
  return [...rows].sort((a, b) => a.i - b.i);
}

function warnings(rows: Row[]): Row[] {
  return rows.filter((r) => r.s !== 'success');
}

/** The CSV text of a sweep or shard. */
export function toCsv(data: SweepData): string {
  const parsed = sweepFromSpec(data.spec);
  const cols = allColumns(parsed);
  const rows = sortRows(data.rows);
  const lines = [
    '# qbwave sweep: Song et al., PRL 132, 090401 (2024)',
    `# qbwave-version: ${VERSION}`,
    `# spec: ${specJson(data.spec)}`,
  ];
  if (data.shard) lines.push(`# shard: ${data.shard.index}/${data.shard.count}`);
  lines.push(
    `# points: ${data.size}${data.shard ? ` (this shard: ${rows.length})` : ''}`,
    `# units: ${UNITS}`,
    `# method: ${methodNote(data.spec)}`,
    ...cols.map((c) => `# column ${c.name} [${c.unit}]: ${c.description}`),
    ...warnings(rows).map((r) => `# warning: point ${r.i}: ${r.s}: ${r.m.replace(/[\r\n]+/g, ' ')}`),
    cols.map((c) => c.name).join(','),
    ...rows.map((r) => fullRow(parsed, r).map(numText).join(',')),
  );
  return `${lines.join('\n')}\n`;
}

function meta(data: SweepData, parsed: ParsedSweep, rows: Row[]): Record<string, unknown> {
  return {
    qbwave: VERSION,
    kind: 'sweep',
    reference: 'Song et al., PRL 132, 090401 (2024)',
    spec: JSON.parse(specJson(data.spec)),
    shard: data.shard ? `${data.shard.index}/${data.shard.count}` : null,
    points: data.size,
    rows: rows.length,
    units: UNITS,
    method: methodNote(data.spec),
    columns: allColumns(parsed),
    warnings: warnings(rows).map((r) => ({ index: r.i, status: r.s, message: r.m })),
  };
}

/** The JSON text of a sweep or shard (one data row a line). */
export function toJson(data: SweepData): string {
  const parsed = sweepFromSpec(data.spec);
  const rows = sortRows(data.rows);
  const head = JSON.stringify(meta(data, parsed, rows), null, 1);
  const body = rows.map((r) => JSON.stringify(fullRow(parsed, r).map((x) => (Number.isFinite(x) ? x : null)))).join(',\n');
  return `${head.slice(0, -2)},\n "data": [\n${body}\n ]\n}\n`;
}

/** The .npy bytes (float64, C order) and the sidecar JSON text of a sweep or shard. */
export function toNpy(data: SweepData): { npy: Uint8Array; sidecar: string } {
  const parsed = sweepFromSpec(data.spec);
  const rows = sortRows(data.rows);
  const ncol = allColumns(parsed).length;
  const header0 = `{'descr': '<f8', 'fortran_order': False, 'shape': (${rows.length}, ${ncol}), }`;
  const pre = 10;
  const total = Math.ceil((pre + header0.length + 1) / 64) * 64;
  const header = `${header0}${' '.repeat(total - pre - header0.length - 1)}\n`;
  const buf = new Uint8Array(total + rows.length * ncol * 8);
  buf.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0], 0); // \x93NUMPY v1.0
  const dv = new DataView(buf.buffer);
  dv.setUint16(8, header.length, true);
  for (let k = 0; k < header.length; k++) buf[pre + k] = header.charCodeAt(k);
  let off = total;
  for (const r of rows) {
    for (const x of fullRow(parsed, r)) { dv.setFloat64(off, x, true); off += 8; }
  }
  const sidecar = `${JSON.stringify({ ...meta(data, parsed, rows), dtype: '<f8', shape: [rows.length, ncol] }, null, 1)}\n`;
  return { npy: buf, sidecar };
}

export function sidecarPath(npyPath: string): string {
  return `${npyPath}.json`;
}

/** Reads a sweep or shard file written by toCsv/toJson/toNpy. Throws UsageError naming the file. */
export function readSweepFile(path: string): SweepData {
  const fmt = formatOf('merge', path);
  const bad = (why: string) => new UsageError(`merge: ${JSON.stringify(path)}: ${why}`);
  if (!existsSync(path)) throw bad('no such file');
  let spec: SweepSpec;
  let shard: Shard | null = null;
  let size: number;
  const rows: Row[] = [];
  const parseShard = (s: string | null): Shard | null => {
    if (s === null) return null;
    const m = /^(\d+)\/(\d+)$/.exec(s);
    if (!m) throw bad(`bad shard field ${JSON.stringify(s)}`);
    return { index: Number(m[1]), count: Number(m[2]) };
  };
  const fromStatus = (ws: Array<{ index: number; status: string; message: string }>) => new Map(ws.map((w) => [w.index, w]));
  if (fmt === 'csv') {
    const text = readFileSync(path, 'utf8');
    const lines = text.split('\n');
    let specText: string | null = null;
    let shardText: string | null = null;
    let sizeText: string | null = null;
    const ws: Array<{ index: number; status: string; message: string }> = [];
    let k = 0;
    for (; k < lines.length && lines[k]!.startsWith('#'); k++) {
      const l = lines[k]!;
      if (l.startsWith('# spec: ')) specText = l.slice(8);
      else if (l.startsWith('# shard: ')) shardText = l.slice(9);
      else if (l.startsWith('# points: ')) sizeText = l.slice(10).split(' ')[0]!;
      else if (l.startsWith('# warning: point ')) {
        const m = /^# warning: point (\d+): ([^:]+): (.*)$/.exec(l);
        if (m) ws.push({ index: Number(m[1]), status: m[2]!, message: m[3]! });
      }
    }
    if (specText === null || sizeText === null) throw bad('not a qbwave sweep file (no "# spec:" header)');
    spec = JSON.parse(specText) as SweepSpec;
    shard = parseShard(shardText);
    size = Number(sizeText);
    const header = lines[k++] ?? '';
    const ncol = header.split(',').length;
    const st = fromStatus(ws);
    for (; k < lines.length; k++) {
      const l = lines[k]!;
      if (l === '') continue;
      const cells = l.split(',');
      if (cells.length !== ncol) throw bad(`line ${k + 1} has ${cells.length} cells, expected ${ncol}`);
      const nums = cells.map(Number);
      const i = nums[0]!;
      const w = st.get(i);
      rows.push({ i, v: nums.slice(4), s: w?.status ?? 'success', m: w?.message ?? '', c: nums.slice(1, 4) });
    }
  } else {
    const metaText = readFileSync(fmt === 'json' ? path : sidecarPath(path), 'utf8');
    let obj: Record<string, unknown>;
    try {
      obj = JSON.parse(metaText) as Record<string, unknown>;
    } catch {
      throw bad(fmt === 'json' ? 'not valid JSON' : `sidecar ${sidecarPath(path)} is not valid JSON`);
    }
    if (obj.kind !== 'sweep' || typeof obj.spec !== 'object') throw bad('not a qbwave sweep file');
    spec = obj.spec as SweepSpec;
    shard = parseShard((obj.shard as string | null) ?? null);
    size = Number(obj.points);
    const st = fromStatus((obj.warnings as Array<{ index: number; status: string; message: string }>) ?? []);
    let data: number[][];
    if (fmt === 'json') {
      data = (obj.data as Array<Array<number | null>>).map((r) => r.map((x) => (x === null ? Number.NaN : x)));
    } else {
      const buf = readFileSync(path);
      if (buf.length < 10 || buf[0] !== 0x93 || buf.toString('latin1', 1, 6) !== 'NUMPY') throw bad('not a .npy file');
      const hlen = buf.readUInt16LE(8);
      const shape = /'shape': \((\d+), (\d+)\)/.exec(buf.toString('latin1', 10, 10 + hlen));
      if (!shape) throw bad('unexpected .npy header');
      const [n, c] = [Number(shape[1]), Number(shape[2])];
      data = [];
      let off = 10 + hlen;
      for (let r = 0; r < n; r++) {
        const row: number[] = [];
        for (let j = 0; j < c; j++) { row.push(buf.readDoubleLE(off)); off += 8; }
        data.push(row);
      }
    }
    for (const r of data) {
      const i = r[0]!;
      const w = st.get(i);
      rows.push({ i, v: r.slice(4), s: w?.status ?? 'success', m: w?.message ?? '', c: r.slice(1, 4) });
    }
  }
  if (!Number.isInteger(size) || size < 0) throw bad('bad point count');
  return { spec, shard, size, rows };
}
