import { readFileSync, statSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';
import { ParameterError } from '../src/errors.js';
import { parseBandCsv } from '../src/model/reservoirs/table.js';
import { ioReason, UsageError } from './errors.js';

/**
 * `"reservoir": {"type": "table", "file": "band.csv"}` in a scene file (issue 11 item 4): the command
 * reads the CSV (path relative to the scene file's folder, or absolute) and puts its columns into the
 * scene as the arrays k, omega, coupling before the library validates it (the library never reads
 * files). The CSV format is parseBandCsv's (src/model/reservoirs/table.ts): rows `k,omega,coupling`,
 * `#` comments, an optional header naming the columns.
 *
 * Every problem is one UsageError line (exit code 2) naming the scene file, the field
 * `scene.reservoir.file`, the table file and what is wrong (cannot be read, too large, a bad row with
 * its line number); the table's content (monotone k, finite values, enough rows, resolved edges) is then
 * checked by prepareScene like inline arrays.
 */

/** Largest table file read (10⁵ rows of three shortest-round-trip doubles ≈ 6 MB). */
export const BAND_FILE_MAX_BYTES = 8_000_000;

/**
 * Returns the scene with a table reservoir's `file` replaced by the arrays it holds; any other scene is
 * returned unchanged (the same object). `scenePath` is the scene file's path (for the relative path and
 * for messages).
 */
export function inlineBandTable(raw: unknown, scenePath: string): unknown {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) return raw;
  const scene = raw as Record<string, unknown>;
  const res = scene.reservoir;
  if (res === null || typeof res !== 'object' || Array.isArray(res)) return raw;
  const r = res as Record<string, unknown>;
  if (r.type !== 'table' || r.file === undefined) return raw;
  const bad = (why: string): UsageError => new UsageError(`--scene ${JSON.stringify(scenePath)}: scene.reservoir.file = ${JSON.stringify(r.file)}: ${why}`);
  if (typeof r.file !== 'string' || r.file === '') throw bad('must be the path of a CSV file (relative to the scene file)');
  for (const key of ['k', 'omega', 'coupling']) {
    if (r[key] !== undefined) throw bad(`give either "file" or the arrays k, omega, coupling, not both (scene.reservoir.${key} is set too)`);
  }
  const file = isAbsolute(r.file) ? r.file : resolve(dirname(scenePath), r.file);
  let text: string;
  try {
    const st = statSync(file);
    if (!st.isFile()) throw bad(`${file} is not a regular file`);
    if (st.size > BAND_FILE_MAX_BYTES) throw bad(`${file} is ${st.size} bytes, more than the ${BAND_FILE_MAX_BYTES} a band table may have`);
    text = new TextDecoder('utf-8', { fatal: true }).decode(readFileSync(file));
  } catch (err) {
    if (err instanceof UsageError) throw err;
    if (err instanceof TypeError) throw bad(`${file} is not UTF-8 text (a band table is CSV)`);
    throw bad((err as { code?: string }).code === 'ENOENT' ? `no such file (looked for ${file})` : `${file} cannot be read: ${ioReason(err)}`);
  }
  let table: { k: number[]; omega: number[]; coupling: number[] };
  try {
    table = parseBandCsv(text, 'scene.reservoir.file');
  } catch (err) {
    if (err instanceof ParameterError) throw bad(`${file}: ${err.allowed}`);
    throw err;
  }
  const { file: _file, ...rest } = r;
  return { ...scene, reservoir: { ...rest, ...table } };
}
