/**
 * docs/cluster.md's Slurm scripts, run locally: docs/cluster/submit.sh is executed as written, with a
 * stand-in `sbatch` on PATH that runs each batch script at once — every array task in turn with
 * SLURM_ARRAY_TASK_ID set, the merge job only if the job named by --dependency=afterok succeeded — and
 * `qbwave` on PATH pointing at this clone's bin/qbwave.js. The merged file must equal the unsharded
 * sweep byte for byte (CSV, and .npy with its sidecar), and a failing task must keep the merge from running.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { ROOT } from './run.js';

const CLUSTER = join(ROOT, 'docs/cluster');
const SCRIPTS = ['submit.sh', 'sweep.sbatch', 'merge.sbatch'];

/** A stand-in for Slurm's sbatch: enough of it for submit.sh, and strict about anything else. */
const FAKE_SBATCH = `#!/usr/bin/env bash
set -uo pipefail
state=\${FAKE_SLURM_STATE:?}
array= dep= parsable=0
while [[ $# -gt 0 && $1 == -* ]]; do
  case $1 in
    --array=*) array=\${1#*=} ;;
    --dependency=*) dep=\${1#*=} ;;
    --parsable) parsable=1 ;;
    --export=ALL) ;;
    *) echo "fake sbatch: unsupported option $1" >&2; exit 1 ;;
  esac
  shift
done
script=$1
id=$(( $(cat "$state/next" 2>/dev/null || echo 1000) + 1 )); echo "$id" > "$state/next"
echo "id=$id script=\${script##*/} array=$array dependency=$dep" >> "$state/calls"
run=1
if [[ -n $dep ]]; then
  [[ $dep == afterok:* ]] || { echo "fake sbatch: unsupported dependency $dep" >&2; exit 1; }
  grep -qx "\${dep#afterok:}" "$state/ok" 2>/dev/null || { echo "id=$id never runs: $dep not satisfied" >> "$state/calls"; run=0; }
fi
if (( run )); then
  status=0
  if [[ -n $array ]]; then
    [[ $array =~ ^([0-9]+)-([0-9]+)$ ]] || { echo "fake sbatch: unsupported --array=$array" >&2; exit 1; }
    lo=\${BASH_REMATCH[1]} hi=\${BASH_REMATCH[2]}
    for ((t = lo; t <= hi; t++)); do
      env SLURM_JOB_ID="$id" SLURM_ARRAY_JOB_ID="$id" SLURM_ARRAY_TASK_ID="$t" SLURM_SUBMIT_DIR="$PWD" SLURM_CPUS_PER_TASK=2 \\
        bash "$script" >> "$state/job-$id-$t.log" 2>&1 || status=1
    done
  else
    env SLURM_JOB_ID="$id" SLURM_SUBMIT_DIR="$PWD" SLURM_CPUS_PER_TASK=1 bash "$script" >> "$state/job-$id.log" 2>&1 || status=1
  fi
  (( status == 0 )) && echo "$id" >> "$state/ok"
fi
if (( parsable )); then echo "$id;testcluster"; else echo "Submitted batch job $id"; fi
`;

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

/** A fresh work directory with bin/ holding the fake sbatch and a `qbwave` link to this clone. */
function workDir(): { dir: string; state: string; env: NodeJS.ProcessEnv } {
  const dir = mkdtempSync(join(tmpdir(), 'qbwave-cluster-'));
  dirs.push(dir);
  const bin = join(dir, '.bin');
  const state = join(dir, '.slurm');
  mkdirSync(bin);
  mkdirSync(state);
  writeFileSync(join(bin, 'sbatch'), FAKE_SBATCH, { mode: 0o755 });
  symlinkSync(join(ROOT, 'bin/qbwave.js'), join(bin, 'qbwave'));
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1', FAKE_SLURM_STATE: state, PATH: [bin, dirname(process.execPath), process.env.PATH ?? ''].join(delimiter) };
  return { dir, state, env };
}

function sh(cmd: string, args: string[], cwd: string, env: NodeJS.ProcessEnv) {
  const r = spawnSync(cmd, args, { cwd, env, encoding: 'utf8', timeout: 240_000 });
  return { code: r.status, stdout: r.stdout ?? '', stderr: r.stderr ?? '' };
}

/** The contents of every job log, for failure messages. */
function logs(state: string): string {
  return readdirSync(state).filter((f) => f.endsWith('.log') || f === 'calls').map((f) => `--- ${f}\n${readFileSync(join(state, f), 'utf8')}`).join('\n');
}

