import { beforeAll, describe, expect, it } from 'vitest';
import { solveLongTime } from '../../src/dynamics/longTime.js';
import { loadMain, runMain, type Main } from './distMain.js';

/**
 * `qbwave dynamics --t-max T` beyond 10⁶/ω11 (issue 12 item 3: long exchange periods reachable): the
 * two-emitter exact method takes the long-time route of src/dynamics/longTime.ts, whose own accuracy
 * is tested in test/dynamics/longTime.test.ts; here the CLI's rows must be that solution's numbers
 * exactly, and every other method or a scene is refused in one line (exit 2).
 */
let main: Main;
beforeAll(async () => { main = await loadMain(); });

describe('dynamics --t-max beyond 1e6', () => {
  it('an NV-like weak coupling (Γ11 = 2.2e-8) to t = 2e7/ω11: the rows are solveLongTime\'s, bit for bit', async () => {
    const r = await runMain(main, ['dynamics', '--omega0', '0.99905', '--gamma', '2.2055e-8', '--dz', '0.3', '--t-max', '2e7', '--dt', '1e6', '--tol', '1e-6']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/success/);
    const rows = r.stdout.trim().split('\n').slice(1).map((l) => l.split(',').map(Number));
    const s = solveLongTime({ params: { omega0: 0.99905, gamma11: 2.2055e-8, dz: 0.3 }, tMax: 2e7, dt: 1e6, tol: 1e-6 });
    expect(rows).toHaveLength(21);
    rows.forEach((row, i) => expect(row.slice(0, 5)).toEqual([s.t[i], s.c1[2 * i], s.c1[2 * i + 1], s.c2[2 * i], s.c2[2 * i + 1]]));
  });
  it('other methods and scenes are refused in one line, exit 2', async () => {
    for (const extra of [['--method', 'volterra'], ['--method', 'markov']]) {
      const r = await runMain(main, ['dynamics', '--omega0', '1.2', '--dz', '0.3', '--t-max', '2e6', '--dt', '1e5', ...extra]);
      expect(r.code).toBe(2);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).toMatch(/--t-max 2000000: beyond 1000000\/ω11 only the two-emitter exact method/);
    }
    const big = await runMain(main, ['dynamics', '--omega0', '1.2', '--dz', '0.3', '--t-max', '2e12', '--dt', '1e11']);
    expect(big.code).toBe(2);
    expect(big.stderr).toMatch(/--t-max/);
  });
});
