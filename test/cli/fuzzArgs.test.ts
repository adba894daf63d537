/**
 * Argument-vector fuzz test of every qbwave command (issue 10, "a fuzz test of our own"), run in
 * process through the CLI's real entry `main(argv)` (the compiled dist/cli/main.js the binary
 * imports) with stdout and stderr captured, so a few hundred samples take seconds instead of minutes.
 *
 * Each sample starts from a valid command line (small grids and time spans, so a valid sample is
 * fast) and applies a few mutations: a value replaced by junk (non-numbers, 1e-320, 5e-324, 1e308,
 * -0, surrounding whitespace, unicode, empty), an unknown flag, a repeated flag, a flag with its value
 * missing, a dropped required flag. The contract checked (README, "Bad input"):
 * - the exit code is 0, 2 (bad input) or 3 (numerical shortfall, data written);
 * - on 2: exactly one stderr line, no stack trace, naming a flag or argument of the argv (or the
 *   required flag that is missing), and no file created in the sample's output directory;
 * - on 0: no NaN in anything printed or written;
 * - never a hang: each sample must finish (the suite's timeout), and the slowest one is reported.
 * The seed is fixed, so a failure reproduces; fast-check prints the shrunk argv.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT } from './run.js';
import { loadMain, runMain, type Main, type RunResult } from './distMain.js';

let main: Main;
let root: string;

const run = (argv: string[]): Promise<RunResult> => runMain(main, argv);

beforeAll(async () => {
  main = await loadMain();
  root = mkdtempSync(join(tmpdir(), 'qbw-fuzz-'));
});

afterAll(() => {
  if (root) rmSync(root, { recursive: true, force: true });
});

// ------------------------------------------------------------------------------------------ argv
/** Values that break parsers: junk text, extreme numbers, whitespace, unicode. */
const JUNK = [
  '', ' ', 'abc', 'NaN', 'Infinity', '-Infinity', '1e', '0x10', '1,5', '1_0', '١', 'ω', '½', '∞', '--', '-',
  '1e-320', '5e-324', '1e308', '1e309', '-1e308', '-0', '0', '-1', '1 ', ' 1', '\t1', '1\n', '\u00a01', '1\u200b',
  '1:2:0', '1:2:1e9', '3:1:2', '::', '1/0', 'null', '[]', '{}', '"1"', '/', '.', 'C:\\x', 'é.csv', '💥',
];
const junk = fc.oneof(fc.constantFrom(...JUNK), fc.string({ maxLength: 6 }), fc.double().map(String));

/** Valid values (small, so a valid sample is fast), extremes of the validated range included. */
const MODEL: Record<string, readonly string[]> = {
  '--omega0': ['0.5', '1', '1.4', '3', '10', '1e-3'],
  '--dz': ['0', '0.1', '1', '20', '1e-6'],
  '--gamma': ['0.5', '5', '1e-3'],
};

interface CommandSpec {
  name: string;
  /** The test's title when one command has several specs (e.g. with --scene); default name. */
  label?: string;
  /** Samples to run (default 40). */
  runs?: number;
  /** Flag → valid values; a flag with [] is boolean. */
  flags: Record<string, readonly string[]>;
  required: readonly string[];
  /** Positional arguments (merge). */
  positional?: (dir: string) => fc.Arbitrary<string[]>;
  /** A valid sample would be too slow (figures): always apply a mutation that makes it invalid. */
  mustFail?: boolean;
}

const OUT = '@OUT'; // replaced by a path in the sample's directory

/** The example scene files (absolute: a sample runs in its own directory). */
const SCENES = ['paper-pair', 'issue-three', 'bank-chain', 'shared-excitation'].map((n) => join(ROOT, 'examples', 'scenes', `${n}.json`));

