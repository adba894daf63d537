/**
 * qbwave's public API: the remote-charging quantum battery of Song et al., Phys. Rev. Lett. 132,
 * 090401 (2024). Units ω11 = c = 1 throughout (Δz in λ11, t in 1/ω11). Re-exports only. Every exported
 * function validates its arguments on entry and throws ParameterError naming the bad one
 * (test/library/validation.test.ts walks them all).
 */
export { ParameterError } from './errors.js';
export { VERSION } from './version.js';
export { type ModelParams, type Channel, PARAM_RANGES, checkParams, tauOf } from './model/params.js';
export { boundStates, type BoundState, type Spectrum } from './spectrum/boundStates.js';
export { type Resonance } from './spectrum/continuum.js';
export { type MarkovRates } from './dynamics/markov.js';
export { type VolterraOptions } from './dynamics/volterra.js';
// Checked entry points (arguments validated once, then the unchecked functions the solvers use).
export {
  spectralDensity, channelDensity, memoryKernel, selfEnergy, selfEnergyDerivative, levelShift, resonances, continuumDensityK, markovRates,
  solveExact, solveMarkov, solveVolterra, solveLongTime, steadyState, steadyAmplitude,
} from './checkedEntries.js';
export { type LongTimeSolution, type LongTimeOptions, type LongTimeRoute, LONG_T_MAX } from './dynamics/longTime.js';
export { solve } from './dynamics/solve.js';
export { population, amplitude } from './dynamics/accessors.js';
export { type DynamicsProblem, type Solution, type Status, type Method, type SolveOptions, METHODS } from './dynamics/types.js';
export { batteryEnergy, chargerEnergy, batterySeries, type BatterySeries } from './battery/energy.js';
export { ergotropy, batteryErgotropy, batteryState, type QubitState } from './battery/ergotropy.js';
export { type SteadyState, type SteadyStateOptions, type Regime } from './battery/steadyState.js';
export {
  type WaveguideGeometry, type Emitter, cutoffFrequency, omega11, lambda11, omega0Ratio, dzInLambda11, dzInMetres,
  gamma11Ratio, dipoleForGamma11, guideFor, nextCoupledMode, NV_DIPOLE_DEBYE,
} from './model/waveguide.js';
// Scenes (issue 13): N emitters in any registered reservoir, intrinsic loss, a battery bank.
export {
  type Scene, type SceneEmitter, type Role, MAX_EMITTERS, LOSS_RANGE, NORM_TOLERANCE, prepareScene, sceneFromParams,
} from './model/scene.js';
export { reservoirTypes } from './model/reservoirs/all.js';
export { solveScene } from './dynamics/scene/solve.js';
export { type SceneProblem, type SceneSolution } from './dynamics/scene/types.js';
export { sceneBoundStates, sceneSteadyState, bankState } from './sceneEntries.js';
export { type SceneBoundState, type SceneSpectrum, type SceneBoundStateOptions } from './spectrum/sceneBoundStates.js';
export { type SceneSteadyState, type SceneSteadyOptions } from './battery/sceneSteady.js';
export { bankSeries, type BankSeries, type BankState } from './battery/bank.js';
// Reservoirs (issue 11): the single-mode vs multimode comparison of the paper's pair.
export { multimodeStudy, type MultimodeStudyInput, type MultimodeStudy } from './studies/multimode.js';
