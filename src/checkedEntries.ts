import { ParameterError } from './errors.js';
import { argChannel, argInteger, argNumber, argObject, argOptions, argOrder, type NumberRange } from './arguments.js';
import { checkParams, tauOf, type Channel, type ModelParams } from './model/params.js';
import * as spectralDensityModule from './model/spectralDensity.js';
import * as memoryKernelModule from './model/memoryKernel.js';
import type { ComplexPair } from './model/memoryKernel.js';
import { MAX_T } from './dynamics/validate.js';
import * as selfEnergyModule from './model/selfEnergy.js';
import * as continuum from './spectrum/continuum.js';
import type { BoundState } from './spectrum/boundStates.js';
import * as markov from './dynamics/markov.js';
import * as exact from './dynamics/exact.js';
import * as volterra from './dynamics/volterra.js';
import * as steady from './battery/steadyState.js';
import * as longTime from './dynamics/longTime.js';
import { checkProblem, checkSolveOptions } from './dynamics/validate.js';
import type { DynamicsProblem, Solution, SolveOptions } from './dynamics/types.js';
import { EFFECTIVE_RANGES } from './spectrum/classification.js';

/**
 * The checked public forms of low-level functions whose unchecked forms run inside the solvers' loops
 * (the self-energy in the bound-state root search, σ±(k) at every quadrature node, …): each validates
 * its arguments once — types, finiteness, the ranges below — and throws ParameterError naming the
 * argument, then calls the unchecked function. src/index.ts exports these under the original names.
 * Issue 12 item 5, one library style: each public function takes the model's parameter object
 * `params = {omega0, gamma11, dz}` (ω0 and Γ11 in ω11, Δz in λ11) and derives τ = 2πΔz itself, then the
 * variable it is a function of (ω, E, t, k) and the channel or order; the internal forms keep positional
 * (…, gamma11, tau) arguments for speed.
 */

/** Frequencies accepted by the densities: any finite ω up to 1e300 (J vanishes below the band edge ω = 1). */
const FREQUENCY: NumberRange = { min: -1e300, max: 1e300, unit: 'ω11' };
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

/** Checks the params argument; a number there is the pre-0.2 positional form, named as such. */
function checkParamsObject(params: ModelParams, call: string): ModelParams {
  if (params === null || typeof params !== 'object' || Array.isArray(params)) {
    throw new ParameterError('params', params, `must be the model's parameter object {omega0, gamma11, dz} (ω11, ω11, λ11); the call is ${call}`, 'params');
  }
  return checkParams(params, 'params');
}

/** Checks a params object and returns it with τ = 2πΔz (the low-level functions' τ). */
function paramsWithTau(params: ModelParams, call: string): { p: ModelParams; tau: number } {
  const p = checkParamsObject(params, call);
  return { p, tau: tauOf(p.dz) };
}

/**
 * Spectral density J0(ω) (order 0, one emitter) or J1(ω) (order 1, across Δz) of Eq. (2), in ω11 = c = 1:
 * J0 = (Γ11/2π)/√(ω² − 1)·Θ(ω − 1), J1 = J0·cos(2πΔz·√(ω² − 1)). `params` as everywhere ({omega0, gamma11, dz};
 * omega0 is not used). Example: spectralDensity({omega0: 1, gamma11: 0.5, dz: 0}, 2) = 0.25/(π√3) ≈ 0.04594.
 */
export function spectralDensity(params: ModelParams, omega: number, order: 0 | 1 = 0): number {
  const { p, tau } = paramsWithTau(params, 'spectralDensity(params, ω, order)');
  argNumber('omega', omega, FREQUENCY, 'omega', 'spectralDensity(params, ω, order)');
  return spectralDensityModule.spectralDensity(argOrder(order), omega, p.gamma11, tau);
}

/** Channel density J±(ω) = J0(ω) ± J1(ω) (physics.md, "Symmetric and antisymmetric channels"). */
export function channelDensity(params: ModelParams, omega: number, channel: Channel): number {
  const { p, tau } = paramsWithTau(params, 'channelDensity(params, ω, channel)');
  argNumber('omega', omega, FREQUENCY, 'omega', 'channelDensity(params, ω, channel)');
  return spectralDensityModule.channelDensity(argChannel(channel), omega, p.gamma11, tau);
}

/**
 * Memory kernel f0(t) (order 0) or f1(t) (order 1) of Eq. (3) in closed form (t in 1/ω11); returns {re, im}.
 * Example: memoryKernel({omega0: 1, gamma11: 0.5, dz: 0}, 1) ≈ {re: −0.011032, im: −0.095650}.
 */