const COMMANDS: CommandSpec[] = [
  { name: 'spectrum', flags: { ...MODEL, '--json': [] }, required: ['--omega0', '--dz'] },
  {
    name: 'dynamics',
    flags: {
      ...MODEL, '--t-max': ['0', '0.5', '2'], '--dt': ['0.1', '0.3', '0.5', '2'], '--method': ['exact', 'volterra', 'markov'],
      '--tol': ['1e-6', '1e-3'], '--format': ['csv', 'json'], '--out': [`${OUT}.csv`, `${OUT}.json`], '--quiet': [],
    },
    required: ['--omega0', '--dz', '--t-max', '--dt'],
  },
  { name: 'steady', flags: { ...MODEL, '--residue-threshold': ['0', '0.014', '0.5'], '--observation-time': ['1', '2000'], '--json': [] }, required: ['--omega0', '--dz'] },
  { name: 'demo', flags: {}, required: [] },
  {
    name: 'sweep',
    flags: {
      '--omega0': ['1', '0.5:1:2', '0.5,1.4'], '--dz': ['0.1', '0:1:2'], '--gamma': ['0.5'], '--quantities': ['boundStates', 'energyMinMax,effectiveCount'],
      '--out': [`${OUT}.csv`, `${OUT}.json`, `${OUT}.npy`, `${OUT}.npz`], '--no-comments': [], '--shard': ['1/2', '2/2'], '--threads': ['1'], '--residue-threshold': ['0.014'],
      '--observation-time': ['2000'], '--tol': ['1e-6'], '--method': ['exact'], '--quiet': [],
    },
    required: ['--omega0', '--dz', '--out', '--threads', '--quiet'],
  },
  {
    name: 'figures',
    flags: { '--out': [OUT], '--only': ['2', '3', '4'], '--formats': ['csv', 'svg'], '--fig4-omega0': ['0.2:3.5:3'], '--fig4-dz': ['0.04:3:3'], '--quick': [], '--threads': ['1'], '--quiet': [] },
    required: ['--quick', '--quiet', '--threads'],
    mustFail: true,
  },
  {
    name: 'design',
    flags: {
      '--wavelength': ['637nm', '1.2um'], '--omega0-ratio': ['1', '0.6'], '--aspect': ['1', '2'], '--dipole': ['5.3', '1e-3', '1e4'],
      '--x0': ['0.5', '0.25', '100nm'], '--y0': ['0.5', '0.75'], '--dz': ['0.1', '3'], '--observation-time': ['1ns', '341ps'], '--json': [],
    },
    required: ['--wavelength', '--omega0-ratio'],
  },
  {
    name: 'merge',
    flags: {},
    required: [],
    positional: () => fc.tuple(fc.constantFrom(`${OUT}.csv`, `${OUT}.json`, `${OUT}.npy`, `${OUT}.npz`, `${OUT}.txt`, ''), fc.array(fc.constantFrom(`${OUT}-missing.csv`, '/nonexistent/x.csv', '.', '', 'é.json'), { minLength: 0, maxLength: 2 }))
      .map(([o, s]) => [o, ...s]),
  },
  // The scene forms (docs/scenes.md) on the example scene files: small time spans and grids.
  { name: 'spectrum', label: 'spectrum --scene', runs: 25, flags: { '--scene': SCENES, '--json': [], '--residue-threshold': ['0', '0.014', '0.5'], '--observation-time': ['1', '2000'] }, required: ['--scene'] },
  {
    name: 'dynamics',
    label: 'dynamics --scene',
    runs: 25,
    flags: {
      '--scene': SCENES, '--t-max': ['0', '0.5', '1'], '--dt': ['0.25', '0.5', '1'], '--method': ['exact', 'volterra', 'markov'],
      '--tol': ['1e-6', '1e-3'], '--format': ['csv', 'json'], '--out': [`${OUT}.csv`, `${OUT}.json`], '--quiet': [],
    },
    required: ['--scene', '--t-max', '--dt', '--method', '--tol'],
  },
  { name: 'steady', label: 'steady --scene', runs: 25, flags: { '--scene': SCENES, '--residue-threshold': ['0', '0.014', '0.5'], '--observation-time': ['1', '2000'], '--json': [] }, required: ['--scene'] },
  {
    name: 'sweep',
    label: 'sweep --scene',
    runs: 15,
    flags: {
      '--scene': SCENES, '--vary': ['emitters[1].z=0.1,0.2', 'emitters[0].gamma=0.3'], '--vary2': ['emitters[1].omega0=0.8,0.9'], '--quantities': ['boundStates', 'energyMinMax,effectiveCount'],
      '--out': [`${OUT}.csv`, `${OUT}.json`, `${OUT}.npy`, `${OUT}.npz`], '--no-comments': [], '--shard': ['1/2', '2/2'], '--threads': ['1'], '--quiet': [],
    },
    required: ['--scene', '--vary', '--out', '--threads', '--quiet'],
  },
];

type Mutation =
  | { kind: 'junk'; at: number; value: string }
  | { kind: 'unknown'; flag: string }
  | { kind: 'repeat'; at: number }
  | { kind: 'missingValue'; at: number }
  | { kind: 'drop'; at: number };

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  { weight: 5, arbitrary: fc.record({ kind: fc.constant('junk' as const), at: fc.nat(), value: junk }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('unknown' as const), flag: fc.constantFrom('--foo', '--omega', '-x', '--t_max', '--Dz', '--ω0', '---dz', '--') }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('repeat' as const), at: fc.nat() }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('missingValue' as const), at: fc.nat() }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('drop' as const), at: fc.nat() }) },
);

