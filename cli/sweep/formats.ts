import { readFileSync, statSync } from 'node:fs';
import { crc32 } from 'node:zlib';
import { VERSION } from '../../src/version.js';
import { gridPoint, type Shard } from '../../src/studies/grid.js';
import { quantityColumns, type Column, type QuantitySpec } from '../../src/studies/quantities.js';
import { ioReason as systemReason, systemErrorCode, UsageError } from '../errors.js';
import { npyBytes, npyHeaderText, npzBytes, type NpyArray } from './npz.js';
import {
  anySpecJson, isSceneSpec, sceneCoordinateColumns, scenePointCoordinates, sceneQuantityColumns, sceneSweepFromSpec, sweepFromSpec,
  type AnySweepSpec, type ParsedSceneSweep, type ParsedSweep,
} from './spec.js';

/**
 * Sweep output files, for the two-emitter sweep and the scene sweep alike. Five forms, chosen by the
 * extension of --out (and --no-comments); each records the data checksum (dataChecksum):
 * - .csv: `# ` comment lines (version, spec, units, column meanings, warnings), a header row, one row a
 *   point; numbers in JavaScript's shortest round-trip form, NaN for "not defined".
 * - .csv with --no-comments ('plain-csv'): the header row first, one row a point with a last column
 *   `status` ('success', 'tolerance-not-met', 'error', …), nothing else, so numpy.genfromtxt(f,
 *   delimiter=',', names=True) and pandas.read_csv(f) read it without options; everything the comment
 *   lines hold goes to the sidecar FILE.meta.json (as `dynamics --out` does).
 * - .json: one object {qbwave, kind, spec, shard, points, units, columns, warnings, data: [[…], …]}
 *   with null for NaN.
 * - .npy: a float64 (N × C) array, C order, plus a sidecar FILE.npy.json holding everything but the
 *   data (numpy's .npy header cannot carry metadata).
 * - .npz (complete sweeps only, not shards): numpy's archive with the grid's axes (1-D), one array of
 *   the grid's shape per value column, `status` (unicode, the grid's shape) and `meta` (the sidecar's
 *   JSON as a 0-d unicode array); written only (merge reads the other four).
 * Every table starts with the column index, then the coordinates: omega0, dz, gamma11 for the
 * two-emitter sweep, the varied paths for a scene sweep; index is the point's position in the full
 * grid (first axis slowest, last fastest), so shards can be merged and checked.
 * The bytes depend only on the spec, the values and (scene sweeps) the scene file's name as given:
 * no timestamps, host names or timings.
 */

export type Format = 'csv' | 'plain-csv' | 'json' | 'npy' | 'npz';

/** One computed point: index in the grid, values in column order, status and message. */
export interface Row {
  i: number;
  v: number[];
  s: string;
  m: string;
  /** Coordinates ([ω0, Δz, Γ11], or the varied paths' values) as read back from a file (readSweepFile only). */
  c?: number[];
}

/** The complete content of a sweep file (or shard). */
export interface SweepData {
  spec: AnySweepSpec;
  shard: Shard | null;
  size: number;
  rows: Row[];
  /** A scene sweep's scene file as given on the command line (recorded in the header; not part of the spec). */
  sceneFile?: string;
}

/** The extension of an output or shard file: .csv, .json, .npy or .npz. */
export function formatOf(flag: string, path: string): Exclude<Format, 'plain-csv'> {
  const m = /\.(csv|json|npy|npz)$/i.exec(path);
  if (!m) throw new UsageError(`${flag} ${JSON.stringify(path)}: the file name must end in .csv, .json, .npy or .npz`);
  return m[1]!.toLowerCase() as Exclude<Format, 'plain-csv'>;
}

export const COORD_COLUMNS: Column[] = [
  { name: 'index', unit: '1', description: 'point index in the full grid (omega0 slowest, gamma11 fastest)' },
  { name: 'omega0', unit: 'omega11', description: 'transition frequency of charger and battery' },
  { name: 'dz', unit: 'lambda11', description: 'charger-battery distance' },
  { name: 'gamma11', unit: 'omega11', description: 'radiation rate into TM11' },
];

const SCENE_INDEX_COLUMN: Column = { name: 'index', unit: '1', description: 'point index in the grid (first varied path slowest)' };

/** The status column of the plain CSV. */
export const STATUS_COLUMN: Column = { name: 'status', unit: '-', description: "the point's status: success, or why not (tolerance-not-met, max-steps, non-finite, error); the message is in the warnings" };

export function allColumns(parsed: ParsedSweep): Column[] {
  return [...COORD_COLUMNS, ...quantityColumns(parsed.quantities)];
}

const UNITS = 'omega0, gamma11 and energies in omega11; dz in lambda11; times in 1/omega11';
const SCENE_UNITS = 'z in lambda11; omega0, gamma, loss and energies in omega11; times in 1/omega11';

/**
 * Everything the writers and readers need to know of a sweep of either kind: its columns, the
 * coordinates of point i, its axes (for .npz) and the header texts.
 */
