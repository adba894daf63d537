import type { Solution } from './types.js';

/**
 * A solver's last check of its own output (issue 10): a 'success' whose amplitudes c1(t), c2(t) of
 * Eq. (3) hold a NaN or ±∞ anywhere is turned into 'tolerance-not-met' (the error is unbounded), with a
 * message naming the first such value, so that no caller — the CLI's exit code follows the status —
 * takes a non-finite number for a result. Other statuses already say the data are not to be trusted
 * (a cancelled run returns NaN on purpose) and are returned unchanged.
 */
export function checkFinite(sol: Solution): Solution {
  if (sol.status !== 'success') return sol;
  for (const [name, c] of [['c1', sol.c1], ['c2', sol.c2]] as const) {
    for (let i = 0; i < c.length; i++) {
      if (Number.isFinite(c[i])) continue;
      const n = i >> 1;
      const what = `${sol.method}: non-finite ${name} = ${c[i]} (${i & 1 ? 'imaginary' : 'real'} part) at t = ${sol.t[n]}`;
      return { ...sol, status: 'tolerance-not-met', message: `${what}; the result is not valid (was: ${sol.message})`, errorEstimate: Number.POSITIVE_INFINITY };
    }
  }
  return sol;
}
