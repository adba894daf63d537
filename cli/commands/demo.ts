import type { Command } from 'commander';
import { steadyState } from '../../src/battery/steadyState.js';
import { fmt } from '../modelOptions.js';
import { EFFECTIVE_DEFAULTS } from '../../src/spectrum/classification.js';

/** `qbwave demo`: the paper's Fig. 2 regime summary (Γ11 = 0.5ω11, Δz = 0.1λ11) in one table. */
export function registerDemo(program: Command): void {
  program.command('demo')
    .description("the paper's Fig. 2 regime summary: bound states and steady-state energy for a few ω0 (Γ11 = 0.5, Δz = 0.1)")
    .action(() => {
      const rows = [0.5, 0.6, 1.0, 1.5, 2.5, 3.0].map((omega0) => steadyState({ omega0, gamma11: 0.5, dz: 0.1 }));
      const lines = [
        'Remote charging through a waveguide (Song et al., PRL 132, 090401): Γ11 = 0.5ω11, Δz = 0.1λ11',
        ' ω0/ω11  M  eff  E+ (ω11)       Z+        E− (ω11)       Z−        E(∞) min   E(∞) max   W(∞) max',
        ...rows.map((s) => {
          const p = s.boundStates.find((b) => b.channel === '+');
          const m = s.boundStates.find((b) => b.channel === '-');
          const cell = (x: number | undefined, d: number, w: number) => (x === undefined ? '—' : fmt(x, d)).padEnd(w);
          return ` ${String(s.params.omega0).padEnd(7)} ${s.count}  ${s.regime.padEnd(3)}  ${cell(p?.energy, 10, 14)} ${cell(p?.residue, 6, 9)} ${cell(m?.energy, 10, 14)} ${cell(m?.residue, 6, 9)} ${fmt(s.energyMin, 4).padEnd(10)} ${fmt(s.energyMax, 4).padEnd(10)} ${fmt(s.ergotropyMax, 4)}`;
        }),
        '',
        `M: exact number of bound states (Eq. 7); eff: effective regime (residue ≥ ${EFFECTIVE_DEFAULTS.residueThreshold}; "2D" = beat period > ${EFFECTIVE_DEFAULTS.observationTime}/ω11).`,
        'E(∞), W(∞): long-time battery energy and ergotropy from Eq. (8), in ω11. Two bound states ⇒ lossless Rabi-like',
        'exchange between charger and battery; one ⇒ a finite stored energy; none effective ⇒ the energy leaks away.',
      ];
      process.stdout.write(`${lines.join('\n')}\n`);
    });
}
