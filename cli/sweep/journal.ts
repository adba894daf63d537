import { closeSync, fsyncSync, ftruncateSync, openSync, readSync, rmSync, statSync, writeSync } from 'node:fs';
import { crc32 } from 'node:zlib';
import type { Shard } from '../../src/studies/grid.js';
import { VERSION } from '../../src/version.js';
import { OutputError, UsageError } from '../errors.js';
import { writeFileAtomic } from '../output.js';
import { describeValue as describe, ioReason, STATUS_PATTERN as STATUS, type Row } from './formats.js';
import { anySpecJson, valueColumnsOf, type AnyParsedSweep, type AnySweepSpec } from './spec.js';

/**
 * The journal of a running sweep: FILE.partial.jsonl next to the output.
 *
 * Line 1 identifies the sweep: {"journal":"qbwave-sweep","format":2,"qbwave":VERSION,"spec","shard","points"}
 * (spec: the two-emitter sweep's {axes, quantities, options} or the scene sweep's {scene, vary, quantities, options}).
 * Every further line is one finished point {"i","v","s","m","c"}: grid index, values in column order
 * (JSON numbers; NaN, ±Infinity and −0 as the strings "NaN", "Infinity", "-Infinity", "-0"), status, message,
 * and c = the CRC-32 (8 hex digits) of the line's bytes before `,"c":`. JSON numbers round-trip
 * doubles exactly, so a resumed sweep writes the same bytes as an uninterrupted one.
 *
 * Lines are appended in batches and fsync'd, so a kill or crash loses at most the batch in flight.
 * On resume every complete line is verified (structure, types, value count, index in this shard's
 * range and not repeated, checksum) before anything is used; a damaged line refuses the resume with
 * its line number and leaves the journal as it is. Only a last line without its newline (a write
 * cut short by a kill) is dropped, and its point recomputed. The header is written to a temporary
 * file and renamed, so a failure while creating the journal (full disk) leaves no journal; a journal
 * that holds no complete header (0 bytes, or a cut-short header) holds no points and is replaced.
 */

export function journalPath(out: string): string {
  return `${out}.partial.jsonl`;
}

/** The journal line format written by this version (1: no checksums, no version; refused). */
const FORMAT = 2;
const MAGIC = '{"journal":"qbwave-sweep"';

function headerLine(spec: AnySweepSpec, shard: Shard | null, size: number): string {
  return JSON.stringify({ journal: 'qbwave-sweep', format: FORMAT, qbwave: VERSION, spec: JSON.parse(anySpecJson(spec)) as unknown, shard: shard ? `${shard.index}/${shard.count}` : null, points: size });
}

/** Values JSON numbers cannot carry, written as strings: non-finite ones, and −0 (JSON writes it 0, the .npy would differ). */
const SPECIAL = new Set(['NaN', 'Infinity', '-Infinity', '-0']);
const enc = (x: number) => (Object.is(x, -0) ? '-0' : Number.isFinite(x) ? x : String(x));
const hex8 = (s: string) => crc32(Buffer.from(s, 'utf8')).toString(16).padStart(8, '0');
/** `,"c":"xxxxxxxx"}`: the checksum suffix of a row line. */
const SUFFIX_LENGTH = 16;

/** One journal line (without newline) for a finished point, checksum included. */
export function rowLine(r: Row): string {
  const body = JSON.stringify({ i: r.i, v: r.v.map(enc), s: r.s, m: r.m }).slice(0, -1);
  return `${body},"c":"${hex8(body)}"}`;
}

/** Longest journal line read (a header with a long comma list is < 1 MB; a row < 1 kB). */
const MAX_LINE_BYTES = 16 * 2 ** 20;

/**
 * The lines of a journal, read in 1 MB blocks (a journal of millions of points is larger than the
 * longest string JavaScript can hold): each with its UTF-8 text, its length in bytes including the
 * newline, and whether a newline ends it (only the last line can lack one).
 */
