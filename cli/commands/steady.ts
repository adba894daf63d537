import type { Command } from 'commander';
import { steadyState } from '../../src/battery/steadyState.js';
import { addModelOptions, fmt } from '../modelOptions.js';
import { parseNumberFlag } from '../args.js';
import { EFFECTIVE_DEFAULTS, EFFECTIVE_RANGES } from '../../src/spectrum/classification.js';
import { addSceneOption, readModelOrScene, withSceneErrors, type SceneFile } from '../scene.js';
import { sceneSteadyState } from '../../src/battery/sceneSteady.js';
import { nonFinite } from './spectrum.js';
import { VERSION } from '../../src/version.js';

/** `qbwave steady`: long-time (Eq. 8) energy, ergotropy and regime. */
export function registerSteady(program: Command): void {
  const cmd = addModelOptions(program.command('steady').description('steady state of Eq. (8): E(∞) range, W(∞) max, bound-state counts, beat frequency; with --scene, of every emitter and of the battery bank'));
  addSceneOption(cmd, 'the long-time state of every emitter and of the battery bank')
    .option('--residue-threshold <Z>', 'bound states with residue below Z do not count in the effective count, in [0, 0.5]', String(EFFECTIVE_DEFAULTS.residueThreshold))
    .option('--observation-time <T>', 'two bound states beating slower than 2π/T count as degenerate ("2D"), in 1/ω11', String(EFFECTIVE_DEFAULTS.observationTime))
    .option('--json', 'print one JSON object instead of a table')
    .action((opts: Record<string, unknown>, self: Command) => {
      const model = readModelOrScene(opts, self);
      const residueThreshold = parseNumberFlag('--residue-threshold', opts.residueThreshold, EFFECTIVE_RANGES.residueThreshold);
      const observationTime = parseNumberFlag('--observation-time', opts.observationTime, EFFECTIVE_RANGES.observationTime);
      if (model.kind === 'scene') {
        sceneSteady(model.file, { residueThreshold, observationTime }, Boolean(opts.json));
        return;
      }
      const params = model.params;
      const s = steadyState(params, { residueThreshold, observationTime });
      if (opts.json) {
        process.stdout.write(`${JSON.stringify(s)}\n`);
        return;
      }
      const r = s.slowestResonance;
      const lines = [
        `ω0 = ${params.omega0} ω11, Δz = ${params.dz} λ11, Γ11 = ${params.gamma11} ω11`,
        `bound states: M = ${s.count} (exact), ${s.effectiveCount} effective (residue ≥ ${residueThreshold}); regime ${s.regime}`,
        ...s.boundStates.map((b) => `  ${b.channel}: E = ${fmt(b.energy)} ω11, Z = ${fmt(b.residue)}${b.inContinuum ? ' (in the continuum)' : ''}`),
        `battery energy E(∞):  min ${fmt(s.energyMin, 8)} ω11, max ${fmt(s.energyMax, 8)} ω11`,
        `ergotropy W(∞) max:   ${fmt(s.ergotropyMax, 8)} ω11`,
        `beat frequency |E− − E+|: ${fmt(s.frequency, 8)} ω11${s.frequency > 0 ? ` (period ${fmt((2 * Math.PI) / s.frequency, 6)} /ω11)` : ''}`,
        r ? `slowest continuum resonance: channel ${r.channel}, ω = ${fmt(r.energy, 8)} ω11, decay rate ${fmt(r.width, 4)} ω11 (lifetime ${fmt(1 / r.width, 4)} /ω11)` : 'slowest continuum resonance: none',
      ];
      process.stdout.write(`${lines.join('\n')}\n`);
    });
}

/** A number for JSON: finite, or null (an infinite window). */
const finiteOrNull = (x: number) => (Number.isFinite(x) ? x : null);

