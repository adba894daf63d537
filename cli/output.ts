import {
  accessSync, closeSync, constants, fchmodSync, fsyncSync, lstatSync, openSync, readlinkSync, realpathSync, renameSync, rmSync, statSync, writeSync,
} from 'node:fs';
import { randomBytes } from 'node:crypto';
import { dirname, join, resolve } from 'node:path';
import { ioReason, OutputError, UsageError } from './errors.js';

/**
 * Output files of the qbwave command.
 *
 * - A regular file (or a name that does not exist yet) is written to a temporary file in the
 *   directory of the RESOLVED target (through any symbolic links, so a symlink stays a symlink and
 *   the file it points to is replaced), flushed to disk, and renamed over the target: a reader never
 *   sees half a file, and an existing file is replaced only by a complete one (its permission bits
 *   are kept). The temporary name is short, `.qbw.<pid>.<8 hex>.tmp`, so every legal target name
 *   works, however long.
 * - Special files are written in place, never replaced: a FIFO, a terminal, and /dev/null,
 *   /dev/zero, /dev/full. Other character devices, block devices and sockets are refused.
 * - Temporary files in progress are listed; the CLI entry removes them on SIGINT/SIGTERM
 *   (see `onTemporaryFiles`, `removeTemporaryFiles`).
 * - An I/O error (full disk, read-only folder, …) removes the temporary file and throws an
 *   OutputError: one line naming the path and the reason, exit code 74.
 */

/** What an output path leads to. */
type Target =
  /** A regular file, existing or to be created at `path` (symlinks resolved); `mode`: the existing file's permission bits. */
  | { kind: 'file'; path: string; mode?: number }
  /** A FIFO or an allowed character device, opened and written in place. */
  | { kind: 'direct'; path: string }
  /** Not writable by qbwave: `reason` says why. */
  | { kind: 'refused'; reason: string };

/** Character devices that may be written in place (after resolving symlinks such as /dev/stdout). */
const DIRECT_DEVICES = /^\/dev\/(null|zero|full|tty|console|tty[A-Za-z]*\d+|pts\/\d+)$/;

/** Longest file name (one path component) on the common file systems, in bytes. */
export const NAME_MAX = 255;

function isMissing(err: unknown): boolean {
  return (err as { code?: string }).code === 'ENOENT';
}

/**
 * Where writing `path` goes. System errors other than "does not exist" (a name longer than
 * NAME_MAX bytes, a path through a file, a folder without search permission, …) are thrown.
 */
function resolveTarget(path: string): Target {
  const full = resolve(path);
  let st;
  try {
    st = statSync(full);
  } catch (err) {
    if (!isMissing(err)) throw err;
  }
  if (st) {
    if (st.isFile()) return { kind: 'file', path: realpathSync(full), mode: st.mode & 0o7777 };
    if (st.isDirectory()) return { kind: 'refused', reason: 'is a directory' };
    if (st.isFIFO()) return { kind: 'direct', path: full };
    if (st.isCharacterDevice()) {
      const real = realpathSync(full);
      if (DIRECT_DEVICES.test(real)) return { kind: 'direct', path: full };
      return { kind: 'refused', reason: `is the character device ${real}; qbwave writes in place only to a FIFO, a terminal, /dev/null, /dev/zero or /dev/full` };
    }
    return { kind: 'refused', reason: `is a ${st.isBlockDevice() ? 'block device' : st.isSocket() ? 'socket' : 'special file'}; qbwave writes regular files, FIFOs, terminals, /dev/null, /dev/zero and /dev/full` };
  }
  // Nothing there, or a dangling symbolic link: follow the link chain to the name to create.
  let p = full;
  for (let hops = 0; ; hops++) {
    let l;
    try {
      l = lstatSync(p);
    } catch (err) {
      if (isMissing(err)) break;
      throw err;
    }
    if (!l.isSymbolicLink()) break;
    if (hops >= 40) return { kind: 'refused', reason: 'too many levels of symbolic links' };
    p = resolve(dirname(p), readlinkSync(p));
  }
  return { kind: 'file', path: p };
}

/** A fresh temporary name in `dir`: short, so that it fits wherever the target's name fits. */
function temporaryName(dir: string, suffix: 'tmp' | 'probe' = 'tmp'): string {
  return join(dir, `.qbw.${process.pid}.${randomBytes(4).toString('hex')}.${suffix}`);
}

/**
 * Checks, before any computing, that `path` can be written: a regular file (existing and writable,
 * or new in an existing folder where a file can be created — tried, with a temporary name), a FIFO
 * or an allowed device. Throws a UsageError naming `flag`, the path and the reason otherwise.
 */
export function checkWritable(flag: string, path: string): void {
  const shown = `${flag} ${JSON.stringify(path)}`;
  let target: Target;
  try {
    target = resolveTarget(path);
  } catch (err) {
    throw new UsageError(`${shown}: ${ioReason(err)}`);
  }
  if (target.kind === 'refused') throw new UsageError(`${shown}: ${target.reason}`);
  if (target.kind === 'direct') {
    try {
      accessSync(target.path, constants.W_OK);
    } catch (err) {
      throw new UsageError(`${shown}: not writable: ${ioReason(err)}`);
    }
    return;
  }
  const dir = dirname(target.path);
  let dirOk = false;
  try {
    dirOk = statSync(dir).isDirectory();
  } catch {
    dirOk = false;
  }
  if (!dirOk) throw new UsageError(`${shown}: directory ${dir} does not exist`);
  if (target.mode !== undefined) {
    try {
      accessSync(target.path, constants.W_OK);
    } catch (err) {
      throw new UsageError(`${shown}: not writable: ${ioReason(err)}`);
    }
  }
  // Creating the temporary file is what the write will do first: try it now (catches read-only
  // folders and file systems, missing permissions and ACLs, for root too).
  const probe = temporaryName(dir, 'probe');
  try {
    closeSync(openSync(probe, 'wx'));
  } catch (err) {
    throw new UsageError(`${shown}: not writable: cannot create a file in ${dir}: ${ioReason(err)}`);
  }
  rmSync(probe, { force: true });
}

