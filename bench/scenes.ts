/**
 * What the scene benchmarks share (issue 13 item 8): the TM11 chain of N emitters 0.3 λ11 apart
 * (Γ = 0.5, ω0 = 1.2, the first a charger and excited, the rest batteries), its settings T = 100,
 * tol 1e-6, and the largest amplitude difference between two solutions.
 */
import type { Scene } from '../src/model/scene.js';

export const T = 100;
export const DT = 0.5;
export const TOL = 1e-6;
export const SIZES = [2, 4, 8, 16, 32];
/** The emitters' frequency ω0, ω11 (above the TM11 band edge). */
export const OMEGA = 1.2;

/** The chain of n emitters. */
export function chain(n: number): Scene {
  return {
    reservoir: { type: 'waveguide', modes: ['TM11'] },
    emitters: Array.from({ length: n }, (_, j) => ({ z: 0.3 * j, omega0: OMEGA, gamma: 0.5, role: j === 0 ? 'charger' as const : 'battery' as const })),
  };
}

/** max over emitters j and the first `points` output times of |a_j(t) − b_j(t)|. */
export function maxDiff(a: readonly Float64Array[], b: readonly Float64Array[], points = Number.POSITIVE_INFINITY): number {
  let e = 0;
  a.forEach((x, j) => {
    const end = Math.min(x.length, 2 * points);
    for (let i = 0; i < end; i += 2) e = Math.max(e, Math.hypot(x[i] - b[j][i], x[i + 1] - b[j][i + 1]));
  });
  return e;
}
