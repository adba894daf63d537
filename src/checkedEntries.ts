import { ParameterError } from './errors.js';
import { argChannel, argInteger, argNumber, argObject, argOptions, TAU_RANGE, type NumberRange } from './arguments.js';
import { PARAM_RANGES, type Channel, type ModelParams } from './model/params.js';
import * as selfEnergyModule from './model/selfEnergy.js';
import * as continuum from './spectrum/continuum.js';
import type { BoundState } from './spectrum/boundStates.js';
import * as markov from './dynamics/markov.js';
import * as exact from './dynamics/exact.js';
import * as volterra from './dynamics/volterra.js';
import * as steady from './battery/steadyState.js';
import { checkProblem, checkSolveOptions } from './dynamics/validate.js';
import type { DynamicsProblem, Solution, SolveOptions } from './dynamics/types.js';
import { EFFECTIVE_RANGES } from './battery/classification.js';

/**
 * The checked public forms of low-level functions whose unchecked forms run inside the solvers' loops
 * (the self-energy in the bound-state root search, σ±(k) at every quadrature node, …): each validates
 * its arguments once — types, finiteness, the ranges below — and throws ParameterError naming the
 * argument, then calls the unchecked function. src/index.ts exports these under the original names.
 */

const GAMMA = PARAM_RANGES.gamma11;
const OMEGA0 = PARAM_RANGES.omega0;
/** Energies below the band edge for Σ±(E) (Eq. 7): bound states lie in (ω0 − ~Γ11·…, 1); 10⁶ is far below any. */
const BELOW_EDGE: NumberRange = { min: -1e6, max: 1, maxOpen: true, unit: 'ω11, below the band edge E < 1 (Eq. 7)' };
/** Frequencies above the band edge for Δ±(ω). */
const ABOVE_EDGE: NumberRange = { min: 1, minOpen: true, max: 1e6, unit: 'ω11, above the band edge ω > 1' };
/** Longitudinal wave numbers k = √(ω² − 1) of the continuum. */
const WAVE_NUMBER: NumberRange = { min: 0, minOpen: true, max: 1e6, unit: 'k = √(ω² − 1), ω in ω11' };
/**
 * Upper end of the resonance scan: the scan steps by min(0.01, 0.2/τ) (≥ 0.0016 at τ ≤ 40π), so
 * kMax ≤ 1000 bounds the work to ≈ 6·10⁵ evaluations of D±(k) (well under a second).
 */
const K_MAX: NumberRange = { min: 0, minOpen: true, max: 1000, unit: 'wave number; the scan costs ≈ kMax/min(0.01, 0.2/τ) evaluations' };

const hintTau = 'tauOf(params.dz)';

/** Σ±(E) = ∫ J±(ω)/(ω − E) dω for E < 1 (Eq. 7: Y±(E) = ω0 − Σ±(E)); τ = 2πΔz. */
export function selfEnergy(channel: Channel, E: number, gamma11: number, tau: number): number {
  checkSelfEnergyArgs(channel, E, gamma11, tau, 'selfEnergy(channel, E, params.gamma11, tauOf(params.dz))');
  return selfEnergyModule.selfEnergy(channel, E, gamma11, tau);
}

/** Σ±'(E) = ∫ J±(ω)/(ω − E)² dω for E < 1; the residue of Eq. (8) is Z± = ½/(1 + Σ±'(E±)). */
export function selfEnergyDerivative(channel: Channel, E: number, gamma11: number, tau: number): number {
  checkSelfEnergyArgs(channel, E, gamma11, tau, 'selfEnergyDerivative(channel, E, params.gamma11, tauOf(params.dz))');
  return selfEnergyModule.selfEnergyDerivative(channel, E, gamma11, tau);
}

