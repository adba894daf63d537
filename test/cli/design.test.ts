import { describe, expect, it } from 'vitest';
import { qbwave } from './run.js';
import { DEBYE, NV_DIPOLE_DEBYE } from '../../src/model/waveguide.js';
import { boundStates } from '../../src/spectrum/boundStates.js';
import { assertClose, assertRelClose } from '../helpers.js';
import { Command } from 'commander';
import { registerDesign } from '../../cli/commands/design.js';
import { UsageError } from '../../cli/errors.js';

const design = (args: string[]) => {
  const r = qbwave(['design', ...args, '--json']);
  expect(r.code, r.stderr).toBe(0);
  return JSON.parse(r.stdout);
};

describe('qbwave design', () => {
  it('--wavelength 637nm --omega0-ratio 1.0 sizes a square guide a = b = 637/√2 = 450.43 nm with λ11 = 637 nm', () => {
    const d = design(['--wavelength', '637nm', '--omega0-ratio', '1.0']);
    assertClose(d.a * 1e9, 637 / Math.SQRT2, 1e-9, 'a (nm)');
    expect(d.b).toBe(d.a);
    assertClose(d.lambda11 * 1e9, 637, 1e-9, 'λ11 (nm)');
    assertClose(d.omega0, 1, 1e-14, 'ω0/ω11');
    // NV default dipole (5.3 D) at the centre: Γ11/ω11 = 4d²/(ħε0a²c) ≈ 2.2e-8
    expect(d.dipoleDebye).toBe(NV_DIPOLE_DEBYE);
    assertRelClose(d.gamma11, 2.2013e-8, 1e-4, 'Γ11/ω11');
    // regime from boundStates at the chosen Δz (default 0.1λ11)
    expect(d.dz).toBe(0.1);
    expect(d.count).toBe(boundStates({ omega0: d.omega0, gamma11: d.gamma11, dz: 0.1 }).count);
    expect(['0', '1', '2', '2D']).toContain(d.regime);
    expect(d.singleMode).toBe(true);
    assertClose(d.nextMode.ratio, Math.sqrt(5), 1e-12, 'TM13 cutoff');
  });

  it('--a 0.45um (the paper\'s guide) gives ω0 = 0.99905ω11 at 637 nm; --a 0.27um gives 0.59943ω11', () => {
    assertClose(design(['--wavelength', '637nm', '--a', '0.45um']).omega0, 0.999052, 1e-6, '0.45 μm');
    assertClose(design(['--wavelength', '637nm', '--a', '270nm']).omega0, 0.599431, 1e-6, '0.27 μm');
  });

  it('a rectangular guide (--aspect 2) keeps ω0/ω11 and b = 2a; --distance converts to λ11', () => {
    const d = design(['--wavelength', '637nm', '--omega0-ratio', '0.6', '--aspect', '2', '--distance', '1um']);
    assertRelClose(d.b / d.a, 2, 1e-14, 'aspect');
    assertClose(d.omega0, 0.6, 1e-14, 'ω0');
    assertRelClose(d.dz, 1e-6 / d.lambda11, 1e-14, 'Δz in λ11');
  });

  it('--dipole and --x0 enter Γ11 as d²·sin²(πx0/a): 10 D at x0 = a/4 gives (10/5.3)²·½ of the centred value', () => {
    const c = design(['--wavelength', '637nm', '--omega0-ratio', '1']);
    const q = design(['--wavelength', '637nm', '--omega0-ratio', '1', '--dipole', '10', '--x0', '0.25']);
    assertRelClose(q.gamma11, c.gamma11 * (10 / 5.3) ** 2 * 0.5, 1e-12, 'Γ11 scaling');
    assertRelClose(q.dipole, 10 * DEBYE, 1e-15, 'dipole in C·m');
  });

  it('prints a readable table by default, with the dipole the paper\'s Γ11 = 0.5 would need', () => {
    const r = qbwave(['design', '--wavelength', '637nm', '--omega0-ratio', '1.0']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/a = 450\.43 nm, b = 450\.43 nm \(square\)/);
    expect(r.stdout).toMatch(/λ11 = 637\.00 nm/);
    expect(r.stdout).toMatch(/Γ11 = 0\.5ω11 would need a dipole of 2\.526e\+4 D/);
  });

  it('bad input: a UsageError naming the flag (in-process), one stderr line and exit 2 (binary)', async () => {
    for (const [args, flag] of [
      [['--wavelength', '637'], '--wavelength'],
      [['--wavelength', '637nm'], '--omega0-ratio'],
      [['--wavelength', '637nm', '--omega0-ratio', '1', '--a', '1um'], '--omega0-ratio'],
      [['--wavelength', '637nm', '--omega0-ratio', '-1'], '--omega0-ratio'],
      [['--wavelength', '637nm', '--a', '0.45um', '--x0', '0'], '--x0'],
      [['--wavelength', '637nm', '--a', '0.45um', '--x0', '2um'], '--x0'],
      [['--wavelength', '637nm', '--omega0-ratio', '1', '--dz', '0.1', '--distance', '1um'], '--dz'],
    ] as const) {
      const program = new Command().exitOverride();
      registerDesign(program);
      let err: unknown;
      try {
        await program.parseAsync(['design', ...args], { from: 'user' });
      } catch (e) {
        err = e;
      }
      expect(err, args.join(' ')).toBeInstanceOf(UsageError);
      expect((err as Error).message, args.join(' ')).toMatch(new RegExp(`^${flag}\\b`));
    }
    const r = qbwave(['design', '--wavelength', '637']);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('qbwave: --wavelength "637": must be a positive length with a unit, e.g. 637nm, 0.45um, 1.2mm\n');
  });
});
