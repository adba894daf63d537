/**
 * Installing the command from a packed tarball, as README "Install" describes: `npm pack` (its
 * `prepare` script compiles dist/), `npm install -g --prefix TMP qbwave-X.tgz`, then TMP/bin/qbwave.
 *
 * The pack runs in a temporary copy of the sources (package.json, tsconfig.json, README.md, bin/,
 * src/, cli/ — what `files` and the build need) with node_modules linked, so its `tsc` never rewrites
 * the dist/ that other test files are running at the same time. The install takes its dependencies
 * from the npm cache that `npm ci` filled (`--prefer-offline`), falling back to the registry.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { ROOT } from './run.js';
import { VERSION } from '../../src/version.js';
import { assertClose } from '../helpers.js';

const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { name: string; version: string; bin: Record<string, string> };

/** The environment of a user's shell: no npm_* variables inherited from `npm test`, node on PATH. */
function userEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!/^npm_/i.test(k)) env[k] = v;
  env.PATH = [dirname(process.execPath), process.env.PATH ?? ''].join(delimiter);
  env.NO_COLOR = '1';
  return env;
}

function run(cmd: string, args: string[], cwd: string, timeout = 240_000) {
  const r = spawnSync(cmd, args, { cwd, encoding: 'utf8', env: userEnv(), timeout });
  return { code: r.status, stdout: r.stdout ?? '', stderr: r.stderr ?? '', error: r.error };
}

let tmp: string;
let tarball: string;
let packedFiles: string[];
let prefix: string;

describe('qbwave installed from `npm pack` into a temporary prefix', () => {
  beforeAll(() => {
    tmp = mkdtempSync(join(tmpdir(), 'qbwave-install-'));
    const src = join(tmp, 'src');
    mkdirSync(src);
    for (const entry of ['package.json', 'tsconfig.json', 'README.md', 'bin', 'src', 'cli']) cpSync(join(ROOT, entry), join(src, entry), { recursive: true });
    symlinkSync(join(ROOT, 'node_modules'), join(src, 'node_modules'), 'dir');
    const packed = run('npm', ['pack', '--json', '--pack-destination', tmp], src);
    expect(packed.code, `npm pack failed: ${packed.error?.message ?? ''}\n${packed.stderr}`).toBe(0);
    // Lifecycle output may precede the JSON report on stdout.
    const report = JSON.parse(packed.stdout.slice(packed.stdout.indexOf('['))) as { filename: string; files: { path: string }[] }[];
    tarball = join(tmp, report[0]!.filename);
    packedFiles = report[0]!.files.map((f) => f.path);
    prefix = join(tmp, 'prefix');
    const installed = run('npm', ['install', '--global', '--prefix', prefix, tarball, '--prefer-offline', '--no-audit', '--no-fund'], tmp);
    expect(installed.code, `npm install -g --prefix failed: ${installed.error?.message ?? ''}\n${installed.stderr}`).toBe(0);
  }, 300_000);

  afterAll(() => {
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  });

  it('the tarball holds the compiled command and library, not the sources or tests', () => {
    expect(existsSync(tarball)).toBe(true);
    for (const f of ['package.json', 'bin/qbwave.js', 'dist/cli/main.js', 'dist/src/index.js', 'dist/src/index.d.ts', 'dist/cli/sweep/worker.js']) expect(packedFiles).toContain(f);
    expect(packedFiles.filter((f) => !/^(bin\/|dist\/(src|cli)\/|package\.json$|README\.md$)/.test(f))).toEqual([]);
    expect(packedFiles.filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts'))).toEqual([]);
  });

  it('TMP/bin/qbwave --version prints package.json\'s version (and src/version.ts agrees)', () => {
    const bin = join(prefix, 'bin', Object.keys(pkg.bin)[0]!);
    const r = run(bin, ['--version'], tmp, 60_000);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.trim()).toBe(pkg.version);
    expect(VERSION).toBe(pkg.version);
  });

  it('the installed command computes, outside the clone, what physics.md tabulates', () => {
    const r = run(join(prefix, 'bin', 'qbwave'), ['spectrum', '--omega0', '1', '--dz', '0.1', '--json'], tmp, 60_000);
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout) as { boundStates: { channel: string; energy: number; residue: number }[] };
    // physics.md's reference table (an independent code) gives 12 digits; energies agree to ~1e-15
    // and residues to ~1e-12 (README), so 2e-12 / 2e-10 are the table's own rounding with margin.
    assertClose(out.boundStates[0]!.energy, 0.620272288437, 2e-12, 'E+ (installed copy)');
    assertClose(out.boundStates[0]!.residue, 0.298169431173, 2e-10, 'Z+ (installed copy)');
    assertClose(out.boundStates[1]!.energy, 0.90806616481, 2e-12, 'E− (installed copy)');
    // It runs from the prefix, not from this clone's dist/.
    const real = run(process.execPath, ['-e', `process.stdout.write(require('fs').realpathSync(${JSON.stringify(join(prefix, 'bin', 'qbwave'))}))`], tmp);
    expect(real.stdout.startsWith(prefix)).toBe(true);
  });
});
