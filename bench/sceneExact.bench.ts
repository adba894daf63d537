/**
 * General-path scene exact solver (src/dynamics/scene/exact.ts, the matrix resolvent): cost against the
 * number of emitters N.
 *
 * Problem: chains of N = 2, 4, 8, 16, 32 emitters 0.3 λ11 apart in the TM11 guide (Γ = 0.5, ω0 = 1.2 on
 * every emitter, the first excited), T = 100/ω11, output every 0.5/ω11, tol = 1e-6, solved through the
 * general path (solveSceneExact called directly, so N = 2 does not take the ± fast path). Wall-clock
 * medians (3 runs up to N = 8, 1 above) with CPU times (process.cpuUsage) beside them, the fairer figure
 * on a shared machine (the load average is printed), split into bound states + continuum nodes (to the
 * onProgress mark 0.4), the NUFFT sums (to 0.84) and the Born terms (to 0.95). Per continuum node the work
 * is one complex LU of an N×N matrix (≈ (8/3)N³ flops) and one evaluation of every component (N of them),
 * so the fitted exponent p of time ∝ N^p lies between 1 and 3 (node counts grow slowly with N).
 * Accuracy: N = 2 against the paper's two-emitter exact solver (solveExact, tol 1e-10); N = 4 against
 * solveSceneVolterra at tol 1e-8.
 * Measured (2-core EPYC at load ≈ 11.5, so wall ≈ 3–4× CPU): N = 2, 4, 8, 16, 32 → 0.47, 1.0, 0.60, 2.3,
 * 17.6 s wall / 0.11, 0.20, 0.21, 0.72, 4.2 s CPU; 11 072 … 26 304 nodes; fitted p = 1.16 (wall), 1.24 (CPU),
 * ≈ 2.3 between N = 16 and 32 where the N³ LU per node dominates; N = 2 vs solveExact 9.8e-10, N = 4 vs
 * volterra 9.8e-10 (tol 1e-6; both ≈ the sum-rule defect at t = 0).
 *
 *   npm run bench -- sceneExact
 */
import { solveExact } from '../src/dynamics/exact.js';
import { checkSceneProblem } from '../src/dynamics/scene/solve.js';
import { solveSceneExact } from '../src/dynamics/scene/exact.js';
import { solveSceneVolterra } from '../src/dynamics/scene/volterra.js';
import type { SceneSolution } from '../src/dynamics/scene/types.js';
import type { Scene } from '../src/model/scene.js';
import { cpus, loadavg } from 'node:os';
import { logLogSlope, median } from './stats.js';
import { chain, DT, maxDiff, SIZES, T, TOL } from './scenes.js';

interface Timed { wall: number; cpu: number; nodes: number; born: number; sums: number; sol: SceneSolution }

function timed(n: number): Timed {
  const marks: Array<[number, number]> = [];
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const sol = solveSceneExact(checkSceneProblem({ scene: chain(n), tMax: T, dt: DT, tol: TOL }), { onProgress: (f) => marks.push([f, performance.now()]) });
  const t1 = performance.now();
  const cu = process.cpuUsage(c0);
  const at = (f: number) => marks.find(([g]) => g >= f - 1e-12)?.[1] ?? t1;
  return { wall: t1 - t0, cpu: (cu.user + cu.system) / 1000, nodes: at(0.4) - t0, sums: at(0.84) - at(0.4), born: at(0.95) - at(0.84), sol };
}

const ms = (x: number): string => (x < 100 ? x.toFixed(1) : x.toFixed(0));

export async function run(): Promise<void> {
  console.log(`solveSceneExact on TM11 chains (0.3 λ11 apart, Γ = 0.5, ω0 = 1.2), T = ${T}, dt = ${DT}, tol = ${TOL}; ${cpus().length} cpus, load ${loadavg().map((x) => x.toFixed(1)).join(' ')}`);
  timed(2); // warm-up (JIT, tables)
  console.log('   N | runs | median wall ms | cpu ms | bound states + nodes ms | NUFFT sums ms | Born ms | nodes | evaluations | bound states | status, error estimate');
  const walls: number[] = [];
  const cpuTimes: number[] = [];
  const sols = new Map<number, SceneSolution>();
  for (const n of SIZES) {
    const reps = n <= 8 ? 3 : 1;
    const runs: Timed[] = [];
    for (let r = 0; r < reps; r++) runs.push(timed(n));
    const w = median(runs.map((r) => r.wall));
    const c = median(runs.map((r) => r.cpu));
    walls.push(w);
    cpuTimes.push(c);
    const s = runs[0].sol;
    sols.set(n, s);
    console.log(`${String(n).padStart(4)} | ${String(reps).padStart(4)} | ${ms(w).padStart(14)} | ${ms(c).padStart(6)} | ${ms(median(runs.map((r) => r.nodes))).padStart(23)} | ${ms(median(runs.map((r) => r.sums))).padStart(13)} | ${ms(median(runs.map((r) => r.born))).padStart(7)} | ${String(s.stats.nodes).padStart(5)} | ${String(s.stats.evaluations).padStart(11)} | ${String(s.stats.boundStates).padStart(12)} | ${s.status}, ${s.errorEstimate.toExponential(2)}`);
  }
  console.log(`fitted exponent of time ∝ N^p (N = ${SIZES.join(', ')}): p = ${logLogSlope(SIZES, walls).toFixed(2)} (wall), ${logLogSlope(SIZES, cpuTimes).toFixed(2)} (cpu); N = 32: ${(walls[walls.length - 1] / 1000).toFixed(1)} s wall (goal < 30 s)`);
  const ref2 = solveExact({ params: { omega0: 1.2, gamma11: 0.5, dz: 0.3 }, tMax: T, dt: DT, tol: 1e-10 });
  console.log(`N = 2 vs solveExact (tol 1e-10): max |Δc| = ${maxDiff(sols.get(2)!.c, [ref2.c1, ref2.c2]).toExponential(2)} (tol ${TOL})`);
  const v4 = solveSceneVolterra(checkSceneProblem({ scene: chain(4), tMax: T, dt: DT, tol: 1e-8 }), {});
  console.log(`N = 4 vs solveSceneVolterra (tol 1e-8, ${v4.status}): max |Δc| = ${maxDiff(sols.get(4)!.c, v4.c).toExponential(2)} (tol ${TOL})`);
}
