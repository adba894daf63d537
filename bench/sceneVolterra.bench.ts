/**
 * General-path scene Volterra solver (src/dynamics/scene/volterra.ts): cost against the number of
 * emitters N.
 *
 * Times are wall-clock medians; CPU times (process.cpuUsage) are printed beside them, the fairer figure on a
 * shared, loaded machine (the load average is printed).
 * Problem: chains of N = 2, 4, 8, 16, 32 emitters 0.3 λ11 apart in the TM11 guide (Γ = 0.5, ω0 = 1.2 on
 * every emitter, the first excited), T = 100/ω11, output every 0.5/ω11, tol = 1e-6, solved through the
 * general path (solveSceneVolterra called directly, so N = 2 does not take the ± fast path). Times are
 * medians of plain performance.now() runs (3 runs up to N = 8, 1 above), each including the kernel
 * moments of every component (one per distinct distance: N of them), the weights and the stepping of
 * every level. The fitted exponent p of time ∝ N^p is printed; the stepping costs ≈ N²·M·log M and the
 * moments ≈ N·M, so p lies between 1 and 2. Accuracy: N = 2 against the exact resolvent solver of the
 * paper's model (solveExact, tol 1e-10); N = 4 against the same solver at tol 1e-9.
 * Then one fixed-step solve (N = 8, 4000 steps) with direct O(M²) and FFT-blocked history sums: times
 * and agreement. Last, N = 32 as a chain (32 kernel components) and at seeded random positions in
 * [0, 10] λ11 (497 components, one per distinct distance), each as is and with the TM11 components
 * given the optional `kernelRate` (the scalar solver's growth bound; lets cellMoments use its far rules).
 */
import { solveExact } from '../src/dynamics/exact.js';
import { checkSceneProblem } from '../src/dynamics/scene/solve.js';
import { sceneVolterraFixedStep, solveSceneVolterra, type RatedComponent } from '../src/dynamics/scene/volterra.js';
import { kernelRate } from '../src/dynamics/volterra.js';
import { makeCoupling } from '../src/model/reservoirs/reservoir.js';
import type { SceneSolution } from '../src/dynamics/scene/types.js';
import { prepareScene, type Scene } from '../src/model/scene.js';
import { cpus, loadavg } from 'node:os';
import { logLogSlope, median } from './stats.js';
import { chain, DT, maxDiff, SIZES, T, TOL } from './scenes.js';

/** Wall time of f in ms (and, in `lastCpu`, the process CPU time it used: on a loaded machine the fairer figure). */
let lastCpu = 0;
function time<T>(f: () => T): [number, T] {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const r = f();
  const ms = performance.now() - t0;
  const c = process.cpuUsage(c0);
  lastCpu = (c.user + c.system) / 1000;
  return [ms, r];
}

