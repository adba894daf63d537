/**
 * Scene solvers against the number of emitters: exact (matrix resolvent) and volterra (matrix product
 * integration), both through solveScene, on one family of scenes.
 *
 * Problem: chains of N = 2, 4, 8, 16, 32 emitters 0.3 λ11 apart in the TM11 guide (Γ = 0.5, ω0 = 1.2 on
 * every emitter; the first is a charger and excited, the others batteries), T = 100/ω11, output every
 * 0.5/ω11, tol = 1e-6 (absolute, on every c_j). N = 2 has the paper's ± symmetry, so solveScene takes the
 * two-emitter fast path there; the general-path solver is also timed at N = 2 (called directly), and
 * the fitted exponent p of time ∝ N^p (least squares of log t on log N) uses the general-path times at
 * every N. Times: medians of plain performance.now() runs (3 up to N = 8, 1 above), after a warm-up.
 * Accuracy: max over the grid and the emitters of |c_exact − c_volterra| (each claims ≤ 1e-6), and each
 * solver's own error estimate. The Markov approximation (matrix Eq. 6, general path) is timed alongside
 * and its distance from the exact answer printed: what the memory of Eq. (3) is worth here.
 * For N = 32: the bank's energy E_B(T) = Σ_B ω_b|c_b(T)|² and the largest average charging power
 * max_t E_B(t)/t (shared/scenes.md §3), from the exact solution.
 */
import { solveScene, checkSceneProblem } from '../src/dynamics/scene/solve.js';
import { solveSceneExact } from '../src/dynamics/scene/exact.js';
import { solveSceneVolterra } from '../src/dynamics/scene/volterra.js';
import { solveSceneMarkov } from '../src/dynamics/scene/markov.js';
import type { SceneSolution } from '../src/dynamics/scene/types.js';
import type { Method } from '../src/dynamics/types.js';
import type { Scene } from '../src/model/scene.js';
import { logLogSlope, median } from './stats.js';
import { chain, DT, maxDiff, OMEGA, SIZES, T, TOL } from './scenes.js';

function time<R>(f: () => R): [number, R] {
  const t0 = performance.now();
  const r = f();
  return [performance.now() - t0, r];
}

function timed(f: () => SceneSolution, reps: number): [number, SceneSolution] {
  const ts: number[] = [];
  let sol: SceneSolution | null = null;
  for (let r = 0; r < reps; r++) {
    const [ms, s] = time(f);
    ts.push(ms);
    sol = s;
  }
  return [median(ts), sol!];
}

