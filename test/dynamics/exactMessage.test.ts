import { describe, expect, it } from 'vitest';
import { solve } from '../../src/dynamics/solve.js';

describe('solve(…, "exact") status message', () => {
  it('names the reason when only a quadrature segment failed to converge (next to a bound state in the continuum; found by npm run validate -- nearBic20)', () => {
    // The sum-rule defect and the error estimate are both below tol here; the status is still honest
    // (tolerance-not-met), and the message must say why instead of leaving the reader to guess.
    const params = { omega0: 1.1184132357425116, gamma11: 0.03274628692246496, dz: 5.860061135934666 };
    const sol = solve({ params, tMax: 20, dt: 1, tol: 1e-9 }, 'exact');
    expect(sol.status).toBe('tolerance-not-met');
    expect(sol.errorEstimate).toBeLessThan(1e-9);
    expect(sol.message).toMatch(/continuum quadrature of channel [+-] stopped at its panel limit/);
    expect(sol.message).toContain('--method volterra');
  });
});
