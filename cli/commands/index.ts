import type { Command } from 'commander';
import { refuseRepeatedOptions } from '../args.js';
import { registerSpectrum } from './spectrum.js';
import { registerDynamics } from './dynamics.js';
import { registerSteady } from './steady.js';
import { registerDemo } from './demo.js';
import { registerSweep } from './sweep.js';
import { registerMerge } from './merge.js';
import { registerFigures } from './figures.js';
import { registerDesign } from './design.js';

/** Registers every subcommand (one line per command file); every flag is refused when repeated. */
export function registerCommands(program: Command): void {
  registerSpectrum(program);
  registerDynamics(program);
  registerSteady(program);
  registerDemo(program);
  registerSweep(program);
  registerMerge(program);
  registerFigures(program);
  registerDesign(program);
  refuseRepeatedOptions(program);
  oneLineErrors(program);
}

/**
 * Commander's own errors (unknown option, missing value…) may carry a second line such as
 * "(Did you mean --dz?)": joined into one line, so every refusal is one stderr line.
 */
function oneLineErrors(program: Command): void {
  for (const cmd of [program, ...program.commands]) {
    cmd.configureOutput({ outputError: (str, write) => write(`${str.trimEnd().replace(/\s*\n\s*/g, ' ')}\n`) });
  }
}
