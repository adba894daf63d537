import { describeRange } from '../src/errors.js';
import { UsageError } from './errors.js';

export interface Range { min?: number; max?: number; minOpen?: boolean; maxOpen?: boolean; unit?: string }

/**
 * Parses a numeric flag strictly: the whole string must be a finite decimal number (no "1e",
 * "0x10", "", "NaN", "Infinity") inside `range`; otherwise a UsageError naming the flag, the value
 * and the allowed range.
 */
export function parseNumberFlag(flag: string, raw: unknown, range: Range): number {
  const text = String(raw ?? '').trim();
  const ok = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(text);
  const v = ok ? Number(text) : Number.NaN;
  const inRange =
    Number.isFinite(v) &&
    (range.min === undefined || (range.minOpen ? v > range.min : v >= range.min)) &&
    (range.max === undefined || (range.maxOpen ? v < range.max : v <= range.max));
  if (!inRange) throw new UsageError(`${flag} ${JSON.stringify(String(raw ?? ''))}: ${describeRange(range)}`);
  return v;
}

/** Parses a flag that must be one of `choices`. */
export function parseChoiceFlag<T extends string>(flag: string, raw: unknown, choices: readonly T[]): T {
  const text = String(raw ?? '');
  if (!(choices as readonly string[]).includes(text)) {
    throw new UsageError(`${flag} ${JSON.stringify(text)}: must be one of ${choices.join(', ')}`);
  }
  return text as T;
}