function checkSelfEnergyArgs(channel: unknown, E: unknown, gamma11: unknown, tau: unknown, hint: string): void {
  argChannel(channel);
  argNumber('E', E, BELOW_EDGE, 'E', hint);
  argNumber('gamma11', gamma11, GAMMA, 'gamma11', `params.gamma11`);
  argNumber('tau', tau, TAU_RANGE, 'tau', hintTau);
}

/** The level shift Δ±(ω) = PV ∫ J±(ω')/(ω − ω') dω' for ω > 1 (the Lamb shift of Eq. 6 above the band). */
export function levelShift(channel: Channel, omega: number, gamma11: number, tau: number): number {
  argChannel(channel);
  argNumber('omega', omega, ABOVE_EDGE, 'omega', `levelShift(channel, ω, params.gamma11, ${hintTau})`);
  argNumber('gamma11', gamma11, GAMMA, 'gamma11', 'params.gamma11');
  argNumber('tau', tau, TAU_RANGE, 'tau', hintTau);
  return selfEnergyModule.levelShift(channel, omega, gamma11, tau);
}

/** σ±(k) = ρ±(ω)·k/ω, the branch-cut density of the resolvent in the wave number k (physics.md). */
export function continuumDensityK(channel: Channel, k: number, omega0: number, gamma11: number, tau: number): number {
  argChannel(channel);
  argNumber('k', k, WAVE_NUMBER, 'k', `continuumDensityK(channel, k, params.omega0, params.gamma11, ${hintTau})`);
  argNumber('omega0', omega0, OMEGA0, 'omega0', 'params.omega0');
  argNumber('gamma11', gamma11, GAMMA, 'gamma11', 'params.gamma11');
  argNumber('tau', tau, TAU_RANGE, 'tau', hintTau);
  return continuum.continuumDensityK(channel, k, omega0, gamma11, tau);
}

/** The continuum resonances of channel ± (zeros of D±(k) with k ≤ kMax), as Lorentzian peaks of ρ±. */
export function resonances(channel: Channel, omega0: number, gamma11: number, tau: number, kMax: number): continuum.Resonance[] {
  argChannel(channel);
  argNumber('omega0', omega0, OMEGA0, 'omega0', `resonances(channel, params.omega0, params.gamma11, ${hintTau}, kMax)`);
  argNumber('gamma11', gamma11, GAMMA, 'gamma11', 'params.gamma11');
  argNumber('tau', tau, TAU_RANGE, 'tau', hintTau);
  argNumber('kMax', kMax, K_MAX);
  return continuum.resonances(channel, omega0, gamma11, tau, kMax);
}

/** The Markovian rates Υ0, Υ1 of Eq. (6) at (ω0, Γ11, Δz) (ω0 ≠ 1). */
export function markovRates(omega0: number, gamma11: number, dz: number): markov.MarkovRates {
  const hint = 'markovRates(params.omega0, params.gamma11, params.dz)';
  argNumber('omega0', omega0, OMEGA0, 'omega0', hint);
  argNumber('gamma11', gamma11, GAMMA, 'gamma11', hint);
  argNumber('dz', dz, PARAM_RANGES.dz, 'dz', hint);
  return markov.markovRates(omega0, gamma11, dz);
}

/** The Markovian dynamics of Eq. (6) (see src/dynamics/markov.ts); options as SolveOptions. */
export function solveMarkov(problem: DynamicsProblem, options: SolveOptions = {}): Solution {
  checkProblem(problem);
  return markov.solveMarkov(problem, checkSolveOptions(options));
}

/** The exact resolvent dynamics of Eq. (3) (see src/dynamics/exact.ts); `maxNodes` caps the continuum nodes a channel. */
export function solveExact(problem: DynamicsProblem, options: SolveOptions & { maxNodes?: number } = {}): Solution {
  checkProblem(problem);
  const o = checkSolveOptions(options, '{onProgress?, signal?, maxNodes?}') as SolveOptions & { maxNodes?: unknown };
  if (o.maxNodes !== undefined) argInteger('maxNodes', o.maxNodes, 1, exact.MAX_NODES, 'options.maxNodes');
  return exact.solveExact(problem, options);
}

