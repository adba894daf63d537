/**
 * Study `besselK0`: src/numerics/bessel.ts's K0 against mpmath on 1500 log-spaced points of
 * [1e-12, 690] (the table besselK0Scan in test/fixtures/reference.constants.json, written by
 * scripts/reference/test_constants.py). Prints the largest relative error. Quoted in src/numerics/bessel.ts.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { besselK0 } from '../../src/numerics/bessel.js';
import { figure, type Study } from './common.js';

export const study: Study = {
  name: 'besselK0',
  description: 'K0 vs mpmath on 1500 log-spaced points of [1e-12, 690]',
  run() {
    const file = fileURLToPath(new URL('../../test/fixtures/reference.constants.json', import.meta.url));
    const scan: [number, number][] = JSON.parse(readFileSync(file, 'utf8')).besselK0Scan;
    let worst = 0;
    let at = 0;
    for (const [x, k] of scan) {
      const e = Math.abs(besselK0(x) - k) / k;
      if (e > worst) { worst = e; at = x; }
    }
    figure('besselK0.points', scan.length);
    figure('besselK0.maxRelativeError', `${worst.toExponential(1)} (at x = ${at.toPrecision(4)})`);
  },
};