/**
 * `steady --scene FILE`: the long-time state of every emitter and of the bank from the scene's bound
 * states (src/battery/sceneSteady.ts): ranges over time of |c_j(∞)|², E_B(∞) and W_bank(∞).
 */
function sceneSteady(file: SceneFile, options: { residueThreshold: number; observationTime: number }, json: boolean): void {
  const p = file.prepared;
  const s = withSceneErrors(file, () => sceneSteadyState(p, options));
  const sp = s.spectrum;
  if (json) {
    process.stdout.write(`${JSON.stringify({
      qbwaveVersion: VERSION,
      count: sp.count, effectiveCount: sp.effectiveCount, distinctEffective: sp.distinctEffective, degenerate: sp.degenerate, regime: sp.regime,
      residueThreshold: sp.residueThreshold, observationTime: sp.observationTime,
      boundStates: sp.boundStates.map((b) => ({ energy: b.energy, amplitudes: Array.from(b.amplitudes), bankAmplitude: b.bankAmplitude })),
      terms: s.terms.map((t) => ({ energy: t.energy, amplitude: Array.from({ length: p.n }, (_, j) => [t.amplitude[2 * j], t.amplitude[2 * j + 1]]) })),
      emitters: s.emitters, emitterBounds: s.emitterBounds, bankEnergy: s.bankEnergy, bankErgotropy: s.bankErgotropy,
      method: s.method, window: finiteOrNull(s.window), accuracy: s.accuracy, lossy: s.lossy,
      status: sp.status, message: sp.message,
      scene: p.scene,
      units: { energy: 'omega11', populations: '1', bankEnergy: 'omega11', bankErgotropy: 'omega11', window: '1/omega11' },
    })}\n`);
  } else {
    const over = s.method === 'sampled' ? `over t ∈ [0, ${s.window}]/ω11 (accuracy ${fmt(s.accuracy, 2)})` : 'over all t (exact)';
    const lines = [
      `scene ${file.path}: ${p.n} emitter${p.n === 1 ? '' : 's'} (batteries ${p.batteries.map((b) => b + 1).join(', ')}) in the ${p.reservoir.description}`,
      `bound states: M = ${sp.count} (exact), ${sp.effectiveCount} effective (bank amplitude ≥ ${sp.residueThreshold}); regime ${sp.regime}`,
      ...sp.boundStates.map((b) => `  E = ${fmt(b.energy)} ω11, bank amplitude ${fmt(b.bankAmplitude, 6)}${b.atEdge ? ' (at the band edge)' : ''}`),
      `steady state, ${s.terms.length} frequenc${s.terms.length === 1 ? 'y' : 'ies'}, ranges ${over}:`,
      ...s.emitters.map((r, j) => `  |c${j + 1}(∞)|² (${p.scene.emitters[j]!.role}): min ${fmt(r.min, 8)}, max ${fmt(r.max, 8)}`),
      `bank energy E_B(∞):     min ${fmt(s.bankEnergy.min, 8)} ω11, max ${fmt(s.bankEnergy.max, 8)} ω11`,
      `bank ergotropy W(∞):    min ${fmt(s.bankErgotropy.min, 8)} ω11, max ${fmt(s.bankErgotropy.max, 8)} ω11`,
      ...(s.lossy ? ['note: some emitters have intrinsic loss; these are the lossless values (with loss every term decays)'] : []),
    ];
    process.stdout.write(`${lines.join('\n')}\n`);
  }
  const bad = nonFinite(sp) || ([s.bankEnergy, s.bankErgotropy, ...s.emitters].every((r) => Number.isFinite(r.min) && Number.isFinite(r.max)) ? '' : 'a steady range is not finite');
  if (sp.status !== 'success' || bad) {
    process.stderr.write(`qbwave: warning: steady status ${sp.status === 'success' ? 'non-finite' : sp.status}: ${sp.status === 'success' ? `${bad} (reported as success by the library: a bug)` : sp.message}\n`);
    process.exitCode = 3;
  }
}