/** Time stepping of Eq. (3) with product integration (see src/dynamics/volterra.ts). */
export function solveVolterra(problem: DynamicsProblem, options: volterra.VolterraOptions = {}): Solution {
  checkProblem(problem);
  const o = checkSolveOptions(options, '{onProgress?, signal?, convolution?, hMax?, maxSteps?, minLevels?, frame?}') as Record<string, unknown>;
  if (o.convolution !== undefined && o.convolution !== 'auto' && o.convolution !== 'direct' && o.convolution !== 'fft') {
    throw new ParameterError('convolution', o.convolution, "one of 'auto', 'direct', 'fft'", 'options.convolution');
  }
  if (o.hMax !== undefined) argNumber('hMax', o.hMax, { min: 0, minOpen: true, max: 10, unit: '1/ω11' }, 'options.hMax');
  // Memory ≈ 32 bytes a step and channel: 2^24 steps ≈ 0.5 GB a channel.
  if (o.maxSteps !== undefined) argInteger('maxSteps', o.maxSteps, 1, 2 ** 24, 'options.maxSteps');
  if (o.minLevels !== undefined) argInteger('minLevels', o.minLevels, 1, 24, 'options.minLevels');
  if (o.frame !== undefined && o.frame !== 'auto' && o.frame !== 'none') {
    const f = argObject('frame', o.frame, "{plus, minus} (ω11), 'auto' or 'none'", 'options.frame');
    argNumber('frame.plus', f.plus, { min: -100, max: 100, unit: 'ω11' }, 'options.frame.plus');
    argNumber('frame.minus', f.minus, { min: -100, max: 100, unit: 'ω11' }, 'options.frame.minus');
  }
  return volterra.solveVolterra(problem, options);
}

/** The long-time state of Eq. (8) (see src/battery/steadyState.ts). */
export function steadyState(params: ModelParams, options: steady.SteadyStateOptions = {}): steady.SteadyState {
  const o = argOptions(options, '{residueThreshold?, observationTime?, resonances?}');
  // The ranges of steadyState.ts (checked there again), here with the argument's path in the message.
  if (o.residueThreshold !== undefined) argNumber('residueThreshold', o.residueThreshold, EFFECTIVE_RANGES.residueThreshold, 'options.residueThreshold');
  if (o.observationTime !== undefined) argNumber('observationTime', o.observationTime, EFFECTIVE_RANGES.observationTime, 'options.observationTime');
  if (o.resonances !== undefined && typeof o.resonances !== 'boolean') throw new ParameterError('resonances', o.resonances, 'must be true, false or undefined', 'options.resonances');
  return steady.steadyState(params, options);
}

/** c2(∞, t) of Eq. (8) for a list of discrete eigenstates (see src/battery/steadyState.ts); returns [re, im]. */
export function steadyAmplitude(states: readonly BoundState[], t: number): [number, number] {
  if (!Array.isArray(states)) throw new ParameterError('states', states, 'must be an array of bound states {channel, energy, residue} (e.g. boundStates(params).boundStates)');
  if (states.length > 16) throw new ParameterError('states', `${states.length} states`, 'at most 16 (the model has at most one bound state a channel)');
  states.forEach((s: unknown, i) => {
    const o = argObject('states', s, '{channel, energy, residue}', `states[${i}]`);
    argChannel(o.channel, `states[${i}].channel`);
    argNumber('energy', o.energy, { min: -1e6, max: 1e6, unit: 'ω11' }, `states[${i}].energy`);
    argNumber('residue', o.residue, { min: 0, max: 0.5, unit: 'Z of Eq. (8)' }, `states[${i}].residue`);
  });
  argNumber('t', t, { min: 0, max: 1e12, unit: '1/ω11' });
  return steady.steadyAmplitude(states, t);
}
