/**
 * The CLI's real entry `main(argv)` from the compiled dist/cli/main.js, run in process with stdout and
 * stderr captured (much faster than spawning the binary for hundreds of runs; `npx tsc -p tsconfig.json`
 * builds dist/, as the global setup does). Used by fuzzArgs.test.ts and scene.test.ts.
 */

export type Main = (argv: string[]) => Promise<number>;
export interface RunResult { code: number; stdout: string; stderr: string }

/**
 * Imports main: dist/cli/main.js runs main(process.argv.slice(2)) when imported (it is the binary's
 * body), so it is imported under a harmless argv (`--version`) with the output swallowed.
 */
export async function loadMain(): Promise<Main> {
  const argv = process.argv;
  const w = process.stdout.write;
  process.argv = [argv[0]!, 'qbwave', '--version'];
  process.stdout.write = (() => true) as typeof process.stdout.write;
  try {
    return ((await import('../../dist/cli/main.js')) as { main: Main }).main;
  } finally {
    process.argv = argv;
    process.stdout.write = w;
    process.exitCode = undefined;
  }
}

/** Runs main(argv) with stdout/stderr captured and process.exitCode restored afterwards. */
export async function runMain(main: Main, argv: string[]): Promise<RunResult> {
  const out: string[] = [];
  const err: string[] = [];
  const w1 = process.stdout.write;
  const w2 = process.stderr.write;
  process.stdout.write = ((s: string | Uint8Array) => { out.push(String(s)); return true; }) as typeof process.stdout.write;
  process.stderr.write = ((s: string | Uint8Array) => { err.push(String(s)); return true; }) as typeof process.stderr.write;
  process.exitCode = undefined;
  let code: number;
  try {
    code = await main(argv);
  } finally {
    process.stdout.write = w1;
    process.stderr.write = w2;
    process.exitCode = undefined;
  }
  return { code, stdout: out.join(''), stderr: err.join('') };
}