interface Sample { cmd: CommandSpec; pairs: Array<[string, string | null]>; positional: string[]; mutations: Mutation[] }

function sampleFor(cmd: CommandSpec): fc.Arbitrary<Sample> {
  const optional = Object.keys(cmd.flags).filter((f) => !cmd.required.includes(f));
  const pick = (f: string) => (cmd.flags[f]!.length ? fc.constantFrom(...cmd.flags[f]!) : fc.constant(null));
  return fc.record({
    req: fc.tuple(...cmd.required.map(pick)),
    opt: fc.subarray(optional).chain((fs) => fc.tuple(...fs.map((f) => pick(f).map((v) => [f, v] as [string, string | null])))),
    positional: cmd.positional ? cmd.positional('') : fc.constant([] as string[]),
    mutations: fc.array(mutation, { minLength: cmd.mustFail ? 1 : 0, maxLength: 3 }),
  }).map(({ req, opt, positional, mutations }) => {
    const pairs: Array<[string, string | null]> = [...cmd.required.map((f, i) => [f, req[i]!] as [string, string | null]), ...opt];
    return { cmd, pairs, positional, mutations };
  });
}

/**
 * The argv of a sample; whether it is certainly invalid (for mustFail commands); and whether it must
 * be refused whatever else it holds (a repeated flag, a value with surrounding whitespace, an
 * unknown flag: README "Bad input").
 */
function argvOf(s: Sample, dir: string): { argv: string[]; surelyBad: boolean; mustRefuse: string | null } {
  const pairs = s.pairs.map(([f, v]) => [f, v] as [string, string | null]);
  const extra: string[] = [];
  let surelyBad = false;
  let mustRefuse: string | null = null;
  for (const m of s.mutations) {
    if (m.kind === 'unknown') {
      extra.push(m.flag);
      if (m.flag !== '--') { surelyBad = true; mustRefuse ??= `unknown flag ${m.flag}`; } // "--" ends the options
      continue;
    }
    if (pairs.length === 0) continue;
    const i = m.at % pairs.length;
    const [f, v] = pairs[i]!;
    if (m.kind === 'junk' && v !== null) {
      pairs[i] = [f, m.value];
      if (JUNK.includes(m.value) && /[a-zA-Z ]|^$/.test(m.value)) surelyBad = true;
      if (m.value !== m.value.trim() && !m.value.startsWith('-')) { surelyBad = true; mustRefuse ??= `${f} with surrounding whitespace`; }
    }
    if (m.kind === 'repeat') { pairs.push([f, v]); surelyBad = true; mustRefuse ??= `${f} repeated`; }
    if (m.kind === 'missingValue' && v !== null) { pairs.splice(i, 1); extra.push(f); surelyBad = true; }
    if (m.kind === 'drop') pairs.splice(i, 1);
  }
  const sub = (x: string) => x.replace(OUT, join(dir, 'out'));
  const argv = [s.cmd.name, ...s.positional.map(sub), ...pairs.flatMap(([f, v]) => (v === null ? [f] : [f, sub(v)])), ...extra];
  return { argv, surelyBad, mustRefuse };
}

/** Every file under dir (relative paths), to check that a refused run created nothing. */
function filesUnder(dir: string): string[] {
  const found: string[] = [];
  for (const e of readdirSync(dir)) {
    const p = join(dir, e);
    if (statSync(p).isDirectory()) found.push(`${e}/`, ...filesUnder(p).map((x) => `${e}/${x}`));
    else found.push(e);
  }
  return found;
}

/**
 * NaN cells of a CSV file (`# ` comment lines skipped), except in a sweep's bound-state columns
 * E±, Z±, where NaN is the documented "no such bound state" (README, sweep column notes).
 */
function nanCells(csv: string): string[] {
  const rows = csv.split('\n').filter((l) => l !== '' && !l.startsWith('#'));
  const header = rows[0]?.split(',') ?? [];
  const bad: string[] = [];
  for (const row of rows.slice(1)) {
    row.split(',').forEach((cell, j) => {
      if (/nan/i.test(cell) && !/^[EZ](plus|minus)$/.test(header[j] ?? '')) bad.push(`${header[j]}: ${row}`);
    });
  }
  return bad;
}

const requiredOf = (name: string) => COMMANDS.find((c) => c.name === name)?.required ?? [];

let sampleNo = 0;
const slowest = { ms: 0, argv: [] as string[] };
const codes = new Map<number, number>();
/** Exit codes by command spec (label), so the summary shows that each one reaches success and refusal. */
const codesBy = new Map<string, Record<number, number>>();