export interface SweepGrid {
  spec: AnySweepSpec;
  /** Canonical spec JSON (anySpecJson). */
  specText: string;
  kind: 'sweep' | 'scene-sweep';
  size: number;
  quantities: QuantitySpec[];
  /** index, the coordinates, the values. */
  columns: Column[];
  nCoords: number;
  nValues: number;
  coordinates(i: number): number[];
  /** The grid's axes, slowest first: the .npz members and the arrays' shape. */
  axes: Array<{ name: string; values: readonly number[] }>;
  title: string;
  reference: string;
  units: string;
  method: string;
  parsed: ParsedSweep | ParsedSceneSweep;
}

/** The grid of a recorded spec of either kind (re-parsed and validated: throws as the parsers do). */
export function gridOf(spec: AnySweepSpec): SweepGrid {
  if (isSceneSpec(spec)) return sceneGrid(sceneSweepFromSpec(spec));
  const parsed = sweepFromSpec(spec);
  const o = parsed.spec.options;
  const quantityCols = quantityColumns(parsed.quantities);
  return {
    spec: parsed.spec,
    specText: anySpecJson(parsed.spec),
    kind: 'sweep',
    size: parsed.size,
    quantities: parsed.quantities,
    columns: [...COORD_COLUMNS, ...quantityCols],
    nCoords: 3,
    nValues: quantityCols.length,
    coordinates: (i) => { const p = gridPoint(parsed.axes, i); return [p.omega0, p.dz, p.gamma11]; },
    axes: [{ name: 'omega0', values: parsed.axes.omega0 }, { name: 'dz', values: parsed.axes.dz }, { name: 'gamma11', values: parsed.axes.gamma11 }],
    title: 'qbwave sweep: Song et al., PRL 132, 090401 (2024)',
    reference: 'Song et al., PRL 132, 090401 (2024)',
    units: UNITS,
    method: `steady state from Eq. (7)-(8) (bound states, residues); effective classification: residue threshold ${o.residueThreshold}, degenerate if 2*pi/|E- - E+| > ${o.observationTime}/omega11; energyAt from solve(${o.method}), tol ${o.tol}`,
    parsed,
  };
}

/** The grid of a parsed scene sweep (sweep --scene). */
export function sceneGrid(parsed: ParsedSceneSweep): SweepGrid {
  const o = parsed.spec.options;
  const coords = sceneCoordinateColumns(parsed);
  const quantityCols = sceneQuantityColumns(parsed.quantities);
  return {
    spec: parsed.spec,
    specText: anySpecJson(parsed.spec),
    kind: 'scene-sweep',
    size: parsed.size,
    quantities: parsed.quantities,
    columns: [SCENE_INDEX_COLUMN, ...coords, ...quantityCols],
    nCoords: coords.length,
    nValues: quantityCols.length,
    coordinates: (i) => scenePointCoordinates(parsed, i),
    axes: parsed.paths.map((p, k) => ({ name: p, values: parsed.values[k]! })),
    title: 'qbwave sweep of a scene (docs/scenes.md)',
    reference: 'Song et al., PRL 132, 090401 (2024); N emitters: docs/scenes.md',
    units: SCENE_UNITS,
    method: `bound states: roots of the eigenvalue branches of M(E) (sceneBoundStates), effective if the bank amplitude >= ${o.residueThreshold}, degenerate if closer than 2*pi/${o.observationTime}; energyAt from solveScene(${o.method}), tol ${o.tol}; bank energy and collective ergotropy as docs/scenes.md`,
    parsed,
  };
}

/** A number as text: shortest round-trip decimal, NaN/Infinity spelled out. */
export function numText(x: number): string {
  return Number.isFinite(x) ? String(x) : Number.isNaN(x) ? 'NaN' : x > 0 ? 'Infinity' : '-Infinity';
}

/**
 * The CRC-32 (8 hex digits) of a file's data, in index order: every row's index and values as
 * little-endian float64 (NaN and ±Infinity as the one quiet NaN 0x7ff8000000000000 and −0 as 0, since
 * not every format keeps them: JSON writes null for all three non-finite values, CSV writes −0 as 0), then "i,status,message\n" of each row whose status is not
 * 'success' (message line breaks as one space, as the CSV warnings write them). Every format records
 * it ("# data-crc32:" in CSV, "dataCrc32" in JSON and the sidecars), so merge refuses a shard
 * whose values were altered to other valid-looking numbers. Coordinates are checked against the grid
 * instead. Hashing the bytes, not decimal text, keeps it cheap: a small fraction of writing the CSV.
 */
