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
