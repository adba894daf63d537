import { closeSync, existsSync, openSync, renameSync, rmSync, statSync, writeSync, accessSync, constants } from 'node:fs';
import { dirname, resolve, basename, join } from 'node:path';
import { UsageError } from './errors.js';

/**
 * Checks, before any computing, that `path` can be written: its directory exists and is writable,
 * and it is not a directory. Throws a UsageError naming `flag` otherwise.
 */
export function checkWritable(flag: string, path: string): void {
  const full = resolve(path);
  const dir = dirname(full);
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new UsageError(`${flag} ${JSON.stringify(path)}: directory ${dir} does not exist`);
  if (existsSync(full) && statSync(full).isDirectory()) throw new UsageError(`${flag} ${JSON.stringify(path)}: is a directory`);
  try {
    accessSync(dir, constants.W_OK);
    if (existsSync(full)) accessSync(full, constants.W_OK);
  } catch {
    throw new UsageError(`${flag} ${JSON.stringify(path)}: not writable`);
  }
}

/**
 * Writes `data` to `path` atomically: into a temporary file in the same directory, then renamed over
 * the target, so a reader never sees a half-written file and an existing file is replaced only by a
 * complete one.
 */
export function writeFileAtomic(path: string, data: string | Uint8Array): void {
  const full = resolve(path);
  const tmp = join(dirname(full), `.${basename(full)}.${process.pid}.${Date.now()}.tmp`);
  let fd: number | undefined;
  try {
    fd = openSync(tmp, 'w');
    const buf = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
    let off = 0;
    while (off < buf.length) off += writeSync(fd, buf, off, buf.length - off);
    closeSync(fd);
    fd = undefined;
    renameSync(tmp, full);
  } catch (err) {
    if (fd !== undefined) closeSync(fd);
    rmSync(tmp, { force: true });
    throw err;
  }
}