// ---------------------------------------------------------------------------------------------
// Temporary files in progress, for the CLI entry's SIGINT/SIGTERM handlers.

const pending = new Set<string>();
let onPending: (() => void) | undefined;

/**
 * Registers `fn`, called whenever a temporary output file is created (the CLI entry installs its
 * signal handlers then, so that a sync computation before any output stays interruptible by the
 * default Ctrl-C).
 */
export function onTemporaryFiles(fn: () => void): void {
  onPending = fn;
}

/** Temporary output files currently being written. */
export function temporaryFiles(): string[] {
  return [...pending];
}

/** Removes every temporary output file still being written; returns their paths. Signal-safe: sync. */
export function removeTemporaryFiles(): string[] {
  const removed = [...pending];
  for (const p of removed) rmSync(p, { force: true });
  pending.clear();
  return removed;
}

// ---------------------------------------------------------------------------------------------
// Writing.

/** Output content: one string (UTF-8) or byte array, or a sequence of them written in order. */
export type OutputData = string | Uint8Array | Iterable<string | Uint8Array>;

/** Test seam: the write system call (tests inject ENOSPC). */
export interface OutputIo {
  writeSync: (fd: number, buffer: Uint8Array, offset: number, length: number) => number;
}
const NODE_IO: OutputIo = { writeSync: (fd, buffer, offset, length) => writeSync(fd, buffer, offset, length) };

function* chunksOf(data: OutputData): Generator<string | Uint8Array> {
  if (typeof data === 'string' || data instanceof Uint8Array) yield data;
  else yield* data;
}

/** One output file being written: a temporary file to rename over the target, or a special file written in place. */
class OutputFile {
  private fd: number | undefined;
  private readonly tmp: string | undefined;
  private readonly target: string;
  /** Written in place (a FIFO or a device): no temporary file. */
  readonly inPlace: boolean;

  constructor(readonly path: string, private readonly io: OutputIo) {
    const t = resolveTarget(path);
    if (t.kind === 'refused') throw new OutputError(path, new Error(t.reason));
    this.target = t.path;
    this.inPlace = t.kind === 'direct';
    if (t.kind === 'direct') {
      this.fd = openSync(t.path, 'w');
      return;
    }
    this.tmp = temporaryName(dirname(t.path));
    this.fd = openSync(this.tmp, 'wx', 0o666);
    pending.add(this.tmp);
    onPending?.();
    try {
      if (t.mode !== undefined) fchmodSync(this.fd, t.mode);
    } catch (err) {
      this.abort();
      throw err;
    }
  }

  write(chunk: string | Uint8Array): void {
    const buf = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk;
    let off = 0;
    while (off < buf.length) off += this.io.writeSync(this.fd!, buf, off, buf.length - off);
  }

  /** Flushes, closes and (for a regular file) renames the temporary file over the target. */
  commit(): void {
    const fd = this.fd!;
    if (this.tmp !== undefined) fsyncSync(fd); // a full disk can surface only here (delayed allocation, NFS)
    this.fd = undefined;
    closeSync(fd);
    if (this.tmp !== undefined) {
      renameSync(this.tmp, this.target);
      pending.delete(this.tmp);
    }
  }

  /** Closes and removes the temporary file (the target is untouched). */
  abort(): void {
    if (this.fd !== undefined) {
      try {
        closeSync(this.fd);
      } catch {
        // already failing: the original error is reported
      }
      this.fd = undefined;
    }
    if (this.tmp !== undefined) {
      rmSync(this.tmp, { force: true });
      pending.delete(this.tmp);
    }
  }
}

function asOutputError(path: string, err: unknown, file: OutputFile | undefined): unknown {
  return err instanceof OutputError || err instanceof UsageError ? err : new OutputError(path, err, file?.inPlace ?? false);
}

/**
 * Writes `data` to `path` as described at the top of this file (temporary file + rename for a
 * regular file; in place for a FIFO or allowed device). On failure nothing partial is left, an
 * existing file is untouched, and an OutputError names the path and the reason.
 */
export function writeFileAtomic(path: string, data: OutputData, io: OutputIo = NODE_IO): void {
  let file: OutputFile | undefined;
  try {
    file = new OutputFile(path, io);
    for (const chunk of chunksOf(data)) file.write(chunk);
    file.commit();
  } catch (err) {
    file?.abort();
    throw asOutputError(path, err, file);
  }
}

/**
 * The same as `writeFileAtomic`, but lets the event loop run between chunks, so that Ctrl-C during
 * a long write is handled at once (the temporary file is removed and the command exits 130) rather
 * than after the write. QBWAVE_TEST_WRITE_PAUSE_MS (tests only) pauses that long after each chunk.
 */
export async function writeFileAtomicAsync(path: string, data: OutputData, io: OutputIo = NODE_IO): Promise<void> {
  const pauseMs = Number(process.env.QBWAVE_TEST_WRITE_PAUSE_MS ?? '');
  const pause = Number.isFinite(pauseMs) && pauseMs > 0
    ? () => new Promise<void>((r) => setTimeout(r, pauseMs))
    : () => new Promise<void>((r) => setImmediate(r));
  let file: OutputFile | undefined;
  try {
    file = new OutputFile(path, io);
    for (const chunk of chunksOf(data)) {
      file.write(chunk);
      await pause();
    }
    file.commit();
  } catch (err) {
    file?.abort();
    throw asOutputError(path, err, file);
  }
}