export function memoryKernel(params: ModelParams, t: number, order: 0 | 1 = 0): ComplexPair {
  const { p, tau } = paramsWithTau(params, 'memoryKernel(params, t, order)');
  argNumber('t', t, { min: 0, max: MAX_T, unit: "1/ω11, the solvers' time range" }, 't', 'memoryKernel(params, t, order)');
  return memoryKernelModule.memoryKernel(argOrder(order), t, p.gamma11, tau);
}

/** Σ±(E) = ∫ J±(ω)/(ω − E) dω for E < 1 (Eq. 7: Y±(E) = ω0 − Σ±(E)). */
export function selfEnergy(params: ModelParams, E: number, channel: Channel): number {
  const { p, tau } = paramsWithTau(params, 'selfEnergy(params, E, channel)');
  argNumber('E', E, BELOW_EDGE, 'E', 'selfEnergy(params, E, channel)');
  return selfEnergyModule.selfEnergy(argChannel(channel), E, p.gamma11, tau);
}

/** Σ±'(E) = ∫ J±(ω)/(ω − E)² dω for E < 1; the residue of Eq. (8) is Z± = ½/(1 + Σ±'(E±)). */
export function selfEnergyDerivative(params: ModelParams, E: number, channel: Channel): number {
  const { p, tau } = paramsWithTau(params, 'selfEnergyDerivative(params, E, channel)');
  argNumber('E', E, BELOW_EDGE, 'E', 'selfEnergyDerivative(params, E, channel)');
  return selfEnergyModule.selfEnergyDerivative(argChannel(channel), E, p.gamma11, tau);
}

/** The level shift Δ±(ω) = PV ∫ J±(ω')/(ω − ω') dω' for ω > 1 (the Lamb shift of Eq. 6 above the band). */
export function levelShift(params: ModelParams, omega: number, channel: Channel): number {
  const { p, tau } = paramsWithTau(params, 'levelShift(params, ω, channel)');
  argNumber('omega', omega, ABOVE_EDGE, 'omega', 'levelShift(params, ω, channel)');
  return selfEnergyModule.levelShift(argChannel(channel), omega, p.gamma11, tau);
}

/** σ±(k) = ρ±(ω)·k/ω, the branch-cut density of the resolvent in the wave number k = √(ω² − 1) (physics.md). */
export function continuumDensityK(params: ModelParams, k: number, channel: Channel): number {
  const { p, tau } = paramsWithTau(params, 'continuumDensityK(params, k, channel)');
  argNumber('k', k, WAVE_NUMBER, 'k', 'continuumDensityK(params, k, channel)');
  return continuum.continuumDensityK(argChannel(channel), k, p.omega0, p.gamma11, tau);
}

/** The continuum resonances of channel ± (zeros of D±(k) with k ≤ kMax), as Lorentzian peaks of ρ±. */
export function resonances(params: ModelParams, channel: Channel, kMax: number): continuum.Resonance[] {
  const { p, tau } = paramsWithTau(params, 'resonances(params, channel, kMax)');
  argChannel(channel);
  argNumber('kMax', kMax, K_MAX);
  return continuum.resonances(channel, p.omega0, p.gamma11, tau, kMax);
}

/** The Markovian rates Υ0, Υ1 of Eq. (6) at params = {omega0, gamma11, dz} (ω0 ≠ 1). */
export function markovRates(params: ModelParams): markov.MarkovRates {
  const p = checkParamsObject(params, 'markovRates(params)');
  return markov.markovRates(p.omega0, p.gamma11, p.dz);
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

/**
 * Eq. (3) at any t up to 1e12/ω11 at a cost that does not grow with t (src/dynamics/longTime.ts): bound
 * states alone when the continuum weight is below tol, bound states plus the band-edge continuum, or
 * exact on [0, exactSpan] and bound states after the continuum has decayed; `status` says when not.
 */
export function solveLongTime(problem: DynamicsProblem, options: longTime.LongTimeOptions = {}): longTime.LongTimeSolution {
  const o = checkSolveOptions(options, '{onProgress?, signal?, exactSpan?}') as Record<string, unknown>;
  if (o.exactSpan !== undefined) argNumber('exactSpan', o.exactSpan, { min: 0, minOpen: true, max: 1e6, unit: '1/ω11' }, 'options.exactSpan');
  return longTime.solveLongTime(problem, options);
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
