import { inlineBandTable } from './bandTable.js';
import { readFileSync, statSync } from 'node:fs';
import type { Command } from 'commander';
import { formatValue, ParameterError } from '../src/errors.js';
import { prepareScene, type PreparedScene } from '../src/model/scene.js';
import { ioReason, UsageError } from './errors.js';
import { readModelParams } from './modelOptions.js';
import type { ModelParams } from '../src/model/params.js';

/**
 * `--scene FILE` (issue 13 item 5; docs/scenes.md): reading a scene file and turning every problem
 * with it into one line, exit code 2, before anything is computed or any file is created.
 *
 * - The file must be a regular file of at most SCENE_FILE_MAX_BYTES holding one JSON value (a UTF-8
 *   byte-order mark is skipped). A syntax error, or a key given twice in one object (JSON.parse would
 *   silently keep the last), names the file, the line and the column.
 * - The content is validated by the library's prepareScene (src/model/scene.ts), not here: its
 *   ParameterError names the field by its path from the root `scene` (`scene.emitters[2].loss`), the
 *   value and what is allowed, and the CLI prints that same text after the file name, so the command
 *   and the library word a bad field identically.
 */

/** Largest scene file read (64 emitters take ≈ 10 kB; a bigger file is a mistake, not a scene). */
export const SCENE_FILE_MAX_BYTES = 1_000_000;

/** The flags the model options add, which a scene replaces. */
const MODEL_FLAGS = [['omega0', '--omega0'], ['dz', '--dz'], ['gamma', '--gamma']] as const;

/** A scene read from a file: its path (as given) and the validated scene (defaults filled in, `prepared.scene`). */
export interface SceneFile {
  path: string;
  prepared: PreparedScene;
}

/** One line naming the file: `--scene "x.json": why`. */
function bad(path: string, why: string): UsageError {
  return new UsageError(`--scene ${JSON.stringify(path)}: ${why}`);
}

/**
 * Reads, parses and validates a scene file. Every failure is a UsageError naming the file: cannot be
 * read, not a regular file, too large, not JSON (line and column), a repeated key (line and column),
 * or a bad field (the library's message with its path).
 */
export function readSceneFile(path: string): SceneFile {
  // A table reservoir's "file" is read here (the library never reads files) and inlined as arrays.
  return { path, prepared: prepareSceneOrUsage(inlineBandTable(parseSceneText(readSceneText(path), path), path), path) };
}

/**
 * prepareScene with its ParameterError turned into the one-line UsageError naming the file; the
 * library's message is kept whole, as it starts with the path (`scene.emitters[2].loss = -1 is not
 * allowed: must be …`).
 */
export function prepareSceneOrUsage(raw: unknown, path: string): PreparedScene {
  try {
    return prepareScene(raw, 'scene');
  } catch (err) {
    if (err instanceof ParameterError) throw bad(path, err.message);
    throw err;
  }
}

/** Parameters of the run itself (not of the scene): their errors keep naming the command's flags. */
const RUN_PARAMETERS = new Set(['tMax', 'dt', 'tol', 'method', 'residueThreshold', 'observationTime']);

/**
 * Runs a library computation on a validated scene, turning a ParameterError about the scene (a
 * solver's own limit, e.g. the Markov approximation at a band edge, path `problem.scene.emitters[0].omega0`)
 * into the one-line UsageError naming the file and the path from `scene`. Errors about the run's
 * parameters (tMax, dt, tol…) pass through and name their flags as before.
 */
export function withSceneErrors<T>(file: SceneFile, compute: () => T): T {
  try {
    return compute();
  } catch (err) {
    if (err instanceof ParameterError && !RUN_PARAMETERS.has(err.parameter)) {
      throw bad(file.path, `${err.path.replace(/^problem\./, '')} = ${formatValue(err.value)} is not allowed: ${err.allowed}`);
    }
    throw err;
  }
}