export async function run(): Promise<void> {
  const fmt = (ms: number): string => (ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(0)} ms`);
  const problem = (n: number) => ({ scene: chain(n), tMax: T, dt: DT, tol: TOL });
  // Warm-up (JIT), not timed.
  for (const m of ['exact', 'volterra'] as Method[]) solveScene({ scene: chain(3), tMax: 20, dt: DT, tol: TOL }, m);

  interface Row {
    n: number;
    exact: SceneSolution; volterra: SceneSolution;
    msExact: number; msVolterra: number; msExactGeneral: number; msVolterraGeneral: number; msMarkov: number;
    agree: number; markovOff: number;
  }
  const rows: Row[] = [];
  for (const n of SIZES) {
    const reps = n <= 8 ? 3 : 1;
    const [msExact, exact] = timed(() => solveScene(problem(n), 'exact'), reps);
    const [msVolterra, volterra] = timed(() => solveScene(problem(n), 'volterra'), reps);
    let msExactGeneral = msExact;
    let msVolterraGeneral = msVolterra;
    if (exact.path !== 'general') {
      msExactGeneral = timed(() => solveSceneExact(checkSceneProblem(problem(n)), {}), reps)[0];
      msVolterraGeneral = timed(() => solveSceneVolterra(checkSceneProblem(problem(n)), {}), reps)[0];
    }
    const [msMarkov, markov] = timed(() => solveSceneMarkov(checkSceneProblem(problem(n)), {}), reps);
    rows.push({
      n, exact, volterra, msExact, msVolterra, msExactGeneral, msVolterraGeneral, msMarkov,
      agree: maxDiff(exact.c, volterra.c), markovOff: maxDiff(markov.c, exact.c),
    });
    console.log(`  N = ${n} done (exact ${fmt(msExact)}, volterra ${fmt(msVolterra)})`);
  }

  console.log(`\nTM11 chains of N emitters 0.3 λ11 apart, Γ = 0.5, ω0 = ${OMEGA}, T = ${T}, dt = ${DT}, tol = ${TOL}, first emitter excited:`);
  console.log('| N | path | exact: time / status / estimate | volterra: time / status / estimate | max|exact − volterra| | general path at N = 2: exact / volterra | markov: time / max|markov − exact| |');
  console.log('|---|---|---|---|---|---|---|');
  for (const r of rows) {
    const e = r.exact;
    const v = r.volterra;
    console.log(
      `| ${r.n} | ${e.path} | ${fmt(r.msExact)} / ${e.status} / ${e.errorEstimate.toExponential(1)} | ${fmt(r.msVolterra)} / ${v.status} / ${v.errorEstimate.toExponential(1)} | ` +
        `${r.agree.toExponential(2)} | ${e.path === 'general' ? '—' : `${fmt(r.msExactGeneral)} / ${fmt(r.msVolterraGeneral)}`} | ${fmt(r.msMarkov)} / ${r.markovOff.toExponential(2)} |`,
    );
  }
  const ns = rows.map((r) => r.n);
  const pe = logLogSlope(ns, rows.map((r) => r.msExactGeneral));
  const pv = logLogSlope(ns, rows.map((r) => r.msVolterraGeneral));
  const tail = rows.slice(-3);
  const pe3 = logLogSlope(tail.map((r) => r.n), tail.map((r) => r.msExactGeneral));
  const pv3 = logLogSlope(tail.map((r) => r.n), tail.map((r) => r.msVolterraGeneral));
  console.log(`fitted exponent (general path, time ∝ N^p) over N = ${ns.join(', ')}: exact p = ${pe.toFixed(2)}, volterra p = ${pv.toFixed(2)}; over N = ${tail.map((r) => r.n).join(', ')}: exact ${pe3.toFixed(2)}, volterra ${pv3.toFixed(2)}`);

  const big = rows[rows.length - 1];
  const c = big.exact.c;
  const t = big.exact.t;
  let eT = 0;
  let pMax = 0;
  let tMaxP = 0;
  for (let i = 0; i < t.length; i++) {
    let e = 0;
    for (let b = 1; b < big.n; b++) e += OMEGA * (c[b][2 * i] ** 2 + c[b][2 * i + 1] ** 2);
    if (i === t.length - 1) eT = e;
    if (t[i] > 0 && e / t[i] > pMax) {
      pMax = e / t[i];
      tMaxP = t[i];
    }
  }
  const ex = big.exact.stats;
  const vs = big.volterra.stats;
  console.log(
    `N = ${big.n}: exact ${fmt(big.msExact)} (${big.exact.status}, estimate ${big.exact.errorEstimate.toExponential(1)}; stats ${JSON.stringify(ex)}), ` +
      `volterra ${fmt(big.msVolterra)} (${big.volterra.status}, estimate ${big.volterra.errorEstimate.toExponential(1)}; stats ${JSON.stringify(vs)}), ` +
      `agreement ${big.agree.toExponential(2)}; bank energy E_B(T) = ${eT.toPrecision(6)} ω11, max_t E_B/t = ${pMax.toPrecision(4)} ω11² at t = ${tMaxP}; ` +
      `markov ${fmt(big.msMarkov)}, off by ${big.markovOff.toExponential(2)}`,
  );
}
