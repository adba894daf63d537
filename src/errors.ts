/**
 * A parameter outside its allowed range. `parameter` is the API name (the CLI maps it to its flag),
 * `allowed` is a human-readable description of the allowed range.
 */
export class ParameterError extends RangeError {
  readonly parameter: string;
  readonly value: unknown;
  readonly allowed: string;
  /** Where the value sits in the call, e.g. `problem.params.omega0` (defaults to `parameter`); the message names it. */
  readonly path: string;
  constructor(parameter: string, value: unknown, allowed: string, path: string = parameter) {
    super(`${path} = ${formatValue(value)} is not allowed: ${allowed}`);
    this.name = 'ParameterError';
    this.parameter = parameter;
    this.value = value;
    this.allowed = allowed;
    this.path = path;
  }
}

/** A value as a message shows it: strings quoted, objects as (truncated) JSON, never "[object Object]". */
export function formatValue(v: unknown): string {
  if (typeof v === 'string') return JSON.stringify(v.length > 60 ? `${v.slice(0, 57)}...` : v);
  if (typeof v === 'function') return 'a function';
  if (typeof v === 'bigint') return `${v}n`;
  if (typeof v === 'symbol') return v.toString();
  if (v !== null && typeof v === 'object') {
    let json: string | undefined;
    try { json = JSON.stringify(v); } catch { json = undefined; }
    if (json === undefined) return 'an object';
    return json.length > 80 ? `${json.slice(0, 77)}...` : json;
  }
  return String(v);
}

/** Throws ParameterError unless `value` is a finite number within [min, max] (bounds optionally open); `path` names it in the message. */
export function checkNumber(
  parameter: string,
  value: unknown,
  range: { min?: number; max?: number; minOpen?: boolean; maxOpen?: boolean; unit?: string },
  path: string = parameter,
): number {
  // The description is built only on failure (this runs on every call of the checked functions; a
  // closure here cost ≈ 2 µs a call).
  if (typeof value === 'number' && Number.isFinite(value)) {
    const { min, max, minOpen, maxOpen } = range;
    const aboveMin = min === undefined || (minOpen ? value > min : value >= min);
    const belowMax = max === undefined || (maxOpen ? value < max : value <= max);
    if (aboveMin && belowMax) return value;
  }
  throw new ParameterError(parameter, value, describeRange(range), path);
}

export function describeRange(range: { min?: number; max?: number; minOpen?: boolean; maxOpen?: boolean; unit?: string }): string {
  const lo = range.min === undefined ? '(-∞' : `${range.minOpen ? '(' : '['}${range.min}`;
  const hi = range.max === undefined ? '∞)' : `${range.max}${range.maxOpen ? ')' : ']'}`;
  return `must be a finite number in ${lo}, ${hi}${range.unit ? ` (${range.unit})` : ''}`;
}
