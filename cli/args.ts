import type { Command } from 'commander';
import { describeRange } from '../src/errors.js';
import { UsageError } from './errors.js';
import { PLAIN_DECIMAL } from '../src/decimal.js';

export interface Range { min?: number; max?: number; minOpen?: boolean; maxOpen?: boolean; unit?: string }

/** Plain decimal notation: no "1e", "0x10", "", "NaN", "Infinity", no surrounding whitespace. */

/**
 * Parses a numeric flag strictly: the whole string must be a finite decimal number (no "1e",
 * "0x10", "", "NaN", "Infinity", and no surrounding whitespace: " 1" is refused, not trimmed) inside
 * `range`; otherwise a UsageError naming the flag, the value and the allowed range.
 */
export function parseNumberFlag(flag: string, raw: unknown, range: Range): number {
  const text = String(raw ?? '');
  if (text !== text.trim()) throw new UsageError(`${flag} ${JSON.stringify(text)}: has surrounding whitespace; ${describeRange(range)}`);
  const v = PLAIN_DECIMAL.test(text) ? Number(text) : Number.NaN;
  const inRange =
    Number.isFinite(v) &&
    (range.min === undefined || (range.minOpen ? v > range.min : v >= range.min)) &&
    (range.max === undefined || (range.maxOpen ? v < range.max : v <= range.max));
  if (!inRange) throw new UsageError(`${flag} ${JSON.stringify(text)}: ${describeRange(range)}`);
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

/**
 * Options that may be given more than once, their values collected in order by the option's own
 * parser (`sweep --scene F --vary A --vary B`: two varied fields, the first the slowest axis). Every
 * occurrence is still refused with surrounding whitespace.
 */
export const REPEATABLE_OPTIONS: ReadonlySet<string> = new Set(['--vary']);

/**
 * Makes every option of `program` and of its subcommands (except REPEATABLE_OPTIONS) refuse a second occurrence
 * (`--omega0 1 --omega0 2` would otherwise silently keep the last value) and a value with
 * surrounding whitespace (`--omega0 ' 1'`, `--only ' 2'`: some parsers trimmed it, others did not):
 * a UsageError naming the flag and the value(s). Call once, after all commands are registered.
 */
export function refuseRepeatedOptions(program: Command): void {
  for (const cmd of [program, ...program.commands]) {
    for (const option of cmd.options) {
      const flag = option.long ?? option.short ?? option.flags;
      let first: string | undefined;
      let seen = false;
      cmd.on(`option:${option.name()}`, (value: unknown) => {
        const shown = value === undefined ? '' : ` ${JSON.stringify(String(value))}`;
        if (seen && !REPEATABLE_OPTIONS.has(flag)) {
          throw new UsageError(`${flag}${shown}: given more than once${first === undefined ? '' : ` (first ${first})`}; give it once`);
        }
        seen = true;
        first = value === undefined ? undefined : JSON.stringify(String(value));
        if (typeof value === 'string' && value !== value.trim()) {
          throw new UsageError(`${flag}${shown}: has surrounding whitespace; give the value without it`);
        }
      });
    }
  }
}
