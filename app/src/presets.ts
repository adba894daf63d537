/** One-click views of the paper's figures (Song et al., PRL 132, 090401) and its NV-centre example. */
import { modelParams, type AppState } from './state.js';
import { exchangePeriod, nvGamma11 } from './physical.js';

export interface Preset {
  id: string;
  label: string;
  description: string;
  state: Partial<AppState>;
  /**
   * Γ11 from an emitter instead of state.gamma11: 'nv' = an NV⁻ centre (5.3 D) at the guide centre,
   * through gamma11Ratio (as `qbwave design` does). Applied by the page (app/src/physical.ts, nvGamma11).
   */
  emitter?: 'nv';
  /** Set t_max to this many charger–battery exchange periods 2π/|E− − E+| (when there are two bound states). */
  periods?: number;
}

/** Fig. 2 views draw the Markovian E(t) of Eq. (6) dashed beside the exact one, as the paper's argument needs. */
const FIG2 = { gamma11: 0.5, dz: 0.1, tMax: 60, sweep: 'omega0', units: 'model', compare: 'markov' } as const;

/** Physical presets: Δz = 0.1λ11, exact method only (Eq. 6 and volterra cannot reach nanoseconds; see presetState). */
const NV = { dz: 0.1, gamma11: 0.5, tMax: 60, sweep: 'omega0', units: 'physical', method: 'exact', compare: 'none' } as const;

export const PRESETS: readonly Preset[] = [
  { id: 'fig2a', label: 'Fig. 2: ω0 = 0.5', description: 'Fig. 2, Γ11 = 0.5ω11, Δz = 0.1λ11, ω0 = 0.5ω11: two bound states, lossless Rabi-like exchange', state: { ...FIG2, omega0: 0.5 } },
  { id: 'fig2b', label: 'Fig. 2: ω0 = 1.5', description: 'Fig. 2, ω0 = 1.5ω11: one bound state, E(t) tends to a finite value', state: { ...FIG2, omega0: 1.5 } },
  { id: 'fig2c', label: 'Fig. 2: ω0 = 3', description: 'Fig. 2, ω0 = 3ω11: the paper reports no bound state; exactly, E+ exists with a tiny residue', state: { ...FIG2, omega0: 3 } },
  { id: 'fig3', label: 'Fig. 3: ω0 = 1.4, Δz sweep', description: 'Fig. 3, ω0 = 1.4ω11, spectrum vs Δz; at Δz = 1.0λ11 two bound states and a persistent oscillation', state: { gamma11: 0.5, omega0: 1.4, dz: 1.0, tMax: 300, sweep: 'dz', units: 'model' } },
  { id: 'fig4', label: 'Fig. 4: Δz = 0.1, ω0 sweep', description: 'Fig. 4, Δz = 0.1λ11: number of bound states and W(∞) vs ω0; ω0 = 0.6ω11 near the ergotropy maximum', state: { ...FIG2, omega0: 0.6 } },
  { id: 'nv450', label: 'NV: a = b = 450 nm', description: 'The paper\'s NV example: λ0 = 637 nm, a = b = 0.45 μm gives ω0 ≈ 1.0ω11; Γ11 from the NV dipole (5.3 D at the guide centre) ≈ 2.2·10⁻⁸ ω11; four exchange periods (≈ 4.3 ns each)', state: { ...NV, aNm: 450, bNm: 450, omega0: (2 * 450 * 450) / Math.hypot(450, 450) / 637 }, emitter: 'nv', periods: 4 },
  { id: 'nv-edge', label: 'NV: ω0 = ω11 (a = b = 450.4 nm)', description: 'λ0 = 637 nm in the guide sized by qbwave design --omega0-ratio 1.0 (a = b = 637/√2 nm): the emitter at the band edge, Γ11 from the NV dipole ≈ 2.2·10⁻⁸ ω11; a third of the symmetric channel is continuum; four exchange periods (≈ 341.5 ps each)', state: { ...NV, aNm: 637 / Math.SQRT2, bNm: 637 / Math.SQRT2, omega0: 1 }, emitter: 'nv', periods: 4 },
  { id: 'nv270', label: 'NV: a = b = 270 nm', description: 'λ0 = 637 nm, a = b = 0.27 μm gives ω0 ≈ 0.6ω11 (maximal extractable energy); Γ11 from the NV dipole (5.3 D at the guide centre) ≈ 6.1·10⁻⁸ ω11; four exchange periods (≈ 36 ns each)', state: { ...NV, aNm: 270, bNm: 270, omega0: (2 * 270 * 270) / Math.hypot(270, 270) / 637 }, emitter: 'nv', periods: 4 },
];

/**
 * The state a preset click gives: `p.state` over `current`, then Γ11 from the emitter ('nv': 5.3 D at
 * the centre of the preset's guide) and t_max = `periods` exchange periods (rounded to 3 digits).
 */
export function presetState(p: Preset, current: AppState): AppState {
  const s: AppState = { ...current, ...p.state };
  if (p.emitter === 'nv') s.gamma11 = nvGamma11(s);
  if (p.periods) {
    const period = exchangePeriod(modelParams(s));
    if (Number.isFinite(period)) s.tMax = Number((p.periods * period).toPrecision(3));
  }
  return s;
}
