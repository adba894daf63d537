import { Command, CommanderError } from 'commander';
import { UsageError, asUsageError } from './errors.js';
import { registerCommands } from './commands/index.js';
import { VERSION } from '../src/version.js';

/**
 * The qbwave command-line tool. Each command lives in cli/commands/<name>.ts and is registered in
 * cli/commands/index.ts. Usage errors print one line on stderr and exit with code 2.
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
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (raw) {
    const err = asUsageError(raw);
    if (err instanceof CommanderError) {
      if (err.code === 'commander.helpDisplayed' || err.code === 'commander.version' || err.code === 'commander.help') return 0;
      return 2; // commander already printed its one-line message
    }
    if (err instanceof UsageError) {
      process.stderr.write(`qbwave: ${err.message}\n`);
      return 2;
    }
    process.stderr.write(`qbwave: internal error: ${err instanceof Error ? err.stack ?? err.message : String(err)}\n`);
    return 1;
  }
}

const code = await main(process.argv.slice(2));
process.exitCode = code;
