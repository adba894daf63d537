import { closeSync, fsyncSync, ftruncateSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import type { Shard } from '../../src/studies/grid.js';
import { UsageError } from '../errors.js';
import type { Row } from './formats.js';
import { specJson, type SweepSpec } from './spec.js';

/**
 * The journal of a running sweep: FILE.partial.jsonl next to the output. Line 1 identifies the sweep
 * (spec, shard, size); every further line is one finished point {"i", "v", "s", "m"} with non-finite
 * numbers as the strings "NaN", "Infinity", "-Infinity" (JSON numbers round-trip doubles exactly,
 * so a resumed sweep writes the same bytes as an uninterrupted one). Lines are appended in batches and
 * fsync'd, so a kill or crash loses at most the batch in flight; a truncated last line (a crash in
 * the middle of a write) is dropped on resume.
 */

export function journalPath(out: string): string {
  return `${out}.partial.jsonl`;
}

interface JournalHeader {
  journal: 'qbwave-sweep';
  spec: unknown;
  shard: string | null;
  points: number;
}

function headerLine(spec: SweepSpec, shard: Shard | null, size: number): string {
  return JSON.stringify({ journal: 'qbwave-sweep', spec: JSON.parse(specJson(spec)), shard: shard ? `${shard.index}/${shard.count}` : null, points: size });
}

const enc = (x: number) => (Number.isFinite(x) ? x : String(x));
const dec = (x: number | string) => (typeof x === 'number' ? x : Number(x));

export function rowLine(r: Row): string {
  return JSON.stringify({ i: r.i, v: r.v.map(enc), s: r.s, m: r.m });
}

/**
 * Reads an existing journal. Returns the finished rows and the byte length of the valid prefix.
 * Throws a UsageError if it belongs to a different sweep or is corrupt before its last line.
 */
export function readJournal(path: string, spec: SweepSpec, shard: Shard | null, size: number): { rows: Map<number, Row>; validBytes: number } {
  const text = readFileSync(path, 'utf8');
  const expected = headerLine(spec, shard, size);
  const lines = text.split('\n');
  const first = lines[0] ?? '';
  let header: JournalHeader;
  try {
    header = JSON.parse(first) as JournalHeader;
  } catch {
    throw new UsageError(`--resume: ${path} is not a qbwave sweep journal`);
  }
  if (header.journal !== 'qbwave-sweep' || JSON.stringify(header) !== expected) {
    throw new UsageError(`--resume: ${path} belongs to a different sweep (its spec/shard differ from this command's); delete it or repeat the original flags`);
  }
  const rows = new Map<number, Row>();
  let validBytes = Buffer.byteLength(first, 'utf8') + 1;
  for (let k = 1; k < lines.length; k++) {
    const l = lines[k]!;
    const complete = k < lines.length - 1; // followed by a newline
    if (l === '' && !complete) break;
    let r: { i: number; v: Array<number | string>; s: string; m: string };
    try {
      if (!complete) throw new Error('truncated');
      r = JSON.parse(l) as typeof r;
      if (!Number.isInteger(r.i) || r.i < 0 || r.i >= size || !Array.isArray(r.v)) throw new Error('bad row');
    } catch {
      if (!complete) break; // a write cut short by a crash: drop it
      throw new UsageError(`--resume: ${path} line ${k + 1} is corrupt; delete the journal to start again`);
    }
    rows.set(r.i, { i: r.i, v: r.v.map(dec), s: r.s, m: r.m });
    validBytes += Buffer.byteLength(l, 'utf8') + 1;
  }
  return { rows, validBytes };
}

/** An append-only journal with batched fsync. */
export class Journal {
  private fd: number;
  private buffer: string[] = [];
  private lastSync = Date.now();
  constructor(
    readonly path: string,
    private readonly batchSize = 64,
    private readonly batchMillis = 1000,
  ) {
    this.fd = -1;
  }

  /** Starts a new journal (truncating any old one) with its header line. */
  create(spec: SweepSpec, shard: Shard | null, size: number): void {
    this.fd = openSync(this.path, 'w');
    writeAll(this.fd, `${headerLine(spec, shard, size)}\n`);
    fsyncSync(this.fd);
  }

  /** Continues an existing journal after its valid prefix (drops a truncated last line). */
  reopen(validBytes: number): void {
    this.fd = openSync(this.path, 'r+');
    ftruncateSync(this.fd, validBytes);
    closeSync(this.fd);
    this.fd = openSync(this.path, 'a');
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

  /** Writes and fsyncs everything queued. */
  flush(): void {
    if (this.fd < 0) return;
    if (this.buffer.length > 0) {
      writeAll(this.fd, `${this.buffer.join('\n')}\n`);
      this.buffer = [];
    }
    fsyncSync(this.fd);
    this.lastSync = Date.now();
  }

  close(): void {
    if (this.fd < 0) return;
    this.flush();
    closeSync(this.fd);
    this.fd = -1;
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
