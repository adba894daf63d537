import { ParameterError } from '../src/errors.js';

/** A command-line usage error: printed as one line on stderr, exit code 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/** Map an API parameter name to its CLI flag, for error messages. */
const FLAG_OF: Record<string, string> = {
  omega0: '--omega0',
  gamma11: '--gamma',
  dz: '--dz',
  tMax: '--t-max',
  dt: '--dt',
  tol: '--tol',
};

/** Turns a ParameterError from the core into a UsageError that names the flag. */
export function asUsageError(err: unknown): unknown {
  if (err instanceof ParameterError) {
    const flag = FLAG_OF[err.parameter] ?? err.parameter;
    return new UsageError(`${flag} ${String(err.value)}: ${err.allowed}`);
  }
  return err;
}

/**
 * Exit codes of the qbwave command (documented in the README): 0 success; 1 an internal error (a bug:
 * the stack trace is printed); 2 bad input (a UsageError); 3 the solver did not meet --tol (data
 * still written); 74 an output file could not be written (EX_IOERR of sysexits.h: full disk,
 * read-only folder, …; nothing was written and an existing file is left as it was); 130 and 143
 * interrupted by SIGINT (Ctrl-C) and SIGTERM, 141 the reader of standard output closed the pipe
 * (SIGPIPE; 128 + the signal number).
 */
export const EXIT = { ok: 0, internal: 1, usage: 2, toleranceNotMet: 3, io: 74, sigint: 130, sigpipe: 141, sigterm: 143 } as const;

/** The words for the system error codes an output file can meet. */
const REASONS: Record<string, string> = {
  ENOSPC: 'no space left on device',
  EDQUOT: 'disk quota exceeded',
  EFBIG: 'file too large',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EROFS: 'read-only file system',
  EISDIR: 'is a directory',
  ENOTDIR: 'a component of the path is not a directory',
  ENOENT: 'no such file or directory',
  ENAMETOOLONG: 'file name too long',
  ELOOP: 'too many levels of symbolic links',
  EIO: 'input/output error',
  EBUSY: 'device or resource busy',
  ETXTBSY: 'text file busy',
  EMFILE: 'too many open files',
  ENXIO: 'no such device or address',
  EPIPE: 'broken pipe',
  EXDEV: 'cross-device link',
  EEXIST: 'file exists',
};

/** The system error code of a Node error (e.g. 'ENOSPC'), if it has one. */
export function systemErrorCode(err: unknown): string | undefined {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' && /^E[A-Z0-9]+$/.test(code) ? code : undefined;
}

/** A short reason for an I/O error: "no space left on device (ENOSPC)". */
export function ioReason(err: unknown): string {
  const code = systemErrorCode(err);
  if (code) return `${REASONS[code] ?? code.toLowerCase()} (${code})`;
  return err instanceof Error ? err.message : String(err);
}

/**
 * An output file could not be written (full disk, read-only folder, …): printed as one line naming
 * the path and the reason, exit code 74. The writer has already removed its temporary file, so
 * nothing partial is left and an existing file is untouched; `inPlace`: the target was a FIFO or a
 * device written in place, where what was already written cannot be taken back.
 */
export class OutputError extends Error {
  readonly path: string;
  readonly code: string | undefined;
  /** The system error (or reason) behind it, for a caller that words its own message (the journal). */
  readonly reason: unknown;
  constructor(path: string, cause: unknown, inPlace = false) {
    super(`cannot write ${path}: ${ioReason(cause)}${inPlace ? '' : '; nothing was written (an existing file is left as it was)'}`);
    this.name = 'OutputError';
    this.path = path;
    this.code = systemErrorCode(cause);
    this.reason = cause;
  }
}
