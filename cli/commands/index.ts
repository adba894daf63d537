import type { Command } from 'commander';
import { registerSpectrum } from './spectrum.js';

/** Registers every subcommand. One line per command file. */
export function registerCommands(program: Command): void {
  registerSpectrum(program);
}
