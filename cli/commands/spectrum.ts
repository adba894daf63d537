import type { Command } from 'commander';
import { boundStates } from '../../src/spectrum/boundStates.js';
import { sceneBoundStates, type SceneSpectrum } from '../../src/spectrum/sceneBoundStates.js';
import { EFFECTIVE_DEFAULTS, EFFECTIVE_RANGES } from '../../src/spectrum/classification.js';
import { addModelOptions, fmt } from '../modelOptions.js';
import { addSceneOption, readModelOrScene, withSceneErrors, type SceneFile } from '../scene.js';
import { parseNumberFlag } from '../args.js';
import { UsageError } from '../errors.js';
import { VERSION } from '../../src/version.js';

/** `qbwave spectrum`: bound states and residues of Eq. (7)–(8); with --scene, every bound state of N emitters. */
export function registerSpectrum(program: Command): void {
  const cmd = addModelOptions(program.command('spectrum').description('bound-state energies E± and residues Z± (Eq. 7–8); with --scene, every bound state of N emitters and its amplitudes'));
  addSceneOption(cmd, 'every bound state below the band edge with its emitter amplitudes α')
    .option('--json', 'print one JSON object instead of a table')
    .option('--residue-threshold <Z>', `with --scene: bound states whose bank amplitude |αᵀc(0)|·‖α_B‖ is below Z do not count in the effective count, in [0, 0.5] (default ${EFFECTIVE_DEFAULTS.residueThreshold})`)
    .option('--observation-time <T>', `with --scene: effective bound states beating slower than 2π/T count as one level ("D"), in 1/ω11 (default ${EFFECTIVE_DEFAULTS.observationTime})`)
    .action((opts: Record<string, unknown>, self: Command) => {
      const model = readModelOrScene(opts, self);
      if (model.kind === 'scene') {
        sceneSpectrum(model.file, opts);
        return;
      }
      for (const flag of ['residueThreshold', 'observationTime'] as const) {
        if (opts[flag] !== undefined) throw new UsageError(`--${flag === 'residueThreshold' ? 'residue-threshold' : 'observation-time'} goes with --scene (the two-emitter spectrum has no effective count; see qbwave steady)`);
      }
      const params = model.params;
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

/** A number for JSON: finite, or null (a gap's infinite end). */
const finiteOrNull = (x: number) => (Number.isFinite(x) ? x : null);

/** `spectrum --scene FILE`: the scene's bound states (src/spectrum/sceneBoundStates.ts) as a table or JSON. */
function sceneSpectrum(file: SceneFile, opts: Record<string, unknown>): void {
  const residueThreshold = parseNumberFlag('--residue-threshold', opts.residueThreshold ?? String(EFFECTIVE_DEFAULTS.residueThreshold), EFFECTIVE_RANGES.residueThreshold);
  const observationTime = parseNumberFlag('--observation-time', opts.observationTime ?? String(EFFECTIVE_DEFAULTS.observationTime), EFFECTIVE_RANGES.observationTime);
  const s = withSceneErrors(file, () => sceneBoundStates(file.prepared, { residueThreshold, observationTime }));
  process.stdout.write(opts.json ? sceneSpectrumJson(s, file) : sceneSpectrumText(s, file));
  const bad = nonFinite(s);
  if (s.status !== 'success' || bad) {
    process.stderr.write(`qbwave: warning: spectrum status ${s.status === 'success' ? 'non-finite' : s.status}: ${s.status === 'success' ? `${bad} (reported as success by the library: a bug)` : s.message}\n`);
    process.exitCode = 3;
  }
}

/** A description of the first non-finite energy or amplitude of a spectrum, or '' when all are finite. */
export function nonFinite(s: SceneSpectrum): string {
  for (const [k, b] of s.boundStates.entries()) {
    if (!Number.isFinite(b.energy) || !Array.from(b.amplitudes).every(Number.isFinite)) return `bound state ${k + 1} (E = ${b.energy}) has a non-finite energy or amplitude`;
  }
  return '';
}

/** The JSON of `spectrum --scene FILE --json`: {"boundStates":[{"energy","amplitudes",…}],"count",…}. */
export function sceneSpectrumJson(s: SceneSpectrum, file: SceneFile): string {
  return `${JSON.stringify({
    qbwaveVersion: VERSION,
    boundStates: s.boundStates.map((b) => ({
      energy: b.energy, amplitudes: Array.from(b.amplitudes), emitterWeight: b.emitterWeight, batteryWeight: b.batteryWeight,
      bankAmplitude: b.bankAmplitude, gap: b.gap.map(finiteOrNull), atEdge: b.atEdge,
    })),
    count: s.count,
    effectiveCount: s.effectiveCount,
    distinctEffective: s.distinctEffective,
    degenerate: s.degenerate,
    regime: s.regime,
    residueThreshold: s.residueThreshold,
    observationTime: s.observationTime,
    embedded: s.embedded.map((e) => ({ energy: e.energy, amplitudes: Array.from(e.amplitudes) })),
    status: s.status,
    message: s.message,
    scene: file.prepared.scene,
    units: { energy: 'omega11 (the reservoir\'s frequency unit)', amplitudes: '1 (alpha_b: contributes alpha_b alpha_b^T c(0) exp(-i E_b t) to c(t))', observationTime: '1/omega11' },
  })}\n`;
}

/** The human-readable table of `spectrum --scene FILE`. */
function sceneSpectrumText(s: SceneSpectrum, file: SceneFile): string {
  const p = file.prepared;
  const alphas = Array.from({ length: p.n }, (_, j) => `α${j + 1}`);
  const lines = [
    `scene ${file.path}: ${p.n} emitter${p.n === 1 ? '' : 's'} (${p.chargers.length} charger${p.chargers.length === 1 ? '' : 's'}, batteries ${p.batteries.map((b) => b + 1).join(', ')}) in the ${p.reservoir.description}`,
    `bound states: M = ${s.count} (exact), ${s.effectiveCount} effective (bank amplitude ≥ ${s.residueThreshold}); regime ${s.regime}`,
    `  ${`energy E${p.reservoir.type === 'waveguide' ? ' (ω11)' : ''}`.padEnd(18)}  bank amp.   ${alphas.map((a) => a.padEnd(14)).join(' ')}`,
    ...s.boundStates.map((b) => `  ${fmt(b.energy).padEnd(18)}  ${fmt(b.bankAmplitude, 6).padEnd(10)}  ${Array.from(b.amplitudes, (a) => fmt(a, 8).padEnd(14)).join(' ')}${b.atEdge ? '  (at the band edge)' : ''}`),
    ...s.embedded.map((e) => `  ${fmt(e.energy).padEnd(18)}  (in the continuum, decoupled)  ${Array.from(e.amplitudes, (a) => fmt(a, 8).padEnd(14)).join(' ')}`),
  ];
  return `${lines.join('\n')}\n`;
}
