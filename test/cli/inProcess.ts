import { Command, CommanderError } from 'commander';
import { registerMerge } from '../../cli/commands/merge.js';
import { registerSweep } from '../../cli/commands/sweep.js';
import { asUsageError, EXIT, OutputError, UsageError } from '../../cli/errors.js';
import type { Row } from '../../cli/sweep/formats.js';
import type { ParsedSweep } from '../../cli/sweep/spec.js';
import { runPoints } from '../../cli/sweep/worker.js';
import { gridPoint } from '../../src/studies/grid.js';

/**
 * Runs `qbwave sweep …` or `qbwave merge …` in this process from the sources (no spawn, no dist/),
 * so tests that need hundreds of runs stay fast. Errors are mapped as cli/main.ts maps them: a
 * UsageError (or a library ParameterError) is exit code 2 with its one-line message, an OutputError
 * (an output or the journal could not be written) 74; anything else
 * is code 1 with the stack (a bug). stderr is captured.
 */
export async function inProcess(args: string[]): Promise<{ code: number; message: string; stderr: string }> {
  const program = new Command().exitOverride().configureOutput({ writeErr: () => {}, writeOut: () => {} });
  registerSweep(program);
  registerMerge(program);
  const err: string[] = [];
  const write = process.stderr.write;
  process.stderr.write = ((s: string | Uint8Array) => { err.push(String(s)); return true; }) as typeof process.stderr.write;
  try {
    await program.parseAsync(args, { from: 'user' });
    return { code: 0, message: '', stderr: err.join('') };
  } catch (raw) {
    const e = asUsageError(raw);
    if (e instanceof UsageError) return { code: 2, message: e.message, stderr: err.join('') };
    if (e instanceof CommanderError) return { code: 2, message: e.message, stderr: err.join('') };
    if (e instanceof OutputError) return { code: EXIT.io, message: e.message, stderr: err.join('') };
    // Anything else is not a clean refusal: reported whole (name and stack) so a test shows it.
    return { code: 1, message: e instanceof Error ? `${e.name}: ${e.stack ?? e.message}` : String(e), stderr: err.join('') };
  } finally {
    process.stderr.write = write;
  }
}

/** Every point of a parsed sweep computed in this process, as the sweep workers compute them (rows in index order). */
export function computeAllPoints(parsed: ParsedSweep): Row[] {
  const flat: number[] = [];
  for (let i = 0; i < parsed.size; i++) {
    const p = gridPoint(parsed.axes, i);
    flat.push(i, p.omega0, p.dz, p.gamma11);
  }
  return runPoints({ kind: 'points', points: flat, quantities: parsed.quantities, options: parsed.spec.options });
}
