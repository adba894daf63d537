import type { Command } from 'commander';
import { registerSpectrum } from './spectrum.js';
import { registerDynamics } from './dynamics.js';
import { registerSteady } from './steady.js';
import { registerDemo } from './demo.js';
import { registerSweep } from './sweep.js';
import { registerMerge } from './merge.js';
import { registerFigures } from './figures.js';
import { registerDesign } from './design.js';

/** Registers every subcommand. One line per command file. */
export function registerCommands(program: Command): void {
  registerSpectrum(program);
  registerDynamics(program);
  registerSteady(program);
  registerDemo(program);
  registerSweep(program);
  registerMerge(program);
  registerFigures(program);
  registerDesign(program);
}
