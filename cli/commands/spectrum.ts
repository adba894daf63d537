import type { Command } from 'commander';
import { boundStates } from '../../src/spectrum/boundStates.js';
import { addModelOptions, fmt, readModelParams } from '../modelOptions.js';

/** `qbwave spectrum`: bound states and residues of Eq. (7)–(8). */
export function registerSpectrum(program: Command): void {
  addModelOptions(program.command('spectrum').description('bound-state energies E± and residues Z± (Eq. 7–8)'))
    .option('--json', 'print one JSON object instead of a table')
    .action((opts: Record<string, unknown>) => {
      const params = readModelParams(opts);
      const s = boundStates(params);
      if (opts.json) {
        process.stdout.write(`${JSON.stringify({
          params: s.params,
          boundStates: s.boundStates.map((b) => ({ channel: b.channel, energy: b.energy, residue: b.residue, inContinuum: b.inContinuum })),
          count: s.count,
          units: { energy: 'omega11', omega0: 'omega11', gamma11: 'omega11', dz: 'lambda11' },
        })}\n`);
        return;
      }
      const lines = [
        `ω0 = ${params.omega0} ω11, Δz = ${params.dz} λ11, Γ11 = ${params.gamma11} ω11`,
        `bound states below the band edge ω11: M = ${s.count}`,
        'channel  energy E (ω11)      residue Z',
        ...s.boundStates.map((b) => `   ${b.channel}     ${fmt(b.energy).padEnd(18)}  ${fmt(b.residue)}${b.inContinuum ? '  (in the continuum)' : ''}`),
      ];
      process.stdout.write(`${lines.join('\n')}\n`);
    });
}
