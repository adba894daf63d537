import { steadyState } from '../battery/steadyState.js';
import { batteryEnergy } from '../battery/energy.js';
import { solve } from '../dynamics/solve.js';
import { markovRates } from '../dynamics/markov.js';
import { DEBYE, gamma11Ratio, lambda11, NV_DIPOLE_DEBYE, omega0Ratio, SPEED_OF_LIGHT } from '../model/waveguide.js';
import { steadyEnergyAt } from './eq8.js';
import { degenerateDz, effectiveZeroOmega0, maximise, secondStateDz, secondStateOmega0 } from './thresholds.js';

/**
 * Every quantitative statement of the paper next to qbwave's value: the data behind
 * docs/reproduction.md (generated and checked by scripts/reproduction.ts). Values are rounded to the
 * digits shown so that the report is identical on every machine.
 */

export type Verdict = 'agrees' | 'agrees (paper rounds)' | 'differs' | 'qualitative';

export interface Claim {
  id: string;
  /** Where in the paper. */
  where: string;
  /** The statement as the paper makes it. */
  paper: string;
  /** qbwave's number(s), formatted. */
  qbwave: string;
  verdict: Verdict;
  /** Why they differ, or how the number was obtained. */
  note: string;
}

export interface ReproductionOptions {
  /** Effective classification (defaults 0.014 and 2000/ω11, as steadyState). */
  residueThreshold?: number;
  observationTime?: number;
  /** Include the two exact-dynamics checks (≈ 2 s); default true. */
  dynamics?: boolean;
}

const G = 0.5;
const f = (x: number, d = 4) => (x === 0 ? '0' : Math.abs(x) >= 1e-3 && Math.abs(x) < 1e4 ? String(Number(x.toPrecision(d))) : x.toExponential(d - 1));
const ss = (omega0: number, dz: number, o: Required<Omit<ReproductionOptions, 'dynamics'>>) =>
  steadyState({ omega0, dz, gamma11: G }, { residueThreshold: o.residueThreshold, observationTime: o.observationTime, resonances: false });

