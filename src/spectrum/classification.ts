/**
 * Defaults of the "effective" bound-state classification (physics.md: the paper's counts are effective
 * ones). A bound state counts when its residue Z ≥ `residueThreshold` (0.014 puts the paper's "no bound
 * state for ω0 ≥ 2.8ω11" at 2.788ω11); two bound states are "2D" (degenerate, Fig. 4a) when their beat
 * period 2π/|E− − E+| exceeds `observationTime` in 1/ω11 (2000 puts the paper's "degenerate for
 * Δz ≥ 1.7λ11" at 1.686λ11). One constant, used by the library, the CLI's flag defaults and the explorer.
 */
export const EFFECTIVE_DEFAULTS = { residueThreshold: 0.014, observationTime: 2000 } as const;

/** The allowed ranges of the two settings (a residue Z ≤ ½ by Eq. 8; observation times up to 10¹²/ω11). */
export const EFFECTIVE_RANGES = {
  residueThreshold: { min: 0, max: 0.5 },
  observationTime: { min: 0, minOpen: true, max: 1e12, unit: '1/ω11' },
} as const;
