import { Command, CommanderError } from 'commander';
import { EXIT, OutputError, UsageError, asUsageError, ioReason, systemErrorCode } from './errors.js';
import { onTemporaryFiles, removeTemporaryFiles } from './output.js';
import { registerCommands } from './commands/index.js';
import { VERSION } from '../src/version.js';

/**
 * The qbwave command-line tool. Each command lives in cli/commands/<name>.ts and is registered in
 * cli/commands/index.ts. Errors print one line on stderr; the exit codes are `EXIT` in
 * cli/errors.ts: 2 bad input, 3 tolerance not met, 74 an output file could not be written, 130/143
 * interrupted, 1 an internal error (a bug: only then a stack trace).
 */
export async function main(argv: string[]): Promise<number> {
  const program = new Command();
  program
    .name('qbwave')
    .description('Remote-charging quantum battery in a rectangular waveguide (Song et al., PRL 132, 090401, 2024).\nUnits: ω0 and Γ11 in ω11, Δz in λ11, t in 1/ω11.')
    .version(VERSION)
    .exitOverride()
    .configureOutput({ writeErr: (s) => process.stderr.write(s) })
    .showHelpAfterError(false);
  registerCommands(program);
  try {
    await program.parseAsync(argv, { from: 'user' });
    // A command may have set a non-zero code (e.g. 3: tolerance not met, 130: interrupted).
    return typeof process.exitCode === 'number' ? process.exitCode : EXIT.ok;
  } catch (raw) {
    const err = asUsageError(raw);
    if (err instanceof CommanderError) {
      if (err.code === 'commander.helpDisplayed' || err.code === 'commander.version' || err.code === 'commander.help') return EXIT.ok;
      return EXIT.usage; // commander already printed its one-line message
    }
    if (err instanceof UsageError) {
      process.stderr.write(`qbwave: ${err.message}\n`);
      return EXIT.usage;
    }
    if (err instanceof OutputError) {
      process.stderr.write(`qbwave: ${err.message}\n`);
      return EXIT.io;
    }
    // A system error from any other file operation (a journal, a shard being read): one line, no stack.
    const code = systemErrorCode(err);
    if (code !== undefined && typeof (err as { syscall?: unknown }).syscall === 'string') {
      const path = (err as { path?: unknown }).path;
      process.stderr.write(`qbwave: ${(err as { syscall: string }).syscall}${typeof path === 'string' ? ` ${path}` : ''}: ${ioReason(err)}\n`);
      return EXIT.io;
    }
    process.stderr.write(`qbwave: internal error: ${err instanceof Error ? err.stack ?? err.message : String(err)}\n`);
    return EXIT.internal;
  }
}

/**
 * SIGINT/SIGTERM while an output file is being written: remove the temporary file(s) and exit
 * 130/143 (128 + the signal number). Installed only once the first temporary file is created, so
 * that until then Ctrl-C keeps its default effect (a synchronous solve is interruptible). A command
 * that handles the signal itself (sweep and figures, while computing) is left to do so.
 */
let cleanupInstalled = false;
function installInterruptCleanup(): void {
  if (cleanupInstalled) return;
  cleanupInstalled = true;
  for (const [signal, code] of [['SIGINT', EXIT.sigint], ['SIGTERM', EXIT.sigterm]] as const) {
    process.on(signal, () => {
      const removed = removeTemporaryFiles();
      if (process.listenerCount(signal) > 1) return;
      process.stderr.write(`qbwave: interrupted (${signal})${removed.length ? `; removed the unfinished ${removed.join(', ')}` : ''}\n`);
      process.exit(code);
    });
  }
}
onTemporaryFiles(installInterruptCleanup);

// `qbwave dynamics … | head`: the reader closed the pipe. Stop quietly, as a Unix tool killed by
// SIGPIPE does (exit 141 = 128 + 13), instead of an unhandled 'error' event with a stack trace.
process.stdout.on('error', (err) => {
  if (systemErrorCode(err) === 'EPIPE') process.exit(EXIT.sigpipe);
  process.stderr.write(`qbwave: cannot write to standard output: ${ioReason(err)}\n`);
  process.exit(EXIT.io);
});

const code = await main(process.argv.slice(2));
process.exitCode = code;