function* journalLines(path: string): Generator<{ text: string; bytes: number; complete: boolean }> {
  const fd = openSync(path, 'r');
  try {
    const block = Buffer.alloc(2 ** 20);
    let carry: Buffer[] = [];
    let carryBytes = 0;
    for (;;) {
      const n = readSync(fd, block, 0, block.length, null);
      if (n === 0) break;
      const view = block.subarray(0, n);
      let start = 0;
      for (let nl = view.indexOf(10, start); nl >= 0; nl = view.indexOf(10, start)) {
        const piece = view.subarray(start, nl);
        const line = carryBytes > 0 ? Buffer.concat([...carry, piece]) : piece;
        yield { text: line.toString('utf8'), bytes: line.length + 1, complete: true };
        carry = [];
        carryBytes = 0;
        start = nl + 1;
      }
      if (start < n) {
        carry.push(Buffer.from(view.subarray(start)));
        carryBytes += n - start;
        if (carryBytes > MAX_LINE_BYTES) throw new LineTooLong();
      }
    }
    if (carryBytes > 0) yield { text: Buffer.concat(carry).toString('utf8'), bytes: carryBytes, complete: false };
  } finally {
    closeSync(fd);
  }
}

class LineTooLong extends Error {}

/**
 * Whether a journal file holds anything: it is `empty` if it has no complete header line — 0 bytes,
 * or a qbwave header cut short before its newline (a crash or full disk while an older qbwave created
 * it); such a file holds no finished points and may be replaced. Reads only the first line.
 */
export function inspectJournal(path: string): { empty: boolean } {
  try {
    // A FIFO or device would block or never end: only a regular file can be a journal.
    if (!statSync(path).isFile()) throw new UsageError(`--out: the journal path ${path} exists and is not a regular file; move it away`);
    for (const first of journalLines(path)) {
      return { empty: !first.complete && (MAGIC.startsWith(first.text) || first.text.startsWith(MAGIC)) };
    }
    return { empty: true };
  } catch (err) {
    if (err instanceof UsageError) throw err;
    if (err instanceof LineTooLong) return { empty: false };
    throw new UsageError(`--resume: cannot read the journal ${path}: ${ioReason(err)}`);
  }
}

/**
 * Verifies a journal against the sweep being resumed, line by line, and returns its finished rows and
 * the byte length of the verified prefix (everything but a cut-short last line). Throws a one-line
 * UsageError naming the line and what is wrong if the journal is from a different sweep or damaged.
 */
export function readJournal(path: string, parsed: AnyParsedSweep, shard: Shard | null): { rows: Map<number, Row>; validBytes: number } {
  const size = parsed.size;
  const nValues = valueColumnsOf(parsed).length;
  const damaged = (k: number, why: string) =>
    new UsageError(`--resume: ${path} line ${k + 1}: ${why}; the journal is damaged: nothing was written and it is left as it is (delete it to start again)`);
  const rows = new Map<number, Row>();
  const lineOf = new Map<number, number>();
  let validBytes = 0;
  let k = 0;
  try {
    for (const line of journalLines(path)) {
      if (k === 0) checkHeader(path, line.complete ? line.text : '', parsed, shard);
      else if (!line.complete) break; // a write cut short by a kill: its point is recomputed
      else {
        const row = verifyRow(line.text, (why) => damaged(k, why), { size, nValues, shard });
        const prev = lineOf.get(row.i);
        if (prev !== undefined) throw damaged(k, `point ${row.i} is already on line ${prev + 1}`);
        lineOf.set(row.i, k);
        rows.set(row.i, row);
      }
      validBytes += line.bytes;
      k++;
    }
  } catch (err) {
    if (err instanceof UsageError) throw err;
    if (err instanceof LineTooLong) throw damaged(k, `longer than ${MAX_LINE_BYTES} bytes`);
    throw new UsageError(`--resume: cannot read the journal ${path}: ${ioReason(err)}`);
  }
  return { rows, validBytes };
}

