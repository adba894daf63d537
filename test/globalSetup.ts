import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/**
 * Compiles src/ and cli/ to dist/ once before the suite, so CLI tests spawn the same `bin/qbwave.js`
 * a user runs; then type-checks tests, benchmarks and scripts too (a type error fails the run).
 */
export default function setup(): void {
  const root = fileURLToPath(new URL('..', import.meta.url));
  const tsc = fileURLToPath(new URL('../node_modules/typescript/bin/tsc', import.meta.url));
  execFileSync(process.execPath, [tsc, '-p', 'tsconfig.json'], { cwd: root, stdio: 'inherit' });
  // Type-check what is not compiled: tests, benchmarks, scripts.
  execFileSync(process.execPath, [tsc, '-p', 'tsconfig.check.json'], { cwd: root, stdio: 'inherit' });
}
