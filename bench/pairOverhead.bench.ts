/**
 * The paper's two-emitter problem through the scene API (solveScene → ± fast path) against the
 * two-emitter solvers called directly (issue 13: "its speed must not drop"). Same numbers bit for bit
 * (test/model/scene.test.ts); this measures the overhead of validating and preparing the scene.
 * Medians of 9 runs, two rounds, tMax = 100, dt = 0.1, tol 1e-8, (ω0, Γ11, Δz) = (1.2, 0.5, 0.3).
 */
import { solveScene } from '../src/dynamics/scene/solve.js';
import { sceneFromParams } from '../src/model/scene.js';
import { solveExact } from '../src/dynamics/exact.js';
import { solveVolterra } from '../src/dynamics/volterra.js';
import { median } from './stats.js';

export async function run(): Promise<void> {
  const params = { omega0: 1.2, gamma11: 0.5, dz: 0.3 };
  const grid = { tMax: 100, dt: 0.1, tol: 1e-8 };
  const timeMs = (f: () => void): number => {
    const ts: number[] = [];
    for (let i = 0; i < 9; i++) {
      const t0 = performance.now();
      f();
      ts.push(performance.now() - t0);
    }
    return median(ts);
  };
  console.log('| round | solveExact | solveScene(pair, exact) | ratio | solveVolterra | solveScene(pair, volterra) | ratio |');
  console.log('|---|---|---|---|---|---|---|');
  for (let round = 1; round <= 2; round++) {
    const a = timeMs(() => solveExact({ params, ...grid }));
    const b = timeMs(() => solveScene({ scene: sceneFromParams(params), ...grid }, 'exact'));
    const c = timeMs(() => solveVolterra({ params, ...grid }));
    const d = timeMs(() => solveScene({ scene: sceneFromParams(params), ...grid }, 'volterra'));
    console.log(`| ${round} | ${a.toFixed(1)} ms | ${b.toFixed(1)} ms | ${(b / a).toFixed(3)} | ${c.toFixed(1)} ms | ${d.toFixed(1)} ms | ${(d / c).toFixed(3)} |`);
  }
}
