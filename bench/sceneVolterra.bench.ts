/**
 * General-path scene Volterra solver (src/dynamics/scene/volterra.ts): cost against the number of
 * emitters N.
 *
 * Problem: chains of N = 2, 4, 8, 16, 32 emitters 0.3 λ11 apart in the TM11 guide (Γ = 0.5, ω0 = 1.2 on
 * every emitter, the first excited), T = 100/ω11, output every 0.5/ω11, tol = 1e-6, solved through the
 * general path (solveSceneVolterra called directly, so N = 2 does not take the ± fast path). Times are
 * medians of plain performance.now() runs (3 runs up to N = 8, 1 above), each including the kernel
 * moments of every component (one per distinct distance: N of them), the weights and the stepping of
 * every level. The fitted exponent p of time ∝ N^p is printed; the stepping costs ≈ N²·M·log M and the
 * moments ≈ N·M, so p lies between 1 and 2. Accuracy: N = 2 against the exact resolvent solver of the
 * paper's model (solveExact, tol 1e-10); N = 4 against the same solver at tol 1e-9.
 * Then one fixed-step solve (N = 8, 4000 steps) with direct O(M²) and FFT-blocked history sums: times
 * and agreement.
 */
import { solveExact } from '../src/dynamics/exact.js';
import { checkSceneProblem } from '../src/dynamics/scene/solve.js';
import { sceneVolterraFixedStep, solveSceneVolterra } from '../src/dynamics/scene/volterra.js';
import type { SceneSolution } from '../src/dynamics/scene/types.js';
import { prepareScene, type Scene } from '../src/model/scene.js';
import { logLogSlope, median } from './stats.js';

const T = 100;
const DT = 0.5;
const TOL = 1e-6;
const SIZES = [2, 4, 8, 16, 32];

function chain(n: number): Scene {
  return {
    reservoir: { type: 'waveguide', modes: ['TM11'] },
    emitters: Array.from({ length: n }, (_, j) => ({ z: 0.3 * j, omega0: 1.2, gamma: 0.5, role: j === 0 ? 'charger' as const : 'battery' as const })),
  };
}

function time<T>(f: () => T): [number, T] {
  const t0 = performance.now();
  const r = f();
  return [performance.now() - t0, r];
}

function maxDiff(a: readonly Float64Array[], b: readonly Float64Array[]): number {
  let e = 0;
  a.forEach((x, j) => {
    for (let i = 0; i < x.length; i += 2) e = Math.max(e, Math.hypot(x[i] - b[j][i], x[i + 1] - b[j][i + 1]));
  });
  return e;
}

export async function run(): Promise<void> {
  const fmt = (ms: number): string => (ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(0)} ms`);
  solveSceneVolterra(checkSceneProblem({ scene: chain(4), tMax: 20, dt: DT, tol: TOL }), {}); // warm-up
  interface Row { n: number; ms: number; sol: SceneSolution; err: number }
  const rows: Row[] = [];
  for (const n of SIZES) {
    const grid = checkSceneProblem({ scene: chain(n), tMax: T, dt: DT, tol: TOL });
    const ts: number[] = [];
    let sol: SceneSolution | null = null;
    for (let r = 0; r < (n <= 8 ? 3 : 1); r++) {
      const [ms, s] = time(() => solveSceneVolterra(grid, {}));
      ts.push(ms);
      sol = s;
    }
    let err = Number.NaN;
    if (n === 2) {
      const ref = solveExact({ params: { omega0: 1.2, gamma11: 0.5, dz: 0.3 }, tMax: T, dt: DT, tol: 1e-10 });
      err = maxDiff(sol!.c, [ref.c1, ref.c2]);
    } else if (n === 4) {
      const ref = solveSceneVolterra(checkSceneProblem({ scene: chain(n), tMax: T, dt: DT, tol: 1e-9 }), {});
      err = maxDiff(sol!.c, ref.c) + ref.errorEstimate;
    }
    rows.push({ n, ms: median(ts), sol: sol!, err });
  }
  console.log(`\nchains of N emitters 0.3 λ11 apart, Γ = 0.5, ω0 = 1.2, T = ${T}, dt = ${DT}, tol = ${TOL}:`);
  console.log('| N | components | time (median) | status | levels | finest h | steps (finest) | error estimate | error vs reference |');
  console.log('|---|---|---|---|---|---|---|---|---|');
  for (const r of rows) {
    const s = r.sol;
    console.log(
      `| ${r.n} | ${s.stats.components} | ${fmt(r.ms)} | ${s.status} | ${s.stats.levels} | ${s.stats.h} | ${s.stats.steps} | ${s.errorEstimate.toExponential(2)} | ` +
        `${Number.isNaN(r.err) ? '—' : `${r.err.toExponential(2)}${r.n === 2 ? ' (solveExact)' : ' (tol 1e-9 run, + its estimate)'}`} |`,
    );
  }
  const p = logLogSlope(rows.map((r) => r.n), rows.map((r) => r.ms));
  const pHigh = logLogSlope(rows.slice(-3).map((r) => r.n), rows.slice(-3).map((r) => r.ms));
  console.log(`fitted exponent (time ∝ N^p): p = ${p.toFixed(2)} over N = ${SIZES.join(', ')}; p = ${pHigh.toFixed(2)} over N = ${SIZES.slice(-3).join(', ')}`);

  // History sums: direct vs FFT-blocked on one grid.
  const prepared = prepareScene(chain(8));
  const steps = 4000;
  const [fftMs, a] = time(() => sceneVolterraFixedStep(prepared, T / steps, steps, { frame: 1.2 }));
  const [dirMs, b] = time(() => sceneVolterraFixedStep(prepared, T / steps, steps, { frame: 1.2, direct: true }));
  let agree = 0;
  for (let i = 0; i < a.v.length; i++) agree = Math.max(agree, Math.abs(a.v[i] - b.v[i]));
  console.log(`fixed step N = 8, ${steps} steps (h = ${T / steps}): FFT-blocked ${fmt(fftMs)}, direct ${fmt(dirMs)} (moments included in both), agree to ${agree.toExponential(1)}`);
}
