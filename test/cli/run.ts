import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const BIN = fileURLToPath(new URL('../../bin/qbwave.js', import.meta.url));

/** Runs the compiled CLI as a user would (NO_COLOR=1, no TTY) and returns its outputs. */
export function qbwave(args: string[], opts: { cwd?: string; timeout?: number } = {}): { code: number; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd: opts.cwd ?? ROOT, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' }, timeout: opts.timeout ?? 120_000 });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}
