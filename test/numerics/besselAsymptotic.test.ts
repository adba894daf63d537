import { describe, it } from 'vitest';
import { besselJY0, ASYMPTOTIC_FROM } from '../../src/numerics/besselAsymptotic.js';
import { besselJ0, besselY0 } from '../../src/numerics/bessel.js';
import { assertClose } from '../helpers.js';

// Reference values from mpmath (mp.dps = 30): besselj(0, x), bessely(0, x).
const REFERENCE: [number, number, number][] = [
  [25, 0.096266783275958116173503340754, -0.127249432268006137834328658699],
  [30, -0.0863679835810402113359623244961, -0.117295731686664025251247878232],
  [100.5, 0.0544365738144135909896186347963, -0.058061227570355748507168740844],
  [1234.5678, -0.014753414749701852059710658279, 0.0172626408418473105626479206843],
];

describe('besselJY0(x, out)', () => {
  it('matches mpmath J0, Y0 in the asymptotic regime to 2e-16 absolute (a few ulp of the envelope √(2/πx))', () => {
    const out = new Float64Array(2);
    for (const [x, j, y] of REFERENCE) {
      besselJY0(x, out);
      assertClose(out[0], j, 2e-16, `J0(${x})`);
      assertClose(out[1], y, 2e-16, `Y0(${x})`);
    }
  });

  it('agrees with the stdlib J0, Y0 on [1e-3, 1e4] to 1e-15·max(1, √(2/πx)) (stdlib: ≤ 2.5e-15, stack.md)', () => {
    const out = new Float64Array(2);
    for (let i = 0; i <= 4000; i++) {
      const x = 1e-3 * 10 ** (7 * (i / 4000));
      besselJY0(x, out);
      const scale = Math.max(1e-15, 1e-15 * Math.sqrt(2 / (Math.PI * x)));
      // Below ASYMPTOTIC_FROM the same stdlib functions are called: exact equality.
      const tol = x < ASYMPTOTIC_FROM ? 0 : scale;
      assertClose(out[0], besselJ0(x), tol, `J0(${x})`);
      assertClose(out[1], besselY0(x), tol, `Y0(${x})`);
    }
  });
});
