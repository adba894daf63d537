/**
 * The Fig. 4 phase diagram (bound-state count, effective count, max W(∞), E(∞) extremes over ω0 × Δz)
 * at 200 × 200 points through the sweep machinery (`qbwave sweep`'s runner: tinypool worker threads),
 * once per thread count from 1 to all cores. Prints points per second, points per second per core and
 * the speed-up over one thread. QBWAVE_BENCH_GRID=N changes the grid to N × N (default 200).
 *
 *   npm run bench -- phaseDiagram
 */
import { availableParallelism, loadavg } from 'node:os';
import { checkAxes, gridPoint, gridSize, linspace } from '../src/studies/grid.js';
import { FIG4_DEFAULTS, FIG4_QUANTITIES } from '../src/studies/fig4.js';
import { runPointsParallel } from '../cli/sweep/runner.js';

export async function run(): Promise<void> {
  const n = Number(process.env.QBWAVE_BENCH_GRID ?? 200);
  const axes = checkAxes({
    omega0: linspace(FIG4_DEFAULTS.omega0.start, FIG4_DEFAULTS.omega0.stop, n),
    dz: linspace(FIG4_DEFAULTS.dz.start, FIG4_DEFAULTS.dz.stop, n),
    gamma11: [FIG4_DEFAULTS.gamma11],
  });
  const size = gridSize(axes);
  const points = Array.from({ length: size }, (_, i) => ({ i, params: gridPoint(axes, i) }));
  const cores = availableParallelism();
  const counts = [...new Set([1, 2, 4, 8, 16, 32, 64].filter((c) => c < cores).concat([cores]))];
  console.log(`Fig. 4 phase diagram: ${n} × ${n} = ${size} points (ω0 ${FIG4_DEFAULTS.omega0.start}…${FIG4_DEFAULTS.omega0.stop}, Δz ${FIG4_DEFAULTS.dz.start}…${FIG4_DEFAULTS.dz.stop}, Γ11 = ${FIG4_DEFAULTS.gamma11}); quantities ${FIG4_QUANTITIES.map((q) => q.name).join(', ')}`);
  console.log(`load average before: ${loadavg().map((x) => x.toFixed(1)).join(', ')} on ${cores} cores (wall-clock scaling is only meaningful on an idle machine; CPU-seconds are not affected)`);
  console.log('threads | wall s | CPU s | points/s | points/s per thread | points per CPU-s | speed-up');
  let base = 0;
  let reference: number[][] | null = null;
  for (const threads of counts) {
    const t0 = performance.now();
    const c0 = process.cpuUsage();
    const rows = await runPointsParallel(points, FIG4_QUANTITIES, {}, { threads });
    const secs = (performance.now() - t0) / 1000;
    const c1 = process.cpuUsage(c0);
    const cpu = (c1.user + c1.system) / 1e6; // the whole process, worker threads included
    const rate = size / secs;
    if (threads === 1) base = rate;
    const values = rows.sort((a, b) => a.i - b.i).map((r) => r.v);
    if (reference === null) reference = values;
    else if (JSON.stringify(values) !== JSON.stringify(reference)) throw new Error(`results with ${threads} threads differ from 1 thread`);
    console.log(`${String(threads).padStart(7)} | ${secs.toFixed(1).padStart(6)} | ${cpu.toFixed(1).padStart(5)} | ${rate.toFixed(0).padStart(8)} | ${(rate / threads).toFixed(0).padStart(19)} | ${(size / cpu).toFixed(0).padStart(16)} | ${(rate / base).toFixed(2).padStart(8)}`);
  }
  console.log(`(identical results for every thread count; load average after: ${loadavg().map((x) => x.toFixed(1)).join(', ')}; the speed-up includes worker start-up)`);
}