export function dataChecksum(rows: readonly Row[]): string {
  let c = 0;
  const CHUNK = 4096;
  for (let k = 0; k < rows.length; k += CHUNK) {
    const part = rows.slice(k, k + CHUNK);
    let n = 0;
    for (const r of part) n += 1 + r.v.length;
    const dv = new DataView(new ArrayBuffer(n * 8));
    let off = 0;
    const put = (x: number) => {
      if (!Number.isFinite(x)) { dv.setUint32(off, 0, true); dv.setUint32(off + 4, 0x7ff80000, true); }
      else dv.setFloat64(off, x === 0 ? 0 : x, true);
      off += 8;
    };
    const notes: string[] = [];
    for (const r of part) {
      put(r.i);
      for (const x of r.v) put(x);
      if (r.s !== 'success') notes.push(`${r.i},${r.s},${r.m.replace(/[\r\n]+/g, ' ')}\n`);
    }
    c = crc32(new Uint8Array(dv.buffer), c);
    if (notes.length > 0) c = crc32(notes.join(''), c);
  }
  return c.toString(16).padStart(8, '0');
}

function fullRow(grid: SweepGrid, row: Row): number[] {
  return [row.i, ...grid.coordinates(row.i), ...row.v];
}

function sortRows(rows: Row[]): Row[] {
  return [...rows].sort((a, b) => a.i - b.i);
}

function warnings(rows: Row[]): Row[] {
  return rows.filter((r) => r.s !== 'success');
}

/** A scene file name as one header line holds it (line breaks as one space). */
function oneLine(s: string): string {
  return s.replace(/[\r\n]+/g, ' ');
}

/** The CSV text of a sweep or shard. */
export function toCsv(data: SweepData): string {
  const grid = gridOf(data.spec);
  const cols = grid.columns;
  const rows = sortRows(data.rows);
  const lines = [`# ${grid.title}`, `# qbwave-version: ${VERSION}`];
  if (grid.kind === 'scene-sweep' && data.sceneFile !== undefined) lines.push(`# scene-file: ${oneLine(data.sceneFile)}`);
  lines.push(`# spec: ${grid.specText}`);
  if (data.shard) lines.push(`# shard: ${data.shard.index}/${data.shard.count}`);
  lines.push(
    `# points: ${data.size}${data.shard ? ` (this shard: ${rows.length})` : ''}`,
    `# data-crc32: ${dataChecksum(rows)}`,
    `# units: ${grid.units}`,
    `# method: ${grid.method}`,
    ...cols.map((c) => `# column ${c.name} [${c.unit}]: ${c.description}`),
    ...warnings(rows).map((r) => `# warning: point ${r.i}: ${r.s}: ${r.m.replace(/[\r\n]+/g, ' ')}`),
    cols.map((c) => c.name).join(','),
  );
  // One push per row: spreading 10⁵+ rows into push() overflows the call stack.
  for (const r of rows) lines.push(fullRow(grid, r).map(numText).join(','));
  return `${lines.join('\n')}\n`;
}

function meta(data: SweepData, grid: SweepGrid, rows: Row[], columns: Column[] = grid.columns): Record<string, unknown> {
  return {
    qbwave: VERSION,
    kind: grid.kind,
    reference: grid.reference,
    ...(grid.kind === 'scene-sweep' && data.sceneFile !== undefined ? { sceneFile: oneLine(data.sceneFile) } : {}),
    spec: JSON.parse(grid.specText) as unknown,
    shard: data.shard ? `${data.shard.index}/${data.shard.count}` : null,
    points: data.size,
    rows: rows.length,
    dataCrc32: dataChecksum(rows),
    units: grid.units,
    method: grid.method,
    columns,
    warnings: warnings(rows).map((r) => ({ index: r.i, status: r.s, message: r.m })),
  };
}

/** The JSON text of a sweep or shard (one data row a line). */
export function toJson(data: SweepData): string {
  const grid = gridOf(data.spec);
  const rows = sortRows(data.rows);
  const head = JSON.stringify(meta(data, grid, rows), null, 1);
  const body = rows.map((r) => JSON.stringify(fullRow(grid, r).map((x) => (Number.isFinite(x) ? x : null)))).join(',\n');
  return `${head.slice(0, -2)},\n "data": [\n${body}\n ]\n}\n`;
}

/**
 * The plain CSV of a sweep or shard (--no-comments) and its sidecar FILE.meta.json: the header row
 * first (index, coordinates, values, status), one row a point, nothing else; the sidecar holds what
 * the comment lines of the default CSV hold (version, spec, shard, points, data checksum, units,
 * method, columns, warnings with their messages) as JSON.
 */
export function toPlainCsv(data: SweepData): { csv: string; sidecar: string } {
  const grid = gridOf(data.spec);
  const rows = sortRows(data.rows);
  const cols = [...grid.columns, STATUS_COLUMN];
  const lines = [cols.map((c) => c.name).join(',')];
  for (const r of rows) lines.push(`${fullRow(grid, r).map(numText).join(',')},${r.s}`);
  const sidecar = `${JSON.stringify({ ...meta(data, grid, rows, cols), table: 'csv: a header row, then one row a point; no comment lines' }, null, 1)}\n`;
  return { csv: `${lines.join('\n')}\n`, sidecar };
}

/** The .npy v1.0 header text of an (n × ncol) float64 array, padded with spaces so the data start at a multiple of 64. */
function npyHeader(n: number, ncol: number): string {
  return npyHeaderText('<f8', [n, ncol]);
}