function readSceneText(path: string): string {
  let st;
  try {
    st = statSync(path);
  } catch (err) {
    throw bad(path, (err as { code?: string }).code === 'ENOENT' ? 'no such file' : `cannot be read: ${ioReason(err)}`);
  }
  if (st.isDirectory()) throw bad(path, 'is a directory, not a scene file');
  if (!st.isFile()) throw bad(path, 'is not a regular file (a scene is read from a JSON file)');
  if (st.size > SCENE_FILE_MAX_BYTES) throw bad(path, `is ${st.size} bytes, more than the ${SCENE_FILE_MAX_BYTES} a scene file may have`);
  let buf: Buffer;
  try {
    buf = readFileSync(path);
  } catch (err) {
    throw bad(path, `cannot be read: ${ioReason(err)}`);
  }
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(buf);
  } catch {
    throw bad(path, 'is not UTF-8 text (a scene file is JSON)');
  }
  return text.startsWith('\uFEFF') ? text.slice(1) : text;
}

/**
 * Parses scene JSON text. Throws a UsageError naming the file, the line and the column (1-based; the
 * column counts characters) of the first syntax error or repeated key.
 */
export function parseSceneText(text: string, path: string): unknown {
  const problem = jsonProblem(text);
  if (problem) {
    const { line, column } = lineColumn(text, problem.at);
    throw bad(path, `not valid JSON: line ${line}, column ${column}: ${problem.why}`);
  }
  return JSON.parse(text) as unknown;
}

function lineColumn(text: string, at: number): { line: number; column: number } {
  let line = 1;
  let start = 0;
  for (let k = 0; k < at && k < text.length; k++) {
    if (text[k] === '\n') {
      line++;
      start = k + 1;
    }
  }
  return { line, column: Math.min(at, text.length) - start + 1 };
}

/** A character as an error message shows it. */
function shown(c: string | undefined): string {
  if (c === undefined) return 'the end of the file';
  if (c === '\n') return 'a line break';
  if (c === '\t') return 'a tab';
  return JSON.stringify(c);
}

/**
 * The first syntax problem of a JSON text (RFC 8259) or the first key repeated within an object, with
 * its offset; null for a valid text without repeated keys. A strict recursive-descent scanner: it
 * builds no values (JSON.parse does that once the text is known to be good).
 */
