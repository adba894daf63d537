/**
 * Shared pieces of the validation studies (scripts/validate/*.ts): a seeded random source, the
 * cross-method comparison (exact resolvent vs Volterra time stepping, two independent methods) and
 * the report format. Each study prints `figure <name> = <value>` lines; docs/methods.md and README.md
 * quote these figures and name the study beside them.
 */
import { solveExact } from '../../src/dynamics/exact.js';
import { solveVolterra } from '../../src/dynamics/volterra.js';
import type { ModelParams } from '../../src/model/params.js';
import type { Solution } from '../../src/dynamics/types.js';

/** Seeded uniform generator on [0, 1) (mulberry32: 32-bit state, period 2^32; plenty for ≤ 10⁴ draws). */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Uniform on [lo, hi]. */
export const uniform = (rand: () => number, lo: number, hi: number): number => lo + (hi - lo) * rand();
/** Log-uniform on [lo, hi] (lo > 0). */
export const logUniform = (rand: () => number, lo: number, hi: number): number => lo * (hi / lo) ** rand();
/** Model parameters drawn over the whole validated range: ω0 ∈ [0.01, 10], Γ11 log-uniform in [0.01, 5], Δz ∈ [0, 20]. */
export function randomParams(rand: () => number): ModelParams {
  return { omega0: uniform(rand, 0.01, 10), gamma11: logUniform(rand, 0.01, 5), dz: uniform(rand, 0, 20) };
}

/** Largest |c_a(t) − c_b(t)| (complex modulus) over the grid, for c1 and c2. */
export function maxDifference(a: Solution, b: Solution): number {
  let worst = 0;
  for (const key of ['c1', 'c2'] as const) {
    const x = a[key];
    const y = b[key];
    for (let i = 0; i < x.length; i += 2) worst = Math.max(worst, Math.hypot(x[i] - y[i], x[i + 1] - y[i + 1]));
  }
  return worst;
}

export interface CrossResult {
  params: ModelParams;
  tMax: number;
  exactStatus: string;
  exactMessage: string;
  volterraStatus: string;
  volterraMessage: string;
  /** max |Δc| over the grid (whatever the statuses; NaN if an output is not finite). */
  difference: number;
  seconds: number;
}

/** Solves one problem by both methods at `tol` and compares them on the output grid t = 0, tMax/40, …, tMax. */
export function crossCheck(params: ModelParams, tMax: number, tol: number): CrossResult {
  const start = performance.now();
  const problem = { params, tMax, dt: tMax / 40, tol };
  const ex = solveExact(problem);
  const vo = solveVolterra(problem);
  return {
    params, tMax, exactStatus: ex.status, exactMessage: ex.message, volterraStatus: vo.status, volterraMessage: vo.message,
    difference: maxDifference(ex, vo), seconds: (performance.now() - start) / 1000,
  };
}

/** Full-precision parameter text, so that any printed case can be re-run exactly. */
export const paramText = (p: ModelParams): string => `(ω0, Γ11, Δz) = (${p.omega0}, ${p.gamma11}, ${p.dz})`;

/** One line per case: status of each method and the difference. */
export function caseLine(r: CrossResult): string {
  const d = r.difference.toExponential(2);
  return `  ${paramText(r.params)} t ≤ ${r.tMax}: exact ${r.exactStatus}, volterra ${r.volterraStatus}, max|Δc| ${d} (${r.seconds.toFixed(1)} s)`;
}

/** Summary figures of a group of cross-method cases, printed as `figure <prefix>.<name> = value`. */
export function summarise(prefix: string, results: CrossResult[]): void {
  const exactFail = results.filter((r) => r.exactStatus !== 'success');
  const volterraFail = results.filter((r) => r.volterraStatus !== 'success');
  const largest = (rs: CrossResult[]): string => {
    const d = rs.map((r) => r.difference);
    return d.length === 0 ? 'none' : d.some(Number.isNaN) ? 'NaN' : Math.max(...d).toExponential(1);
  };
  figure(`${prefix}.cases`, results.length);
  figure(`${prefix}.exactNotSuccess`, exactFail.length);
  figure(`${prefix}.volterraNotSuccess`, volterraFail.length);
  // Where both say success (both claim |Δc| ≤ tol), and over every case (a non-success status only says
  // the method could not certify its tolerance; the difference shows what it actually delivered).
  figure(`${prefix}.maxDifference`, largest(results.filter((r) => r.exactStatus === 'success' && r.volterraStatus === 'success')));
  figure(`${prefix}.maxDifferenceAllCases`, largest(results));
  for (const r of volterraFail) console.log(`  volterra ${r.volterraStatus} at ${paramText(r.params)}, t ≤ ${r.tMax}: ${r.volterraMessage} (max|Δc| ${r.difference.toExponential(1)})`);
  for (const r of exactFail) console.log(`  exact ${r.exactStatus} at ${paramText(r.params)}, t ≤ ${r.tMax}: ${r.exactMessage} (max|Δc| ${r.difference.toExponential(1)})`);
}

/** The line format the docs quote: `figure <name> = <value>`. */
export function figure(name: string, value: number | string): void {
  console.log(`figure ${name} = ${value}`);
}

/** A validation study: a name (for `npm run validate -- <name>`), what it checks, and its run. */
export interface Study {
  name: string;
  description: string;
  run: (verbose: boolean) => void;
}