async function check(s: Sample): Promise<void> {
  const dir = join(root, `s${sampleNo++}`);
  mkdirSync(dir);
  const { argv, surelyBad, mustRefuse } = argvOf(s, dir);
  if (s.cmd.mustFail && !surelyBad) return; // a valid `figures` run takes seconds: not sampled
  // Relative paths (junk such as "é.csv" given to --out) land in the sample's directory too.
  const cwd = process.cwd();
  process.chdir(dir);
  const t0 = performance.now();
  let r: RunResult;
  try {
    r = await run(argv);
  } finally {
    process.chdir(cwd);
  }
  const ms = performance.now() - t0;
  if (ms > slowest.ms) { slowest.ms = ms; slowest.argv = argv; }
  codes.set(r.code, (codes.get(r.code) ?? 0) + 1);
  const by = codesBy.get(s.cmd.label ?? s.cmd.name) ?? {};
  by[r.code] = (by[r.code] ?? 0) + 1;
  codesBy.set(s.cmd.label ?? s.cmd.name, by);
  const what = `qbwave ${argv.map((a) => JSON.stringify(a)).join(' ')}\nexit ${r.code}\nstderr: ${r.stderr}`;
  expect([0, 2, 3], what).toContain(r.code);
  if (mustRefuse !== null) expect(r.code, `${what}\n(must be refused: ${mustRefuse})`).toBe(2);
  expect(r.stderr, what).not.toMatch(/\n\s+at .*:\d+:\d+|internal error/);
  if (r.code === 2) {
    const lines = r.stderr.replace(/\n$/, '').split('\n');
    expect(lines, what).toHaveLength(1);
    // Names a flag or argument that was in the argv, or the required flag that was missing.
    const named = [...lines[0]!.matchAll(/--?[A-Za-z0-9ω_-]+|"[^"]*"|'[^']*'/g)].map((m) => m[0].replace(/^["']|["']$/g, '').replace(/ <.*$/, ''));
    const inArgv = named.some((n) => argv.includes(n) || argv.some((a) => a.length > 0 && JSON.stringify(a) === JSON.stringify(n)))
      || [...s.cmd.required, ...requiredOf(s.cmd.name)].some((f) => lines[0]!.includes(`'${f}`))
      || /missing required argument|unknown command/.test(lines[0]!);
    expect(inArgv, `${what}\n(no flag or argument of the argv named)`).toBe(true);
    expect(filesUnder(dir), what).toEqual([]);
  }
  if (r.code === 0) {
    expect(r.stdout, what).not.toMatch(/NaN/);
    for (const f of filesUnder(dir)) {
      if (f.endsWith('/') || f.endsWith('.npy') || f.endsWith('.npz') || f.endsWith('.png') || f.endsWith('.npy.json')) continue;
      const text = readFileSync(join(dir, f), 'utf8');
      // JSON (dynamics --format json, sweep .json) cannot hold NaN: it must parse. (--format csv
      // into a file named .json is the user's choice, so the content decides, not the name.)
      if (text.startsWith('{')) { expect(() => JSON.parse(text), `${what}\nfile ${f}`).not.toThrow(); continue; }
      expect(nanCells(text), `${what}\nfile ${f}`).toEqual([]);
    }
  }
  rmSync(dir, { recursive: true, force: true });
}

describe('argv fuzz: every command, in process (seeded)', () => {
  for (const cmd of COMMANDS) {
    it(`${cmd.label ?? cmd.name}: exit 0/2/3; a refusal is one line naming the flag, with no file; no NaN on success`, async () => {
      await fc.assert(fc.asyncProperty(sampleFor(cmd), check), { seed: 20261130, numRuns: cmd.runs ?? (cmd.name === 'sweep' ? 15 : 40), endOnFailure: true });
    });
  }
  it('summary: every sample finished; the exit codes seen', () => {
    // The samples above ran to completion (a hang would have failed them by timeout). The mix of
    // codes shows the generator reaches both the success and the refusal paths.
    expect(codes.get(2) ?? 0).toBeGreaterThan(80);
    expect(codes.get(0) ?? 0).toBeGreaterThan(30);
    // Each --scene form reaches a success too (a typo in its flags would make every sample a refusal).
    for (const label of ['spectrum --scene', 'dynamics --scene', 'steady --scene', 'sweep --scene']) expect(codesBy.get(label)?.[0] ?? 0, label).toBeGreaterThan(0);
    console.log(`argv fuzz: exit codes ${JSON.stringify(Object.fromEntries(codes))}; by command ${JSON.stringify(Object.fromEntries(codesBy))}; slowest sample ${slowest.ms.toFixed(0)} ms: ${slowest.argv.join(' ')}`);
  });
});
