/**
 * Study `nearBic`: exact vs volterra at tol 1e-9 next to bound states in the continuum (BIC), where
 * the antisymmetric channel has a resonance of width ∝ (distance to the BIC)² — the hardest case for
 * the exact method's quadrature (window poles, offset integration: src/spectrum/narrowResonance.ts).
 *
 * A BIC of the antisymmetric channel sits where J−(ω) = 0, i.e. τk = 2πn (k = n/Δz), and
 * ω − ω0 − Δ−(ω) = 0 there (physics.md, "Bound states in the continuum"). Each case draws Δz ∈ [0.2, 20],
 * Γ11 log-uniform in [0.01, 5] and n ∈ {1, …, ⌊9.9Δz⌋}, puts ω0 at the BIC, ω0 = ω_b − Δ−(ω_b) with
 * ω_b = √(1 + (n/Δz)²), and moves it off by a relative 10^u, u uniform in [−9, −3], random sign
 * (cases with ω0 outside (0, 10] are redrawn). Groups: 40 cases at each of t ≤ 20, 100, 200 and 12 at
 * t ≤ 1000 (seeds 1 … 4), one study per group. Quoted in docs/methods.md §4.
 */
import { levelShift } from '../../src/model/selfEnergy.js';
import { tauOf } from '../../src/model/params.js';
import { caseLine, crossCheck, logUniform, seededRandom, summarise, uniform, type Study } from './common.js';

export const GROUPS: Array<{ tMax: number; cases: number; seed: number }> = [
  { tMax: 20, cases: 40, seed: 1 },
  { tMax: 100, cases: 40, seed: 2 },
  { tMax: 200, cases: 40, seed: 3 },
  { tMax: 1000, cases: 12, seed: 4 },
];

/** Draws one near-BIC parameter set. */
export function nearBicParams(rand: () => number): { omega0: number; gamma11: number; dz: number } {
  for (;;) {
    const dz = uniform(rand, 0.2, 20);
    const gamma11 = logUniform(rand, 0.01, 5);
    const n = 1 + Math.floor(rand() * Math.floor(9.9 * dz));
    const k = n / dz;
    const omegaB = Math.sqrt(1 + k * k);
    const bic = omegaB - levelShift('-', omegaB, gamma11, tauOf(dz));
    const omega0 = bic * (1 + (rand() < 0.5 ? -1 : 1) * 10 ** uniform(rand, -9, -3));
    if (omega0 > 0 && omega0 <= 10) return { omega0, gamma11, dz };
  }
}

/** One study per group (`nearBic20`, `nearBic100`, `nearBic200`, `nearBic1000`), each a few minutes. */
export const studies: Study[] = GROUPS.map((g) => ({
  name: `nearBic${g.tMax}`,
  description: `exact vs volterra next to bound states in the continuum, ${g.cases} cases at t ≤ ${g.tMax}, tol 1e-9 (seed ${g.seed})`,
  run(verbose: boolean) {
    const rand = seededRandom(g.seed);
    const results = [];
    for (let i = 0; i < g.cases; i++) {
      const r = crossCheck(nearBicParams(rand), g.tMax, 1e-9);
      if (verbose) console.log(caseLine(r));
      results.push(r);
    }
    summarise(`nearBic.t${g.tMax}`, results);
  },
}));