/** The .npy bytes (float64, C order) and the sidecar JSON text of a sweep or shard. */
export function toNpy(data: SweepData): { npy: Uint8Array; sidecar: string } {
  const grid = gridOf(data.spec);
  const rows = sortRows(data.rows);
  const ncol = grid.columns.length;
  const flat = new Float64Array(rows.length * ncol);
  let off = 0;
  for (const r of rows) for (const x of fullRow(grid, r)) flat[off++] = x;
  const npy = npyBytes({ shape: [rows.length, ncol], float64: flat });
  const sidecar = `${JSON.stringify({ ...meta(data, grid, rows), dtype: '<f8', shape: [rows.length, ncol] }, null, 1)}\n`;
  return { npy, sidecar };
}

/**
 * The .npz of a complete sweep (not a shard): members, in this order, the grid's axes (1-D float64,
 * named omega0, dz, gamma11 or by the varied paths, slowest first), one float64 array per value column
 * with the grid's shape (n_axis1 × n_axis2 [× n_axis3], C order: element [i1, i2, …] is point index
 * i1·n2·… + …), `status` (unicode, the grid's shape: 'success' or why not) and `meta` (0-d unicode:
 * the JSON the .npy sidecar holds, with the messages of the points that did not succeed).
 */
export function toNpz(data: SweepData): Uint8Array {
  const grid = gridOf(data.spec);
  const rows = sortRows(data.rows);
  if (data.shard || rows.length !== grid.size || rows.some((r, k) => r.i !== k)) throw new UsageError('an .npz holds a complete grid: write shards as .csv, .json or .npy and merge them into the .npz');
  const shape = grid.axes.map((a) => a.values.length);
  const arrays: Array<{ name: string; array: NpyArray }> = grid.axes.map((a) => ({ name: a.name, array: { shape: [a.values.length], float64: a.values } }));
  const valueCols = grid.columns.slice(1 + grid.nCoords);
  valueCols.forEach((c, j) => {
    const v = new Float64Array(rows.length);
    rows.forEach((r, k) => { v[k] = r.v[j]!; });
    arrays.push({ name: c.name, array: { shape, float64: v } });
  });
  arrays.push({ name: 'status', array: { shape, strings: rows.map((r) => r.s) } });
  const m = { ...meta(data, grid, rows), layout: `one array per value column with the grid's shape [${grid.axes.map((a) => a.name).join(', ')}] (C order, first axis slowest); the axes as 1-D arrays; status per point` };
  arrays.push({ name: 'meta', array: { shape: [], strings: [JSON.stringify(m)] } });
  return npzBytes(arrays);
}

export function sidecarPath(npyPath: string): string {
  return `${npyPath}.json`;
}

/** The sidecar of a plain CSV (--no-comments): FILE.meta.json, as `dynamics --out FILE.csv` writes. */
export function plainSidecarPath(csvPath: string): string {
  return `${csvPath}.meta.json`;
}

/** A short reason for an error, one line: "no space left on device (ENOSPC)" for a system error. */
export function ioReason(err: unknown): string {
  if (systemErrorCode(err)) return systemReason(err);
  const e = err as { message?: unknown };
  return e && typeof e.message === 'string' ? e.message.split('\n')[0]! : String(err);
}

/** A value as short JSON-ish text for an error message. */
export function describeValue(x: unknown): string {
  let s: string;
  try {
    s = JSON.stringify(x) ?? String(x);
  } catch {
    s = String(x);
  }
  return s.length > 40 ? `${s.slice(0, 37)}...` : s;
}

/** The status spellings of the point evaluator ('success', 'tolerance-not-met', 'non-finite', …). */
export const STATUS_PATTERN = /^[a-z]+(-[a-z]+)*$/;

type Bad = (why: string) => UsageError;

/** Reads a regular file, refusing a missing file, a directory, a special file or an unreadable one in one line. */
function readInput(path: string, what: string, bad: Bad): Buffer {
  let st;
  try {
    st = statSync(path);
  } catch (err) {
    throw bad(`${what}${(err as { code?: string }).code === 'ENOENT' ? 'no such file' : `cannot be read (${ioReason(err)})`}`);
  }
  if (st.isDirectory()) throw bad(`${what}is a directory, not a sweep file`);
  if (!st.isFile()) throw bad(`${what}is not a regular file`);
  try {
    return readFileSync(path);
  } catch (err) {
    throw bad(`${what}cannot be read (${ioReason(err)})`);
  }
}

/** The verified header of a file: its sweep, shard, column names and expected number of rows. */
interface Meta {
  grid: SweepGrid;
  shard: Shard | null;
  names: string[];
  rowCount: number;
}

const isText = (x: unknown): x is string => typeof x === 'string';