const GRID = { OMEGA0: '0.5:3.5:7', DZ: '0.1,0.5', GAMMA: '0.5,1.3', QUANTITIES: 'boundStates,energyMinMax,ergotropyMax,effectiveCount' };

describe('docs/cluster: Slurm array sweep + dependent merge, run with a stand-in sbatch', () => {
  it('docs/cluster.md shows the committed scripts verbatim', () => {
    const doc = readFileSync(join(ROOT, 'docs/cluster.md'), 'utf8');
    for (const name of SCRIPTS) {
      const m = new RegExp(`## ${name.replace('.', '\\.')}\\n\\n\`\`\`bash\\n([\\s\\S]*?)\`\`\``).exec(doc);
      expect(m, `a \`\`\`bash block under "## ${name}"`).not.toBeNull();
      expect(m![1]).toBe(readFileSync(join(CLUSTER, name), 'utf8'));
    }
  });

  for (const ext of ['csv', 'npy'] as const) {
    it(`3 array tasks + merge give the unsharded sweep byte for byte (.${ext})`, () => {
      const { dir, state, env } = workDir();
      const vars = { ...GRID, SHARDS: '3', OUT: `phase.${ext}`, SHARD_DIR: 'parts' };
      const r = sh('bash', [join(CLUSTER, 'submit.sh')], dir, { ...env, ...vars });
      expect(r.code, `${r.stderr}\n${logs(state)}`).toBe(0);
      expect(r.stdout).toMatch(/^submitted sweep array 1001 \(tasks 1-3\) and merge job 1002/);
      // The array runs shards 1..3 (1-based); the merge depends on the whole array's success.
      expect(readFileSync(join(state, 'calls'), 'utf8')).toBe('id=1001 script=sweep.sbatch array=1-3 dependency=\nid=1002 script=merge.sbatch array= dependency=afterok:1001\n');
      expect(readFileSync(join(state, 'ok'), 'utf8'), logs(state)).toBe('1001\n1002\n');
      expect(readdirSync(join(dir, 'parts')).filter((f) => f.endsWith(`.${ext}`)).sort()).toEqual([1, 2, 3].map((i) => `shard-${i}-of-3.${ext}`));
      const ref = sh('qbwave', ['sweep', '--omega0', GRID.OMEGA0, '--dz', GRID.DZ, '--gamma', GRID.GAMMA, '--quantities', GRID.QUANTITIES, '--quiet', '--out', `ref.${ext}`], dir, env);
      expect(ref.code, ref.stderr).toBe(0);
      expect(readFileSync(join(dir, `phase.${ext}`)).equals(readFileSync(join(dir, `ref.${ext}`)))).toBe(true);
      if (ext === 'npy') expect(readFileSync(join(dir, 'phase.npy.json')).equals(readFileSync(join(dir, 'ref.npy.json')))).toBe(true);
      // 7 × 2 × 2 = 28 points, so every shard holds points of both Γ11 values and several ω0.
      if (ext === 'csv') expect(readFileSync(join(dir, 'phase.csv'), 'utf8').split('\n').filter((l) => /^\d/.test(l)).length).toBe(28);
    });
  }

  it('a failing task (bad --omega0) keeps the merge from running and no result file appears', () => {
    const { dir, state, env } = workDir();
    const r = sh('bash', [join(CLUSTER, 'submit.sh')], dir, { ...env, ...GRID, OMEGA0: '0.5:abc:7', SHARDS: '2', OUT: 'phase.csv', SHARD_DIR: 'parts' });
    expect(r.code, r.stderr).toBe(0); // submitting succeeds; the jobs fail
    const calls = readFileSync(join(state, 'calls'), 'utf8');
    expect(calls).toContain('id=1002 never runs: afterok:1001 not satisfied');
    expect(existsSync(join(state, 'ok'))).toBe(false);
    expect(existsSync(join(dir, 'phase.csv'))).toBe(false);
    // Each task's log holds qbwave's one-line message naming the flag.
    expect(readFileSync(join(state, 'job-1001-1.log'), 'utf8')).toMatch(/--omega0/);
  });

  it('a task outside 1..SHARDS (e.g. a 0-based array) fails with qbwave\'s message instead of computing a wrong shard', () => {
    const { dir, env } = workDir();
    const r = sh('bash', [join(CLUSTER, 'sweep.sbatch')], dir, { ...env, ...GRID, SHARDS: '3', OUT: 'phase.csv', SHARD_DIR: 'parts', SLURM_ARRAY_TASK_ID: '0' });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--shard "0\/3": must be i\/n with integers 1 ≤ i ≤ n/);
  });
});