/** The claims table (≈ 3 s, dominated by two exact-dynamics runs). */
export function reproductionClaims(options: ReproductionOptions = {}): Claim[] {
  const o = { residueThreshold: options.residueThreshold ?? 0.014, observationTime: options.observationTime ?? 2000 };
  const claims: Claim[] = [];

  // Fig. 2: thresholds in ω0 at Δz = 0.1λ11.
  const w2 = secondStateOmega0(0.1, G)!;
  claims.push({
    id: 'two-states-omega0', where: 'Fig. 2, text', paper: 'two bound states for ω0 < 1.1ω11 (Δz = 0.1λ11, Γ11 = 0.5ω11)',
    qbwave: `E− exists for ω0 < ${f(w2, 9)}ω11`, verdict: 'agrees (paper rounds)',
    note: 'Exact count from Eq. (7); located by bisection on boundStates to 1e-9',
  });
  const s28 = ss(2.8, 0.1, o);
  const zp28 = s28.boundStates.find((b) => b.channel === '+')!.residue;
  const w0eff = effectiveZeroOmega0(0.1, G, o.residueThreshold)!;
  claims.push({
    id: 'no-state-omega0', where: 'Fig. 2, text; Fig. 4(a)', paper: 'no bound state for ω0 ≥ 2.8ω11; E(t) damps to zero',
    qbwave: `exactly one bound state for every ω0 (at 2.8ω11: E+ = ${f(s28.boundStates[0]!.energy, 6)}ω11, Z+ = ${f(zp28)}, E(∞) = ω0Z+² = ${f(s28.energyMax, 2)}ω11); Z+ < ${o.residueThreshold} for ω0 > ${f(w0eff, 4)}ω11`,
    verdict: 'differs',
    note: `J+ diverges like (ω − ω11)^−1/2 at the band edge (the 1D van Hove singularity), so Y+(E) → −∞ as E → ω11⁻ and Eq. (7) always has a root E+ < ω11. Its residue decays smoothly with ω0; the paper's boundary is where it becomes invisible. qbwave reports the exact count and an effective one (residue ≥ ${o.residueThreshold}, user-settable) that puts the boundary at ${f(w0eff, 4)}ω11`,
  });
  claims.push({
    id: 'one-state-omega0', where: 'Fig. 2, text', paper: 'one bound state for 1.1ω11 ≤ ω0 < 2.8ω11; E(t) tends to a finite value',
    qbwave: `one bound state for ${f(w2, 6)}ω11 ≤ ω0 (effectively up to ${f(w0eff, 4)}ω11); E(∞) = ω0Z+² (e.g. ${f(ss(1.5, 0.1, o).energyMax)}ω11 at ω0 = 1.5ω11)`,
    verdict: 'agrees', note: 'See the two rows above for the boundaries',
  });

  // Fig. 3: thresholds in Δz at ω0 = 1.4ω11.
  const dz2 = secondStateDz(1.4, G)!;
  claims.push({
    id: 'two-states-dz', where: 'Fig. 3, text', paper: 'at ω0 = 1.4ω11 one bound state for Δz < 0.3λ11, two for Δz ≥ 0.3λ11',
    qbwave: `E− appears at Δz = ${f(dz2, 6)}λ11`, verdict: 'agrees (paper rounds)', note: 'Bisection on the exact count',
  });
  const s17 = ss(1.4, 1.7, o);
  const dzD = degenerateDz(1.4, G, o.observationTime, dz2 + 0.01)!;
  claims.push({
    id: 'degenerate-dz', where: 'Fig. 3, text; Fig. 4(a) "2D"', paper: 'for Δz ≥ 1.7λ11 the two bound states are degenerate and E(t) tends to zero',
    qbwave: `never exactly degenerate: at Δz = 1.7λ11, E− − E+ = ${f(s17.frequency, 3)}ω11 (beat period ${f((2 * Math.PI) / s17.frequency, 3)}/ω11); 2π/|E− − E+| exceeds ${o.observationTime}/ω11 beyond Δz = ${f(dzD, 4)}λ11`,
    verdict: 'differs',
    note: `The gap shrinks smoothly with Δz; E(t) does not tend to zero but rises as ω0·4Z+Z−sin²(|E− − E+|t/2) on a time scale π/|E− − E+| ≳ 10³/ω11, so it looks like zero over any shorter observation. qbwave flags such pairs as "2D" when the beat period exceeds an observation time (default ${o.observationTime}/ω11, user-settable), which reproduces the paper's 1.7λ11`,
  });
  claims.push({
    id: 'working-range', where: 'Fig. 3, text', paper: 'the charging works for 0.3λ11 ≤ Δz < 1.7λ11 (ω0 = 1.4ω11)',
    qbwave: `two non-degenerate bound states for ${f(dz2, 4)}λ11 < Δz < ${f(dzD, 4)}λ11`, verdict: 'agrees (paper rounds)', note: 'The upper end depends on the observation time (row above)',
  });

  // Stored energy and ergotropy maxima.
  const e10 = ss(1.0, 0.1, o).energyMax;
  const eBest = maximise((w) => ss(w, 0.1, o).energyMax, 0.3, w2);
  const eSmall = ss(1.0, 0.001, o).energyMax;
  claims.push({
    id: 'max-energy', where: 'Discussion; Fig. 3(b)', paper: 'maximal stored energy E = 0.6ω11 at ω0 = 1.0ω11',
    qbwave: `max over t of E(∞) at ω0 = 1.0ω11, Δz = 0.1λ11: ${f(e10, 4)}ω11 (the maximum over ω0 at Δz = 0.1λ11 is ${f(eBest.value, 4)}ω11 at ω0 = ${f(eBest.x, 3)}ω11; at ω0 = 1.0ω11 it grows to ${f(eSmall, 3)}ω11 as Δz → 0)`,
    verdict: 'agrees (paper rounds)', note: 'E(∞) max = ω0(Z+ + Z−)², Eq. (8); maximised by golden section',
  });
  const wBest = maximise((w) => ss(w, 0.1, o).ergotropyMax, 0.2, w2);
  const w06 = ss(0.6, 0.1, o).ergotropyMax;
  claims.push({
    id: 'max-ergotropy', where: 'Discussion; Fig. 4(b), (c)', paper: 'maximal extractable energy W = 0.3ω11 at ω0 = 0.6ω11',
    qbwave: `max over t of W(∞) at Δz = 0.1λ11: ${f(w06, 3)}ω11 at ω0 = 0.6ω11; maximum over ω0 ${f(wBest.value, 3)}ω11 at ω0 = ${f(wBest.x, 3)}ω11`,
    verdict: 'agrees (paper rounds)', note: 'W(∞) max = ω0·max(0, 2(Z+ + Z−)² − 1) (Eq. 5 with Eq. 8)',
  });

  // Waveguides for the NV centre.
  const lambda0 = 637e-9;
  const g45 = { a: 0.45e-6, b: 0.45e-6 };
  const g27 = { a: 0.27e-6, b: 0.27e-6 };
  claims.push({
    id: 'nv-045', where: 'Discussion', paper: 'λ0 = 637 nm: a = b = 0.45 μm matches ω0 = 1.0ω11',
    qbwave: `λ11 = √2·a = ${f(lambda11(g45) * 1e9, 5)} nm, ω0 = ${f(omega0Ratio(g45, lambda0), 5)}ω11 (a = b = ${f((lambda0 / Math.SQRT2) * 1e9, 5)} nm gives exactly 1)`,
    verdict: 'agrees', note: 'ω11 = cπ√(1/a² + 1/b²), ω0/ω11 = λ11/λ0 (src/model/waveguide.ts, CODATA constants)',
  });
  claims.push({
    id: 'nv-027', where: 'Discussion', paper: 'λ0 = 637 nm: a = b = 0.27 μm matches ω0 = 0.6ω11',
    qbwave: `λ11 = ${f(lambda11(g27) * 1e9, 5)} nm, ω0 = ${f(omega0Ratio(g27, lambda0), 5)}ω11`, verdict: 'agrees', note: 'As above',
  });
  const gNV = gamma11Ratio(g45, { dipole: NV_DIPOLE_DEBYE * DEBYE, x0: g45.a / 2, y0: g45.b / 2 });
  claims.push({
    id: 'nv-gamma', where: 'Figs. 2–4 use Γ11 = 0.5ω11', paper: '(the paper does not evaluate Γ11 for its NV example)',
    qbwave: `Γ11/ω11 = ${f(gNV, 3)} for a ${NV_DIPOLE_DEBYE} D dipole at the centre of the 0.45 μm guide; Γ11 = 0.5ω11 would need a dipole ≈ ${f(NV_DIPOLE_DEBYE * Math.sqrt(0.5 / gNV), 2)} D`,
    verdict: 'qualitative',
    note: 'Γ11 = 4ω11d²sin²(πx0/a)sin²(πy0/b)/(ħε0abc), Eq. (2). A single NV centre couples ~10⁷ times more weakly than in the figures; `qbwave design` reports the regime for any emitter',
  });
  const l11opt = 1.4 * lambda0;
  const lambdaMw = SPEED_OF_LIGHT / 2.87e9;
  claims.push({
    id: 'distances', where: 'Discussion', paper: 'charging distance from ~1 μm (optical) to ~0.1 m (microwave)',
    qbwave: `0.3–1.7λ11 at ω0 = 1.4ω11: ${f(0.3 * l11opt * 1e6, 2)}–${f(1.7 * l11opt * 1e6, 2)} μm at 637 nm; ${f(0.3 * 1.4 * lambdaMw * 100, 2)}–${f(1.7 * 1.4 * lambdaMw * 100, 2)} cm at 2.87 GHz`,
    verdict: 'agrees', note: 'λ11 = (ω0/ω11)·λ0',
  });

  // Markovian approximation, Eq. (6).
  const r15 = markovRates(1.5, G, 0.1);
  const r05 = markovRates(0.5, G, 0.1);
  const s05 = ss(0.5, 0.1, o);
  const markovE100 = 1.5 * Math.exp(-2 * (r15.gamma0 - Math.abs(r15.gamma1)) * 100);
  claims.push({
    id: 'markov', where: 'Eq. (6) and text', paper: 'Markovian approximation: the energy exchange is transient and both energies damp to zero',
    qbwave:
      `ω0 = 1.5ω11: Markov decay rates 2(Υ0 ± Υ1) = ${f(2 * (r15.gamma0 + r15.gamma1), 3)}, ${f(2 * (r15.gamma0 - r15.gamma1), 3)}ω11 (E(100/ω11) < ${f(markovE100, 2)}ω11) while the exact E(∞) = ${f(ss(1.5, 0.1, o).energyMax, 3)}ω11. ` +
      `ω0 = 0.5ω11 (below the band): J(ω0) = 0, so Eq. (6) is lossless, |c2|² = sin²(δ1t) with |δ1| = ${f(Math.abs(r05.delta1), 4)}ω11 (exchange at 2|δ1| = ${f(2 * Math.abs(r05.delta1), 4)}ω11), max E = ω0 = 0.5ω11, while exactly E(∞) oscillates between ${f(s05.energyMin, 3)} and ${f(s05.energyMax, 3)}ω11 at ${f(s05.frequency, 4)}ω11`,
    verdict: 'agrees',
    note: 'For ω0 > ω11 Eq. (6) decays to zero as stated; for ω0 < ω11 (where the paper finds the best charging) it misses the field dressing: no decay at all, full transfer, and a different frequency (2δ1 vs E− − E+)',
  });

  if (options.dynamics ?? true) {
    // Exact dynamics against Eq. (8): Fig. 2 regime and the slow transient near a bound state in the continuum.
    const p2 = { omega0: 0.5, dz: 0.1, gamma11: G };
    const sol2 = solve({ params: p2, tMax: 100, dt: 100, tol: 1e-6 }, 'exact');
    const e2 = batteryEnergy(sol2.c2[2]!, sol2.c2[3]!, 0.5);
    const q2 = steadyEnergyAt(s05.boundStates, 0.5, 100);
    claims.push({
      id: 'eq8-match', where: 'Fig. 2 (black dots)', paper: 'the long-time E(t) matches Eq. (8)',
      qbwave: `ω0 = 0.5ω11: exact E(100/ω11) = ${f(e2, 5)}ω11, Eq. (8) ${f(q2, 5)}ω11 (|Δ| = ${f(Math.abs(e2 - q2), 1)}; solver ${sol2.status})`,
      verdict: 'agrees', note: 'Exact resolvent solver (tol 1e-6); the remaining difference is the branch-cut part of c2, which decays like t^−3/2 and is still ~1e-3 in amplitude at t = 100/ω11',
    });
    const p3 = { omega0: 1.4, dz: 0.5, gamma11: G };
    const s3 = steadyState(p3, { residueThreshold: o.residueThreshold, observationTime: o.observationTime });
    const sol3 = solve({ params: p3, tMax: 600, dt: 5, tol: 1e-4 }, 'exact');
    let dev = 0;
    for (let n = 0; n < sol3.t.length; n++) {
      if (sol3.t[n]! < 500) continue;
      const e = batteryEnergy(sol3.c2[2 * n]!, sol3.c2[2 * n + 1]!, 1.4);
      dev = Math.max(dev, Math.abs(e - steadyEnergyAt(s3.boundStates, 1.4, sol3.t[n]!)));
    }
    const w = s3.slowestResonance?.width ?? Number.NaN;
    claims.push({
      id: 'bic-transient', where: 'Fig. 3(a) long-time E(t)', paper: 'for 0.3λ11 ≤ Δz < 1.7λ11, E(t) tends to the persistent oscillation of Eq. (8)',
      qbwave: `ω0 = 1.4ω11, Δz = 0.5λ11: max |E(t) − E_Eq.8(t)| over t ∈ [500, 600]/ω11 is ${f(dev, 2)}ω11 (E(∞) range ${f(s3.energyMin, 2)}–${f(s3.energyMax, 2)}ω11); a continuum resonance at ${f(s3.slowestResonance?.energy ?? Number.NaN, 4)}ω11 decays at only ${f(w, 2)}ω11`,
      verdict: 'differs',
      note: 'Eventually true, but near Δz = 0.5λ11 J+ vanishes inside the band (τ√(ω² − 1) = π at ω = √2 ω11), leaving a quasi-bound state in the continuum whose transient lasts ~1/width ≈ 10³/ω11; the Fig. 3(a) map shows it. Exact dynamics, not Eq. (8), is needed there',
    });
  }
  return claims;
}
