import type { Command } from 'commander';
import { PARAM_RANGES, type ModelParams } from '../src/model/params.js';
import { parseNumberFlag } from './args.js';

/** Adds --omega0, --dz (required) and --gamma (default 0.5) to a command. */
export function addModelOptions(cmd: Command): Command {
  return cmd
    .requiredOption('--omega0 <W>', 'transition frequency ω0 of charger and battery, in ω11, in (0, 10]')
    .requiredOption('--dz <D>', 'charger–battery distance Δz, in λ11, in [0, 20]')
    .option('--gamma <G>', 'radiation rate Γ11 into the TM11 mode, in ω11, in (0, 5]', '0.5');
}

/** Reads and validates the model flags (UsageError names the flag on bad input). */
export function readModelParams(opts: Record<string, unknown>): ModelParams {
  return {
    omega0: parseNumberFlag('--omega0', opts.omega0, PARAM_RANGES.omega0),
    dz: parseNumberFlag('--dz', opts.dz, PARAM_RANGES.dz),
    gamma11: parseNumberFlag('--gamma', opts.gamma, PARAM_RANGES.gamma11),
  };
}

/** Formats a number for tables: 12 significant digits. */
export function fmt(x: number, digits = 12): string {
  return Number.isFinite(x) ? x.toPrecision(digits) : String(x);
}