/** Whether a recorded spec has the shape of a two-emitter sweep's or a scene sweep's spec. */
function specShape(s: unknown): 'sweep' | 'scene-sweep' | null {
  const o = s as { axes?: Record<string, unknown>; scene?: unknown; vary?: unknown; quantities?: unknown; options?: unknown } | null;
  if (o === null || typeof o !== 'object' || !isText(o.quantities) || typeof o.options !== 'object' || o.options === null) return null;
  if (o.scene !== undefined) {
    const varyOk = Array.isArray(o.vary) && o.vary.every((v: unknown) => v !== null && typeof v === 'object' && isText((v as { path?: unknown }).path) && isText((v as { values?: unknown }).values));
    return typeof o.scene === 'object' && o.scene !== null && !Array.isArray(o.scene) && varyOk ? 'scene-sweep' : null;
  }
  return typeof o.axes === 'object' && o.axes !== null && isText(o.axes.omega0) && isText(o.axes.dz) && isText(o.axes.gamma11) ? 'sweep' : null;
}

/** Checks version, spec (re-parsed, canonical), shard and point count recorded in a file. */
function checkMeta(m: { version: unknown; spec: unknown; shard: unknown; points: unknown }, bad: Bad): Meta {
  if (m.version !== VERSION) throw bad(`written by qbwave ${describeValue(m.version)}, this is ${VERSION}: merge files written by this version`);
  const shape = specShape(m.spec);
  if (!shape) throw bad('its spec is not a sweep spec {axes, quantities, options} or a scene sweep spec {scene, vary, quantities, options}');
  const s = m.spec as AnySweepSpec;
  let grid: SweepGrid;
  try {
    grid = gridOf(s);
  } catch (err) {
    throw bad(`its spec is invalid (${ioReason(err)})`);
  }
  if (grid.specText !== anySpecJson(s)) throw bad(`its spec is not as qbwave writes it (found ${describeValue(anySpecJson(s))})`);
  let shard: Shard | null = null;
  if (m.shard !== null) {
    const sm = isText(m.shard) ? /^([1-9]\d*)\/([1-9]\d*)$/.exec(m.shard) : null;
    if (!sm || Number(sm[1]) > Number(sm[2])) throw bad(`its shard ${describeValue(m.shard)} is not i/n with 1 ≤ i ≤ n`);
    shard = { index: Number(sm[1]), count: Number(sm[2]) };
  }
  if (m.points !== grid.size) throw bad(`its point count ${describeValue(m.points)} is not its spec's grid size ${grid.size}`);
  const rowCount = shard ? Math.max(0, Math.ceil((grid.size - (shard.index - 1)) / shard.count)) : grid.size;
  return { grid, shard, names: grid.columns.map((c) => c.name), rowCount };
}

/**
 * Checks one data row (index, coordinates) against the grid and the previous index (rows are written
 * in ascending index order) and returns it as a Row with status 'success'.
 */
function checkRow(meta: Meta, cells: number[], where: string, prev: number, bad: Bad): Row {
  const i = cells[0]!;
  const size = meta.grid.size;
  if (!Number.isInteger(i) || i < 0 || i >= size) throw bad(`${where}, column index: ${numText(i)} is not a point index 0…${size - 1}`);
  if (meta.shard && i % meta.shard.count !== meta.shard.index - 1) throw bad(`${where}, column index: point ${i} is not in shard ${meta.shard.index}/${meta.shard.count}`);
  if (i <= prev) throw bad(`${where}, column index: point ${i} ${i === prev ? 'repeats the previous row' : 'comes after a larger index (rows are in index order)'}`);
  const expected = meta.grid.coordinates(i);
  const nc = meta.grid.nCoords;
  for (let j = 0; j < nc; j++) {
    if (cells[j + 1] !== expected[j]) throw bad(`${where}, column ${meta.names[j + 1]}: ${numText(cells[j + 1]!)} is not the grid value ${numText(expected[j]!)} of point ${i}`);
  }
  return { i, v: cells.slice(1 + nc), s: 'success', m: '', c: cells.slice(1, 1 + nc) };
}

/** Attaches the recorded warnings (status, message) to their rows; each must name a row of the file. */
function applyWarnings(rows: Row[], ws: Array<{ index: number; status: string; message: string; where: string }>, bad: Bad): void {
  const byIndex = new Map(rows.map((r) => [r.i, r]));
  const seen = new Set<number>();
  for (const w of ws) {
    const r = byIndex.get(w.index);
    if (!r) throw bad(`${w.where}: a warning for point ${w.index}, which has no row in this file`);
    if (seen.has(w.index)) throw bad(`${w.where}: a second warning for point ${w.index}`);
    if (!STATUS_PATTERN.test(w.status) || w.status === 'success') throw bad(`${w.where}: ${describeValue(w.status)} is not a failure status`);
    seen.add(w.index);
    r.s = w.status;
    r.m = w.message;
  }
}

/** The first line where two texts differ, as a message. */
function firstDifference(found: string, expected: string): string {
  const a = found.split('\n');
  const b = expected.split('\n');
  let k = 0;
  while (k < a.length && k < b.length && a[k] === b[k]) k++;
  return `line ${k + 1} is not what qbwave writes for its data (found ${describeValue(a[k] ?? '<end of file>')}, expected ${describeValue(b[k] ?? '<end of file>')})`;
}

