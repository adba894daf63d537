/**
 * Colours of the regimes of the paper's Fig. 4(a) — 0, 1, 2 bound states and "2D" (two degenerate
 * ones) — shared by the CLI figures and the explorer's map so that the same phase diagram looks the
 * same everywhere. Green marks the regime where remote charging works (two non-degenerate states).
 */
export const REGIME_LABELS = ['0', '1', '2', '2D'] as const;
export const REGIME_COLOURS = ['#bdbdbd', '#6baed6', '#31a354', '#fd8d3c'] as const;

/** Legend text for the effective count (physics.md: the paper's counts are effective ones). */
export function effectiveCountTitle(residueThreshold: number, observationTime: number): string {
  return `effective count M (Z ≥ ${residueThreshold}; 2D: beat period > ${observationTime}/ω11)`;
}