/** Line 1 must be this version's header for this spec, shard and grid size. */
function checkHeader(path: string, first: string, parsed: AnyParsedSweep, shard: Shard | null): void {
  let header: Record<string, unknown>;
  try {
    header = JSON.parse(first) as Record<string, unknown>;
    if (header === null || typeof header !== 'object' || header.journal !== 'qbwave-sweep') throw new Error('no');
  } catch {
    throw new UsageError(`--resume: ${path} is not a qbwave sweep journal (line 1 is not its header); delete or move it`);
  }
  if (header.format !== FORMAT) throw new UsageError(`--resume: ${path} was written by an older qbwave (journal format ${describe(header.format ?? 1)}, this one reads ${FORMAT}); delete it and rerun`);
  if (header.qbwave !== VERSION) throw new UsageError(`--resume: ${path} was written by qbwave ${describe(header.qbwave)}, this is ${VERSION}; delete it and rerun (results must come from one version)`);
  if (first !== headerLine(parsed.spec, shard, parsed.size)) {
    throw new UsageError(`--resume: ${path} belongs to a different sweep (its spec/shard differ from this command's); delete it or repeat the original flags`);
  }
}

/** Checks one complete row line (structure, types, ranges, checksum) and decodes it. */
function verifyRow(l: string, fail: (why: string) => Error, g: { size: number; nValues: number; shard: Shard | null }): Row {
  if (l === '') throw fail('empty line');
  let r: unknown;
  try {
    r = JSON.parse(l);
  } catch {
    throw fail('not valid JSON');
  }
  if (r === null || typeof r !== 'object' || Array.isArray(r)) throw fail('not a JSON object');
  const o = r as Record<string, unknown>;
  const keys = Object.keys(o).join(',');
  if (keys !== 'i,v,s,m,c') throw fail(`fields must be i, v, s, m, c in this order (found ${keys || 'none'})`);
  const i = o.i;
  if (typeof i !== 'number' || !Number.isInteger(i) || i < 0 || i >= g.size) throw fail(`point index ${describe(i)} is not an integer in 0…${g.size - 1}`);
  if (g.shard && i % g.shard.count !== g.shard.index - 1) throw fail(`point ${i} is not in shard ${g.shard.index}/${g.shard.count}`);
  if (!Array.isArray(o.v)) throw fail(`v is ${describe(o.v)}, not an array of values`);
  if (o.v.length !== g.nValues) throw fail(`v has ${o.v.length} values, the sweep has ${g.nValues} value columns`);
  const v: number[] = [];
  for (let j = 0; j < o.v.length; j++) {
    const x: unknown = o.v[j];
    if (typeof x === 'number' && Number.isFinite(x)) v.push(x);
    else if (typeof x === 'number') throw fail(`value ${j + 1} overflows a double (the journal never writes such a number)`);
    else if (typeof x === 'string' && SPECIAL.has(x)) v.push(Number(x));
    else throw fail(`value ${j + 1} is ${describe(x)}, not a number (the journal writes non-finite values and −0 as "NaN", "Infinity", "-Infinity", "-0")`);
  }
  if (typeof o.s !== 'string' || !STATUS.test(o.s)) throw fail(`status ${describe(o.s)} is not a status`);
  if (typeof o.m !== 'string') throw fail(`message ${describe(o.m)} is not a string`);
  if (typeof o.c !== 'string' || !/^[0-9a-f]{8}$/.test(o.c) || !l.endsWith(`,"c":"${o.c}"}`)) throw fail('the checksum c is missing or malformed');
  if (hex8(l.slice(0, -SUFFIX_LENGTH)) !== o.c) throw fail('checksum mismatch (the line was altered after it was written)');
  return { i, v, s: o.s, m: o.m };
}

/**
 * The journal could not be created or written (full disk, read-only folder, …): an OutputError, so
 * cli/main.ts prints its one line and exits 74 as for any output file, with the journal's own message.
 */
export class JournalWriteError extends OutputError {
  constructor(path: string, cause: unknown, message: string) {
    super(path, cause);
    this.name = 'JournalWriteError';
    this.message = message;
  }
}

