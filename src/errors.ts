/**
 * A parameter outside its allowed range. `parameter` is the API name (the CLI maps it to its flag),
 * `allowed` is a human-readable description of the allowed range.
 */
export class ParameterError extends RangeError {
  readonly parameter: string;
  readonly value: unknown;
  readonly allowed: string;
  constructor(parameter: string, value: unknown, allowed: string) {
    super(`${parameter} = ${formatValue(value)} is not allowed: ${allowed}`);
    this.name = 'ParameterError';
    this.parameter = parameter;
    this.value = value;
    this.allowed = allowed;
  }
}

function formatValue(v: unknown): string {
  if (typeof v === 'string') return JSON.stringify(v);
  return String(v);
}

/** Throws ParameterError unless `value` is a finite number within [min, max] (bounds optionally open). */
export function checkNumber(
  parameter: string,
  value: unknown,
  range: { min?: number; max?: number; minOpen?: boolean; maxOpen?: boolean; unit?: string },
): number {
  const desc = describeRange(range);
  if (typeof value !== 'number' || !Number.isFinite(value)) throw new ParameterError(parameter, value, desc);
  const { min, max, minOpen, maxOpen } = range;
  if (min !== undefined && (minOpen ? value <= min : value < min)) throw new ParameterError(parameter, value, desc);
  if (max !== undefined && (maxOpen ? value >= max : value > max)) throw new ParameterError(parameter, value, desc);
  return value;
}

export function describeRange(range: { min?: number; max?: number; minOpen?: boolean; maxOpen?: boolean; unit?: string }): string {
  const lo = range.min === undefined ? '(-∞' : `${range.minOpen ? '(' : '['}${range.min}`;
  const hi = range.max === undefined ? '∞)' : `${range.max}${range.maxOpen ? ')' : ']'}`;
  return `must be a finite number in ${lo}, ${hi}${range.unit ? ` (${range.unit})` : ''}`;
}