export function jsonProblem(text: string): { at: number; why: string } | null {
  let i = 0;
  const fail = (why: string, at = i): never => {
    throw Object.assign(new Error(why), { at });
  };
  const ws = () => {
    while (i < text.length && (text[i] === ' ' || text[i] === '\t' || text[i] === '\n' || text[i] === '\r')) i++;
  };
  const string = (): string => {
    const start = i;
    i++; // the opening quote
    let out = '';
    for (;;) {
      const c = text[i];
      if (c === undefined) fail('a string is not closed (no ending ")', start);
      if (c === '"') {
        i++;
        return out;
      }
      if (c! < ' ') fail(`${shown(c)} inside a string (write it as an escape such as \\n)`);
      if (c === '\\') {
        const e = text[i + 1];
        if (e === 'u') {
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) fail('\\u must be followed by four hex digits');
          out += String.fromCharCode(parseInt(text.slice(i + 2, i + 6), 16));
          i += 6;
          continue;
        }
        if (e === undefined || !'"\\/bfnrt'.includes(e)) fail(`${shown(e === undefined ? undefined : `\\${e}`)} is not a JSON escape`);
        out += e;
        i += 2;
        continue;
      }
      out += c;
      i++;
    }
  };
  const number = () => {
    const m = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(text.slice(i, i + 400));
    if (!m || m[0] === '-' || m[0] === '') fail(`${shown(text[i])} does not start a JSON value (a number, string, object, array, true, false or null)`);
    i += m![0].length;
    const next = text[i];
    if (next !== undefined && /[0-9.eE+\-a-zA-Z_]/.test(next)) fail(`${shown(next)} after the number ${m![0]} (JSON numbers are plain decimals such as 0.35 or 1e-3)`);
  };
  const value = (depth: number): void => {
    if (depth > 200) fail('nested more than 200 levels deep');
    ws();
    const c = text[i];
    if (c === '{') {
      i++;
      const keys = new Set<string>();
      ws();
      if (text[i] === '}') {
        i++;
        return;
      }
      for (;;) {
        ws();
        if (text[i] !== '"') fail(`expected a double-quoted key, found ${shown(text[i])}${text[i] === '}' ? ' (a comma before } is not allowed)' : ''}`);
        const at = i;
        const key = string();
        if (keys.has(key)) fail(`the key ${JSON.stringify(key)} appears twice in one object`, at);
        keys.add(key);
        ws();
        if (text[i] !== ':') fail(`expected ':' after the key ${JSON.stringify(key)}, found ${shown(text[i])}`);
        i++;
        value(depth + 1);
        ws();
        if (text[i] === ',') {
          i++;
          continue;
        }
        if (text[i] === '}') {
          i++;
          return;
        }
        fail(`expected ',' or '}' after a value in an object, found ${shown(text[i])}`);
      }
    }
    if (c === '[') {
      i++;
      ws();
      if (text[i] === ']') {
        i++;
        return;
      }
      for (;;) {
        if (text[i] === ']') fail("a comma before ']' is not allowed");
        value(depth + 1);
        ws();
        if (text[i] === ',') {
          i++;
          ws();
          continue;
        }
        if (text[i] === ']') {
          i++;
          return;
        }
        fail(`expected ',' or ']' after an array element, found ${shown(text[i])}`);
      }
    }
    if (c === '"') {
      string();
      return;
    }
    for (const word of ['true', 'false', 'null']) {
      if (text.startsWith(word, i)) {
        i += word.length;
        return;
      }
    }
    if (c === undefined) fail('the file ends where a value was expected');
    number();
  };
  try {
    ws();
    if (i === text.length) fail('the file is empty (a scene is a JSON object)');
    value(0);
    ws();
    if (i < text.length) fail(`${shown(text[i])} after the end of the JSON value`);
    return null;
  } catch (err) {
    const at = (err as { at?: unknown }).at;
    if (typeof at !== 'number') throw err;
    return { at, why: (err as Error).message };
  }
}

// ---------------------------------------------------------------------------------------------
// The model flags or a scene.

/**
 * Adds `--scene FILE` to a command that has the model options (cli/modelOptions.ts) and makes
 * --omega0 and --dz optional for commander: readModelOrScene then requires them unless --scene is
 * given, with commander's wording of a missing required option.
 */
export function addSceneOption(cmd: Command, what: string): Command {
  for (const o of cmd.options) if (o.long === '--omega0' || o.long === '--dz') o.makeOptionMandatory(false);
  return cmd.option('--scene <FILE>', `a scene file (JSON: reservoir, N emitters, initial state; docs/scenes.md) instead of --omega0/--dz/--gamma: ${what}`);
}

/** The two-emitter parameters of the old flags, or a scene read from --scene FILE. */
export type ModelOrScene = { kind: 'params'; params: ModelParams } | { kind: 'scene'; file: SceneFile };

/**
 * Reads either the model flags (unchanged behaviour, the two-emitter scene) or `--scene FILE`. Giving
 * both is refused, naming the flags; neither is refused as commander refuses a missing required option.
 */
export function readModelOrScene(opts: Record<string, unknown>, cmd: Command): ModelOrScene {
  if (opts.scene === undefined) {
    for (const o of cmd.options) {
      if ((o.long === '--omega0' || o.long === '--dz') && opts[o.attributeName()] === undefined) {
        throw new UsageError(`required option '${o.flags}' not specified (or give --scene FILE)`);
      }
    }
    return { kind: 'params', params: readModelParams(opts) };
  }
  const given = MODEL_FLAGS.filter(([name]) => cmd.getOptionValueSource(name) === 'cli').map(([, flag]) => flag);
  if (given.length > 0) {
    throw new UsageError(`--scene and ${given.join(', ')} cannot be used together: the scene file sets every emitter's ω0, Γ11 and position (write them in the file, or drop --scene)`);
  }
  return { kind: 'scene', file: readSceneFile(String(opts.scene)) };
}