export async function run(): Promise<void> {
  const fmt = (ms: number): string => (ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(0)} ms`);
  solveSceneVolterra(checkSceneProblem({ scene: chain(4), tMax: 20, dt: DT, tol: TOL }), {}); // warm-up
  interface Row { n: number; ms: number; cpu: number; sol: SceneSolution; err: number }
  const rows: Row[] = [];
  for (const n of SIZES) {
    const grid = checkSceneProblem({ scene: chain(n), tMax: T, dt: DT, tol: TOL });
    const ts: number[] = [];
    const cpus: number[] = [];
    let sol: SceneSolution | null = null;
    for (let r = 0; r < (n <= 8 ? 3 : 1); r++) {
      const [ms, s] = time(() => solveSceneVolterra(grid, {}));
      ts.push(ms);
      cpus.push(lastCpu);
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
    rows.push({ n, ms: median(ts), cpu: median(cpus), sol: sol!, err });
  }
  console.log(`\nchains of N emitters 0.3 λ11 apart, Γ = 0.5, ω0 = 1.2, T = ${T}, dt = ${DT}, tol = ${TOL} (load average ${loadavg()[0].toFixed(1)} on ${cpus().length} cores):`);
  console.log('| N | components | wall time (median) / CPU time | status | levels | finest h | steps (finest) | error estimate | error vs reference |');
  console.log('|---|---|---|---|---|---|---|---|---|');
  for (const r of rows) {
    const s = r.sol;
    console.log(
      `| ${r.n} | ${s.stats.components} | ${fmt(r.ms)} / ${fmt(r.cpu)} | ${s.status} | ${s.stats.levels} | ${s.stats.h} | ${s.stats.steps} | ${s.errorEstimate.toExponential(2)} | ` +
        `${Number.isNaN(r.err) ? '—' : `${r.err.toExponential(2)}${r.n === 2 ? ' (solveExact)' : ' (tol 1e-9 run, + its estimate)'}`} |`,
    );
  }
  const slope = (key: 'ms' | 'cpu', from: number): string => logLogSlope(rows.slice(from).map((r) => r.n), rows.slice(from).map((r) => r[key])).toFixed(2);
  console.log(`fitted exponent (time ∝ N^p): wall p = ${slope('ms', 0)}, CPU p = ${slope('cpu', 0)} over N = ${SIZES.join(', ')}; wall p = ${slope('ms', 2)}, CPU p = ${slope('cpu', 2)} over N = ${SIZES.slice(2).join(', ')}`);

  // History sums: direct vs FFT-blocked on one grid.
  const prepared = prepareScene(chain(8));
  const steps = 4000;
  const [fftMs, a] = time(() => sceneVolterraFixedStep(prepared, T / steps, steps, { frame: 1.2 }));
  const [dirMs, b] = time(() => sceneVolterraFixedStep(prepared, T / steps, steps, { frame: 1.2, direct: true }));
  let agree = 0;
  for (let i = 0; i < a.v.length; i++) agree = Math.max(agree, Math.abs(a.v[i] - b.v[i]));
  console.log(`fixed step N = 8, ${steps} steps (h = ${T / steps}): FFT-blocked ${fmt(fftMs)}, direct ${fmt(dirMs)} (moments included in both), agree to ${agree.toExponential(1)}`);

  // N = 32: chain vs random positions, with and without kernelRate.
  let seed = 7;
  const rnd = (): number => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed / 2147483648;
  };
  const random: Scene = { ...chain(32), emitters: chain(32).emitters.map((e) => ({ ...e, z: Math.round(rnd() * 1e4) / 1e3 })) };
  console.log('\nN = 32, T = 100, tol 1e-6: plain components vs components with kernelRate');
  console.log('| positions | components | plain: time / kernel evaluations | with kernelRate: time / kernel evaluations | max difference |');
  console.log('|---|---|---|---|---|');
  for (const [name, scene] of [['chain 0.3 λ11', chain(32)], ['random in [0, 10] λ11', random]] as const) {
    const grid = checkSceneProblem({ scene, tMax: T, dt: DT, tol: TOL });
    const c = grid.prepared.coupling;
    const rated: RatedComponent[] = c.components.map((k) => ({ ...k, kernelRate: (sg: number, e: number) => kernelRate(sg, k.singularTimes[0], e) }));
    const ratedGrid = { ...grid, prepared: { ...grid.prepared, coupling: makeCoupling(c.n, rated, [...c.weights]) } };
    const [msA, a] = time(() => solveSceneVolterra(grid, {}));
    const cpuA = lastCpu;
    const [msB, b] = time(() => solveSceneVolterra(ratedGrid, {}));
    const cpuB = lastCpu;
    console.log(
      `| ${name} | ${a.stats.components} | ${fmt(msA)} (CPU ${fmt(cpuA)}) / ${a.stats.kernelEvaluations.toExponential(2)} (${a.status}, ${a.stats.levels} levels) | ` +
        `${fmt(msB)} (CPU ${fmt(cpuB)}) / ${b.stats.kernelEvaluations.toExponential(2)} (${b.status}, ${b.stats.levels} levels) | ${maxDiff(a.c, b.c).toExponential(1)} |`,
    );
  }
}