/**
 * Reads a sweep or shard file written by toCsv/toJson/toNpy and verifies it completely: the version,
 * the spec (re-parsed), shard and point count; every number spelled as the writer spells it (CSV: the
 * shortest round-trip decimal, NaN, Infinity, -Infinity; JSON: a number or null; .npy: the exact
 * header and byte length for its shape); every row's index in the grid and the shard, in order, with
 * the grid's coordinates; the shard's full number of rows; and finally that writing the data back
 * gives the file's bytes. Anything else is a one-line UsageError naming the file, the line (or data
 * row) and the column.
 */
export function readSweepFile(path: string): SweepData {
  const fmt = formatOf('merge', path);
  const bad: Bad = (why) => new UsageError(`merge: ${JSON.stringify(path)}: ${why}`);
  const file = readInput(path, '', bad);
  let data: SweepData;
  if (fmt === 'npz') throw bad('merge reads .csv, .json and .npy files; an .npz is written, not read (write the shards as .csv, .json or .npy)');
  if (fmt === 'csv' && file.subarray(0, 6).toString('latin1') === 'index,') {
    // No "# " header lines: the plain CSV of --no-comments, with its sidecar FILE.meta.json.
    const side = plainSidecarPath(path);
    const sidecar = readInput(side, `its sidecar ${side} (a CSV without "# " header lines keeps its spec there) `, bad).toString('utf8');
    data = readPlainCsv(file.toString('utf8'), sidecar, bad, side);
  } else if (fmt === 'csv') data = readCsv(file.toString('utf8'), bad);
  else if (fmt === 'json') data = readJson(file.toString('utf8'), bad);
  else {
    const side = sidecarPath(path);
    const sidecar = readInput(side, `its sidecar ${side} `, bad).toString('utf8');
    data = readNpy(file, sidecar, bad, side);
  }
  return data;
}

function readCsv(text: string, bad: Bad): SweepData {
  const lines = text.split('\n');
  if (lines.at(-1) !== '') throw bad(`line ${lines.length} does not end with a newline (a truncated file?)`);
  const field: Record<string, { value: string; line: number }> = {};
  const ws: Array<{ index: number; status: string; message: string; where: string }> = [];
  let k = 0;
  for (; k < lines.length && lines[k]!.startsWith('#'); k++) {
    const l = lines[k]!;
    const m = /^# (qbwave-version|scene-file|spec|shard|points|data-crc32): (.*)$/.exec(l);
    if (m) {
      if (field[m[1]!]) throw bad(`line ${k + 1}: a second "# ${m[1]}:" line (the first is line ${field[m[1]!]!.line})`);
      field[m[1]!] = { value: m[2]!, line: k + 1 };
    } else if (l.startsWith('# warning: ')) {
      const w = /^# warning: point (0|[1-9]\d*): ([^:]+): (.*)$/.exec(l);
      if (!w) throw bad(`line ${k + 1}: a malformed warning line`);
      ws.push({ index: Number(w[1]), status: w[2]!, message: w[3]!, where: `line ${k + 1}` });
    }
  }
  if (!field.spec || !field.points) throw bad('not a qbwave sweep file (no "# spec:" and "# points:" header lines)');
  let spec: unknown;
  try {
    spec = JSON.parse(field.spec.value);
  } catch {
    throw bad(`line ${field.spec.line}: the "# spec:" header is not valid JSON`);
  }
  const pm = /^(0|[1-9]\d*)( \(this shard: (0|[1-9]\d*)\))?$/.exec(field.points.value);
  if (!pm) throw bad(`line ${field.points.line}: the "# points:" header is not a count`);
  const meta = checkMeta({ version: field['qbwave-version']?.value, spec, shard: field.shard ? field.shard.value : null, points: Number(pm[1]) }, bad);
  const header = lines[k] ?? '';
  if (header !== meta.names.join(',')) throw bad(`line ${k + 1}: the header row ${describeValue(header)} is not the spec's columns (${describeValue(meta.names.join(','))})`);
  const rows: Row[] = [];
  let prev = -1;
  for (k++; k < lines.length - 1; k++) {
    const l = lines[k]!;
    const where = `line ${k + 1}`;
    if (l === '') throw bad(`${where} is empty`);
    const cells = l.split(',');
    if (cells.length !== meta.names.length) throw bad(`${where} has ${cells.length} cells, the header has ${meta.names.length}`);
    const nums = cells.map((c, j) => {
      const x = Number(c);
      if (numText(x) !== c) throw bad(`${where}, column ${meta.names[j]}: ${describeValue(c)} is not a number as qbwave writes one (shortest decimal, NaN, Infinity or -Infinity)`);
      return x;
    });
    const row = checkRow(meta, nums, where, prev, bad);
    prev = row.i;
    rows.push(row);
  }
  return finish(meta, rows, ws, field['data-crc32']?.value, field['scene-file']?.value, bad, (d) => {
    const again = toCsv(d);
    if (again !== text) throw bad(firstDifference(text, again));
  });
}

