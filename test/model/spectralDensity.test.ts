import { describe, it, expect } from 'vitest';
import { spectralDensity, channelDensity } from '../../src/model/spectralDensity.js';
import { assertClose } from '../helpers.js';

describe('spectralDensity (Eq. 2)', () => {
  it('J0(2) = (Γ/2π)/√3 and J1 = J0 cos(τ√3); zero below the cutoff', () => {
    assertClose(spectralDensity(0, 2, 0.5, 0), 0.25 / Math.PI / Math.sqrt(3), 1e-16, 'J0(2)');
    assertClose(spectralDensity(1, 2, 0.5, 1.3), (0.25 / Math.PI / Math.sqrt(3)) * Math.cos(1.3 * Math.sqrt(3)), 1e-16, 'J1(2)');
    expect(spectralDensity(0, 0.999, 0.5, 0)).toBe(0);
    expect(spectralDensity(1, 1, 0.5, 1)).toBe(0);
  });
  it('J± = J0 ± J1, and J− keeps relative precision where τ√(ω²−1) ≪ 1 (1e-15 relative)', () => {
    for (const w of [1.0001, 1.3, 4]) {
      for (const tau of [0.1, 2]) {
        assertClose(channelDensity('+', w, 0.5, tau), spectralDensity(0, w, 0.5, tau) + spectralDensity(1, w, 0.5, tau), 1e-14, 'J+');
        assertClose(channelDensity('-', w, 0.5, tau), spectralDensity(0, w, 0.5, tau) - spectralDensity(1, w, 0.5, tau), 1e-14, 'J−');
      }
    }
    // τq = 1e-9: J− ≈ J0·(τq)²/2 exactly; the naive difference would be 0.
    const w = Math.sqrt(1 + 1e-6), tau = 1e-6;
    const q = Math.sqrt((w - 1) * (w + 1)); // the q the code sees
    const jm = channelDensity('-', w, 0.5, tau);
    assertClose(jm, (0.25 / Math.PI / q) * ((tau * q) ** 2 / 2), 1e-15 * jm, 'J− small angle');
  });
});
