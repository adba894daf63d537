import { ParameterError } from '../errors.js';
import { tauOf } from '../model/params.js';
import { channelDensity } from '../model/spectralDensity.js';
import { levelShift, selfEnergy } from '../model/selfEnergy.js';
import { checkProblem, outputGrid } from './validate.js';
import type { DynamicsProblem, Solution, SolveOptions } from './types.js';
import { checkFinite } from './finiteCheck.js';

/** The Markovian rates of Eq. (6): Υ_j = πJ_j(ω0) + iδ_j, δ_j = PV ∫ J_j(ω)/(ω0 − ω) dω (j = 0, 1). */
export interface MarkovRates {
  /** Re Υ0, Re Υ1 = πJ0(ω0), πJ1(ω0) (ω11). */
  gamma0: number;
  gamma1: number;
  /** δ0, δ1 (ω11). */
  delta0: number;
  delta1: number;
}

/**
 * The rates entering Eq. (6). Below the band (ω0 < 1) J(ω0) = 0 and δ_j = −Σ_j(ω0), an ordinary
 * integral; above it δ_j = Δ_j(ω0) is a principal value (src/model/selfEnergy.ts). Channel values
 * are combined as Σ0 = (Σ+ + Σ−)/2, Σ1 = (Σ+ − Σ−)/2. Eq. (6) diverges at the band edge ω0 = 1, where
 * J(ω0) is infinite: a ParameterError is thrown there.
 */
export function markovRates(omega0: number, gamma11: number, dz: number): MarkovRates {
  const tau = tauOf(dz);
  if (omega0 === 1) throw new ParameterError('omega0', omega0, 'must differ from 1 for the Markovian approximation (Eq. 6 diverges at the band edge ω11)');
  if (omega0 < 1) {
    const sp = selfEnergy('+', omega0, gamma11, tau);
    const sm = selfEnergy('-', omega0, gamma11, tau);
    return { gamma0: 0, gamma1: 0, delta0: -0.5 * (sp + sm), delta1: -0.5 * (sp - sm) };
  }
  const jp = channelDensity('+', omega0, gamma11, tau);
  const jm = channelDensity('-', omega0, gamma11, tau);
  const dp = levelShift('+', omega0, gamma11, tau);
  const dm = levelShift('-', omega0, gamma11, tau);
  return { gamma0: 0.5 * Math.PI * (jp + jm), gamma1: 0.5 * Math.PI * (jp - jm), delta0: 0.5 * (dp + dm), delta1: 0.5 * (dp - dm) };
}

/**
 * Markovian approximation, Eq. (6): c_j(t) = e^{−(iω0 + Υ0)t}[e^{−Υ1 t} − (−1)^j e^{Υ1 t}]/2,
 * evaluated through the channel amplitudes c± = e^{−(iω0 + Υ0 ± Υ1)t} (no growing exponentials).
 * It is the amplitude form of the Lindblad equation with collective rates Γ_ij = 2πJ_ij(ω0) and
 * exchange δ1. 'success' (it is exact for its own equation; its error against Eq. (3) is what the other
 * methods measure) unless a value came out non-finite (checkFinite).
 */
export function solveMarkov(problem: DynamicsProblem, options: SolveOptions = {}): Solution {
  const pr = checkProblem(problem);
  const { omega0, gamma11, dz } = pr.params;
  const r = markovRates(omega0, gamma11, dz);
  const t = outputGrid(pr.dt, pr.points);
  const c1 = new Float64Array(2 * pr.points);
  const c2 = new Float64Array(2 * pr.points);
  if (options.signal?.aborted) {
    // As the other methods: an already-aborted signal is honoured, not overrun.
    c1.fill(Number.NaN);
    c2.fill(Number.NaN);
    return { method: 'markov', params: pr.params, t, c1, c2, status: 'cancelled', message: 'cancelled before the start (c1, c2 are NaN)', errorEstimate: Number.NaN, stats: { ...r } };
  }
  for (let n = 0; n < pr.points; n++) {
    const tn = t[n];
    // c± = exp(−(Γ0 ± Γ1) t) · exp(−i(ω0 + δ0 ± δ1) t)
    const ap = Math.exp(-(r.gamma0 + r.gamma1) * tn);
    const am = Math.exp(-(r.gamma0 - r.gamma1) * tn);
    const php = (omega0 + r.delta0 + r.delta1) * tn;
    const phm = (omega0 + r.delta0 - r.delta1) * tn;
    const pRe = ap * Math.cos(php);
    const pIm = -ap * Math.sin(php);
    const mRe = am * Math.cos(phm);
    const mIm = -am * Math.sin(phm);
    c1[2 * n] = 0.5 * (pRe + mRe);
    c1[2 * n + 1] = 0.5 * (pIm + mIm);
    c2[2 * n] = 0.5 * (pRe - mRe);
    c2[2 * n + 1] = 0.5 * (pIm - mIm);
  }
  options.onProgress?.(1);
  return checkFinite({
    method: 'markov', params: pr.params, t, c1, c2, status: 'success',
    message: `Markovian approximation (Eq. 6): Υ0 = ${r.gamma0.toPrecision(6)} + ${r.delta0.toPrecision(6)}i, Υ1 = ${r.gamma1.toPrecision(6)} + ${r.delta1.toPrecision(6)}i`,
    errorEstimate: Number.NaN,
    stats: { ...r },
  });
}