function readJson(text: string, bad: Bad): SweepData {
  let obj: Record<string, unknown>;
  try {
    obj = JSON.parse(text) as Record<string, unknown>;
  } catch {
    throw bad('not valid JSON');
  }
  if (obj === null || typeof obj !== 'object' || Array.isArray(obj) || (obj.kind !== 'sweep' && obj.kind !== 'scene-sweep')) throw bad('not a qbwave sweep file (no "kind": "sweep"), nor a scene sweep ("kind": "scene-sweep")');
  const meta = checkMeta({ version: obj.qbwave, spec: obj.spec, shard: obj.shard, points: obj.points }, bad);
  const ws = jsonWarnings(obj.warnings, bad, '');
  if (!Array.isArray(obj.data)) throw bad('"data" is not an array of rows');
  const rows: Row[] = [];
  let prev = -1;
  obj.data.forEach((r: unknown, k: number) => {
    const where = `data row ${k + 1}`;
    if (!Array.isArray(r) || r.length !== meta.names.length) throw bad(`${where} is not an array of ${meta.names.length} values`);
    const nums = r.map((x: unknown, j: number) => {
      if (x === null) return Number.NaN;
      if (typeof x === 'number') return x;
      throw bad(`${where}, column ${meta.names[j]}: ${describeValue(x)} is not a number or null`);
    });
    const row = checkRow(meta, nums, where, prev, bad);
    prev = row.i;
    rows.push(row);
  });
  return finish(meta, rows, ws, obj.dataCrc32, sceneFileOf(obj, bad), bad, (d) => {
    const again = toJson(d);
    if (again !== text) throw bad(firstDifference(text, again));
  });
}

/** The "warnings" array of a JSON file or sidecar: [{index, status, message}]. */
function jsonWarnings(x: unknown, bad: Bad, prefix: string): Array<{ index: number; status: string; message: string; where: string }> {
  if (!Array.isArray(x)) throw bad(`${prefix}"warnings" is not an array`);
  return x.map((w: unknown, k: number) => {
    const o = w as { index?: unknown; status?: unknown; message?: unknown } | null;
    if (o === null || typeof o !== 'object' || !Number.isInteger(o.index) || !isText(o.status) || !isText(o.message)) throw bad(`${prefix}warning ${k + 1} is not {index, status, message}`);
    return { index: o.index as number, status: o.status, message: o.message, where: `${prefix}warning ${k + 1}` };
  });
}

/** The JSON sidecar of a .npy or plain-CSV sweep file: parsed, checked to be a qbwave sweep sidecar, its metadata checked. */
function readSidecar(sidecarText: string, bad: Bad, side: string): { obj: Record<string, unknown>; meta: ReturnType<typeof checkMeta> } {
  let obj: Record<string, unknown>;
  try {
    obj = JSON.parse(sidecarText) as Record<string, unknown>;
  } catch {
    throw bad(`its sidecar ${side} is not valid JSON`);
  }
  if (obj === null || typeof obj !== 'object' || Array.isArray(obj) || (obj.kind !== 'sweep' && obj.kind !== 'scene-sweep')) throw bad(`its sidecar ${side} is not a qbwave sweep sidecar`);
  return { obj, meta: checkMeta({ version: obj.qbwave, spec: obj.spec, shard: obj.shard, points: obj.points }, bad) };
}

function readNpy(buf: Buffer, sidecarText: string, bad: Bad, side: string): SweepData {
  const { obj, meta } = readSidecar(sidecarText, bad, side);
  const ws = jsonWarnings(obj.warnings, bad, `sidecar `);
  const ncol = meta.names.length;
  const shape = obj.shape;
  if (!Array.isArray(shape) || shape.length !== 2 || !Number.isInteger(shape[0]) || shape[0] < 0 || shape[1] !== ncol) throw bad(`its sidecar's shape ${describeValue(shape)} is not [rows, ${ncol}]`);
  const n = shape[0] as number;
  if (buf.length < 10 || buf[0] !== 0x93 || buf.toString('latin1', 1, 6) !== 'NUMPY' || buf[6] !== 1 || buf[7] !== 0) throw bad('not a .npy version 1.0 file');
  const header = npyHeader(n, ncol);
  const hlen = buf.readUInt16LE(8);
  if (hlen !== header.length || buf.toString('latin1', 10, 10 + hlen) !== header) throw bad(`its .npy header is not the one qbwave writes for shape (${n}, ${ncol}) (found ${describeValue(buf.toString('latin1', 10, Math.min(buf.length, 10 + hlen)))})`);
  const start = 10 + hlen;
  if (buf.length !== start + n * ncol * 8) throw bad(`has ${buf.length} bytes, a (${n} × ${ncol}) float64 array needs ${start + n * ncol * 8} (truncated or padded?)`);
  const rows: Row[] = [];
  let prev = -1;
  for (let r = 0; r < n; r++) {
    const cells: number[] = [];
    for (let j = 0; j < ncol; j++) cells.push(buf.readDoubleLE(start + (r * ncol + j) * 8));
    const row = checkRow(meta, cells, `data row ${r + 1}`, prev, bad);
    prev = row.i;
    rows.push(row);
  }
  return finish(meta, rows, ws, obj.dataCrc32, sceneFileOf(obj, bad), bad, (d) => {
    const again = toNpy(d);
    if (again.sidecar !== sidecarText) throw bad(`sidecar ${side}: ${firstDifference(sidecarText, again.sidecar)}`);
    const a = again.npy;
    for (let off = 0; off < a.length; off++) {
      if (a[off] !== buf[off]) {
        const cell = Math.floor((off - start) / 8);
        throw bad(`data row ${Math.floor(cell / ncol) + 1}, column ${meta.names[cell % ncol]}: the bytes are not those qbwave writes for this value (a NaN with a payload?)`);
      }
    }
  });
}