/** An append-only journal with batched fsync. */
export class Journal {
  private fd = -1;
  private buffer: string[] = [];
  private lastSync = Date.now();
  /** Points fsync'd so far (for the message if a later write fails). */
  private saved = 0;
  /** Bytes fsync'd so far: a failed batch is cut back to this length. */
  private goodBytes = 0;
  private failed = false;
  constructor(
    readonly path: string,
    private readonly batchSize = 64,
    private readonly batchMillis = 1000,
  ) {}

  /**
   * Starts a new journal with its header line, replacing any old (empty) one, through the output
   * files' writeFileAtomic (temporary file, fsync, rename; removed on SIGINT/SIGTERM), so a failure
   * leaves no journal. Throws a one-line error naming the journal and the system error.
   */
  create(spec: AnySweepSpec, shard: Shard | null, size: number): void {
    const header = `${headerLine(spec, shard, size)}\n`;
    try {
      writeFileAtomic(this.path, header);
      this.fd = openSync(this.path, 'a');
    } catch (err) {
      const cause = err instanceof OutputError ? err.reason : err;
      throw new JournalWriteError(this.path, cause, `cannot create the sweep journal ${this.path}: ${ioReason(cause)}; nothing was computed and no journal was left`);
    }
    this.goodBytes = Buffer.byteLength(header, 'utf8');
  }

  /** Continues an existing journal after its verified prefix (drops a cut-short last line). */
  reopen(validBytes: number, points: number): void {
    try {
      const fd = openSync(this.path, 'r+');
      try {
        ftruncateSync(fd, validBytes);
      } finally {
        closeSync(fd);
      }
      this.fd = openSync(this.path, 'a');
    } catch (err) {
      throw new JournalWriteError(this.path, err, `cannot reopen the sweep journal ${this.path} for appending: ${ioReason(err)}; nothing was computed`);
    }
    this.goodBytes = validBytes;
    this.saved = points;
  }

  /** Queues finished rows; flushes when the batch is full or old enough. Returns true if it flushed. */
  append(rows: Row[]): boolean {
    for (const r of rows) this.buffer.push(rowLine(r));
    if (this.buffer.length >= this.batchSize || Date.now() - this.lastSync >= this.batchMillis) {
      this.flush();
      return true;
    }
    return false;
  }

  /**
   * Writes and fsyncs everything queued. On a write error (full disk) the journal is cut back to its
   * last fsync'd length and a one-line UsageError says how many points it keeps for --resume.
   */
  flush(): void {
    if (this.fd < 0 || this.failed) return;
    try {
      if (this.buffer.length > 0) {
        const text = `${this.buffer.join('\n')}\n`;
        writeAll(this.fd, text);
        fsyncSync(this.fd);
        this.saved += this.buffer.length;
        this.goodBytes += Buffer.byteLength(text, 'utf8');
        this.buffer = [];
      } else {
        fsyncSync(this.fd);
      }
    } catch (err) {
      this.failed = true;
      this.buffer = [];
      try {
        ftruncateSync(this.fd, this.goodBytes);
      } catch {
        // a cut-short last line is dropped on resume anyway
      }
      throw new JournalWriteError(this.path, err, `cannot write the sweep journal ${this.path}: ${ioReason(err)}; it keeps ${this.saved} finished points: free space and rerun with --resume`);
    }
    this.lastSync = Date.now();
  }

  /** Flushes and closes; never throws after a failed flush (the error was already reported). */
  close(): void {
    if (this.fd < 0) return;
    try {
      this.flush();
    } finally {
      closeSync(this.fd);
      this.fd = -1;
    }
  }

  remove(): void {
    this.close();
    rmSync(this.path, { force: true });
  }
}

function writeAll(fd: number, s: string): void {
  const buf = Buffer.from(s, 'utf8');
  let off = 0;
  while (off < buf.length) off += writeSync(fd, buf, off, buf.length - off);
}