/** Common end of the readers: row count, warnings, and the round trip (writing the data back gives the file). */
function finish(meta: Meta, rows: Row[], ws: Array<{ index: number; status: string; message: string; where: string }>, crc: unknown, sceneFile: string | undefined, bad: Bad, roundTrip: (d: SweepData) => void): SweepData {
  if (rows.length !== meta.rowCount) {
    throw bad(`has ${rows.length} data rows, ${meta.shard ? `shard ${meta.shard.index}/${meta.shard.count}` : 'the sweep'} has ${meta.rowCount} points (a truncated or edited file?)`);
  }
  applyWarnings(rows, ws, bad);
  if (!isText(crc) || !/^[0-9a-f]{8}$/.test(crc)) throw bad(`its data checksum ${describeValue(crc ?? null)} is missing or not 8 hex digits`);
  if (dataChecksum(rows) !== crc) throw bad('its data checksum does not match its values (a value, status or message was altered after qbwave wrote it)');
  const data: SweepData = { spec: meta.grid.spec, shard: meta.shard, size: meta.grid.size, rows, ...(sceneFile !== undefined ? { sceneFile } : {}) };
  roundTrip(data);
  return data;
}

/** The "sceneFile" of a JSON file or sidecar: absent, or a string. */
function sceneFileOf(obj: Record<string, unknown>, bad: Bad): string | undefined {
  if (obj.sceneFile === undefined) return undefined;
  if (!isText(obj.sceneFile)) throw bad(`its "sceneFile" ${describeValue(obj.sceneFile)} is not a string`);
  return obj.sceneFile;
}

/**
 * Reads the plain CSV of --no-comments and its sidecar FILE.meta.json: the sidecar as the .npy's
 * (version, spec, shard, points, warnings, data checksum), the table as the default CSV's rows plus
 * the status column; then the common checks and the round trip of both files.
 */
function readPlainCsv(text: string, sidecarText: string, bad: Bad, side: string): SweepData {
  const { obj, meta } = readSidecar(sidecarText, bad, side);
  const ws = jsonWarnings(obj.warnings, bad, 'sidecar ');
  const lines = text.split('\n');
  if (lines.at(-1) !== '') throw bad(`line ${lines.length} does not end with a newline (a truncated file?)`);
  const names = [...meta.names, STATUS_COLUMN.name];
  const recordedStatus = new Map(ws.map((w) => [w.index, w.status]));
  if (lines[0] !== names.join(',')) throw bad(`line 1: the header row ${describeValue(lines[0])} is not the spec's columns (${describeValue(names.join(','))})`);
  const rows: Row[] = [];
  let prev = -1;
  for (let k = 1; k < lines.length - 1; k++) {
    const l = lines[k]!;
    const where = `line ${k + 1}`;
    if (l === '') throw bad(`${where} is empty`);
    const cells = l.split(',');
    if (cells.length !== names.length) throw bad(`${where} has ${cells.length} cells, the header has ${names.length}`);
    const status = cells.pop()!;
    if (!STATUS_PATTERN.test(status)) throw bad(`${where}, column status: ${describeValue(status)} is not a status`);
    const nums = cells.map((c, j) => {
      const x = Number(c);
      if (numText(x) !== c) throw bad(`${where}, column ${names[j]}: ${describeValue(c)} is not a number as qbwave writes one (shortest decimal, NaN, Infinity or -Infinity)`);
      return x;
    });
    const row = checkRow(meta, nums, where, prev, bad);
    // The status column must agree with the sidecar's warnings (which also hold the messages).
    const recorded = recordedStatus.get(row.i) ?? 'success';
    if (status !== recorded) throw bad(`${where}, column status: ${describeValue(status)} is not the status its sidecar records for point ${row.i} (${recorded})`);
    prev = row.i;
    rows.push(row);
  }
  return finish(meta, rows, ws, obj.dataCrc32, sceneFileOf(obj, bad), bad, (d) => {
    const again = toPlainCsv(d);
    if (again.sidecar !== sidecarText) throw bad(`sidecar ${side}: ${firstDifference(sidecarText, again.sidecar)}`);
    if (again.csv !== text) throw bad(firstDifference(text, again.csv));
  });
}
